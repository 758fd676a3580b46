"""Weekly plans (周计划/总结/建议, 批复), plan against actual, and outings (外出登记) with their contact logs."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.customers import ContactLog
from crm_tui.db.models.people import User
from crm_tui.db.session import read_session, transaction
from crm_tui.services.visits import outings, plans
from crm_tui.services.visits.upload_import import import_uploads

from .conftest import row, write_export


@pytest.fixture
def people(engine, company, admin):
    """孙伟 (salesperson) reports to 钱丽 (manager); 褚洋 is in another team."""
    from crm_tui.services.admin import users

    with transaction(engine, admin) as session:
        boss = users.add_user(session, admin, "qianli", "钱丽", "manager", None, staff_number="S002")
        session.get(User, company.users["sunwei"]).supervisor_id = boss
    return {"sun": Actor(company.users["sunwei"], "sunwei", "孙伟", "salesperson"),
            "qian": Actor(boss, "qianli", "钱丽", "manager"),
            "chu": Actor(company.users["chuyang"], "chuyang", "褚洋", "salesperson")}


def test_weekly_plan_submit_review_and_actuals(engine, people, statistician, tmp_path):
    sun, qian, chu = people["sun"], people["qian"], people["chu"]
    with transaction(engine, sun) as s:
        plans.set_plan_text(s, sun, "2027-W10", goals="拜访全部超市,推新品")
        plans.add_item(s, sun, "2027-W10", date(2027, 3, 8), "K0001", "陈列检查")
        plans.add_item(s, sun, "2027-W10", date(2027, 3, 9), "兰山区万家福超市", "送样品")   # by name
        plans.add_item(s, sun, "2027-W10", date(2027, 3, 10), "K0001")
    with pytest.raises(ValidationError, match="not in the week"), transaction(engine, sun) as s:
        plans.add_item(s, sun, "2027-W10", date(2027, 3, 15), "K0001")
    with pytest.raises(ValidationError, match="already planned"), transaction(engine, sun) as s:
        plans.add_item(s, sun, "2027-W10", date(2027, 3, 8), "K0001")
    with pytest.raises(NotFound, match="No such customer"), transaction(engine, chu) as s:   # not his customer
        plans.add_item(s, chu, "2027-W10", date(2027, 3, 8), "K0001")

    # what happened: an upload on the 8th, an outing on the 9th; nothing on the 10th
    path = write_export(tmp_path / "u.xlsx", [row("孙伟", "2027-03-08 10:00", "K0001")])
    with transaction(engine, statistician) as s:
        import_uploads(s, statistician, path)
    with transaction(engine, sun) as s:
        outings.register(s, sun, datetime(2027, 3, 9, 9, 0), "送样品", ["K0002"])

    with transaction(engine, sun) as s:
        plans.set_plan_text(s, sun, "2027-W10", summary="完成两家", suggestions="增加样品")
        plans.submit(s, sun, "2027-W10")
    with pytest.raises(StateError), transaction(engine, sun) as s:
        plans.submit(s, sun, "2027-W10")
    with read_session(engine) as s:
        view = plans.plan_view(s, qian, sun.id, "2027-W10")
        team = plans.team_week(s, qian, "2027-W10")
        waiting = plans.unreviewed(s, qian)
    assert view.status == "submitted" and view.goals == "拜访全部超市,推新品" and view.summary == "完成两家"
    assert [(i.day.day, i.customer_code, i.happened) for i in view.items] == \
        [(8, "K0001", True), (9, "K0002", True), (10, "K0001", False)]
    assert (view.items[0].uploads, view.items[1].outings) == (1, 1)
    assert (view.planned, view.done) == (3, 2)
    assert [(t.staff, t.status, t.planned) for t in team] == [("孙伟", "submitted", 3)]
    assert len(waiting) == 1

    with pytest.raises(PermissionDenied), transaction(engine, chu) as s:
        plans.review(s, chu, sun.id, "2027-W10", "好")
    with pytest.raises(PermissionDenied), read_session(engine) as s:
        plans.plan_view(s, chu, sun.id, "2027-W10")
    with transaction(engine, qian) as s:
        plans.review(s, qian, sun.id, "2027-W10", "下周重点跟进万家福")
    with read_session(engine) as s:
        view = plans.plan_view(s, sun, sun.id, "2027-W10")
        assert plans.unreviewed(s, qian) == []
    assert view.status == "reviewed" and view.reviewer == "钱丽" and view.review_comment == "下周重点跟进万家福"
    with pytest.raises(StateError, match="reviewed"), transaction(engine, sun) as s:
        plans.add_item(s, sun, "2027-W10", date(2027, 3, 11), "K0001")


def test_outing_with_contact_logs(engine, people, statistician, tmp_path):
    sun, qian, chu = people["sun"], people["qian"], people["chu"]
    with transaction(engine, sun) as s:
        oid = outings.register(s, sun, datetime(2027, 3, 8, 9, 0), "巡店", ["K0001", "K0002", "K0001"],
                               destination="兰山区")
        outings.log_visit(s, sun, oid, "K0001", "检查陈列,补货", result="已下单")
        outings.log_visit(s, sun, oid, "K0010", "顺路拜访公海客户")          # not registered: added
        outings.record_return(s, sun, oid, datetime(2027, 3, 8, 16, 30))
    path = write_export(tmp_path / "u.xlsx", [row("孙伟", "2027-03-08 10:00", "K0001"),
                                              row("孙伟", "2027-03-08 18:00", "K0002")])   # after the return
    with transaction(engine, statistician) as s:
        import_uploads(s, statistician, path)
    with read_session(engine) as s:
        view = outings.outing_view(s, qian, oid)
        logs = s.scalars(select(ContactLog).where(ContactLog.author_id == sun.id)).all()
        mine = outings.list_outings(s, sun)
        assert outings.list_outings(s, chu) == []
    assert [(c.code, c.logged, c.uploads) for c in view.customers] == \
        [("K0001", True, 1), ("K0002", False, 0), ("K0010", True, 0)]
    assert view.logged == 2 and view.back_at == datetime(2027, 3, 8, 16, 30)
    assert {log.kind for log in logs} == {"visit"} and len(logs) == 2
    assert [o.id for o in mine] == [oid]
    with pytest.raises(NotFound), transaction(engine, chu) as s:
        outings.record_return(s, chu, oid, datetime(2027, 3, 8, 17, 0))
    with pytest.raises(ValidationError, match="before the departure"), transaction(engine, sun) as s:
        outings.record_return(s, sun, oid, datetime(2027, 3, 8, 8, 0))
    with pytest.raises(ValidationError), transaction(engine, sun) as s:
        outings.register(s, sun, datetime(2027, 3, 9, 9, 0), " ", ["K0001"])
