"""Search, filter and list over 1,000,000 customers: the time from a keystroke to the first page.

    PYTHONPATH=. python bench/customers_search.py [COUNT] [--rebuild] [--pg URL]

The database (bench/out/customers_<COUNT>.db) is built once through the import's bulk writer (so the search
index is the product's) and kept for later runs. Each figure is what the list screen waits for after a
keystroke: ``customer_search.list_page`` (50 rows, with primary contacts and owners), then ``count`` (shown
a moment later), as an administrator, a manager (20 people) and a salesperson (5,000 own customers).
Medians of 5 runs after one cold run; the cold run is shown too.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("CRM_HOME", tempfile.mkdtemp(prefix="crm-bench-"))
OUT = Path(__file__).resolve().parent / "out"
MANAGERS, PER_MANAGER = 10, 20


def build(url: str, count: int) -> None:
    from customers_data import customers

    from crm_tui.db import search
    from crm_tui.db.models.customers import Customer
    from crm_tui.db.session import transaction
    from crm_tui.io.importing import ParsedRow
    from crm_tui.services.admin import users
    from crm_tui.services.admin.database import initialize, open_database
    from crm_tui.services.customers.import_plan import ImportPlan, RowPlan
    from crm_tui.services.customers.imports_write import write_plan

    engine = open_database(url)
    admin = initialize(engine, "admin", "bench-pass-1")
    staff: dict[str, int] = {}
    with transaction(engine, admin) as s:
        for m in range(MANAGERS):
            boss = users.add_user(s, admin, f"m{m}", f"经理{m}", "manager", None, staff_number=f"M{m:02d}")
            for p in range(PER_MANAGER):
                number = f"S{m:02d}{p:02d}"
                staff[number] = users.add_user(s, admin, number.lower(), f"业务员{number}", "salesperson", None,
                                               staff_number=number, supervisor_id=boss)
    start, chunk, rows = time.perf_counter(), 100_000, []
    numbers = list(staff)
    for i, c in enumerate(customers(count, numbers), 1):
        values = {k: v for k, v in c.items() if k != "owner"}
        values["code"] = f"K{i:07d}"
        rows.append(RowPlan(ParsedRow("bench", i, values, ()), "create", None, staff[c["owner"]], True))
        if len(rows) == chunk or i == count:
            with transaction(engine, admin) as s:
                write_plan(s, admin, ImportPlan(None, "error", rows), "bench")
            print(f"  built {i:,} customers in {time.perf_counter() - start:.0f} s", flush=True)
            rows = []
            if hasattr(search, "catch_up"):  # (the bench also runs on older code)
                search.catch_up(engine)
    with transaction(engine, admin) as s:
        assert s.query(Customer).count() == count
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("INSERT INTO customer_fts(customer_fts) VALUES ('optimize')")
            conn.exec_driver_sql("INSERT INTO customer_grams(customer_grams) VALUES ('optimize')")
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    else:  # the import analyses after each large batch; once more over the whole table. VACUUM also moves the
        # GIN indexes' pending lists into the index proper: left there, 华联 took 0.96 s instead of 29 ms (100,000)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def timed(fn, runs: int = 5) -> tuple[float, float]:
    t = time.perf_counter()
    fn()
    cold = time.perf_counter() - t
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return cold * 1000, statistics.median(times) * 1000


def measure(url: str) -> None:
    from crm_tui.core.actor import Actor
    from crm_tui.db.models.people import User
    from crm_tui.db.session import read_session
    from crm_tui.services.admin.database import open_database
    from crm_tui.services.customers.search import CustomerFilter, count, list_page

    engine = open_database(url)
    with read_session(engine) as s:
        actors = {
            "admin": Actor.from_user(s.query(User).filter_by(login="admin").one()),
            "manager": Actor.from_user(s.query(User).filter_by(login="m3").one()),
            "salesperson": Actor.from_user(s.query(User).filter_by(login="s0307").one()),
        }
    cases = [
        ("first page, no filter", CustomerFilter(), "code"),
        ("first page sorted by name (pinyin)", CustomerFilter(), "name"),
        ("1 char  华", CustomerFilter(text="华"), "code"),
        ("2 chars 华联", CustomerFilter(text="华联"), "code"),
        ("2 chars 深圳 sorted by name", CustomerFilter(text="深圳"), "name"),
        ("3 chars 华联超", CustomerFilter(text="华联超"), "code"),
        ("4 chars 临沂华联", CustomerFilter(text="临沂华联"), "code"),
        ("initials lyhl", CustomerFilter(text="lyhl"), "code"),
        ("full pinyin linyihualian", CustomerFilter(text="linyihualian"), "code"),
        ("contact 张建国", CustomerFilter(text="张建国"), "code"),
        ("phone digits 13812", CustomerFilter(text="13812"), "code"),
        ("rare: 单县鲁南饭庄", CustomerFilter(text="单县鲁南饭庄"), "code"),
        ("filter area=河东片区", CustomerFilter(area="河东片区"), "code"),
        ("filter classification=县城 + 华联", CustomerFilter(classification="县城", text="华联"), "code"),
    ]
    print(f"{'case':42} {'who':12} {'page ms':>9} {'(cold)':>8} {'count ms':>9} {'rows':>9}")
    with read_session(engine) as s:
        for label, f, sort in cases:
            for who, actor in actors.items():
                cold, page = timed(lambda a=actor, f=f, o=sort: list_page(s, a, f, sort=o, limit=50))
                _c, counting = timed(lambda a=actor, f=f: count(s, a, f), runs=2)
                n = count(s, actor, f)
                print(f"{label:42} {who:12} {page:9.1f} {cold:8.1f} {counting:9.1f} {n:9,}")
        admin = actors["admin"]
        _c, deep = timed(lambda: list_page(s, admin, CustomerFilter(), offset=500_000, limit=50), runs=2)
        print(f"{'page at offset 500,000 (scrollbar jump)':42} {'admin':12} {deep:9.1f}")
        for sort in ("code", "name"):  # scrolling down: the table asks for the rows after its last (keyset)
            last = list_page(s, admin, CustomerFilter(), sort=sort, offset=499_950, limit=50)[-1].id
            _c, keyed = timed(lambda o=sort, a=last: list_page(s, admin, CustomerFilter(), sort=o, offset=500_000,
                                                               limit=50, after=a))
            print(f"{'next page at 500,000 by ' + sort + ' (keyset)':42} {'admin':12} {keyed:9.1f}")
        name_pages(s, actors)
    engine.dispose()


def name_pages(s, actors: dict) -> None:
    """深圳 sorted by name: the next pages, and the plain query (no customer_sort keys) in the same run."""
    from crm_tui.services.customers import search as customer_search
    from crm_tui.services.customers.search import CustomerFilter, list_page

    f = CustomerFilter(text="深圳")
    for label, offset in (("深圳 by name, page 2 (offset 50)", 50), ("深圳 by name, page 20 (offset 950)", 950)):
        _c, page = timed(lambda o=offset: list_page(s, actors["admin"], f, sort="name", offset=o, limit=50))
        print(f"{label:42} {'admin':12} {page:9.1f}")
    keep = customer_search.NAME_KEY_FROM
    customer_search.NAME_KEY_FROM = 10**12
    try:
        for who, actor in actors.items():
            _c, page = timed(lambda a=actor: list_page(s, a, f, sort="name", limit=50))
            print(f"{'深圳 by name, plain query (old path)':42} {who:12} {page:9.1f}")
    finally:
        customer_search.NAME_KEY_FROM = keep


def startup(url: str) -> None:
    """A fresh process: open the database and show the first page, as the app does at start."""
    code = (
        "import time; t=time.perf_counter()\n"
        "from crm_tui.services.admin.database import open_database\n"
        "from crm_tui.db.session import read_session\n"
        "from crm_tui.core.actor import Actor\n"
        "from crm_tui.services.customers.search import CustomerFilter, list_page, count\n"
        f"e = open_database({url!r})\n"
        "a = Actor(1, 'admin', 'admin', 'administrator')\n"
        "with read_session(e) as s:\n"
        "    rows = list_page(s, a, CustomerFilter(), limit=50); n = count(s, a, CustomerFilter())\n"
        "print(f'{(time.perf_counter()-t)*1000:.0f} ms to the first page of {n:,} customers ({len(rows)} rows)')\n"
    )
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ)
    print(f"start-up (new process, imports, open, first page, count): {out.stdout.strip() or out.stderr[-300:]}; "
          f"process total {(time.perf_counter() - t) * 1000:.0f} ms")


def main() -> None:
    args = sys.argv[1:]
    pg = None
    if "--pg" in args:
        pg = args[args.index("--pg") + 1]
        del args[args.index("--pg"):args.index("--pg") + 2]
    rebuild = "--rebuild" in args
    args = [a for a in args if a != "--rebuild"]
    count = int(args[0]) if args else 1_000_000
    if pg:
        url = pg
        if rebuild:
            build(url, count)
    else:
        OUT.mkdir(exist_ok=True)
        path = OUT / f"customers_{count}.db"
        url = f"sqlite:///{path}"
        if rebuild or not path.exists():
            for p in OUT.glob(f"customers_{count}.db*"):
                p.unlink()
            print(f"building {count:,} customers into {path} …")
            build(url, count)
        print(f"database: {sum(p.stat().st_size for p in OUT.glob(f'customers_{count}.db*')) / 2**20:,.0f} MB")
    measure(url)
    startup(url)
    print(f"load average: {os.getloadavg()[0]:.1f} (2 cores shared with other work)")


if __name__ == "__main__":
    main()
