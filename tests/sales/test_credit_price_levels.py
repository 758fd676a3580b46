"""Price levels: the default price of a new line is the last price, the customer's, the class's, the list price."""

from decimal import Decimal as D

import pytest

from crm_tui.core.errors import ValidationError
from crm_tui.db.models.sales import SalesOrderLine
from crm_tui.services.sales import orders, price_levels, terms
from crm_tui.services.sales.pricing import LineInput


def _default_line(tx, rd, actor, customer_id, product_id):
    with tx(actor) as s:
        oid = orders.create_order(s, actor, customer_id, [LineInput(product_id, 1)])
    with rd() as s:
        line = s.query(SalesOrderLine).filter(SalesOrderLine.order_id == oid).one()
        return oid, line.price_basis, line.entered_price


def test_the_order_of_defaults(world, tx, rd):
    assert _default_line(tx, rd, world.li, world.c1, world.p1)[1:] == ("gross", D("113.00"))  # list price
    with tx() as s:
        terms.set_terms(s, world.admin, world.c1, price_class="批发价")
        price_levels.set_class_price(s, world.admin, "wholesale", world.p1, "100.00")
        price_levels.set_class_price(s, world.admin, "vip", world.p1, "90.00")
    assert _default_line(tx, rd, world.li, world.c1, world.p1)[1:] == ("gross", D("100.00"))  # class price
    with tx() as s:
        price_levels.set_customer_price(s, world.admin, world.c1, world.p1, "95.50", "net")
    oid, basis, price = _default_line(tx, rd, world.li, world.c1, world.p1)
    assert (basis, price) == ("net", D("95.50"))  # the customer's own price, on its basis
    with tx(world.manager) as s:  # confirmed: its price is the customer's last price from now on
        orders.set_lines(s, world.manager, oid, [LineInput(world.p1, 1, "99.00", "gross")])
        assert orders.confirm_order(s, world.manager, oid) == "confirmed"
    assert _default_line(tx, rd, world.li, world.c1, world.p1)[1:] == ("gross", D("99.00"))
    # another customer of no class still gets the list price
    assert _default_line(tx, rd, world.li, world.c3, world.p1)[1:] == ("gross", D("113.00"))


def test_removing_and_listing_prices_and_visibility(world, tx, rd):
    with tx() as s:
        price_levels.set_customer_price(s, world.admin, world.c1, world.p2, "9.00", "net")
        price_levels.set_customer_price(s, world.admin, world.c2, world.p2, "8.00", "net")
        price_levels.set_class_price(s, world.admin, "retail", world.p2, "12.00", "gross")
    with rd() as s:
        mine = price_levels.list_prices(s, world.li)
    assert [(r.source, r.customer_code, r.price) for r in mine] == [("retail", None, D("12.00")),
                                                                     ("customer", "K001", D("9.00"))]
    with tx() as s:
        price_levels.set_customer_price(s, world.admin, world.c1, world.p2, "")
    with rd() as s:
        assert [r.customer_code for r in price_levels.list_prices(s, world.admin)] == [None, "K002"]


def test_bad_price_input_is_refused(world, tx):
    with pytest.raises(ValidationError, match="Unknown price class"), tx() as s:
        price_levels.set_class_price(s, world.admin, "gold", world.p1, "1")
    with pytest.raises(ValidationError, match="not a price"), tx() as s:
        price_levels.set_customer_price(s, world.admin, world.c1, world.p1, "abc")
