"""One clerk, no contention: statements and time per step of a sale (quote, order, confirm, ship).

    PYTHONPATH=.:bench python bench/clerk_profile.py DATABASE_URL [--sales 30] [--profile STEP]

The database (a PostgreSQL database whose name contains "load" or "bench", or a SQLite file) is emptied and
filled as the load bench fills it. Prints per step: the mean milliseconds, the statements per call and the
most frequent statements; ``--profile ship`` also prints the cProfile of that step's calls.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import re
import tempfile
import time
from collections import Counter, defaultdict

import clerk_mix


def fresh(url: str) -> str:
    from sqlalchemy import text

    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine

    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        if not re.search("load|bench", engine.url.database or ""):
            raise SystemExit(f"refusing to empty {engine.url.database!r}")
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate.upgrade(engine)
    engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--sales", type=int, default=30)
    parser.add_argument("--profile", choices=("quote", "order", "confirm", "ship"))
    args = parser.parse_args()
    os.environ["CRM_HOME"] = tempfile.mkdtemp(prefix="crm-profile-")
    from sqlalchemy import event

    from crm_tui.bootstrap import install_plugins
    from crm_tui.db.engine import make_engine
    from crm_tui.services.admin.login import log_in

    url = fresh(args.url)
    clerk_mix.prepare(url, 1)
    install_plugins()
    engine = make_engine(url)
    actor = log_in(engine, "clerk00", clerk_mix.PASSWORD)
    current: list[str] = []
    statements: dict[str, Counter] = defaultdict(Counter)

    @event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, params, context, executemany):  # noqa: ARG001
        if current:
            statements[current[0]][" ".join(statement.split())[:110]] += 1

    times: dict[str, list[float]] = defaultdict(list)
    profiler = cProfile.Profile()

    def timed(step, fn):
        current[:] = [step]
        if step == args.profile:
            profiler.enable()
        start = time.perf_counter()
        try:
            return fn()
        finally:
            times[step].append((time.perf_counter() - start) * 1000)
            profiler.disable()
            current.clear()

    sale = clerk_mix._actions(engine, actor, random.Random(5))["sale"]
    for _ in range(args.sales):
        sale(timed)
    for step in ("quote", "order", "confirm", "ship"):
        calls = len(times[step])
        total = sum(statements[step].values())
        print(f"{step:<8} mean {sum(times[step]) / calls:7.1f} ms  median {sorted(times[step])[calls // 2]:7.1f} ms  "
              f"{total / calls:5.1f} statements per call")
        for stmt, n in statements[step].most_common(8):
            print(f"    {n / calls:5.1f}  {stmt}")
    if args.profile:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    engine.dispose()


if __name__ == "__main__":
    main()
