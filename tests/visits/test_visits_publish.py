"""Publishing weeks and months freezes them; reopening is explicit and audited; absences."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.system import AuditEntry
from crm_tui.db.models.visits import VisitAbsence, VisitPublication
from crm_tui.db.session import read_session, transaction
from crm_tui.services.visits.absences import add_absence, cancel_absence, list_absences, parse_day
from crm_tui.services.visits.publish import (
    list_publications,
    month_period,
    month_tally,
    publish,
    reopen,
    week_period,
    week_tally,
)
from crm_tui.services.visits.upload_import import import_uploads

from .conftest import row, write_export

WEEK_ROWS = [row("褚洋", f"2027-03-{d:02d} {h:02d}:00") for d in (8, 9, 10) for h in (9, 10, 11)]


@pytest.fixture
def loaded(engine, company, statistician, tmp_path):
    path = write_export(tmp_path / "w10.xlsx", WEEK_ROWS)
    with transaction(engine, statistician) as session:
        import_uploads(session, statistician, path)
    return path


def _publish(engine, actor, period, policy=None):
    with transaction(engine, actor) as session:
        return publish(session, actor, period, policy)


def test_publish_week_freezes_its_figures(engine, loaded, statistician, tmp_path):
    report = _publish(engine, statistician, week_period("2027-W10"))
    assert report["published"] and report["week"] == "2027-W10" and report["month"] == "2027-03"
    chu = next(p for p in report["people"] if p["staff"] == "褚洋")
    assert (chu["uploads"], chu["working_days"], chu["quota"], len(chu["days"])) == (9, 6, 48, 7)
    assert chu["fines"] == 6 * 100          # 3 of 8 each day on three days, nothing on three more
    assert {d["department"] for d in report["departments"]} >= {"餐饮部", "商团部"}
    with read_session(engine) as session:
        pub = session.scalars(select(VisitPublication)).one()
        assert (pub.period_kind, pub.period, pub.status) == ("week", "2027-W10", "published")
        assert (pub.first_day, pub.last_day) == (date(2027, 3, 8), date(2027, 3, 14))
        assert json.loads(pub.result)["totals"] == report["totals"]
        assert week_tally(session, statistician, "2027-W10") == report

    # new rows on published days can be skipped
    late = write_export(tmp_path / "late.xlsx", [row("褚洋", "2027-03-09 15:00"), row("褚洋", "2027-03-15 09:00")])
    with transaction(engine, statistician) as session:
        summary = import_uploads(session, statistician, late, skip_frozen=True)
    assert (summary.skipped_frozen, summary.uploads_added) == (1, 1)
    # or kept but void as late (issue 19: only reopening lets them in); the frozen week does not move
    with transaction(engine, statistician) as session:
        summary = import_uploads(session, statistician, late)
    assert (summary.late, summary.uploads_added, summary.repeated) == (1, 1, 1)
    with read_session(engine) as session:
        assert week_tally(session, statistician, "2027-W10") == report
    # re-importing rows already known is fine: they add nothing
    with transaction(engine, statistician) as session:
        assert import_uploads(session, statistician, loaded).repeated == 9

    # an absence on a published day is refused
    with pytest.raises(StateError, match="2027-W10"), transaction(engine, statistician) as session:
        add_absence(session, statistician, "褚洋", date(2027, 3, 14), date(2027, 3, 16), "leave")
    with pytest.raises(StateError), transaction(engine, statistician) as session:
        add_absence(session, statistician, "褚洋", date(2027, 3, 1), date(2027, 3, 1), "flex")
    with pytest.raises(StateError, match="already published"):
        _publish(engine, statistician, week_period("2027-W10"))


def test_publish_month_freezes_the_tally_and_reopen_is_audited(engine, loaded, statistician, admin):
    published = _publish(engine, statistician, month_period("2027-03"))
    assert published["published"] is True
    with read_session(engine) as session:
        again = month_tally(session, statistician, "2027-03")
        assert again == published
        with pytest.raises(StateError, match="reopen"):
            month_tally(session, statistician, "2027-03", "/some/other/policy.toml")
    # changing the rules underneath (a customer changes owner) does not move a published month
    from crm_tui.db.models.customers import Customer

    with transaction(engine, admin) as session:
        session.scalars(select(Customer).where(Customer.code == "K0009")).one().owner_id = None
    with read_session(engine) as session:
        assert month_tally(session, statistician, "2027-03") == published

    with transaction(engine, statistician) as session:
        reopen(session, statistician, month_period("2027-03"), "客户转移后重新统计")
    with read_session(engine) as session:
        live = month_tally(session, statistician, "2027-03")
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "visit_publications",
                                                           AuditEntry.action == "reopen")).all()
        rows = list_publications(session)
    assert live["published"] is False
    chu_before = next(p for p in published["people"] if p["staff"] == "褚洋")
    chu_after = next(p for p in live["people"] if p["staff"] == "褚洋")
    assert chu_before["customers_in_charge"] == 2 and chu_after["customers_in_charge"] == 1
    assert len(entries) == 1 and entries[0].user_login == "shenyan" and "客户转移后重新统计" in entries[0].changes
    assert rows[0]["status"] == "reopened" and rows[0]["reason"] == "客户转移后重新统计"

    republished = _publish(engine, statistician, month_period("2027-03"))
    with read_session(engine) as session:
        pub = session.scalars(select(VisitPublication)).one()
    assert pub.times_published == 2 and pub.status == "published"
    assert republished["totals"]["customers_in_charge"] == live["totals"]["customers_in_charge"]
    with pytest.raises(StateError, match="not published"), transaction(engine, statistician) as session:
        reopen(session, statistician, week_period("2027-W11"))


def test_only_the_statistician_publishes_and_reopens(engine, loaded, company):
    salesperson = Actor(company.users["chuyang"], "chuyang", "褚洋", "salesperson")
    with pytest.raises(PermissionDenied):
        _publish(engine, salesperson, week_period("2027-W10"))


def test_absences(engine, company, statistician):
    with transaction(engine, statistician) as session:
        a = add_absence(session, statistician, "S011", date(2027, 3, 2), date(2027, 3, 3), "leave", "病假")
        f = add_absence(session, statistician, "褚洋", date(2027, 4, 10), date(2027, 5, 3), "flex")
    with read_session(engine) as session:
        flex = session.get(VisitAbsence, f)
        assert (flex.start_date, flex.end_date) == (date(2027, 4, 1), date(2027, 5, 31))   # whole months
        assert [r.id for r in list_absences(session, date(2027, 3, 1), date(2027, 3, 31))] == [a]
        report = month_tally(session, statistician, "2027-03")
    chu = next(p for p in report["people"] if p["staff"] == "褚洋")
    assert chu["working_days"] == 25
    with transaction(engine, statistician) as session:
        cancel_absence(session, statistician, a)
    with read_session(engine) as session:
        assert list_absences(session) == list_absences(session, include_cancelled=False)
        assert [r.id for r in list_absences(session)] == [f]
        assert next(p for p in month_tally(session, statistician, "2027-03")["people"]
                    if p["staff"] == "褚洋")["working_days"] == 27
    with pytest.raises(StateError), transaction(engine, statistician) as session:
        cancel_absence(session, statistician, a)
    with pytest.raises(NotFound), transaction(engine, statistician) as session:
        cancel_absence(session, statistician, 999)
    with pytest.raises(ValidationError, match="before"), transaction(engine, statistician) as session:
        add_absence(session, statistician, "褚洋", date(2027, 3, 3), date(2027, 3, 2), "leave")
    with pytest.raises(NotFound), transaction(engine, statistician) as session:
        add_absence(session, statistician, "无名氏", date(2027, 3, 3), date(2027, 3, 3), "leave")


def test_parse_day():
    assert parse_day("2027-03", "--from") == date(2027, 3, 1)
    assert parse_day("2027-02", "--to", end=True) == date(2027, 2, 28)
    assert parse_day("2027-03-05", "--to", end=True) == date(2027, 3, 5)
    with pytest.raises(ValidationError, match="--from"):
        parse_day("5 March", "--from")


def test_db_check_sees_a_published_week_changed_behind_its_back(engine, loaded, statistician, company):
    from sqlalchemy import insert

    from crm_tui.db.models.visits import VisitImport, VisitUpload
    from crm_tui.services.common.checks import run_checks

    _publish(engine, statistician, week_period("2027-W10"))
    assert {k: v for k, v in run_checks(engine).items() if "visit" in k} == {
        "published visit weeks and months are frozen": [], "visit publications hold a readable report": []}
    with transaction(engine, statistician) as s:   # what the import refuses, written directly
        batch = VisitImport(file_name="sneaky.xlsx")
        s.add(batch)
        s.flush()
        s.execute(insert(VisitUpload).values(user_id=company.users["chuyang"], at=_seconds("2027-03-09 20:00"), kind=1, customer_key="K0008",
                                             has_address=True, photos=2, remarks_ok=False, import_id=batch.id))
    problems = run_checks(engine)["published visit weeks and months are frozen"]
    assert problems == ["2027-W10: uploads imported after it was published"]


def _seconds(text: str) -> int:
    from datetime import datetime

    from crm_tui.services.visits.calendar import to_seconds

    return to_seconds(datetime.fromisoformat(text))
