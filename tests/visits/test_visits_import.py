"""Import of the mobile app's export: aliases, any column order, unknown staff, unknown customers, repeats."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from crm_tui.core.errors import PermissionDenied
from crm_tui.db.models.system import AuditEntry
from crm_tui.db.models.visits import VisitEvent, VisitImport, VisitUpload
from crm_tui.db.session import read_session, transaction
from crm_tui.services.visits.upload_import import ImportRejected, import_uploads

from .conftest import row, write_export


def _import(engine, actor, path, **kw):
    with transaction(engine, actor) as session:
        return import_uploads(session, actor, path, **kw)


def _count(engine, model) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_import_rows_events_and_remarks(engine, company, statistician, tmp_path):
    path = write_export(tmp_path / "export.xlsx", [
        row("褚洋", "2027-03-01 09:00", "K0008"),
        row("S011", "2027-03-01 09:10:30", "K0009", photos=2.0),              # 工号; photos as a float cell
        row("chuyang", "2027/3/1 9:20", None, "老家菜馆"),                     # login; no code: found by name
        row("褚洋", "2027-03-01 09:30", None, None, kind="新客户(终端)开发", remarks="新开:福满楼饭店 13805391234"),
        row("褚洋", "2027-03-01 18:00", "K0008", kind="帮送喜宴", address=None, photos=0),
        row("褚洋", "2027-03-01 10:00", "K9999", "不存在的店"),               # unknown customer: stored
    ])
    s = _import(engine, statistician, path)
    assert (s.rows_read, s.uploads_added, s.events_added, s.repeated, s.unknown_customers) == (6, 5, 1, 0, 1)
    assert s.staff == 1 and str(s.first_day) == "2027-03-01"
    with read_session(engine) as session:
        ups = session.scalars(select(VisitUpload).order_by(VisitUpload.at)).all()
        assert [u.customer_id for u in ups] == [company.customers["K0008"], company.customers["K0009"],
                                                company.customers["K0009"], None, None]
        assert ups[1].at - ups[0].at == 630
        assert ups[3].kind == 2 and ups[3].remarks_ok is True
        assert ups[4].customer_code == "K9999" and ups[4].has_address
        ev = session.scalars(select(VisitEvent)).one()
        assert ev.kind == "帮送喜宴" and ev.customer_id == company.customers["K0008"]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "visit_imports")).one()
        assert entry.action == "import" and '"uploads_added": 5' in entry.changes


def test_reimport_adds_nothing_and_repeats_in_the_file_count_once(engine, company, statistician, tmp_path):
    rows = [row("褚洋", "2027-03-01 09:00"), row("褚洋", "2027-03-01 09:00"), row("褚洋", "2027-03-02 09:00"),
            row("褚洋", "2027-03-02 18:00", kind="帮送喜宴")]
    path = write_export(tmp_path / "a.xlsx", rows)
    first = _import(engine, statistician, path)
    assert (first.uploads_added, first.events_added, first.repeated) == (2, 1, 1)
    again = _import(engine, statistician, path)
    assert (again.uploads_added, again.events_added, again.repeated) == (0, 0, 4)
    assert _count(engine, VisitUpload) == 2 and _count(engine, VisitEvent) == 1
    assert _count(engine, VisitImport) == 2


def test_headers_by_alias_in_any_order_below_a_title(engine, company, statistician, tmp_path):
    headers = ["备注", "类型", "照片", "客户地址", "客户", "编号", "时间", "工号"]
    path = write_export(tmp_path / "b.xlsx", [[None, "拜访", 2, "某地", "沂蒙人家饭店", "K0008", "2027-03-01 09:00",
                                               "S011"]], headers=headers, title="拜访巡店上传记录 2027年3月")
    s = _import(engine, statistician, path)
    assert s.uploads_added == 1


def test_csv_in_gbk(engine, company, statistician, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("业务员,上传时间,客户编号,客户名称,地址,照片数,类型,备注\n褚洋,2027-03-01 09:00,K0008,,临沂,2,拜访,\n"
                     .encode("gbk"))
    assert _import(engine, statistician, path).uploads_added == 1


def test_unknown_staff_is_an_error_and_nothing_is_written(engine, company, statistician, tmp_path):
    path = write_export(tmp_path / "d.xlsx", [row("褚洋", "2027-03-01 09:00"), row("王五", "2027-03-01 09:10"),
                                              row("褚洋", "不是时间"), row("褚洋", "2027-03-01 09:30", kind="吃饭")])
    with pytest.raises(ImportRejected) as info:
        _import(engine, statistician, path)
    text = info.value.message
    assert "3 bad rows" in text
    assert "row 3, column 业务员" in text and "王五" in text
    assert "row 4, column 上传时间" in text
    assert "row 5, column 类型" in text and "帮送喜宴" in text
    assert _count(engine, VisitUpload) == 0 and _count(engine, VisitImport) == 0
    bad = info.value.result.write_error_workbook(tmp_path / "errors.xlsx")
    assert bad.exists()


def test_missing_required_column_names_it(engine, company, statistician, tmp_path):
    path = write_export(tmp_path / "e.xlsx", [["褚洋", "K0008"]], headers=["业务员", "客户编号"])
    with pytest.raises(Exception, match="上传时间"):
        _import(engine, statistician, path)


def test_only_the_statistician_imports(engine, company, tmp_path, make_user):
    from crm_tui.core.actor import Actor

    path = write_export(tmp_path / "f.xlsx", [row("褚洋", "2027-03-01 09:00")])
    salesperson = Actor(company.users["chuyang"], "chuyang", "褚洋", "salesperson")
    with pytest.raises(PermissionDenied):
        _import(engine, salesperson, path)


def test_a_customer_added_after_the_import_is_found_when_tallied(engine, company, statistician, tmp_path, admin):
    from crm_tui.db.models.customers import Customer
    from crm_tui.services.visits.publish import month_tally

    path = write_export(tmp_path / "g.xlsx", [row("褚洋", "2027-03-01 09:00", "K0100", "新来的饭店")])
    assert _import(engine, statistician, path).unknown_customers == 1
    with read_session(engine) as session:
        before = month_tally(session, statistician, "2027-03")
    person = next(p for p in before["people"] if p["staff"] == "褚洋")
    assert person["void_uploads"] == 1 and person["void"][0]["reasons"] == ["unknown customer"]
    assert person["void"][0]["customer_code"] == "K0100"
    with transaction(engine, admin) as session:
        session.add(Customer(code="K0100", name="新来的饭店", owner_id=company.users["chuyang"]))
    with read_session(engine) as session:
        after = month_tally(session, statistician, "2027-03")
    person = next(p for p in after["people"] if p["staff"] == "褚洋")
    assert person["void_uploads"] == 0 and person["uploads"] == 1 and "K0100" not in person["customers_not_visited"]
