"""不能补签 (issue 19): an upload visited on another day than it was uploaded is void; one imported after its
week was published is void until the week is reopened, and the reopening is audited. Both engines."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from crm_tui.db.models.system import AuditEntry
from crm_tui.db.session import read_session, transaction
from crm_tui.services.visits.publish import month_tally, publish, reopen, week_period
from crm_tui.services.visits.upload_import import import_uploads

from .conftest import HEADERS, row, write_export

WITH_VISIT_TIME = [*HEADERS, "拜访时间"]


def _chu(engine, statistician) -> dict:
    with read_session(engine) as session:
        report = month_tally(session, statistician, "2027-03", as_of=date(2027, 3, 31))
    return next(p for p in report["people"] if p["staff"] == "褚洋")


def _day(person: dict, iso: str) -> dict:
    return next(d for d in person["days"] if d["date"] == iso)


def test_visit_and_upload_on_different_days_is_void(engine, company, statistician, tmp_path):
    rows = [row("褚洋", "2027-03-09 09:00") + ["2027-03-09 08:55"],    # same day: counts
            row("褚洋", "2027-03-09 09:10") + ["2027-03-08 17:00"],    # visited yesterday, uploaded today: void
            row("褚洋", "2027-03-09 09:20") + [None]]                  # no visit time given: counts
    with transaction(engine, statistician) as session:
        summary = import_uploads(session, statistician, write_export(tmp_path / "b.xlsx", rows, WITH_VISIT_TIME))
    assert (summary.uploads_added, summary.backdated) == (3, 1)
    chu = _chu(engine, statistician)
    # 9 March: 3 rows, 1 void → 2 counted, 1 void
    assert (_day(chu, "2027-03-09")["uploads"], _day(chu, "2027-03-09")["void"]) == (2, 1)
    assert [(v["time"], v["reasons"]) for v in chu["void"]] == [
        ("2027-03-09 09:10:00", ["visit and upload on different days"])]


def test_upload_imported_after_its_week_was_published_waits_for_reopening(engine, company, statistician, tmp_path):
    first = [row("褚洋", f"2027-03-09 {h}:00") for h in (9, 10, 11)]
    with transaction(engine, statistician) as session:
        import_uploads(session, statistician, write_export(tmp_path / "a.xlsx", first))
        publish(session, statistician, week_period("2027-W10"))
    # two more uploads on 9 March arrive after W10 (8–14 March) was published, one on 15 March (W11, open)
    later = [row("褚洋", "2027-03-09 14:00"), row("褚洋", "2027-03-09 15:00"), row("褚洋", "2027-03-15 09:00")]
    with transaction(engine, statistician) as session:
        summary = import_uploads(session, statistician, write_export(tmp_path / "b.xlsx", later))
    assert (summary.uploads_added, summary.late) == (3, 2)
    chu = _chu(engine, statistician)
    # 9 March: 3 counted (the first import), 2 void as late; 15 March: 1 counted
    assert (_day(chu, "2027-03-09")["uploads"], _day(chu, "2027-03-09")["void"]) == (3, 2)
    assert _day(chu, "2027-03-15")["uploads"] == 1
    assert {tuple(v["reasons"]) for v in chu["void"]} == {("imported after its week was published",)}

    with transaction(engine, statistician) as session:
        assert reopen(session, statistician, week_period("2027-W10"), "补录两条") == 2
    chu = _chu(engine, statistician)
    # reopened: 9 March has 3 + 2 = 5 counted uploads, no void
    assert (_day(chu, "2027-03-09")["uploads"], _day(chu, "2027-03-09")["void"]) == (5, 0)
    with read_session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reopen")).one()
    assert '"late_uploads_admitted": 2' in entry.changes and "补录两条" in entry.changes
