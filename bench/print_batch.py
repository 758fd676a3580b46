"""500 delivery notes (3–12 lines each) into one PDF: time, pages, and memory along the way.

    PYTHONPATH=. python bench/print_batch.py [COUNT]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("CRM_HOME", tempfile.mkdtemp(prefix="crm-bench-"))


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    from print_samples import document

    from crm_tui.services.printing.batch import print_batch

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    marks: list[tuple[int, float, float]] = []
    start = time.perf_counter()

    def notes():
        for i in range(count):  # made one at a time, as the database loader does
            yield document("delivery", 3 + i % 10, number=f"CK202611-{i + 1:04d}", seed=i)

    def progress(done: int, total: int | None) -> None:
        if done % (count // 5 or 1) == 0 or done == 1:
            marks.append((done, time.perf_counter() - start, rss_mb()))

    with tempfile.TemporaryDirectory() as folder:
        base = rss_mb()
        result = print_batch(notes(), Path(folder) / "delivery-notes.pdf", total=count, progress=progress)
        elapsed = time.perf_counter() - start
        size = result.path.stat().st_size
    print(f"{count} delivery notes -> one PDF: {elapsed:.2f} s ({elapsed / count * 1000:.1f} ms per note), "
          f"{result.pages} pages, {size / 2**20:.1f} MB")
    print(f"resident memory before: {base:.0f} MB")
    for done, at, rss in marks:
        print(f"  after {done:>4} notes: {at:6.2f} s, resident {rss:6.1f} MB")


if __name__ == "__main__":
    main()
