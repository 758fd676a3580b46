"""One clerk, no contention: statements, client CPU and server CPU per action of the load bench's mix.

    PYTHONPATH=.:bench python bench/clerk_profile.py DATABASE_URL [--rounds 30] [--profile ACTION] [--top 8]

The database (a PostgreSQL database whose name contains "load" or "bench", or a SQLite file) is emptied and
filled as the load bench fills it. Each round runs every action of bench/clerk_mix.py once (a sale is its four
steps). Per action it prints the mean and median milliseconds, the statements per call, the client's CPU
(time.process_time) and, on a local PostgreSQL server, the server's CPU (the backends' utime+stime from /proc)
per call, then the most frequent statements; ``--profile ship`` also prints the cProfile of that action.
CPU is what twenty clerks queue for on two cores, so it is the figure to lower, not the quiet wall time.
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
from pathlib import Path

import clerk_mix

TICK = os.sysconf("SC_CLK_TCK")


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


def server_cpu(database: str | None) -> float:
    """Seconds of CPU used so far by the local PostgreSQL backends serving ``database`` (0 if not local)."""
    if not database:
        return 0.0
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f" {database} ".encode() not in (proc / "cmdline").read_bytes():
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--rounds", "--sales", type=int, default=30)
    parser.add_argument("--profile", choices=clerk_mix.ACTIONS)
    parser.add_argument("--top", type=int, default=8)
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
    database = engine.url.database if engine.dialect.name == "postgresql" else None
    actor = log_in(engine, "clerk00", clerk_mix.PASSWORD)
    current: list[str] = []
    statements: dict[str, Counter] = defaultdict(Counter)

    @event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, params, context, executemany):  # noqa: ARG001
        if current:
            statements[current[0]][" ".join(statement.split())[:110]] += 1

    times: dict[str, list[float]] = defaultdict(list)
    client: dict[str, float] = defaultdict(float)
    server: dict[str, float] = defaultdict(float)
    profiler = cProfile.Profile(time.process_time)  # CPU, what the clerks queue for

    def timed(step, fn):
        current[:] = [step]
        if step == args.profile:
            profiler.enable()
        srv = server_cpu(database)  # first: reading /proc is the profiler's CPU, not the action's
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return fn()
        finally:
            times[step].append((time.perf_counter() - start) * 1000)
            client[step] += time.process_time() - cpu
            server[step] += server_cpu(database) - srv
            profiler.disable()
            current.clear()

    actions = clerk_mix._actions(engine, actor, random.Random(5))
    for _ in range(args.rounds):
        for name, fn in actions.items():
            if name == "sale":
                fn(timed)
            else:
                timed(name, fn)
    print(f"{'action':<14}{'mean ms':>8}{'median':>8}{'stmts':>7}{'client ms':>10}{'server ms':>10}")
    for step in clerk_mix.ACTIONS:
        calls = len(times[step])
        total = sum(statements[step].values())
        print(f"{step:<14}{sum(times[step]) / calls:8.1f}{sorted(times[step])[calls // 2]:8.1f}{total / calls:7.1f}"
              f"{client[step] * 1000 / calls:10.1f}{server[step] * 1000 / calls:10.1f}")
        for stmt, n in statements[step].most_common(args.top):
            print(f"    {n / calls:5.1f}  {stmt}")
    if args.profile:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    engine.dispose()


if __name__ == "__main__":
    main()
