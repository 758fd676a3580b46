"""Customer and contact records: validation, codes, optimistic locking, audit, archive, delete rules."""

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm_tui.core.errors import ConflictError, NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.customers import Contact, Customer
from crm_tui.db.models.system import AuditEntry
from crm_tui.services.common import audit
from crm_tui.services.customers import contact_logs, contacts
from crm_tui.services.customers import records as customers


def test_create_with_auto_code_pinyin_and_owner(org, tx, ro):
    with tx(org.s1) as s:
        cid = customers.create_customer(s, org.s1, name=" 北京华夏科技有限公司 ", credit_limit="1,000.50",
                                        classification="A类，县城", credit_code="9144030071526726xg")
    with ro(org.s1) as s:
        c = s.get(Customer, cid)
        assert c.code == "K00001"
        assert c.name == "北京华夏科技有限公司"
        assert c.name_initials.split()[0] == "bjhxkjyxgs"
        assert c.owner_id == org.s1.id  # a salesperson's new customer is theirs
        assert c.credit_limit == Decimal("1000.50")
        assert c.classification == "A类,县城"
        assert c.credit_code == "9144030071526726XG"
    with tx(org.s1) as s:
        assert s.get(Customer, customers.create_customer(s, org.s1, name="第二家")).code == "K00002"


def test_auto_code_skips_codes_given_by_hand(org, tx):
    with tx(org.clerk) as s:
        customers.create_customer(s, org.clerk, name="甲记", code="K00001")
        second = customers.create_customer(s, org.clerk, name="乙记")
        assert s.get(Customer, second).code == "K00002"


@pytest.mark.parametrize("values, field", [
    ({"name": ""}, "name"),
    ({"name": "甲记", "credit_code": "9144030071526726XA"}, "credit_code"),
    ({"name": "甲记", "credit_limit": "abc"}, "credit_limit"),
    ({"name": "甲记", "credit_limit": "-5"}, "credit_limit"),
    ({"name": "甲记", "code": "K 1"}, "code"),
    ({"name": "甲记", "created_on": "2026-13-01"}, "created_on"),
])
def test_bad_values_are_refused_and_nothing_is_written(engine, org, tx, ro, values, field):
    with pytest.raises(ValidationError) as err, tx(org.clerk) as s:
        customers.create_customer(s, org.clerk, **values)
    assert err.value.field == field
    with ro(org.admin) as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 0


def test_duplicates_are_refused(org, tx, add_customer):
    add_customer(org.clerk, "甲记", code="A1", credit_code="9144030071526726XG")
    with pytest.raises(ConflictError, match="A1"), tx(org.clerk) as s:
        customers.create_customer(s, org.clerk, name="乙记", code="a1")
    with pytest.raises(ConflictError, match="甲"), tx(org.clerk) as s:
        customers.create_customer(s, org.clerk, name="乙记", credit_code="9144030071526726XG")


def test_check_field_for_forms():
    assert customers.check_field("credit_code", "123") is not None
    assert customers.check_field("credit_code", "") is None
    assert customers.check_field("credit_limit", "1,234.5") is None
    assert "negative" in customers.check_field("credit_limit", "-5")  # as you type, not only on save
    assert "required" in customers.check_field("name", " ")
    assert contacts.check_field("mobile", "138") is not None
    assert contacts.check_field("mobile", "13800138000") is None


def test_stale_edit_is_a_conflict_and_changes_are_audited(org, tx, ro, add_customer):
    cid = add_customer(org.s1, "临沂华夏商贸")
    with ro(org.s1) as s:
        seen = customers.get_customer(s, org.s1, cid)
    with tx(org.s1) as s:
        customers.update_customer(s, org.s1, cid, seen.version, address="兰山区")
    with pytest.raises(ConflictError), tx(org.mgr) as s:
        customers.update_customer(s, org.mgr, cid, seen.version, address="河东区")
    with ro(org.admin) as s:
        assert s.get(Customer, cid).address == "兰山区"
        entries = audit.history(s, "customers", cid)
        assert [e.action for e in entries] == ["create", "update"]
        assert json.loads(entries[1].changes)["address"] == [None, "兰山区"]
        assert entries[1].user_login == "s1"


def test_edit_rights(org, tx, add_customer):
    cid = add_customer(org.s1, "甲记")
    with tx(org.mgr) as s:  # the salesperson's manager may edit
        customers.update_customer(s, org.mgr, cid, customers.get_customer(s, org.mgr, cid).version, industry="零售")
    for other in (org.s2, org.mgr2):  # they do not see it at all
        with pytest.raises(NotFound, match="No such customer"), tx(other) as s:
            customers.update_customer(s, other, cid, 2, industry="批发")
    with tx(org.clerk) as s:
        customers.update_customer(s, org.clerk, cid, customers.get_customer(s, org.clerk, cid).version, industry="批发")


def test_salesperson_cannot_hand_a_customer_to_someone_else(org, tx):
    with pytest.raises(PermissionDenied), tx(org.s1) as s:
        customers.create_customer(s, org.s1, name="甲记", owner_id=org.s3.id)
    with tx(org.mgr) as s:  # a manager may give it to their people
        customers.create_customer(s, org.mgr, name="乙记", owner_id=org.s2.id)


def test_delete_refused_with_history_archive_instead(org, tx, ro, add_customer):
    cid = add_customer(org.clerk, "甲记", owner_id=org.s1.id)
    plain = add_customer(org.clerk, "乙记")
    with tx(org.s1) as s:
        contact_logs.add_log(s, org.s1, cid, "visit", "拜访")
    with pytest.raises(StateError, match="archive"), tx(org.clerk) as s:
        customers.delete_customer(s, org.clerk, cid)
    with pytest.raises(PermissionDenied), tx(org.s1) as s:
        customers.delete_customer(s, org.s1, cid)
    with tx(org.clerk) as s:
        customers.set_status(s, org.clerk, cid, "archived")
        contacts.add_contact(s, org.clerk, plain, name="张三")
        customers.delete_customer(s, org.clerk, plain)
    with ro(org.admin) as s:
        assert s.get(Customer, cid).status == "archived"
        assert s.get(Customer, plain) is None
        assert s.scalar(select(func.count()).select_from(Contact)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == "customers", AuditEntry.action == "delete")) == 1


def test_contacts_one_primary(org, tx, ro, add_customer):
    cid = add_customer(org.s1, "甲记")
    with tx(org.s1) as s:
        a = contacts.add_contact(s, org.s1, cid, name="张三", mobile="+86 13800138000")
        b = contacts.add_contact(s, org.s1, cid, name="李四", landline="05398123456", is_primary=True)
        c = contacts.add_contact(s, org.s1, cid, name="王五", email="w@example.com", birthday="1980/05/17")
    with ro(org.s1) as s:
        rows = contacts.list_contacts(s, org.s1, cid)
        assert [(r.name, r.is_primary) for r in rows] == [("李四", True), ("张三", False), ("王五", False)]
        assert rows[1].mobile == "13800138000" and rows[0].landline == "0539-8123456"
        assert str(rows[2].birthday) == "1980-05-17"
    with tx(org.s1) as s:
        contacts.set_primary(s, org.s1, c)
        contacts.delete_contact(s, org.s1, c)
    with ro(org.s1) as s:
        rows = contacts.list_contacts(s, org.s1, cid)
        assert sum(r.is_primary for r in rows) == 1
        assert {r.id for r in rows} == {a, b}
    with pytest.raises(ValidationError) as err, tx(org.s1) as s:
        contacts.add_contact(s, org.s1, cid, name="赵六", mobile="12345")
    assert err.value.field == "mobile"
    with pytest.raises(NotFound, match="No such customer"), tx(org.s2) as s:
        contacts.add_contact(s, org.s2, cid, name="赵六")


def test_a_same_named_customer_is_refused_unless_allowed(org, tx, ro, add_customer):
    first = add_customer(org.s1, "临沂大酒店")
    add_customer(org.s1, "AB商店")
    for twin, code_of in (("临沂 大酒店", first), ("临沂大酒店 ", first)):
        with pytest.raises(customers.DuplicateName) as err, tx(org.clerk) as s:
            customers.create_customer(s, org.clerk, name=twin)
        assert (err.value.customer_id, err.value.name) == (code_of, "临沂大酒店")
    with pytest.raises(customers.DuplicateName, match="AB商店"), tx(org.clerk) as s:
        customers.create_customer(s, org.clerk, name="ａｂ 商店")  # full-width, lower case, a space
    with tx(org.clerk) as s:
        second = customers.create_customer(s, org.clerk, name="临沂大酒店", allow_duplicate=True)
    with ro(org.admin) as s:
        assert customers.find_same_name(s, "临沂 大酒店") == (first, s.get(Customer, first).code, "临沂大酒店")
        assert customers.find_same_name(s, "临沂大酒店", exclude_id=first)[0] == second
        assert customers.find_same_name(s, "临沂大饭店") is None
