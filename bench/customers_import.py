"""Import of a 100,000-row customer workbook, end to end, against the raw floor measured in the same run.

    PYTHONPATH=. python bench/customers_import.py [ROWS] [--pg URL]

floor: python-calamine reads the workbook, sqlite3 ``executemany`` inserts the same rows (17 text columns)
       into a plain table in a fresh file, one transaction: the least any import can cost.
import: ``crm_tui.services.customers.imports.import_customers`` on a fresh migrated database: read, validate
       every cell, match (code, credit code, name), owners by 工号, Core inserts of customers and contacts,
       pinyin, search rows, the import batch for undo, one transaction. The pinyin tables are loaded first
       (the app builds them from pypinyin once and keeps them in its cache folder).
catch-up: ``search.catch_up`` right after the commit, as the app and the CLI run it: the search rows the import
       left pending go into the index (FTS5 trigram + grams; PostgreSQL pg_trgm + grams GIN). Until it ends,
       searches find those customers by a scan; after it the index is complete.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("CRM_HOME", tempfile.mkdtemp(prefix="crm-bench-"))

HEADERS = ["客户编号", "客户名称", "简称", "联系人", "手机", "电话", "邮箱", "地址", "片区", "行业", "客户分类", "业务员",
           "信用额度", "期初余额", "建档日期", "统一社会信用代码", "备注"]
KEYS = [None, "name", None, "contact", "mobile", "phone", None, "address", "area", "industry", "classification",
        "owner", "credit_limit", None, None, "credit_code", None]
STAFF = [f"S{i:03d}" for i in range(1, 41)]


def write_workbook(path: Path, rows: int) -> None:
    from customers_data import customers
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet("客户")
    ws.append(["2026年客户资料"])
    ws.append(HEADERS)
    for c in customers(rows, STAFF):
        mobile = float(c["mobile"])  # as Excel stores a phone typed as a number
        ws.append([None if k is None else (mobile if k == "mobile" else c[k]) for k in KEYS])
    book.save(path)


def floor(path: Path, folder: Path) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[2:]
    conn = sqlite3.connect(folder / "floor.db")
    conn.execute(f"CREATE TABLE t ({', '.join(f'c{i} TEXT' for i in range(len(HEADERS)))})")
    with conn:
        conn.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(HEADERS))})",
                         [tuple(r) + (None,) * (len(HEADERS) - len(r)) for r in rows])
    conn.close()
    return time.perf_counter() - start


def setup_database(url: str):
    from crm_tui.db.session import transaction
    from crm_tui.services.admin import users
    from crm_tui.services.admin.database import initialize, open_database

    engine = open_database(url)
    admin = initialize(engine, "admin", "bench-pass-1")
    with transaction(engine, admin) as s:
        for number in STAFF:
            users.add_user(s, admin, number.lower(), f"业务员{number}", "salesperson", None, staff_number=number)
    return engine, admin


def run_import(url: str, path: Path) -> tuple[float, float, object, dict]:
    from crm_tui.db import search
    from crm_tui.services.customers.imports import import_customers

    engine, admin = setup_database(url)
    marks: dict[str, float] = {}
    start = time.perf_counter()
    cpu = time.process_time()

    def progress(phase: str, done: int, total: int) -> None:
        marks[phase] = time.perf_counter() - start

    summary = import_customers(engine, admin, path, progress=progress)
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    moved = search.catch_up(engine) if hasattr(search, "catch_up") else 0  # (the bench also runs on older code)
    marks["catch-up"] = (time.perf_counter() - start, time.process_time() - cpu, moved)
    engine.dispose()
    return wall, used, summary, marks


def catch_up_line(marks: dict) -> str:
    wall, used, moved = marks.pop("catch-up")
    return f"catch-up (index the {moved:,} pending search rows, after the commit): {wall:6.2f} s wall, {used:.2f} s CPU"


def main() -> None:
    args = sys.argv[1:]
    pg = None
    if "--pg" in args:
        pg = args[args.index("--pg") + 1]
        del args[args.index("--pg"):args.index("--pg") + 2]
    rows = int(args[0]) if args else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "customers.xlsx"
        t = time.perf_counter()
        write_workbook(path, rows)
        print(f"workbook: {rows:,} rows, {path.stat().st_size / 2**20:.1f} MB, written in "
              f"{time.perf_counter() - t:.1f} s (not measured)")
        t = time.perf_counter()
        from crm_tui.core import pinyin
        from crm_tui.paths import get_paths

        pinyin.set_cache_dir(get_paths().cache)
        pinyin.char_readings("中")  # the reduced tables, as any earlier run of the app leaves them cached
        print(f"pinyin tables built from pypinyin on a first run: {time.perf_counter() - t:.2f} s (not measured)")
        raw = floor(path, folder)
        print(f"floor   (calamine read + sqlite3 executemany): {raw:6.2f} s")
        wall, cpu, summary, marks = run_import(f"sqlite:///{folder / 'crm.db'}", path)
        sqlite_wall = wall
        assert summary.written and summary.created == rows, (summary.rejected, summary.errors[:3])
        catch = catch_up_line(marks)
        print(f"import  (read, validate, match, write; SQLite): {wall:6.2f} s wall, {cpu:.2f} s CPU  "
              f"= {wall / raw:.2f}x the floor")
        print(catch)
        print("         phases ended at: " + ", ".join(f"{k} {v:.2f} s" for k, v in marks.items()))
        size = sum(f.stat().st_size for f in folder.glob("crm.db*")) / 2**20
        print(f"         database with {rows:,} customers: {size:.0f} MB")
        if pg:
            wall, cpu, summary, marks = run_import(pg, path)
            print(f"import  (PostgreSQL): {wall:6.2f} s wall, {cpu:.2f} s CPU  = {wall / sqlite_wall:.2f}x the SQLite "
                  "import")
            print(catch_up_line(marks))
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (2 cores shared with other work)")


if __name__ == "__main__":
    main()
