"""One visibility rule, every read path, for a salesperson, a manager, a clerk and an administrator.

Customers: A owned by s1, B owned by s2, C owned by s3 (another team), D shared by s3 with s1, P in the pool.
"""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from crm_tui.core.errors import NotFound, PermissionDenied
from crm_tui.services.customers import contact_logs, contacts
from crm_tui.services.customers import records as customers
from crm_tui.services.customers import search as cs
from crm_tui.services.customers import transfer as customer_transfer

EVERYONE = {"A", "B", "C", "D", "P"}
EXPECTED = {
    "s1": {"A", "D", "P"},         # own, shared with them, pool
    "s2": {"B", "P"},
    "s3": {"C", "D", "P"},
    "mgr": {"A", "B", "D", "P"},   # own team (s1, s2) and what is shared with them
    "mgr2": {"C", "D", "P"},
    "boss": EVERYONE,               # everyone below
    "clerk": EVERYONE,              # records.read_all
    "admin": EVERYONE,
}


@pytest.fixture
def world(org, tx, add_customer):
    ids = {
        "A": add_customer(org.clerk, "甲商贸", code="A", owner_id=org.s1.id, area="河东片区"),
        "B": add_customer(org.clerk, "乙商贸", code="B", owner_id=org.s2.id, area="河东片区"),
        "C": add_customer(org.clerk, "丙商贸", code="C", owner_id=org.s3.id, area="罗庄片区"),
        "D": add_customer(org.clerk, "丁商贸", code="D", owner_id=org.s3.id, area="罗庄片区"),
        "P": add_customer(org.clerk, "戊商贸", code="P", owner_id=None),
    }
    with tx(org.clerk) as s:
        customer_transfer.share(s, org.clerk, [ids["D"]], [org.s1.id])
        for code, cid in ids.items():
            contacts.add_contact(s, org.clerk, cid, name=f"联系人{code}", mobile="13800138000")
    authors = {"A": org.s1, "B": org.s2, "C": org.s3, "D": org.s3, "P": org.clerk}
    for code, cid in ids.items():
        with tx(authors[code]) as s:
            contact_logs.add_log(s, authors[code], cid, "visit", f"拜访{code}", at=datetime(2026, 11, 2, 10))
    return ids


ACTORS = list(EXPECTED)


def codes(rows):
    return {r.code for r in rows}


@pytest.mark.parametrize("who", ACTORS)
def test_every_read_path(org, ro, world, who, tmp_path):
    actor = getattr(org, who)
    want = EXPECTED[who]
    by_id = {v: k for k, v in world.items()}
    with ro(actor) as s:
        # lists, counting, search box, command palette, pick-lists
        assert codes(cs.list_page(s, actor, cs.CustomerFilter())) == want
        assert cs.count(s, actor, cs.CustomerFilter()) == len(want)
        assert codes(cs.list_page(s, actor, cs.CustomerFilter(text="商贸"))) == want
        assert codes(cs.list_page(s, actor, cs.CustomerFilter(text="13800138000"))) == want
        assert codes(cs.quick_find(s, actor, "商贸", limit=50)) == want
        assert {by_id[i] for i in s.scalars(cs.customer_ids_query(s, actor, cs.CustomerFilter()))} == want
        # exports and printing iterate through iter_rows
        assert codes(cs.iter_rows(s, actor, cs.CustomerFilter(), chunk=2)) == want
        if who in ("mgr", "clerk", "admin", "boss"):  # the roles that may export
            from python_calamine import CalamineWorkbook

            from crm_tui.services.customers.export import export_customers

            export_customers(s, actor, tmp_path / "out.xlsx")
            sheet = CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_index(0).to_python()
            assert {row[0] for row in sheet[1:]} == want
        # reports: ranking by contacts
        ranking = cs.rank_customers(s, actor, date(2026, 11, 1), date(2026, 11, 30))
        assert {r.code for r in ranking.rows} == want
        # contact logs of customers one sees (and one's own)
        assert {r.customer_code for r in contact_logs.list_logs(s, actor)} == want
        # detail, contacts, lookup by code
        for code, cid in world.items():
            if code in want:
                assert customers.get_customer(s, actor, cid).code == code
                assert customers.find_customer(s, actor, code).id == cid
                assert len(contacts.list_contacts(s, actor, cid)) == 1
                assert len(contact_logs.list_logs(s, actor, customer_id=cid)) == 1
            else:  # the same answer as for a customer that does not exist
                with pytest.raises(NotFound, match=f"No such customer: {cid}$"):
                    customers.get_customer(s, actor, cid)
                with pytest.raises(NotFound, match=f"No such customer: {code}$"):
                    customers.find_customer(s, actor, code)
                with pytest.raises(NotFound, match=f"No such customer: {cid}$"):
                    contacts.list_contacts(s, actor, cid)
                with pytest.raises(NotFound, match=f"No such customer: {cid}$"):
                    contact_logs.list_logs(s, actor, customer_id=cid)
        assert set(cs.distinct_values(s, actor, "area")) == {
            a for c, a in (("A", "河东片区"), ("B", "河东片区"), ("C", "罗庄片区"), ("D", "罗庄片区")) if c in want}


def test_author_keeps_seeing_own_logs_after_transfer(org, tx, ro, world):
    with tx(org.mgr) as s:
        customer_transfer.transfer(s, org.mgr, [world["A"]], org.s2.id)
    with ro(org.s1) as s:
        assert "A" not in codes(cs.list_page(s, org.s1, cs.CustomerFilter()))
        assert "A" in {r.customer_code for r in contact_logs.list_logs(s, org.s1)}


def test_scopes(org, ro, world):
    with ro(org.s1) as s:
        assert codes(cs.list_page(s, org.s1, cs.CustomerFilter(scope="mine"))) == {"A"}
        assert codes(cs.list_page(s, org.s1, cs.CustomerFilter(scope="pool"))) == {"P"}
        assert codes(cs.list_page(s, org.s1, cs.CustomerFilter(scope="shared"))) == {"D"}


def test_shared_customer_is_read_only(org, tx, world):
    with pytest.raises(PermissionDenied), tx(org.s1) as s:
        c = customers.get_customer(s, org.s1, world["D"])
        assert not c.editable
        customers.update_customer(s, org.s1, world["D"], c.version, industry="x")
    with tx(org.s1) as s:  # but they may log contacts with it
        contact_logs.add_log(s, org.s1, world["D"], "phone", "帮同事打电话")


def test_visible_clause_is_one_function(org, ro, world):
    """Other areas join the clause to reach a customer's documents: it must be a plain SQL condition."""
    from crm_tui.db.models.customers import Customer
    from crm_tui.services.customers.visibility import visible_customers_clause

    with ro(org.s2) as s:
        got = set(s.scalars(select(Customer.code).where(visible_customers_clause(s, org.s2))))
    assert got == EXPECTED["s2"]
