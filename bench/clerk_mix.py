"""A clerk's day as a mix of actions, for the load bench (bench/clerks_load.py) and its short test.

``prepare(url, clerks)`` fills an empty, migrated database with an administrator, ``clerks`` clerk users,
customers, products and stock. ``work(url, crm_home, login, seconds, seed, out)`` is one clerk: it repeats the mix
for ``seconds`` and puts one ``(action, milliseconds, error, statements, finished_at)`` tuple per action on ``out``
(a queue), then ``None``. ``think``: the clerk's mean pause before each action and each step of a sale (reading
the screen, typing), uniform between 0 and twice that, not timed; 0 is a clerk who never pauses (saturation).
``start``: a barrier every clerk waits at once logged in, so that no clerk's clock runs while others still import.
Each write runs in ``run_in_transaction`` (retried whole on a transient conflict, as the app does); an error
is what would reach the user after the retries. ``check(url)`` says what is wrong with the data at the end:
duplicate or missing document numbers and what ``crm db check`` finds.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections import defaultdict
from decimal import Decimal as D

CUSTOMERS = 600
PRODUCTS = 40
PASSWORD = "load-1234"
AREAS = ("兰山区", "罗庄区", "河东区", "沂南县", "郯城县", "深圳南山", "深圳福田")
WORDS = ("华夏", "商贸", "超市", "酒店", "百货", "便利", "食品", "粮油", "深圳", "临沂")
MIX = (("search", 30), ("open_customer", 20), ("contact_log", 15), ("sale", 15), ("receipt", 10),
       ("receivables", 10))
# what the report lists: a sale is four figures (quote, order, confirm, ship)
ACTIONS = ("search", "open_customer", "contact_log", "quote", "order", "confirm", "ship", "receipt", "receivables")


def prepare(url: str, clerks: int) -> None:
    from crm_tui.db.engine import make_engine
    from crm_tui.db.session import transaction
    from crm_tui.services.admin import users
    from crm_tui.services.admin.database import initialize
    from crm_tui.services.customers import records
    from crm_tui.services.stock import documents, products, warehouses
    from crm_tui.services.stock.documents import LineInput

    engine = make_engine(url)
    admin = initialize(engine, "admin", "admin-pass", "负载测试公司", "管理员")
    rng = random.Random(1)
    with transaction(engine, admin) as s:
        for i in range(clerks):
            users.add_user(s, admin, f"clerk{i:02d}", f"内勤{i:02d}", "clerk", PASSWORD)
        wh = warehouses.add_warehouse(s, admin, "WH1", "主仓")
        pids = [products.add_product(s, admin, code=f"P{i:03d}", name=f"{rng.choice(WORDS)}商品{i}", unit="箱",
                                     sale_price_gross=D(rng.randrange(1000, 20000)) / 100,
                                     purchase_price=D(rng.randrange(500, 900)) / 100)
                for i in range(PRODUCTS)]
        doc = documents.create_document(s, admin, "stock_in", wh, lines=[
            LineInput(p, D(1_000_000), unit_cost=D("5")) for p in pids])
        documents.confirm(s, admin, doc)
        for i in range(CUSTOMERS):
            records.create_customer(s, admin, code=f"K{i:05d}",
                                    name=f"{rng.choice(AREAS)}{rng.choice(WORDS)}{rng.choice(WORDS)}{i}号店",
                                    address=rng.choice(AREAS))
    engine.dispose()


def _actions(engine, actor, rng):
    from crm_tui.db.session import read_session, run_in_transaction
    from crm_tui.services.customers import contact_logs, records
    from crm_tui.services.customers.search import CustomerFilter, list_page
    from crm_tui.services.sales import orders, quotes, receipts, stock_outs
    from crm_tui.services.sales.pricing import LineInput
    from crm_tui.services.sales.receivables import receivables

    with read_session(engine, actor) as s:
        from sqlalchemy import select

        from crm_tui.db.models.customers import Customer
        from crm_tui.db.models.products import Product
        from crm_tui.db.models.stock import Warehouse

        customer_ids = list(s.scalars(select(Customer.id)))
        product_ids = list(s.scalars(select(Product.id)))
        warehouse_id = s.scalar(select(Warehouse.id))

    def search():
        with read_session(engine, actor) as s:
            list_page(s, actor, CustomerFilter(text=rng.choice(WORDS + AREAS)), sort="name", limit=50)

    def open_customer():
        with read_session(engine, actor) as s:
            records.get_customer(s, actor, rng.choice(customer_ids))

    def contact_log():
        cid = rng.choice(customer_ids)
        run_in_transaction(engine, lambda s: contact_logs.add_log(s, actor, cid, "phone", "电话回访，客户要求下周补货"),
                           actor)

    def sale(timed):
        """A clerk's four steps, each its own transaction and its own figure."""
        cid = rng.choice(customer_ids)
        lines = [LineInput(p, rng.randrange(1, 20)) for p in rng.sample(product_ids, rng.randrange(1, 5))]
        qid = timed("quote", lambda: run_in_transaction(
            engine, lambda s: quotes.create_quote(s, actor, cid, lines), actor))
        oid = timed("order", lambda: run_in_transaction(engine, lambda s: quotes.quote_to_order(s, actor, qid), actor))
        timed("confirm", lambda: run_in_transaction(engine, lambda s: orders.confirm_order(s, actor, oid), actor))
        timed("ship", lambda: run_in_transaction(engine, lambda s: stock_outs.confirm_stock_out(
            s, actor, stock_outs.from_orders(s, actor, [oid], warehouse_id)), actor))

    def receipt():
        cid = rng.choice(customer_ids)
        amount = D(rng.randrange(100, 100000)) / 100
        run_in_transaction(engine, lambda s: receipts.record_receipt(s, actor, cid, amount, method="转账"), actor)

    def receivables_report():
        with read_session(engine, actor) as s:
            receivables(s, actor)

    return {"search": search, "open_customer": open_customer, "contact_log": contact_log, "sale": sale,
            "receipt": receipt, "receivables": receivables_report}


def work(url: str, crm_home: str, login: str, seconds: float, seed: int, out, think: float = 0.0,
         start=None) -> None:
    os.environ["CRM_HOME"] = crm_home
    from sqlalchemy import event

    from crm_tui.bootstrap import install_plugins
    from crm_tui.db.engine import make_engine
    from crm_tui.services.admin.login import log_in

    install_plugins()
    engine = make_engine(url)
    statements = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def count(*_args):
        statements[0] += 1

    try:
        actor = log_in(engine, login, PASSWORD)
        rng = random.Random(seed)
        pauses = random.Random(seed + 10_000)  # its own stream: the same seed does the same work at any --think
        actions = _actions(engine, actor, rng)
        names = [name for name, weight in MIX for _ in range(weight)]
        if start is not None:  # warmed up (the process's statement cache, the server's plans), then together
            _warm_up(actions, _ErrorsOnly(out), statements)
            start.wait()

        def timed(step, fn):
            if think > 0:
                time.sleep(pauses.uniform(0, 2 * think))
            return _timed(out, step, fn, statements)

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            name = rng.choice(names)
            try:
                if name == "sale":
                    actions[name](timed)
                else:
                    timed(name, actions[name])
            except _Failed:
                pass  # recorded; the clerk goes on with the next thing
    finally:
        engine.dispose()
        out.put(None)


class _Failed(Exception):
    pass


class _ErrorsOnly:
    """A queue that passes errors on and drops timings (the warm-up's times are not the bench's figures)."""

    def __init__(self, out):
        self.out = out

    def put(self, item) -> None:
        if item[2] is not None:
            self.out.put(item)


def _warm_up(actions, out, statements: list[int]) -> None:
    for name, action in actions.items():
        try:
            if name == "sale":
                action(lambda step, fn: _timed(out, step, fn, statements))
            else:
                _timed(out, name, action, statements)
        except _Failed:
            pass


def _timed(out, name: str, fn, statements: list[int]):
    """Run one action, put its time (and error, after the retries), statements and end on ``out``; a failure
    stops a sale."""
    start, before = time.perf_counter(), statements[0]
    try:
        result = fn()
    except Exception as exc:  # what the user would see after the retries
        out.put((name, (time.perf_counter() - start) * 1000, f"{type(exc).__name__}: {exc}"[:300],
                 statements[0] - before, time.time()))
        raise _Failed from exc
    out.put((name, (time.perf_counter() - start) * 1000, None, statements[0] - before, time.time()))
    return result


_NUMBER = re.compile(r"^(.*?)(\d+)$")


def check(url: str) -> list[str]:
    """What is wrong at the end: numbers taken twice or skipped per document kind and period, and db check."""
    from sqlalchemy import text

    from crm_tui.db.engine import make_engine
    from crm_tui.services.common.checks import run_checks

    engine = make_engine(url)
    problems: list[str] = []
    with engine.connect() as conn:
        for table in ("quotes", "sales_orders", "sales_stock_outs", "receipts"):
            numbers = [n for (n,) in conn.execute(text(f"SELECT number FROM {table} WHERE number IS NOT NULL"))]
            if len(numbers) != len(set(numbers)):
                problems.append(f"{table}: {len(numbers) - len(set(numbers))} numbers taken twice")
            series: dict[str, list[int]] = defaultdict(list)
            for n in numbers:
                m = _NUMBER.match(n)
                if m:
                    series[m.group(1)].append(int(m.group(2)))
            for prefix, seqs in series.items():
                seqs.sort()
                if seqs != list(range(seqs[0], seqs[0] + len(seqs))) or seqs[0] != 1:
                    problems.append(f"{table}: numbers {prefix}… have gaps ({len(seqs)} numbers, last {seqs[-1]})")
    problems += [f"db check: {name}: {found}" for name, found in run_checks(engine).items() if found]
    engine.dispose()
    return problems


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]
