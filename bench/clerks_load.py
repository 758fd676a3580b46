"""Twenty clerks at once: p50/p95/p99 per action, errors, and whether the numbers and the data hold up.

    PYTHONPATH=.:bench python bench/clerks_load.py [DATABASE_URL] [--clerks 20] [--seconds 300] [--think 3]

Without a URL it uses PostgreSQL on 127.0.0.1:5432, database ``test``, in a ``crm_load`` schema it empties
first (and drops at the end). Each clerk is a process started with ``spawn`` that logs in and repeats a
clerk's mix (bench/clerk_mix.py: search, open a customer, write a contact log, quote → order → confirm →
ship, a receipt, the receivables report). Aims: p95 < 200 ms per action, no error reaching a user (retries on
transient conflicts allowed), document numbers unique and without gaps, ``crm db check`` clean.

``--think`` is a clerk's mean pause before each action and each step of a sale (uniform between 0 and twice it,
not timed). The default, 3 s, is a busy clerk: reading a result list and typing the next term or line takes a
few seconds at least, and a real quote or order takes a minute or more of typing. ``--think 0`` is twenty clerks
who never pause: two cores saturated, so each action's time is mostly its wait for a core (about ten times its
CPU). Report both. The clerks start together once all have logged in (spawned processes take seconds to import).
Per action it prints p50/p95/p99, errors and statements per call; then the throughput per tenth of the run and
the load average.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from collections import defaultdict

import clerk_mix

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def schema_url(url: str, schema: str) -> str:
    """A URL whose connections work in ``schema``, created empty."""
    from sqlalchemy import text

    from crm_tui.db.engine import make_engine

    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def drop_schema(url: str, schema: str) -> None:
    from sqlalchemy import text

    from crm_tui.db.engine import make_engine

    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


def run_load(url: str, clerks: int, seconds: float, crm_home: str, think: float) -> tuple[dict[str, list], float]:
    """Start the clerks, let them go together, collect every action until each has said it is done.
    Returns the actions by name and the moment they started."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    start = ctx.Barrier(clerks + 1)
    procs = [ctx.Process(target=clerk_mix.work,
                         args=(url, crm_home, f"clerk{i:02d}", seconds, 100 + i, out, think, start))
             for i in range(clerks)]
    for p in procs:
        p.start()
    start.wait(timeout=600)
    started = time.time()
    results: dict[str, list] = defaultdict(list)
    done = 0
    while done < clerks:
        item = out.get(timeout=seconds + 300)
        if item is None:
            done += 1
        else:
            results[item[0]].append(item[1:])
    for p in procs:
        p.join(timeout=60)
    return results, started


def report(results: dict[str, list], seconds: float, started: float) -> int:
    errors = 0
    print(f"{'action':<14}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'stmts':>7}")
    for name in clerk_mix.ACTIONS:
        rows = results.get(name, [])
        times = [ms for ms, err, *_ in rows if err is None] or [0.0]
        failed = [err for _, err, *_ in rows if err is not None]
        statements = sum(n for _, err, n, _ in rows if err is None) / max(len(rows) - len(failed), 1)
        errors += len(failed)
        print(f"{name:<14}{len(rows):>7}{clerk_mix.percentile(times, .5):>9.1f}"
              f"{clerk_mix.percentile(times, .95):>9.1f}{clerk_mix.percentile(times, .99):>9.1f}{len(failed):>8}"
              f"{statements:>7.1f}")
        for err in sorted(set(failed))[:3]:
            print(f"    {err}")
    total = sum(len(r) for r in results.values())
    print(f"{total} actions in {seconds:.0f} s ({total / seconds:.1f}/s), {errors} errors")
    tenth = seconds / 10
    windows = [0] * 10
    for rows in results.values():
        for *_, finished in rows:
            windows[min(9, max(0, int((finished - started) / tenth)))] += 1
    print(f"actions/s per {tenth:.0f} s: " + " ".join(f"{n / tenth:.0f}" for n in windows))
    return errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?", default=DEFAULT_URL)
    parser.add_argument("--clerks", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--think", type=float, default=3.0, help="a clerk's mean pause between actions (s)")
    args = parser.parse_args()
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine

    home = tempfile.mkdtemp(prefix="crm-load-")
    os.environ["CRM_HOME"] = home
    if args.url.startswith("postgresql"):
        url = schema_url(args.url, "crm_load")
    else:
        url = args.url
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    started = time.perf_counter()
    clerk_mix.prepare(url, args.clerks)
    print(f"prepared {clerk_mix.CUSTOMERS} customers, {clerk_mix.PRODUCTS} products, {args.clerks} clerks "
          f"in {time.perf_counter() - started:.1f} s")
    print(f"{args.clerks} clerks, {args.seconds:.0f} s, think {args.think:g} s; load average before "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    results, started = run_load(url, args.clerks, args.seconds, home, args.think)
    errors = report(results, args.seconds, started)
    print("load average after " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    problems = clerk_mix.check(url)
    print("data: " + ("clean (numbers unique and without gaps, db check clean)" if not problems else "; ".join(problems)))
    if args.url.startswith("postgresql"):
        drop_schema(args.url, "crm_load")
    sys.exit(1 if errors or problems else 0)


if __name__ == "__main__":
    main()
