"""The pickers' service lookups on the demo company: what each matches (code, name, pinyin, initials), who
sees what, and the order (the first row is the one Enter takes); and the shared matching and cutting rules."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_tui.core.actor import Actor
from crm_tui.db.session import read_session
from crm_tui.services.admin.users import lookup_staff
from crm_tui.services.common.lookups import best_first, matches, rank
from crm_tui.services.customers.search import lookup_customers
from crm_tui.services.purchasing.suppliers import lookup_suppliers
from crm_tui.services.stock.products import lookup_products
from crm_tui.services.stock.warehouses import lookup_warehouses
from crm_tui.widgets.picker import fit


def _actor(session, login: str) -> Actor:
    from crm_tui.db.models.people import User

    u = session.scalars(select(User).where(User.login == login)).one()
    return Actor(u.id, u.login, u.display_name, u.role, u.department_id)


def _codes(rows) -> list[str]:
    return [r.code for r in rows]


# --- the shared rules (no database) ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "hit"), [
    ("WH02", True), ("wh02", True), ("河东", True), ("hedong", True), ("hdfc", True), ("hd", True),
    ("韩磊", True),  # another field (the keeper)
    ("hx", False), ("临沂", False), ("dongfen", True), ("dfc", True), ("hdfcx", False),
])
def test_matches_code_name_pinyin_initials_and_other_fields(text, hit):
    assert matches(text, "WH02", "河东分仓", "韩磊") is hit


def test_rank_puts_exact_code_then_exact_name_then_prefixes_first():
    rows = [("K0010", "临沂好运来"), ("XK001", "K001 超市"), ("K001", "济南百货"), ("K0011", "K001")]
    ordered = best_first(rows, "K001", lambda r: r[0], lambda r: r[1], limit=10)
    assert [r[0] for r in ordered] == ["K001", "K0011", "K0010", "XK001"]
    assert rank("lyhyl", "K0010", "临沂好运来") == 3 and rank("hyl", "K0010", "临沂好运来") == 4
    assert best_first(rows, "K", lambda r: r[0], lambda r: r[1], limit=2) == rows[:1] + rows[2:3]


@pytest.mark.parametrize(("width", "expected"), [
    (30, "S0004 临沂糖酒副食品有限公司"), (28, "S0004 临沂糖酒副食品有限公司"), (27, "S0004 临沂糖酒副食品有限公…"),
    (12, "S0004 临沂…"), (13, "S0004 临沂糖…"), (14, "S0004 临沂糖…"), (0, "S0004 临沂糖酒副食品有限公司"),
])
def test_fit_cuts_at_the_end_by_display_width(width, expected):
    from rich.cells import cell_len

    assert fit("S0004 临沂糖酒副食品有限公司", width) == expected
    assert width == 0 or cell_len(expected) <= width


# --- each lookup on the demo company --------------------------------------------------------------------

def test_customers_by_initials_pinyin_name_and_code_only_the_visible_ones(demo):
    with read_session(demo.engine) as s:
        admin, chuyang = demo.admin, _actor(s, "chuyang")
        everyone = lookup_customers(s, admin, "lydjd")
        theirs = lookup_customers(s, chuyang, "lydjd")
        assert "K00087" in _codes(everyone) and "K00087" in _codes(theirs)
        hidden = [c for c in everyone if c.owner_id not in (chuyang.id, None)]
        assert hidden and not set(_codes(hidden)) & set(_codes(theirs))  # a salesperson sees their customers
        assert _codes(lookup_customers(s, admin, "K00087"))[0] == "K00087"  # the exact code first
        assert _codes(lookup_customers(s, admin, "兰山琅琊大酒店")) == ["K00087"]
        assert "K00087" in _codes(lookup_customers(s, admin, "lanshanlangya"))
        assert lookup_customers(s, admin, "  ") == [] and lookup_customers(s, admin, "zzzzqqq") == []
        assert len(lookup_customers(s, admin, "K", limit=5)) == 5


def test_products_by_pinyin_initials_code_and_barcode(demo):
    with read_session(demo.engine) as s:
        admin = demo.admin
        assert _codes(lookup_products(s, admin, "qdpj"))[:2] == ["PJ001", "PJ002"]
        assert _codes(lookup_products(s, admin, "PJ002"))[0] == "PJ002"
        assert _codes(lookup_products(s, admin, "yipinjingzhi")) == ["BJ001"]
        barcode = lookup_products(s, admin, "BJ002")[0].barcode
        assert barcode and _codes(lookup_products(s, admin, barcode)) == ["BJ002"]
        assert lookup_products(s, admin, "") == []


def test_staff_by_number_login_name_pinyin_and_initials(demo):
    with read_session(demo.engine) as s:
        admin = demo.admin
        for typed in ("S003", "sunwei", "孙伟", "sw"):
            first = lookup_staff(s, admin, typed)[0]
            assert (first.code, first.name, first.login) == ("S003", "孙伟", "sunwei"), typed
        assert {r.name for r in lookup_staff(s, admin, "销售部")} == set()  # departments are not names
        assert len(lookup_staff(s, admin, "", limit=100)) >= 16  # empty text: everyone active


def test_warehouses_and_suppliers(demo):
    with read_session(demo.engine) as s:
        admin = demo.admin
        assert _codes(lookup_warehouses(s, admin, "hdfc")) == ["WH02"]
        assert _codes(lookup_warehouses(s, admin, "临沂总仓")) == ["WH01"]
        assert _codes(lookup_warehouses(s, admin, "韩磊")) == ["WH01", "WH02"]  # the keeper
        assert _codes(lookup_suppliers(s, admin, "qdpj")) == ["S0003"]
        assert _codes(lookup_suppliers(s, admin, "兰陵美酒")) == ["S0002"]
        assert _codes(lookup_suppliers(s, admin, "S0001"))[0] == "S0001"
        assert lookup_suppliers(s, admin, "") == []


def test_the_exact_customer_code_comes_first_even_behind_many_name_matches(engine, admin):
    """Found by name order the exact code would be past the first page: it is asked for on its own."""
    from crm_tui.db.session import transaction
    from crm_tui.services.customers import records

    with transaction(engine, admin) as s:
        for i in range(45):
            records.create_customer(s, admin, code=f"A{i:03d}", name=f"阿{i}号 K0100 便利店")
        records.create_customer(s, admin, code="K0100", name="张庄超市")
    with read_session(engine) as s:
        found = lookup_customers(s, admin, "k0100")
        assert found[0].code == "K0100" and len(found) == 8
        assert _codes(lookup_customers(s, admin, "k0100", handled_by="stock.manage"))[0] == "K0100"
