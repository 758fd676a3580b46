"""Document numbers: masks, periods, and 100 concurrent takers (threads and processes)."""

import subprocess
import sys
import threading
from datetime import date

import pytest
from sqlalchemy import select

from crm_tui.core.errors import ValidationError
from crm_tui.db.models.system import Counter
from crm_tui.db.session import read_session, run_in_transaction, transaction
from crm_tui.services.common.numbering import render, take_number, validate_mask


def test_mask_rendering_and_periods(engine):
    with transaction(engine) as s:
        a = take_number(s, "quote", date(2026, 11, 3))
        b = take_number(s, "quote", date(2026, 11, 30))
        c = take_number(s, "quote", date(2026, 12, 1))
        d = take_number(s, "customer", date(2026, 12, 1))
    assert (a, b, c, d) == ("QT202611-0001", "QT202611-0002", "QT202612-0001", "K00001")
    assert render("X{yy}{mm}{dd}-{seq:3}", date(2027, 1, 5), 7) == "X270105-007"


@pytest.mark.parametrize("mask", ["QT{yyyy}", "QT{seq:4}{month}", "{seq"])
def test_bad_masks_are_refused(mask):
    with pytest.raises(ValidationError):
        validate_mask(mask)


def test_a_rolled_back_document_gives_its_number_back(engine):
    with pytest.raises(RuntimeError):
        with transaction(engine) as s:
            take_number(s, "quote", date(2026, 11, 3))
            raise RuntimeError("draft abandoned")
    with transaction(engine) as s:
        assert take_number(s, "quote", date(2026, 11, 3)) == "QT202611-0001"


def test_100_threads_get_100_distinct_gapless_numbers(engine):
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker():
        try:
            n = run_in_transaction(engine, lambda s: take_number(s, "sales_order", date(2026, 11, 27)))
            with lock:
                results.append(n)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [f"SO202611-{i:04d}" for i in range(1, 101)]


TAKER = """
import sys
from datetime import date
from crm_tui.db.engine import make_engine
from crm_tui.db.session import run_in_transaction
from crm_tui.services.common.numbering import take_number
engine = make_engine(sys.argv[1])
for _ in range(int(sys.argv[2])):
    print(run_in_transaction(engine, lambda s: take_number(s, "invoice", date(2026, 11, 27))), flush=True)
"""


def test_100_takers_in_4_processes(engine, db_url):
    procs = [subprocess.Popen([sys.executable, "-c", TAKER, db_url, "25"], stdout=subprocess.PIPE, text=True)
             for _ in range(4)]
    numbers = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        numbers += out.split()
    assert sorted(numbers) == [f"FP202611-{i:04d}" for i in range(1, 101)]
    with read_session(engine) as s:
        assert s.scalar(select(Counter.value).where(Counter.kind == "invoice")) == 100
