from decimal import Decimal as D

import pytest

from crm_tui.core.money import (
    amount_in_words,
    line_from_gross_price,
    line_from_net_price,
    parse_money,
    parse_rate,
    round_money,
    split_gross,
)


@pytest.mark.parametrize(
    "amount, words",
    [
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("100010000", "壹亿零壹万元整"),
        ("10", "壹拾元整"),
        ("0.05", "伍分"),
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("-1409.50", "负壹仟肆佰零玖元伍角"),
        ("0", "零元整"),
        ("200100", "贰拾万零壹佰元整"),
        ("100000001", "壹亿零壹元整"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("1000700", "壹佰万零柒佰元整"),
        ("0.5", "伍角"),
        ("3.005", "叁元零壹分"),  # rounded half-up to the fen first
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(D(amount)) == words


def test_half_up_rounding_not_bankers():
    assert round_money(D("2.675")) == D("2.68")
    assert round_money(D("2.665")) == D("2.67")
    assert round_money(D("-2.675")) == D("-2.68")


def test_tax_from_gross_and_net():
    assert split_gross(D("100.00"), D("0.13")) == (D("88.50"), D("11.50"))
    assert line_from_net_price(D("3"), D("33.333"), D("0.13")) == (D("100.00"), D("13.00"), D("113.00"))
    net, tax, gross = line_from_gross_price(D("3"), D("37.67"), D("0.13"))
    assert (net, tax, gross) == (D("100.01"), D("13.00"), D("113.01"))
    assert net + tax == gross


@pytest.mark.parametrize("text, value", [("1,234.5", "1234.5"), ("¥1234.50", "1234.50"), ("￥2000", "2000"),
                                         ("１２３.４", "123.4"), ("(12.00)", "-12.00"), (" 5 元 ", "5")])
def test_parse_money(text, value):
    assert parse_money(text) == D(value)


@pytest.mark.parametrize("bad", ["abc", "1.2.3", "", "12,34a"])
def test_parse_money_rejects(bad):
    with pytest.raises(ValueError):
        parse_money(bad)


@pytest.mark.parametrize("text", ["13%", "0.13", "13", " 13 % "])
def test_parse_rate(text):
    assert parse_rate(text) == D("0.13")


def test_plain_numbers_never_take_an_exponent():
    from decimal import Decimal

    from crm_tui.core.money import plain

    assert [plain(Decimal(t)) for t in ("20.0000", "2.5000", "100", "0.0000", "13")] == ["20", "2.5", "100", "0", "13"]
