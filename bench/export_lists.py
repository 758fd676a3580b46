"""Benchmark: every list to Excel at 100,000 rows (services/exports).

Builds a fresh SQLite database in a temp folder, bulk-loads 100,000 stock moves (500 products, 2 warehouses) and
100,000 contact logs (2,000 customers of 10 salespeople) with Core inserts, then times:

- ``crm export stock-ledger``: one streamed query (yield_per) into openpyxl's write-only mode;
- ``crm export contact-logs`` as the administrator: paged through the list service (2,000 rows a page);
- the same as one salesperson (the visibility rule: a tenth of the logs);
- reading the workbook back with python-calamine, to check the row count.

    PYTHONPATH=$PWD .venv/bin/python bench/export_lists.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal


def build(engine, rows: int):
    from sqlalchemy import insert

    from crm_tui.core.actor import SYSTEM, Actor
    from crm_tui.db.base import utcnow
    from crm_tui.db.models.customers import ContactLog, Customer
    from crm_tui.db.models.products import Product
    from crm_tui.db.models.stock import StockMove, Warehouse
    from crm_tui.db.session import transaction
    from crm_tui.services.admin import users
    from crm_tui.services.admin.database import initialize

    admin = initialize(engine, "admin", "admin-pass", "基准公司", "管理员")
    now = utcnow()
    with transaction(engine, admin) as s:
        sales = [users.add_user(s, admin, f"s{i:02d}", f"业务员{i:02d}", "salesperson", None) for i in range(10)]
        s.execute(insert(Warehouse), [{"code": f"WH{i}", "name": f"仓库{i}", "active": True, "version": 1,
                                       "created_at": now, "updated_at": now} for i in (1, 2)])
        s.execute(insert(Product), [
            {"code": f"P{i:05d}", "name": f"商品{i:05d}", "spec": "500ml*12", "unit": "箱", "tax_rate": Decimal("0.13"),
             "safety_stock": Decimal(0), "active": True, "version": 1, "created_at": now, "updated_at": now}
            for i in range(500)])
        start = datetime(2026, 1, 1, 8)
        batch = []
        for i in range(rows):
            q = Decimal((i % 50) + 1) * (1 if i % 3 else -1)
            batch.append({"warehouse_id": 1 + i % 2, "product_id": 1 + i % 500, "quantity": q,
                          "unit_cost": Decimal("12.3456"), "amount": (q * Decimal("12.35")).quantize(Decimal("0.01")),
                          "doc_type": "stock_in" if q > 0 else "stock_out", "doc_id": i, "doc_number": f"RK-{i:06d}",
                          "is_reversal": False, "moved_at": start + timedelta(minutes=i)})
            if len(batch) == 10_000:
                s.execute(insert(StockMove), batch)
                batch = []
        if batch:
            s.execute(insert(StockMove), batch)
        s.execute(insert(Customer), [
            {"code": f"K{i:05d}", "name": f"临沂客户{i:05d}商贸有限公司", "owner_id": sales[i % 10], "status": "active",
             "created_on": date(2025, 1, 1), "version": 1, "created_at": now, "updated_at": now}
            for i in range(2000)])
        batch = []
        for i in range(rows):
            batch.append({"customer_id": 1 + i % 2000, "kind": "visit", "at": start + timedelta(minutes=i),
                          "summary": "拜访，确认订货与陈列", "author_id": sales[(i % 2000) % 10], "version": 1,
                          "created_at": now, "updated_at": now})
            if len(batch) == 10_000:
                s.execute(insert(ContactLog), batch)
                batch = []
        if batch:
            s.execute(insert(ContactLog), batch)
    s00 = Actor(sales[0], "s00", "业务员00", "salesperson", None)
    return admin, s00, SYSTEM


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="crm-bench-export-")
    os.environ["CRM_HOME"] = folder
    from python_calamine import CalamineWorkbook

    from crm_tui.bootstrap import install_plugins
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine
    from crm_tui.db.session import read_session
    from crm_tui.services.exports.export import export

    install_plugins()
    engine = make_engine(f"sqlite:///{folder}/bench.db")
    migrate.upgrade(engine)
    t = time.perf_counter()
    admin, s00, _system = build(engine, args.rows)
    print(f"built {args.rows:,} stock moves and {args.rows:,} contact logs in {time.perf_counter() - t:.1f} s")
    for label, kind, actor in (("stock-ledger, administrator", "stock-ledger", admin),
                               ("contact-logs, administrator", "contact-logs", admin),
                               ("contact-logs, one salesperson", "contact-logs", s00)):
        path = f"{folder}/{kind}-{actor.login}.xlsx"
        t = time.perf_counter()
        with read_session(engine, actor) as s:
            n = export(s, actor, kind, path)
        took = time.perf_counter() - t
        t = time.perf_counter()
        back = len(CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()) - 1
        read = time.perf_counter() - t
        size = os.path.getsize(path) / 1e6
        print(f"  {label:<32} {n:>7,} rows  {took:6.1f} s  ({n / took:,.0f} rows/s, {size:.1f} MB; "
              f"calamine reads {back:,} back in {read:.1f} s)")


if __name__ == "__main__":
    main()
