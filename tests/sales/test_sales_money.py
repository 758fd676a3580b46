"""The money rules of a sales line, with worked examples (README "Sales money rules")."""

from decimal import Decimal as D

import pytest

from crm_tui.core.errors import ValidationError
from crm_tui.services.sales.pricing import given_discount, parse_discount, price_line, totals


@pytest.mark.parametrize(
    ("qty", "price", "basis", "rate", "discount", "expected"),
    [
        # net price: net = round(3 × 33.335) = round(100.005) = 100.01 (half-up); tax = round(13.0013) = 13.00
        ("3", "33.335", "net", "0.13", "0", ("33.335", "37.6686", "100.01", "13.00", "113.01")),
        # tax-inclusive: gross = 113.01; net = round(113.01 / 1.13) = round(100.00885) = 100.01; tax = 13.00
        ("3", "37.67", "gross", "0.13", "0", ("33.3363", "37.67", "100.01", "13.00", "113.01")),
        # 168.00 incl. 13%: net = round(148.672566) = 148.67, tax = 19.33; the net unit price shows 148.6726
        ("1", "168", "gross", "0.13", "0", ("148.6726", "168", "148.67", "19.33", "168.00")),
        # half-up on the tax: net 10.50 at 13% is 1.365 tax -> 1.37 (banker's rounding would give 1.36)
        ("1", "10.50", "net", "0.13", "0", ("10.50", "11.865", "10.50", "1.37", "11.87")),
        # half-up on the amount: 1 × 0.125 -> 0.13
        ("1", "0.125", "net", "0", "0", ("0.125", "0.125", "0.13", "0.00", "0.13")),
        # 5% off a tax-inclusive 113.00: p = 107.35; gross = 1,073.50; net = 950.00; tax = 123.50
        ("10", "113", "gross", "0.13", "0.05", ("95.0000", "107.35", "950.00", "123.50", "1073.50")),
        # 9% rate, quantity with decimals: 2.5 × 50.00 = 125.00 gross; net = round(114.678899) = 114.68
        ("2.5", "50.00", "gross", "0.09", "0", ("45.8716", "50.00", "114.68", "10.32", "125.00")),
    ],
)
def test_worked_examples(qty, price, basis, rate, discount, expected):
    a = price_line(D(qty), D(price), basis, D(rate), D(discount))
    assert (a.net_price, a.gross_price, a.net, a.tax, a.gross) == tuple(D(x) for x in expected)
    assert a.net + a.tax == a.gross


def test_totals_are_sums_of_rounded_lines():
    # three lines of 1 × 0.333 net at 13%: each is 0.33 + 0.04 = 0.37; the document is 0.99 + 0.12 = 1.11,
    # not the 1.00 + 0.13 a calculation on the unrounded sum (0.999) would give.
    lines = [price_line(D(1), D("0.333"), "net", D("0.13")) for _ in range(3)]
    rows = [{"net_amount": a.net, "tax_amount": a.tax, "gross_amount": a.gross} for a in lines]
    t = totals(rows)
    assert (t.net, t.tax, t.gross) == (D("0.99"), D("0.12"), D("1.11"))


def test_discount_is_measured_against_the_list_price():
    assert given_discount(D("107.35"), D("113.00"), D("0.05")) == D("0.05")
    # a lower price typed without a discount is a discount too: 1 − 100 / 113 = 11.5%
    assert given_discount(D("100"), D("113.00"), D(0)) == D("0.1150")
    # a price above the list price gives none
    assert given_discount(D("120"), D("113.00"), D(0)) == D(0)
    assert given_discount(D("100"), None, D("0.03")) == D("0.03")


@pytest.mark.parametrize(("text", "value"), [("5%", "0.05"), ("5", "0.05"), ("0.05", "0.05"), ("", "0"),
                                             (None, "0"), ("12.5%", "0.125")])
def test_parse_discount(text, value):
    assert parse_discount(text) == D(value)


def test_a_bad_discount_is_refused():
    with pytest.raises(ValidationError):
        parse_discount("abc")


def test_document_totals_equal_the_sum_of_its_lines(engine, world, tx, rd):
    from crm_tui.services.sales import orders
    from crm_tui.services.sales.pricing import LineInput

    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [
            LineInput(world.p1, "3", "37.67", "gross"),
            LineInput(world.p2, "3", "33.335", "net", tax_rate="13%"),
            LineInput(world.p3, "2.5", None),  # the list price, 50.00 tax-inclusive at 9%
        ])
    with rd() as s:
        view = orders.get_order(s, world.admin, oid)
    assert [ln.gross_amount for ln in view.lines] == [D("113.01"), D("113.01"), D("125.00")]
    assert view.net_total == sum(ln.net_amount for ln in view.lines) == D("314.70")
    assert view.tax_total == sum(ln.tax_amount for ln in view.lines) == D("36.32")
    assert view.gross_total == D("351.02") == view.net_total + view.tax_total
    assert view.lines[2].tax_rate == D("0.09")


def test_last_price_paid_is_the_default(engine, world, tx, rd):
    from crm_tui.services.sales import orders
    from crm_tui.services.sales.pricing import LineInput, last_price

    with tx(world.clerk) as s:
        first = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 2, "110.00", "gross")])
        orders.confirm_order(s, world.clerk, first)
        second = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 1)])
        other = orders.create_order(s, world.clerk, world.c2, [LineInput(world.p1, 1)])
    with rd() as s:
        assert last_price(s, world.c1, world.p1).price == D("110.00")
        assert last_price(s, world.c2, world.p1) is None
        assert orders.get_order(s, world.admin, second).lines[0].gross_price == D("110.00")
        # another customer gets the list price
        assert orders.get_order(s, world.admin, other).lines[0].gross_price == D("113.00")
