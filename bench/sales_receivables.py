"""Receivables and aging over 20,000 customers with 500,000 orders and 500,000 receipts (aim: under 1 s).

    PYTHONPATH=. python bench/sales_receivables.py [DATABASE_URL] [--keep] [--reuse]

Without a URL it builds a SQLite file in a temporary folder; with a PostgreSQL URL it uses (and empties) that
database's ``crm_bench`` schema (dropped at the end unless ``--keep``; ``--reuse`` measures a kept one again). The rows are written with plain executemany (bulk data, not the services);
the figures are for ``receivables()`` — every visible customer's opening, billed, received, balance and aging
in one call — as an administrator (everything) and as a salesperson (a tenth of the customers), on both bases.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta

CUSTOMERS = 20_000
ORDERS = 500_000
RECEIPTS = 500_000
STOCK_OUTS = 200_000
AS_OF = date(2026, 11, 27)


def _engine(url: str | None, reuse: bool = False):
    from sqlalchemy import text

    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine

    if url and url.startswith("sqlite") and os.path.exists(url.split("///", 1)[1]):
        return make_engine(url)  # a database this script filled before: measure again without refilling
    if url and url.startswith("postgresql") and reuse:
        sep = "&" if "?" in url else "?"
        return make_engine(f"{url}{sep}options=-csearch_path%3Dcrm_bench")
    if url and url.startswith("postgresql"):
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS crm_bench CASCADE"))
            conn.execute(text("CREATE SCHEMA crm_bench"))
        admin.dispose()
        sep = "&" if "?" in url else "?"
        url = f"{url}{sep}options=-csearch_path%3Dcrm_bench"
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='crm-bench-')}/bench.db"
    engine = make_engine(url)
    migrate.upgrade(engine)
    return engine


def _fill(engine) -> tuple[object, object]:
    """Users, customers, orders, stock-outs and receipts as integers in fen; returns (admin, salesperson)."""
    from crm_tui.core.actor import Actor
    from crm_tui.services.admin.database import initialize

    admin = initialize(engine, "admin", "admin-pass", "基准公司", "管理员")
    rng = random.Random(7)
    now = "2026-11-27 00:00:00"
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        cur = raw.cursor()
        ph = "%s" if engine.dialect.name == "postgresql" else "?"

        def many(sql: str, rows: list[tuple]) -> None:
            cur.executemany(sql.replace("?", ph), rows)

        many("INSERT INTO users (id, login, display_name, role, active, version, created_at, updated_at) "
             "VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
             [(100 + i, f"sp{i}", f"业务员{i}", "salesperson", True, now, now) for i in range(10)])
        many("INSERT INTO customers (id, code, name, owner_id, status, created_on, opening_balance, version, "
             "created_at, updated_at) VALUES (?, ?, ?, ?, 'active', ?, ?, 1, ?, ?)",
             [(c, f"K{c:06d}", f"客户{c}", 100 + c % 10, "2025-01-01", rng.choice([None, 0, 120050, 368000]), now, now)
              for c in range(1, CUSTOMERS + 1)])
        day0 = AS_OF - timedelta(days=400)

        def day() -> str:
            return (day0 + timedelta(days=rng.randint(0, 400))).isoformat()

        for start in range(0, ORDERS, 50_000):
            many("INSERT INTO sales_orders (customer_id, status, order_date, net_total, tax_total, gross_total, "
                 "version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
                 [(rng.randint(1, CUSTOMERS), "confirmed" if rng.random() < 0.9 else "done", day(), g * 100 // 113,
                   g - g * 100 // 113, g, now, now)
                  for g in (rng.randint(1_000, 5_000_000) for _ in range(min(50_000, ORDERS - start)))])
        for start in range(0, STOCK_OUTS, 50_000):
            many("INSERT INTO sales_stock_outs (customer_id, warehouse_id, status, out_date, net_total, tax_total, "
                 "gross_total, cost_total, version, created_at, updated_at) "
                 "VALUES (?, 1, 'confirmed', ?, 0, 0, ?, 0, 1, ?, ?)",
                 [(rng.randint(1, CUSTOMERS), day(), rng.randint(1_000, 5_000_000), now, now)
                  for _ in range(min(50_000, STOCK_OUTS - start))])
        for start in range(0, RECEIPTS, 50_000):
            many("INSERT INTO receipts (customer_id, status, received_on, currency, amount, rate, amount_cny, fee, "
                 "version, created_at, updated_at) VALUES (?, 'confirmed', ?, 'CNY', ?, 1000000, ?, 0, 1, ?, ?)",
                 [(rng.randint(1, CUSTOMERS), day(), a, a, now, now)
                  for a in (rng.randint(1_000, 4_000_000) for _ in range(min(50_000, RECEIPTS - start)))])
    return admin, Actor(100, "sp0", "业务员0", "salesperson")


def _filled(engine) -> bool:
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM sales_orders").scalar() > 0


def _time(fn, runs: int = 5) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def main() -> None:
    os.environ.setdefault("CRM_HOME", tempfile.mkdtemp(prefix="crm-bench-home-"))
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    url = args[0] if args else None
    engine = _engine(url, "--reuse" in sys.argv)
    from crm_tui.core.actor import SYSTEM, Actor
    from crm_tui.db.session import read_session, transaction
    from crm_tui.services.sales.receivables import receivables, totals
    from crm_tui.services.stock import warehouses as stock_warehouses

    t = time.perf_counter()
    if _filled(engine):
        admin, seller = SYSTEM, Actor(100, "sp0", "业务员0", "salesperson")
        print(f"{engine.dialect.name}: reusing {engine.url.database}")
    else:
        with transaction(engine, SYSTEM) as s:  # the warehouse the stock-outs name
            stock_warehouses.add_warehouse(s, SYSTEM, "WH1", "主仓")
        admin, seller = _fill(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        print(f"{engine.dialect.name}: {CUSTOMERS:,} customers, {ORDERS:,} orders, {STOCK_OUTS:,} stock-outs, "
              f"{RECEIPTS:,} receipts written in {time.perf_counter() - t:.1f} s ({engine.url.database})")
    for who, actor in (("administrator (all customers)", admin), ("salesperson (2,000 customers)", seller)):
        for basis in ("orders", "stock_outs"):
            def run(actor=actor, basis=basis):
                with read_session(engine, actor) as s:
                    return receivables(s, actor, AS_OF, basis=basis)

            seconds, rows = _time(run)
            t_all = totals(rows)
            print(f"  receivables + aging, {basis:10} basis, {who:30}: {seconds * 1000:7.0f} ms  "
                  f"({len(rows):,} customers, balance {t_all.balance:,.2f}, >90 days {t_all.aging[3]:,.2f})")
    engine.dispose()
    if engine.dialect.name == "postgresql" and "--keep" not in sys.argv:
        from sqlalchemy import create_engine, text

        admin_engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin_engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS crm_bench CASCADE"))
        admin_engine.dispose()


if __name__ == "__main__":
    main()
