"""Benchmark: the month's tally over 1,000,000 uploads (200 staff, 20,000 customers, one month).

    PYTHONPATH=$PWD python bench/visits_tally.py [--rows 1000000] [--db URL]

Builds the data (not timed), then measures in a fresh process: the tally end to end as ``crm visits tally``
runs it (read through the covering index, the one-pass engine, the report), and the process's peak memory.
Aim: < 3 s, < 500 MB. Then the JSON as ``--format json`` streams it, which reads the void uploads' details.

Ten million uploads (aim < 30 s, < 1 GB): ``--rows 10000000 --staff 2000 --customers 200000``, the same
company ten times over. With the default 200 staff each would upload every 53 s on average and most rows
would be void (too soon): the report lists some 8 million void uploads with their details, made a chunk at
a time as they are read (the tally keeps them packed, about 50 bytes each).

The database is kept (its URL is printed): ``--measure URL`` measures it again without building.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def fast_build(cur) -> None:
    """Bench build only: no fsync, no rollback journal, a big page cache (the measure runs in a fresh process
    with the app's own settings)."""
    cur.execute("COMMIT")
    for pragma in ("PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF", "PRAGMA cache_size=-500000"):
        cur.execute(pragma)
    cur.execute("BEGIN")


def build(url: str | None, rows: int, staff: int, customers: int) -> str:
    from visits_common import fresh_database, make_company

    from crm_tui.services.visits.calendar import to_seconds
    from crm_tui.services.visits.customers import norm

    t0 = time.perf_counter()
    engine, url = fresh_database(url)
    ids, owned, codes = make_company(engine, staff, customers)
    rng = random.Random(11)
    start = to_seconds(datetime(2027, 3, 1, 0, 0))
    per_person = rows // staff
    mean_gap = (31 * 86400) // per_person
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    sql = (f"INSERT INTO visit_uploads (user_id, at, kind, customer_key, customer_code, customer_id, address, "
           f"has_address, photos, remarks_ok) VALUES ({', '.join([mark] * 10)})")
    with engine.begin() as conn:
        cur = conn.connection.cursor()
        if engine.dialect.name == "sqlite":
            fast_build(cur)
        for uid in ids:
            mine = owned[uid]
            t = start
            batch = []
            for _ in range(per_person):
                # gaps around the mean, some under five minutes (void), a few rows without address
                t += rng.randint(mean_gap // 2, mean_gap * 3 // 2)
                cid = rng.choice(mine) if rng.random() < 0.97 else rng.choice(list(codes))
                has_address = rng.random() > 0.01
                batch.append((uid, t, 1, norm(codes[cid]), codes[cid], cid, "临沂" if has_address else None,
                               has_address, 2, False))
            cur.executemany(sql, batch)
        cur.close()
    engine.dispose()
    print(f"built {rows:,} uploads, {staff} staff, {customers:,} customers in {time.perf_counter() - t0:.1f} s")
    return url


def measure(url: str) -> None:
    from visits_common import peak_rss_mb

    from crm_tui.core.actor import SYSTEM
    from crm_tui.db.engine import make_engine
    from crm_tui.db.session import read_session
    from crm_tui.services.visits.publish import month_tally

    engine = make_engine(url)
    base = peak_rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    with read_session(engine) as session:
        report = month_tally(session, SYSTEM, "2027-03", as_of=date(2027, 3, 31))   # the whole month
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    t = report["totals"]
    load = os.getloadavg()[0]
    print(f"tally 2027-03: {elapsed:.2f} s end to end ({cpu:.2f} s CPU; load average {load:.1f}); "
          f"peak RSS {peak_rss_mb():.0f} MB (process before the tally {base:.0f} MB)")
    print(f"  people {t['people']}, counted uploads {t['uploads']:,}, void {t['void_uploads']:,}, "
          f"total fine {t['total_fine']:,} 元")
    # --format json: the void uploads' details are read and written a chunk at a time (here to /dev/null)
    from contextlib import redirect_stdout

    from crm_tui.cli.common import echo_json_streamed

    t1, c1 = time.perf_counter(), time.process_time()
    with open(os.devnull, "w") as sink, redirect_stdout(sink):
        echo_json_streamed(report)
    print(f"  JSON of the report as --format json writes it: {time.perf_counter() - t1:.2f} s "
          f"({time.process_time() - c1:.2f} s CPU); peak RSS {peak_rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--staff", type=int, default=200)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file); it is emptied")
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    url = build(args.db, args.rows, args.staff, args.customers)
    print(f"database kept: {url}")
    subprocess.run([sys.executable, __file__, "--measure", url], check=True, env=dict(os.environ))


if __name__ == "__main__":
    main()
