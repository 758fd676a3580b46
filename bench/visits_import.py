"""Benchmark: import of a 200,000-row upload export (xlsx) into the visit log.

    PYTHONPATH=$PWD python bench/visits_import.py [--rows 200000] [--db URL] [--csv]

Writes the export (not timed), then measures ``import_uploads`` end to end in one transaction: reading with
calamine, checking every cell, looking up staff and customers, the frozen-day check and the Core bulk insert;
then the same file again (every row already known). Aim: < 10 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def write_export(path: Path, rows: int, staff: list[str], codes: list[str], seed: int = 3) -> None:
    rng = random.Random(seed)
    headers = ["业务员", "上传时间", "客户编号", "客户名称", "地址", "照片数", "类型", "备注"]
    start = datetime(2027, 3, 1, 7, 0)
    per_person = rows // len(staff)
    gap = (31 * 86400) // per_person

    def body():
        for number in staff:
            t = start
            for _ in range(per_person):
                t += timedelta(seconds=rng.randint(gap // 2, gap * 3 // 2))
                code = rng.choice(codes)
                kind = "拜访" if rng.random() > 0.02 else "新客户(终端)开发"
                yield [number, t, code, f"客户{code[1:]}", "山东省临沂市兰山区", 2, kind,
                       "新开 福满楼 13905391234" if kind != "拜访" else None]

    if path.suffix == ".csv":
        import csv

        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(headers)
            for r in body():
                w.writerow([r[0], r[1].strftime("%Y-%m-%d %H:%M:%S"), *r[2:]])
        return
    from crm_tui.io.workbook import Column, Sheet, write_workbook

    columns = [Column(h) for h in headers]
    columns[1] = Column("上传时间", "datetime")
    columns[5] = Column("照片数", "integer")
    write_workbook(path, [Sheet("上传记录", columns, body())])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file); it is emptied")
    parser.add_argument("--csv", action="store_true", help="a CSV export instead of xlsx")
    args = parser.parse_args()

    from visits_common import fresh_database, make_company, peak_rss_mb

    from crm_tui.core.actor import SYSTEM
    from crm_tui.db.session import transaction
    from crm_tui.services.visits.policy import default_policy_path, load_policy
    from crm_tui.services.visits.upload_import import import_uploads

    engine, _url = fresh_database(args.db)
    ids, _owned, codes = make_company(engine)
    staff = [f"E{i:04d}" for i in range(len(ids))]
    folder = Path(tempfile.mkdtemp(prefix="crm-visits-bench-"))
    path = folder / ("export.csv" if args.csv else "export.xlsx")
    t0 = time.perf_counter()
    write_export(path, args.rows, staff, sorted(codes.values()))
    print(f"wrote {args.rows:,} rows to {path.name} ({path.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - t0:.1f} s")
    policy = load_policy(default_policy_path())
    for attempt in ("first import", "re-import"):
        t0, c0 = time.perf_counter(), time.process_time()
        with transaction(engine, SYSTEM) as session:
            s = import_uploads(session, SYSTEM, path, policy=policy)
        print(f"{attempt}: {time.perf_counter() - t0:.2f} s ({time.process_time() - c0:.2f} s CPU; load average "
              f"{os.getloadavg()[0]:.1f}); {s.uploads_added:,} uploads added, {s.repeated:,} already known; "
              f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
