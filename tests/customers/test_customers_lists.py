"""Lists: multi-condition filter, sorting (names in pinyin order), paging, ranking."""

from datetime import date, datetime

import pytest

from crm_tui.core.errors import ValidationError
from crm_tui.services.customers import contact_logs
from crm_tui.services.customers import search as cs


@pytest.fixture
def book(org, tx, add_customer):
    c = {}
    c["zhang"] = add_customer(org.clerk, "张记超市", code="C1", owner_id=org.s1.id, area="河东片区",
                              industry="商超", classification="A类,县城", created_on="2026-01-10")
    c["a"] = add_customer(org.clerk, "阿里超市", code="C2", owner_id=org.s1.id, area="罗庄片区", industry="商超",
                          classification="重点", created_on="2026-03-01")
    c["chong"] = add_customer(org.clerk, "重庆火锅", code="C3", owner_id=org.s2.id, area="河东片区",
                              industry="餐饮", classification="县城集团", created_on="2026-06-15")
    c["dong"] = add_customer(org.clerk, "东方红酒店", code="C4", owner_id=org.s2.id, area="罗庄片区",
                             industry="餐饮", created_on="2026-09-30")
    c["bei"] = add_customer(org.clerk, "北京华夏", code="C5", owner_id=org.s3.id, industry="批发",
                            created_on="2026-11-01")
    with tx(org.s1) as s:
        contact_logs.add_log(s, org.s1, c["zhang"], "visit", "x", at=datetime(2026, 11, 10, 9),
                             next_follow_up=date(2026, 11, 12))
        contact_logs.add_log(s, org.s1, c["a"], "phone", "x", at=datetime(2026, 10, 1, 9))
        contact_logs.add_log(s, org.s1, c["a"], "phone", "y", at=datetime(2026, 10, 2, 9))
    with tx(org.clerk) as s:
        from crm_tui.services.customers import records as customers

        customers.set_status(s, org.clerk, c["dong"], "archived")
    return c


def names(rows):
    return [r.name for r in rows]


def test_name_sorts_in_pinyin_order(org, ro, book):
    with ro(org.admin) as s:
        rows = cs.list_page(s, org.admin, cs.CustomerFilter(status=None), sort="name")
        assert names(rows) == ["阿里超市", "北京华夏", "重庆火锅", "东方红酒店", "张记超市"]
        rows = cs.list_page(s, org.admin, cs.CustomerFilter(status=None), sort="name", descending=True)
        assert names(rows)[0] == "张记超市"


@pytest.mark.parametrize("f, expected", [
    (cs.CustomerFilter(), {"C1", "C2", "C3", "C5"}),                 # archived hidden by default
    (cs.CustomerFilter(status=None), {"C1", "C2", "C3", "C4", "C5"}),
    (cs.CustomerFilter(status="archived"), {"C4"}),
    (cs.CustomerFilter(area="河东片区"), {"C1", "C3"}),
    (cs.CustomerFilter(industry="商超", area="罗庄片区"), {"C2"}),
    (cs.CustomerFilter(classification="县城"), {"C1"}),              # a label, not a substring (县城集团)
    (cs.CustomerFilter(classification="重点"), {"C2"}),
    (cs.CustomerFilter(created_from=date(2026, 3, 1), created_to=date(2026, 6, 15)), {"C2", "C3"}),
    (cs.CustomerFilter(contact_from=date(2026, 10, 1), contact_to=date(2026, 10, 31)), {"C2"}),
    (cs.CustomerFilter(contact_from=date(2026, 11, 10), contact_to=date(2026, 11, 10)), {"C1"}),
    (cs.CustomerFilter(follow_up_overdue=True, today=date(2026, 11, 13)), {"C1"}),
    (cs.CustomerFilter(follow_up_overdue=True, today=date(2026, 11, 12)), set()),
    (cs.CustomerFilter(text="超市", area="河东片区"), {"C1"}),
])
def test_filters(org, ro, book, f, expected):
    with ro(org.admin) as s:
        assert {r.code for r in cs.list_page(s, org.admin, f)} == expected
        assert cs.count(s, org.admin, f) == len(expected)


def test_owner_filter_and_sort_by_any_column(org, ro, book):
    with ro(org.admin) as s:
        f = cs.CustomerFilter(owner_id=org.s1.id)
        assert [r.code for r in cs.list_page(s, org.admin, f, sort="created_on", descending=True)] == ["C2", "C1"]
        for key in cs.SORTS:
            assert len(cs.list_page(s, org.admin, cs.CustomerFilter(status=None), sort=key)) == 5
        with pytest.raises(ValidationError):
            cs.list_page(s, org.admin, cs.CustomerFilter(), sort="password")
        with pytest.raises(ValidationError):
            cs.list_page(s, org.admin, cs.CustomerFilter(scope="everything"))


def test_paging_walks_every_row_once(org, tx, ro, add_customer):
    for i in range(23):
        add_customer(org.clerk, f"客户{i:02d}")
    with ro(org.admin) as s:
        seen = []
        for offset in range(0, 30, 10):
            seen += [r.code for r in cs.list_page(s, org.admin, cs.CustomerFilter(), offset=offset, limit=10)]
        assert len(seen) == 23 and len(set(seen)) == 23 and seen == sorted(seen)


def test_ranking_by_contacts_then_by_sales(org, ro, book):
    with ro(org.admin) as s:
        ranking = cs.rank_customers(s, org.admin, date(2026, 10, 1), date(2026, 11, 30))
        assert ranking.by == "contacts"
        assert [(r.code, r.contacts) for r in ranking.rows] == [("C2", 2), ("C1", 1)]
    from sqlalchemy import literal, select, union_all

    def fake_sales(session, start, end):
        return union_all(select(literal(book["bei"]), literal(500)), select(literal(book["zhang"]), literal(900)))

    cs.SALES_AMOUNT_SOURCES.append(fake_sales)
    try:
        with ro(org.admin) as s:
            ranking = cs.rank_customers(s, org.admin, date(2026, 10, 1), date(2026, 11, 30))
            assert ranking.by == "sales"
            assert [r.code for r in ranking.rows] == ["C1", "C5"]
    finally:
        cs.SALES_AMOUNT_SOURCES.remove(fake_sales)


def test_ranking_uses_the_sources_the_composition_root_registers(org, ro, book, monkeypatch):
    """The ranking must not depend on whether the sales modules happen to be imported yet (in the app they are
    imported when a sales screen first opens): the composition root registers the sales area's source."""
    from sqlalchemy import literal, select

    from crm_tui.services.common.plugins import resolve
    from crm_tui.services.sales.orders import ordered_amounts

    # conftest installed the plug-ins, as the app does
    assert [resolve(source) for source in cs.SALES_AMOUNT_SOURCES] == [ordered_amounts]
    monkeypatch.setattr(cs, "SALES_AMOUNT_SOURCES", [])
    cs.register_sales_source(lambda session, start, end: select(literal(book["bei"]), literal(700)))
    with ro(org.admin) as s:
        ranking = cs.rank_customers(s, org.admin, date(2026, 10, 1), date(2026, 11, 30))
    assert ranking.by == "sales" and [r.sales for r in ranking.rows] == [700]
