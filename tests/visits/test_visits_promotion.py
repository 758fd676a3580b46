"""促销主管 (issue 19): a promotion supervisor is in charge of every promotion store of their kind, one visit
per store per month. The engine on its own, then the flag through the import, the batch command and the
tally (both engines)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from crm_tui.cli import cli
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.customers import Customer as CustomerRow
from crm_tui.db.session import read_session, transaction
from crm_tui.io.workbook import Column, Sheet, write_workbook
from crm_tui.services.visits.tally import Customer

from .conftest import row, write_export
from .helpers import CANYIN, CANYIN_SUP, person_of, run, up


def _store(cid: int, code: str, kind: str, owner=None) -> Customer:
    return Customer(cid, code, owner.id if owner else None, frozenset(), f"店{code}", kind)


def test_supervisor_is_in_charge_of_every_store_of_their_kind():
    customers = [_store(201, "K0201", "促销餐饮店", CANYIN), _store(202, "K0202", "促销餐饮店"),
                 _store(203, "K0203", "超市促销店")]
    r = run([up(CANYIN_SUP, "2026-03-02 10:00", 201)], month="2026-03", customers=customers)
    sup = person_of(r, CANYIN_SUP)
    # 餐饮促销主管: the two 促销餐饮店 (K0201, K0202), not the 超市促销店; 1 visit per store per month.
    # K0201 visited on 2 March; K0202 never → one store under its minimum → 50. No daily quota, no daily fine.
    assert (sup.customers_in_charge, sup.customers_visited, sup.customers_not_visited) == (2, 1, ["K0202"])
    assert (sup.customers_under_minimum, sup.customer_fines, sup.daily_fines) == (["K0202"], 50, 0)
    # 褚洋 still owns K0201 (minimum 2): the supervisor's visit counts for the store whoever made it → 1 of 2.
    chu = person_of(r, CANYIN)
    assert [(s.code, s.visits, s.required) for s in chu.shortfalls] == [("K0201", 1, 2)]


@pytest.fixture
def supervisor(engine, company):
    from crm_tui.db.models.people import Department, User
    from crm_tui.services.admin import users

    with transaction(engine, None) as session:
        dept = session.scalar(select(Department.id).join(User, User.department_id == Department.id)
                              .where(User.login == "chuyang"))
        from crm_tui.core.actor import SYSTEM

        users.add_user(session, SYSTEM, "chenjing", "陈静", "salesperson", None, department_id=dept,
                       position="餐饮促销主管", staff_number="S010")


def _flags(engine) -> dict[str, str | None]:
    with read_session(engine) as session:
        return dict(session.execute(select(CustomerRow.code, CustomerRow.promotion_store)
                                    .where(CustomerRow.promotion_store.is_not(None))).all())


def test_flag_by_import_and_batch_then_tally(engine, db_url, company, supervisor, statistician, admin, tmp_path,
                                             monkeypatch):
    from crm_tui.services.customers.imports import import_customers

    # the customer import: column 促销店 (here by its alias 促销店类型; 餐饮 is read as 促销餐饮店)
    book = write_workbook(tmp_path / "c.xlsx", [Sheet("客户", [Column("客户编号"), Column("客户名称"),
                                                               Column("促销店类型")],
                                                      [["K0100", "福满楼", "餐饮"], ["K0101", "喜来登超市", "超市促销店"]])])
    summary = import_customers(engine, admin, book)
    assert summary.created == 2, summary
    bad = write_workbook(tmp_path / "bad.xlsx", [Sheet("客户", [Column("客户名称"), Column("促销店")],
                                                       [["某店", "烟酒店"]])])
    assert import_customers(engine, admin, bad).created == 0
    assert _flags(engine) == {"K0100": "促销餐饮店", "K0101": "超市促销店"}

    # in batch: crm customers set-promotion KIND CODES…
    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")
    runner = CliRunner()

    def crm(*args):
        return runner.invoke(cli, ["--lang", "en", "--db", db_url, *args], catch_exceptions=False)

    out = crm("customers", "set-promotion", "促销餐饮店", "K0008", "K0009")
    assert out.exit_code == 0 and "2 customers updated" in out.output
    assert crm("customers", "set-promotion", "none", "K0009").exit_code == 0
    wrong = crm("customers", "set-promotion", "烟酒店", "K0008")
    assert wrong.exit_code != 0 and "超市促销店 / 促销餐饮店" in wrong.output
    assert _flags(engine) == {"K0100": "促销餐饮店", "K0101": "超市促销店", "K0008": "促销餐饮店"}

    # 陈静 (餐饮促销主管) visits K0008 once in March: in charge of K0100 and K0008 → K0100 not visited → 50
    with transaction(engine, statistician) as session:
        from crm_tui.services.visits.upload_import import import_uploads

        import_uploads(session, statistician, write_export(tmp_path / "u.xlsx", [row("陈静", "2027-03-02 10:00")]))
    report = json.loads(crm("visits", "tally", "--month", "2027-03", "--format", "json").stdout)
    chen = next(p for p in report["people"] if p["staff"] == "陈静")
    assert (chen["customers_in_charge"], chen["customers_not_visited"], chen["customer_fines"]) == (2, ["K0100"], 50)


def test_customer_form_values_are_checked():
    from crm_tui.services.customers.schemas import CustomerUpdate, check_field

    assert CustomerUpdate.model_validate({"promotion_store": "超市"}).promotion_store == "超市促销店"
    assert CustomerUpdate.model_validate({"promotion_store": ""}).promotion_store is None
    assert "促销餐饮店" in check_field("promotion_store", "烟酒店")
    with pytest.raises(ValidationError, match="Promotion store"):
        CustomerUpdate.model_validate({"promotion_store": "烟酒店"})
