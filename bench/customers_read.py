"""The read side of a customer import, step by step in CPU seconds (wall time is noise on a shared machine).

    PYTHONPATH=. python bench/customers_read.py [ROWS]

limit check: io/limits unpacks the sheet XML once to count its rows (zip-bomb and row-cap protection);
calamine:    python-calamine parses the sheet (part of the floor of customers_import.py);
rows:        tabular turns the grid into rows (blank cells None, blank rows dropped);
validate:    every cell of the 100,000 rows parsed and checked (importing.validate_table);
plan:        plan_import matches the rows against a fresh database (owners, codes, credit codes, names).
Each step is run three times and the least is printed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("CRM_HOME", tempfile.mkdtemp(prefix="crm-bench-"))


def least_cpu(work, runs: int = 3):
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.process_time()
        result = work()
        best = min(best, time.process_time() - start)
    return best, result


def main() -> None:
    import python_calamine
    from customers_import import setup_database, write_workbook

    from crm_tui.db.session import transaction
    from crm_tui.io import importing, limits, tabular
    from crm_tui.services.customers.imports import SPECS, plan_import

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp, tabular.bulk_allocation():
        path = Path(tmp) / "customers.xlsx"
        write_workbook(path, rows)
        steps = {"limit check": lambda: limits.workbook_problem(path)}
        steps["calamine"] = lambda: python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(
            0).to_python(skip_empty_area=False)
        figures = {}
        figures["limit check"], _ = least_cpu(steps["limit check"])
        figures["calamine"], grid = least_cpu(steps["calamine"])
        figures["rows"], table_rows = least_cpu(lambda: list(tabular.rows_from_grid("客户", grid)))
        table = tabular.Table(path.name, "客户", table_rows)
        figures["validate"], result = least_cpu(lambda: importing.validate_table(table, SPECS))
        engine, admin = setup_database(f"sqlite:///{Path(tmp) / 'crm.db'}")

        def plan():
            with transaction(engine, admin) as session:
                return plan_import(session, admin, result)

        figures["plan"], _ = least_cpu(plan)
        engine.dispose()
    print(f"{rows:,} rows, CPU seconds (least of 3): " + ", ".join(f"{k} {v:.2f}" for k, v in figures.items())
          + f"; total {sum(figures.values()):.2f}")
    print(f"load average: {os.getloadavg()[0]:.1f} (2 cores shared with other work)")


if __name__ == "__main__":
    main()
