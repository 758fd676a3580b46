"""The void uploads kept packed by the tally and made into report rows when read read like plain lists."""

from __future__ import annotations

import copy
import json
import pickle

import pytest

from crm_tui.services.visits.report import CHUNK, month_report
from crm_tui.services.visits.tally import NO_ADDRESS, TOO_SOON, UNKNOWN_CUSTOMER

from .helpers import CANYIN, person_of, run, up


def _month(n: int):
    # one counted upload at 08:00, then n uploads 20 s apart: most are too soon; every third has no address,
    # every other names no customer
    rows = [up(CANYIN, "2027-03-01 08:00:00")]
    rows += [up(CANYIN, f"2027-03-01 {8 + (i + 1) // 180:02d}:{(i + 1) // 3 % 60:02d}:{(i + 1) % 3 * 20:02d}",
                101 if i % 2 else None, address=i % 3 != 0, ref=i) for i in range(n)]
    return run(rows)


def test_packed_voids_keep_rows_refs_and_reasons():
    pm = person_of(_month(5), CANYIN)
    assert len(pm.voids) == 5
    assert [v.ref for v in pm.voids] == [0, 1, 2, 3, 4]
    assert [v.customer for v in pm.voids[:2]] == [None, 101]
    assert pm.voids[1].reasons == (TOO_SOON,) and pm.voids[-1].reasons == (UNKNOWN_CUSTOMER, TOO_SOON)
    assert pm.voids[0].reasons == (UNKNOWN_CUSTOMER, NO_ADDRESS, TOO_SOON)


def test_report_void_rows_read_as_a_plain_list_across_chunks():
    report = month_report(_month(2 * CHUNK))
    person = next(p for p in report["people"] if p["staff"] == CANYIN.name)
    rows = person["void"]
    plain = json.loads(json.dumps(rows))
    assert len(rows) == person["void_uploads"] > CHUNK + 3 and isinstance(rows, list) and rows
    assert plain == rows and rows == plain and list(rows) == plain
    assert rows[0] == plain[0] and rows[-1] == plain[-1] and rows[CHUNK:CHUNK + 3] == plain[CHUNK:CHUNK + 3]
    assert rows[0]["customer"] == 0 and rows[0]["reasons"] == [UNKNOWN_CUSTOMER, NO_ADDRESS, TOO_SOON]
    assert type(copy.deepcopy(rows)) is list and pickle.loads(pickle.dumps(rows)) == plain
    assert json.loads(json.dumps(report))["people"] == json.loads(json.dumps(report["people"]))


def test_void_rows_refuse_changes():
    from crm_tui.services.visits.report import VoidRows

    rows = VoidRows([], lambda refs: [])
    for change in (lambda: rows.append({}), lambda: rows.sort(), lambda: rows.extend([{}]), rows.clear):
        with pytest.raises(TypeError):
            change()
