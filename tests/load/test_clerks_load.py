"""Twenty clerks for twenty seconds on PostgreSQL (bench/clerks_load.py's short variant): correctness only.

No error may reach a clerk (transient conflicts are retried), document numbers stay unique and without gaps,
and ``crm db check`` finds nothing. The figures are the bench's business, not this test's.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

ON_PG = os.environ.get("CRM_TEST_DATABASE", "").startswith("postgresql")

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import clerk_mix  # noqa: E402

pytestmark = pytest.mark.skipif(not ON_PG, reason="twenty clerks at once is the PostgreSQL server's job")

CLERKS = 20
SECONDS = 20


def test_twenty_clerks_make_no_error_and_no_gap(engine, db_url):
    clerk_mix.prepare(db_url, CLERKS)
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=clerk_mix.work,
                         args=(db_url, os.environ["CRM_HOME"], f"clerk{i:02d}", SECONDS, i, out))
             for i in range(CLERKS)]
    for p in procs:
        p.start()
    done, actions, errors = 0, Counter(), []
    while done < CLERKS:
        item = out.get(timeout=SECONDS + 240)
        if item is None:
            done += 1
            continue
        actions[item[0]] += 1
        if item[2] is not None:
            errors.append(item)
    for p in procs:
        p.join(timeout=60)
    assert errors == []
    assert actions["ship"] > 0 and actions["receipt"] > 0, actions  # every kind of work really happened
    assert clerk_mix.check(db_url) == []
