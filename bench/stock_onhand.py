"""Benchmark: the stock overview over 10,000 products × 5 warehouses built from 2,000,000 moves.

Builds a fresh database (SQLite file in a temp folder, or a new schema on PostgreSQL), bulk-loads the products,
warehouses and moves with the driver (not the ORM), builds the cached balances from the moves, then times:

- the overview query the screen and ``crm stock onhand`` run (every non-zero balance, joined to warehouse and
  product, ordered) — full and as the first page of 100 rows;
- stock value by warehouse, the safety-stock alarm count;
- the same on-hand derived straight from the ledger (GROUP BY over the moves), for comparison;
- the ``crm db check`` invariant that compares the two.

    PYTHONPATH=$PWD python bench/stock_onhand.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
           [--products 10000] [--warehouses 5] [--moves 2000000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid

from sqlalchemy import text


def timed(label: str, fn, repeat: int = 5):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    print(f"  {label:<58} median {statistics.median(times):8.1f} ms   best {min(times):8.1f} ms")
    return result


def make_engine(url: str | None):
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine as mk

    if url is None:
        folder = tempfile.mkdtemp(prefix="crm-bench-")
        os.environ["CRM_HOME"] = folder
        engine = mk(f"sqlite:///{folder}/bench.db")
        cleanup = None
    else:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = mk(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in url else "?"
        engine = mk(f"{url}{sep}options=-csearch_path%3D{schema}")

        def cleanup():
            engine.dispose()
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    migrate.upgrade(engine)
    return engine, cleanup


def load(engine, n_products: int, n_warehouses: int, n_moves: int) -> None:
    rng = random.Random(7)
    now = "2026-11-01 10:00:00"
    products = [(i, f"P{i:06d}", f"商品{i}", "500ml", "箱", rng.choice(["白酒", "啤酒", "饮料", "调味品"]),
                 130000, rng.choice([0, 0, 0, 100000]), True, 1, now, now) for i in range(1, n_products + 1)]
    warehouses = [(i, f"WH{i:02d}", f"仓库{i}", True, 1, now, now) for i in range(1, n_warehouses + 1)]
    per_pair = n_moves // (n_products * n_warehouses)
    t = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if engine.dialect.name == "sqlite":
            cur.execute("BEGIN")  # the engine's connections run in autocommit mode; one transaction here
        ph = "?" if engine.dialect.name == "sqlite" else "%s"
        cur.executemany("INSERT INTO products (id, code, name, spec, unit, category, tax_rate, safety_stock, active,"
                        f" version, created_at, updated_at) VALUES ({','.join([ph] * 12)})", products)
        cur.executemany(f"INSERT INTO warehouses (id, code, name, active, version, created_at, updated_at) "
                        f"VALUES ({','.join([ph] * 7)})", warehouses)

        def moves():
            mid = 0
            for w in range(1, n_warehouses + 1):
                for p in range(1, n_products + 1):
                    for k in range(per_pair):
                        mid += 1
                        q = rng.randint(1, 50) * 10000 * (1 if k % 3 != 2 else -1)
                        if k % 3 == 2:
                            q = -10000  # out one unit
                        yield (mid, w, p, q, 2000000, q // 10000 * 200, "stock_in" if q > 0 else "stock_out",
                               mid, None, None, False, now, 1)

        cols = ("id, warehouse_id, product_id, quantity, unit_cost, amount, doc_type, doc_id, doc_number, line_id,"
                " is_reversal, moved_at, user_id")
        if engine.dialect.name == "sqlite":
            cur.executemany(f"INSERT INTO stock_moves ({cols}) VALUES ({','.join(['?'] * 13)})", moves())
        else:
            with cur.copy(f"COPY stock_moves ({cols}) FROM STDIN") as copy:
                for row in moves():
                    copy.write_row(row)
        cur.execute("INSERT INTO stock_balances (warehouse_id, product_id, quantity, value, unit_cost) "
                    "SELECT warehouse_id, product_id, SUM(quantity), SUM(amount), 2000000 FROM stock_moves "
                    "GROUP BY warehouse_id, product_id")
        raw.commit()
        if engine.dialect.name == "sqlite":
            cur.execute("ANALYZE")
    finally:
        raw.close()
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    print(f"  loaded {n_products} products, {n_warehouses} warehouses, {per_pair * n_products * n_warehouses} moves "
          f"in {time.perf_counter() - t:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url")
    ap.add_argument("--products", type=int, default=10_000)
    ap.add_argument("--warehouses", type=int, default=5)
    ap.add_argument("--moves", type=int, default=2_000_000)
    args = ap.parse_args()
    engine, cleanup = make_engine(args.url)
    print(f"engine: {engine.dialect.name}")
    try:
        load(engine, args.products, args.warehouses, args.moves)
        from crm_tui.db.session import read_session
        from crm_tui.services.stock import alarms as stock_alarms
        from crm_tui.services.stock import analysis as stock_analysis
        from crm_tui.services.stock.ledger import check_balances

        with read_session(engine) as s:
            rows = timed("overview: all non-zero balances (rows -> OnHandRow)", lambda: stock_analysis.onhand(s))
            print(f"    {len(rows)} rows")
            timed("overview: first page of 100, ordered", lambda: stock_analysis.onhand(s, limit=100))
            timed("overview: row count and total value (the page header)", lambda: stock_analysis.onhand_count(s))
            timed("overview: one warehouse, page of 100", lambda: stock_analysis.onhand(s, warehouse_id=3, limit=100))
            timed("overview: search 'P0012' (code/name/pinyin), all warehouses",
                  lambda: stock_analysis.onhand(s, search="P0012"))
            timed("stock value by warehouse", lambda: stock_analysis.value_by_warehouse(s))
            timed("safety-stock alarm count (status line)", lambda: stock_alarms.alarm_count(s))
            timed("on-hand derived from the ledger (GROUP BY over moves)", lambda: s.execute(text(
                "SELECT warehouse_id, product_id, SUM(quantity), SUM(amount) FROM stock_moves "
                "GROUP BY warehouse_id, product_id")).all(), repeat=3)
            problems = timed("db check: balances = Σ moves", lambda: check_balances(s), repeat=1)
            print(f"    problems: {len(problems)}")
    finally:
        if cleanup:
            cleanup()


if __name__ == "__main__":
    main()
