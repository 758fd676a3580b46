"""含税 ⇄ 不含税: switching a price's basis converts it (net = round(gross / (1 + r), 4)), and the 折扣 shown."""

from decimal import Decimal as D

import pytest

from crm_tui.core.errors import ValidationError
from crm_tui.services.sales.pricing import convert_price, shown_discount


@pytest.mark.parametrize(
    ("price", "rate", "frm", "to", "expected"),
    [
        ("19.90", "0.13", "gross", "net", "17.6106"),  # 19.90 / 1.13 = 17.61061…
        ("17.6106", "0.13", "net", "gross", "19.9000"),  # 17.6106 × 1.13 = 19.899978 -> 19.9000
        ("113.00", "0.13", "gross", "net", "100.0000"),
        ("10.00", "0.09", "net", "gross", "10.9000"),
        ("0.00005", "0", "gross", "net", "0.0001"),  # half-up at the fourth place, not banker's
        ("19.90", "0.13", "gross", "gross", "19.90"),  # same basis: unchanged
    ],
)
def test_convert_price(price, rate, frm, to, expected):
    got = convert_price(D(price), D(rate), frm, to)
    assert got == D(expected) and str(got) == expected


def test_convert_price_refuses_an_unknown_basis():
    with pytest.raises(ValidationError):
        convert_price(D("1"), D("0.13"), "gross", "tax")


def test_shown_discount_of_a_lower_typed_price():
    assert shown_discount(D("101.70"), D(0), D("113.00")) == D("0.1000")  # 1 − 101.70/113.00
    assert shown_discount(D("113.00"), D("0.05"), D("113.00")) == D("0.0500")  # typed discount
    assert shown_discount(D("120.00"), D(0), D("113.00")) == D(0)  # above the list price: none
    assert shown_discount(D("50.00"), D(0), None) == D(0)  # no list price: only the typed one


def test_line_columns_fit_the_width():
    from rich.cells import cell_len

    from crm_tui.screens.sales.entry import LINE_HEADS, fit_columns, line_text

    head = [label for label, _right in LINE_HEADS]
    row = ["1", "P001", "青岛啤酒 500ml×12 听装礼盒", "3", "100.00", "113.00", "10%", "13%", "300.00", "39.00",
           "1,017.00"]
    wide = fit_columns([head, row], 116)
    assert [i for i, _w, _r in wide] == list(range(11))  # everything, sized to content
    assert cell_len(line_text(row, wide)) <= 116 and "1,017.00" in line_text(row, wide)
    narrow = fit_columns([head, row], 70)
    kept = [i for i, _w, _r in narrow]
    assert 10 in kept and 2 in kept and 4 not in kept  # 价税合计 and the name stay; the net price goes first
    assert cell_len(line_text(row, narrow)) <= 70 and cell_len(line_text(head, narrow)) <= 70
