"""The analyses over 20,000 customers and 500,000 order lines (aim: each under 1 s), SQLite and PostgreSQL.

    PYTHONPATH=. python bench/analysis.py [DATABASE_URL] [--keep] [--reuse] [--only NAME,NAME]

Without a URL it builds a SQLite file in a temporary folder (``sqlite:///FILE`` builds that file); with a
PostgreSQL URL it uses (and empties) that database's ``crm_bench_analysis`` schema (dropped at the end unless
``--keep``). ``--reuse`` times the data a ``--keep`` run left (schema or file) without building it again;
``--only`` times the named analyses alone (``funnel``: the dashboard's funnel part; ``funnel-report``: the
opportunities' whole funnel report). Customers come from bench/customers_data.py (片区, industries,
classifications, salespeople); 100,000 orders of 5 lines over 50 products and 800 days, 50,000 stock-outs of 2
lines with their cost, and 20,000 opportunities with 1-4 stage changes each, all written with plain executemany
(bulk data, not the services). Each figure is the best of 3 runs of the analysis as an administrator
(everything) and as a salesperson (a tenth of the customers).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

CUSTOMERS = 20_000
ORDERS = 100_000
LINES_PER_ORDER = 5  # 500,000 order lines
STOCK_OUTS = 50_000
PRODUCTS = 50
AS_OF = date(2026, 11, 27)
SCHEMA = "crm_bench_analysis"


def _engine(url: str | None, reuse: bool):
    from sqlalchemy import text

    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine

    if url and url.startswith("postgresql"):
        if not reuse:
            admin = make_engine(url)
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
            admin.dispose()
        sep = "&" if "?" in url else "?"
        url = f"{url}{sep}options=-csearch_path%3D{SCHEMA}"
    elif url and url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if not reuse and os.path.exists(path):
            os.remove(path)
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='crm-bench-')}/bench.db"
    engine = make_engine(url)
    migrate.upgrade(engine)
    return engine


def _fill(engine):
    from bench.customers_data import customers
    from crm_tui.core.actor import Actor
    from crm_tui.services.admin.database import initialize

    admin = initialize(engine, "admin", "admin-pass", "基准公司", "管理员")
    rng = random.Random(17)
    now = "2026-11-27 00:00:00"
    staff = [f"sp{i}" for i in range(10)]
    with engine.begin() as conn:
        cur = conn.connection.driver_connection.cursor()
        ph = "%s" if engine.dialect.name == "postgresql" else "?"

        def many(sql: str, rows: list[tuple]) -> None:
            cur.executemany(sql.replace("?", ph), rows)

        many("INSERT INTO users (id, login, display_name, role, active, version, created_at, updated_at) "
             "VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
             [(100 + i, f"sp{i}", f"业务员{i}", "salesperson", True, now, now) for i in range(10)])
        many("INSERT INTO customers (id, code, name, owner_id, area, industry, classification, source, status, "
             "created_on, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, 1, ?, ?)",
             [(c, f"K{c:06d}", row["name"], 100 + staff.index(row["owner"]), row["area"], row["industry"],
               row["classification"], rng.choice(["电话开发", "转介绍", "展会", None]),
               (AS_OF - timedelta(days=rng.randint(0, 900))).isoformat(), now, now)
              for c, row in enumerate(customers(CUSTOMERS, staff), start=1)])
        many("INSERT INTO products (id, code, name, category, tax_rate, safety_stock, active, version, created_at, "
             "updated_at) VALUES (?, ?, ?, ?, 130000, 0, ?, 1, ?, ?)",
             [(p, f"P{p:03d}", f"商品{p}", ["酒", "饮料", "粮油", "调料"][p % 4], True, now, now)
              for p in range(1, PRODUCTS + 1)])
        many("INSERT INTO warehouses (id, code, name, active, version, created_at, updated_at) "
             "VALUES (1, 'W1', '主仓', ?, 1, ?, ?)", [(True, now, now)])
        many("INSERT INTO stock_balances (warehouse_id, product_id, quantity, value, unit_cost) "
             "VALUES (1, ?, ?, ?, ?)", [(p, 1_000_000, 5_000_000, 50_000_000) for p in range(1, PRODUCTS + 1)])
        # a customer orders on a rhythm of its own, so reorder intervals mean something
        orders, lines = [], []
        line_id = 0
        for o in range(1, ORDERS + 1):
            c = rng.randint(1, CUSTOMERS)
            day = (AS_OF - timedelta(days=rng.randint(0, 800))).isoformat()
            gross = 0
            for n in range(1, LINES_PER_ORDER + 1):
                line_id += 1
                p, q = rng.randint(1, PRODUCTS), rng.randint(1, 20)
                price = 10_000 + p * 100 + rng.randint(-500, 500)  # fen
                amount = q * price
                gross += amount
                lines.append((line_id, o, n, p, q * 10_000, price * 10_000, 130000, price * 10_000,
                              price * 10_000, amount, 0, amount))
            orders.append((o, c, 100 + (c % 10), "confirmed" if rng.random() < 0.9 else "done", day, gross, gross))
        many("INSERT INTO sales_orders (id, customer_id, owner_id, status, order_date, net_total, tax_total, "
             "gross_total, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, 1, '" + now + "', '"
             + now + "')", orders)
        for start in range(0, len(lines), 100_000):
            many("INSERT INTO sales_order_lines (id, order_id, line_no, product_id, quantity, entered_price, tax_rate, "
                 "net_price, gross_price, net_amount, tax_amount, gross_amount, price_basis, discount, "
                 "shipped_quantity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'net', 0, 0)",
                 lines[start:start + 100_000])
        outs, out_lines = [], []
        for s in range(1, STOCK_OUTS + 1):
            o = rng.randint(1, ORDERS)
            c, day = orders[o - 1][1], orders[o - 1][4]
            for n in (1, 2):
                lid = (o - 1) * LINES_PER_ORDER + n
                ln = lines[lid - 1]
                cost = ln[9] * rng.randint(60, 95) // 100
                out_lines.append((s, n, lid, ln[3], ln[4], ln[9], ln[9], cost))
            outs.append((s, c, day))
        many("INSERT INTO sales_stock_outs (id, customer_id, warehouse_id, status, out_date, net_total, tax_total, "
             "gross_total, cost_total, version, created_at, updated_at) VALUES (?, ?, 1, 'confirmed', ?, 0, 0, 0, 0, "
             "1, '" + now + "', '" + now + "')", outs)
        many("INSERT INTO sales_stock_out_lines (stock_out_id, line_no, order_line_id, product_id, warehouse_id, "
             "quantity, net_amount, tax_amount, gross_amount, cost_amount) VALUES (?, ?, ?, ?, 1, ?, ?, 0, ?, ?)",
             out_lines)
        many("INSERT INTO sales_targets (user_id, month, amount, version, created_at, updated_at) "
             "VALUES (?, ?, ?, 1, ?, ?)", [(100 + i, "2026-11", 50_000_000, now, now) for i in range(10)])
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("users", "customers", "products"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
    return admin, Actor(100, "sp0", "业务员0", "salesperson")


def _actors(engine):
    """The administrator and salesperson of a kept bench database."""
    from crm_tui.core.actor import Actor

    with engine.connect() as conn:
        uid, login, name = conn.exec_driver_sql(
            "SELECT id, login, display_name FROM users WHERE role = 'administrator' ORDER BY id").first()
    return Actor(uid, login, name, "administrator"), Actor(100, "sp0", "业务员0", "salesperson")


OPPORTUNITIES = 20_000


def _fill_opportunities(engine) -> None:
    """Opportunities over the customers, closing (or expected to close) around the benched months, each with the
    stage changes that brought it where it stands (stages 1-4 open, 5 won, 6 lost as the migration seeds them)."""
    with engine.connect() as conn:
        if conn.exec_driver_sql("SELECT count(*) FROM opportunities").scalar():
            return
    rng = random.Random(23)
    now = "2026-11-27 00:00:00"
    opps, changes = [], []
    for o in range(1, OPPORTUNITIES + 1):
        c = rng.randint(1, CUSTOMERS)
        stage = rng.choice([1, 1, 2, 2, 3, 4, 5, 6])
        day = AS_OF + timedelta(days=rng.randint(-200, 120))
        closed = day.isoformat() if stage >= 5 else None
        opps.append((o, f"O{o:06d}", f"机会{o}", c, 100 + (c % 10), rng.choice(["展会", "电话", "网站", None]),
                     stage, rng.randint(1_000, 500_000) * 10_000, None if closed else day.isoformat(), closed,
                     "价格" if stage == 6 else None))
        path = list(range(1, min(stage, 4) + 1)) + ([stage] if stage >= 5 else [])
        start = datetime(2026, 1, 1) + timedelta(hours=rng.randint(0, 7000))
        for i, to in enumerate(path):
            changes.append((o, path[i - 1] if i else None, to, (start + timedelta(days=9 * i)).isoformat(" ")))
    with engine.begin() as conn:
        cur = conn.connection.driver_connection.cursor()
        ph = "%s" if engine.dialect.name == "postgresql" else "?"
        cur.executemany(("INSERT INTO opportunities (id, number, title, customer_id, owner_id, source, stage_id, "
                         "stage_since, expected_amount, expected_close, closed_on, lost_reason, version, created_at, "
                         f"updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '{now}', ?, ?, ?, ?, 1, '{now}', '{now}')"
                         ).replace("?", ph), opps)
        cur.executemany(("INSERT INTO opportunity_stage_changes (opportunity_id, from_stage_id, to_stage_id, "
                         "changed_at) VALUES (?, ?, ?, ?)").replace("?", ph), changes)
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('opportunities', 'id'), "
                                 "(SELECT max(id) FROM opportunities))")


def _time(fn, runs: int = 3):
    """Best wall time and best processor time of this process (on SQLite the database work runs in it, so the
    processor time is what the analysis costs when the machine's two cores are shared with other work)."""
    best, cpu, result = float("inf"), float("inf"), None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        best, cpu = min(best, time.perf_counter() - t), min(cpu, time.process_time() - c)
    return best, cpu, result


def main() -> None:
    os.environ.setdefault("CRM_HOME", tempfile.mkdtemp(prefix="crm-bench-home-"))
    argv = sys.argv[1:]
    only = None
    if "--only" in argv:
        at = argv.index("--only")
        only = set(argv[at + 1].split(","))
        del argv[at:at + 2]
    args = [a for a in argv if not a.startswith("--")]
    url = args[0] if args else None
    reuse = "--reuse" in argv
    engine = _engine(url, reuse)
    from crm_tui.core import clock
    from crm_tui.db.session import read_session
    from crm_tui.services.analysis.registry import ANALYSES

    t = time.perf_counter()
    admin, seller = _actors(engine) if reuse else _fill(engine)
    _fill_opportunities(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    print(f"{engine.dialect.name}: {CUSTOMERS:,} customers, {ORDERS:,} orders, {ORDERS * LINES_PER_ORDER:,} order "
          f"lines, {STOCK_OUTS:,} stock-outs, {OPPORTUNITIES:,} opportunities "
          f"{'kept' if reuse else 'written'} ({time.perf_counter() - t:.1f} s)")
    month = (date(2026, 11, 1), date(2026, 11, 30))
    with clock.frozen(AS_OF):
        for analysis in [*ANALYSES, *FUNNELS]:
            if only is not None and analysis.name not in only:
                continue
            figures = []
            for actor in (admin, seller):
                def run(actor=actor, analysis=analysis):
                    with read_session(engine, actor) as s:
                        return analysis.run(s, actor, *(month if analysis.name in MONTHLY else (None, None)))

                seconds, cpu, report = _time(run)
                figures.append(f"{seconds * 1000:5.0f} ms (cpu {cpu * 1000:4.0f}) {len(report.rows):>6,} rows")
            print(f"  {analysis.name:18} administrator {figures[0]}   salesperson {figures[1]}")
    engine.dispose()
    if engine.dialect.name == "postgresql" and "--keep" not in sys.argv:
        from sqlalchemy import text

        from crm_tui.db.engine import make_engine

        admin_engine = make_engine(url)
        with admin_engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin_engine.dispose()


class _Funnel:
    """The dashboard's funnel part alone (the opportunities hook) over the month, or (``whole``) the
    opportunities area's funnel report over every opportunity, timed like an analysis."""

    def __init__(self, name: str, whole: bool = False):
        self.name, self.whole = name, whole

    def run(self, session, actor, date_from, date_to):
        from types import SimpleNamespace

        from crm_tui.services.analysis import hooks
        from crm_tui.services.analysis.common import Period
        from crm_tui.services.opportunities.funnel import funnel

        if self.whole:
            return SimpleNamespace(rows=funnel(session, actor).stages)
        return SimpleNamespace(rows=hooks.call("funnel", session, actor, Period(date_from, date_to)) or [])


FUNNELS = [_Funnel("funnel"), _Funnel("funnel-report", whole=True)]

# the analyses run over November 2026; the others over their default windows up to the frozen day
MONTHLY = {"funnel", "dashboard", "prices", "by-region", "by-industry", "by-classification", "by-salesperson", "by-product",
           "profiling", "margin-customer", "margin-product", "targets", "prospecting", "promotion"}


if __name__ == "__main__":
    main()
