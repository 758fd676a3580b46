"""Every cell parser with good and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm_tui.i18n import set_language
from crm_tui.io import cells
from crm_tui.io.cells import CellError


def bad(parse, raw) -> str:
    with pytest.raises(CellError) as info:
        parse(raw)
    assert info.value.expected == str(info.value)
    return info.value.expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  北京　华夏  科技 ", "北京 华夏 科技"),
        ("ＡＢＣ１２３", "ABC123"),
        ("a\tb\nc", "a b c"),
        (1001.0, "1001"),
        (12.5, "12.5"),
        (13800138000.0, "13800138000"),
        (dt.date(2026, 11, 3), "2026-11-03"),
        (dt.datetime(2026, 11, 3, 9, 15), "2026-11-03 09:15"),
        (True, "TRUE"),
        ("\u200b华夏\ufeff", "华夏"),
    ],
)
def test_text(raw, expected):
    assert cells.text(raw) == expected


def test_multiline_text_keeps_line_breaks():
    assert cells.multiline_text("  第一行　 \r\n  第二行  \n\n") == "第一行\n第二行"


def test_text_max():
    parse = cells.text_max(4)
    assert parse("华夏科技") == "华夏科技"
    assert "at most 4" in bad(parse, "华夏科技公司")


def test_normalize_key():
    assert cells.normalize_key(" 北京 华夏 ") == cells.normalize_key("北京华夏") == "北京华夏"
    assert cells.normalize_key("ＡＢＣ Co") == cells.normalize_key("abcco")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("C-001", "C-001"),
        (1001.0, "1001"),
        (123456789012345.0, "123456789012345"),
        (42, "42"),
        ("００７", "007"),
    ],
)
def test_code_text(raw, expected):
    assert cells.code_text(raw) == expected


@pytest.mark.parametrize("raw", [9.1110108e17, 1234567890123456.0, 10**16, "9.1110108E+17", "1E+16"])
def test_code_text_refuses_rounded_numbers(raw):
    assert "format the column as text" in bad(cells.code_text, raw)


def test_code_text_refuses_fraction():
    assert "fraction" in bad(cells.code_text, 12.5)


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        13800138000.0,
        13800138000,
        "+86 138-0013-8000",
        "0086 13800138000",
        "8613800138000",
        "138 0013 8000",
        "（138）0013.8000",
        "１３８００１３８０００",
    ],
)
def test_mobile(raw):
    assert cells.mobile(raw) == "13800138000"


@pytest.mark.parametrize(
    "raw", ["1380013800", "12800138000", "138001380001", "abc", 13800138000.5, "010-12345678"]
)
def test_mobile_bad(raw):
    assert bad(cells.mobile, raw) == "expected an 11-digit mobile number starting with 1"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("010-12345678", "010-12345678"),
        ("(010)12345678", "010-12345678"),
        ("（010）12345678", "010-12345678"),
        ("010 12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("0755-8888123", "0755-8888123"),
        ("075588881234", "0755-88881234"),
        ("0755 8888 1234", "0755-88881234"),
        ("021-12345678-801", "021-12345678-801"),
        ("021-12345678转801", "021-12345678-801"),
        ("021-12345678 ext. 801", "021-12345678-801"),
        ("+86 10 12345678", "010-12345678"),
        ("400-123-4567", "400-123-4567"),
        ("4001234567", "400-123-4567"),
        (4001234567.0, "400-123-4567"),
        ("800 123 4567", "800-123-4567"),
    ],
)
def test_landline(raw, expected):
    assert cells.landline(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["12345678", "010-123456", "010-123456789", 1012345678.0, "13800138000", "010-1234567a", "400-123-456"],
)
def test_landline_bad(raw):
    assert "area code" in bad(cells.landline, raw)


def test_phone_accepts_both():
    assert cells.phone(13800138000.0) == "13800138000"
    assert cells.phone("(0755)88881234") == "0755-88881234"
    assert "mobile number" in bad(cells.phone, "12345")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Li.Ming@Example.COM", "Li.Ming@example.com"),
        (" a@b.cn ", "a@b.cn"),
        ("ｌｉ＠ｑｑ．ｃｏｍ", "li@qq.com"),
    ],
)
def test_email(raw, expected):
    assert cells.email(raw) == expected


@pytest.mark.parametrize("raw", ["a@b", "@b.cn", "a b@c.cn x", "a@@b.cn", "ab.cn", "a@b..cn"])
def test_email_bad(raw):
    assert "e-mail" in bad(cells.email, raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1,000.50", Decimal("1000.50")),
        ("￥2000", Decimal("2000.00")),
        ("¥2,000", Decimal("2000.00")),
        ("１，０００．５", Decimal("1000.50")),
        ("2000元", Decimal("2000.00")),
        ("-12.3", Decimal("-12.30")),
        ("(12.00)", Decimal("-12.00")),
        (1000.5, Decimal("1000.50")),
        (0.1, Decimal("0.10")),
        (0.1 + 0.2, Decimal("0.30")),  # a formula result that Excel shows as 0.30
        (1234567890123.45, Decimal("1234567890123.45")),
        (7, Decimal("7.00")),
        ("1,000.500", Decimal("1000.50")),
        ("5万", Decimal("50000.00")),
        ("1.5 万元", Decimal("15000.00")),
        ("￥1.23456万", Decimal("12345.60")),
    ],
)
def test_money(raw, expected):
    value = cells.money(raw)
    assert value == expected and value.as_tuple().exponent == -2


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "12.345", "", "¥", True, "万", "1.2345678万"])
def test_money_bad(raw):
    message = bad(cells.money, raw)
    assert "amount" in message or "number" in message


def test_nonnegative():
    parse = cells.nonnegative(cells.money)
    assert parse("5") == Decimal("5.00")
    assert "not negative" in bad(parse, "-5")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1,234.5678", Decimal("1234.5678")),
        (2.5, Decimal("2.5")),
        ("-3", Decimal("-3")),
        ("１２", Decimal("12")),
    ],
)
def test_decimal(raw, expected):
    assert cells.decimal(raw) == expected


@pytest.mark.parametrize("raw", ["1e5", "x", "1.2.3", float("nan")])
def test_decimal_bad(raw):
    assert bad(cells.decimal, raw) == "expected a number"


def test_quantity():
    assert cells.quantity("2.5") == Decimal("2.5")
    assert cells.quantity(1 / 3) == Decimal("0.3333")
    assert "4 decimal places" in bad(cells.quantity, "1.23456")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("13%", Decimal("0.13")),
        (0.13, Decimal("0.13")),
        (13, Decimal("0.13")),
        (13.0, Decimal("0.13")),
        ("0.06", Decimal("0.06")),
        ("0", Decimal("0")),
        ("９％", Decimal("0.09")),
    ],
)
def test_rate(raw, expected):
    assert cells.rate(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "150%", "-1", True])
def test_rate_bad(raw):
    assert "tax rate" in bad(cells.rate, raw)


@pytest.mark.parametrize(
    "raw, expected", [(12.0, 12), (12, 12), ("1,200", 1200), ("-3", -3), ("７", 7), ("5.0", 5)]
)
def test_integer(raw, expected):
    assert cells.integer(raw) == expected


@pytest.mark.parametrize("raw", [12.5, "12.5", "abc", True])
def test_integer_bad(raw):
    message = bad(cells.integer, raw)
    assert "whole number" in message or "TRUE/FALSE" in message


D = dt.date(2026, 11, 3)


@pytest.mark.parametrize(
    "raw",
    [
        D,
        dt.datetime(2026, 11, 3, 15, 30),
        46329.0,  # the Excel serial of 2026-11-03
        46329,
        46329.75,
        "2026/11/03",
        "2026-11-3",
        "2026.11.03",
        "2026年11月3日",
        "2026 年 11 月 3 日",
        "20261103",
        20261103.0,
        "２０２６－１１－０３",
        "2026/11/3 0:00:00",
    ],
)
def test_date(raw):
    assert cells.date(raw) == D


@pytest.mark.parametrize(
    "raw",
    [
        "2026-13-01",
        "2026-02-30",
        "11/03/2026",
        "tomorrow",
        "2026-11",
        0.0,
        -5.0,
        3.0,  # a typo, not 1900-01-03
        True,
        dt.time(9, 15),
        "20261340",
    ],
)
def test_date_bad(raw):
    assert "expected a date" in bad(cells.date, raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-11-03 09:15", dt.datetime(2026, 11, 3, 9, 15)),
        ("2026/11/3 9:15:00", dt.datetime(2026, 11, 3, 9, 15)),
        ("2026-11-03T09:15:30", dt.datetime(2026, 11, 3, 9, 15, 30)),
        ("2026年11月3日 9时15分", dt.datetime(2026, 11, 3, 9, 15)),
        ("2026-11-03 09：15", dt.datetime(2026, 11, 3, 9, 15)),
        ("2026-11-03", dt.datetime(2026, 11, 3)),
        (46329.385416666664, dt.datetime(2026, 11, 3, 9, 15)),
        (dt.datetime(2026, 11, 3, 9, 15), dt.datetime(2026, 11, 3, 9, 15)),
        (D, dt.datetime(2026, 11, 3)),
    ],
)
def test_datetime(raw, expected):
    assert cells.datetime(raw) == expected


@pytest.mark.parametrize("raw", ["2026-11-03 25:00", "2026-11-03 9", "2026-11-03 09:61", "noon"])
def test_datetime_bad(raw):
    assert "date and time" in bad(cells.datetime, raw)


@pytest.mark.parametrize("raw", ["是", "yes", "Y", "TRUE", "1", 1.0, True, "√", " 是 "])
def test_boolean_true(raw):
    assert cells.boolean(raw) is True


@pytest.mark.parametrize("raw", ["否", "no", "n", "False", "0", 0.0, False, "×"])
def test_boolean_false(raw):
    assert cells.boolean(raw) is False


@pytest.mark.parametrize("raw", ["maybe", 2.0, "是的吧"])
def test_boolean_bad(raw):
    assert "是" in bad(cells.boolean, raw)


def test_one_of():
    parse = cells.one_of({"正常": "active", "active": "active", "归档": "archived", "Archived": "archived"})
    assert parse(" 正常 ") == "active"
    assert parse("ARCHIVED") == "archived"
    assert bad(parse, "删除") == "expected one of: 正常, active, 归档, Archived"


VALID_CODES = ["91350100M000100Y43", "91440300708461136T"]


@pytest.mark.parametrize("code", VALID_CODES)
def test_credit_code(code):
    assert cells.credit_code(code) == code
    assert cells.credit_code(" " + code.lower()[:9] + " " + code.lower()[9:]) == code
    assert cells.credit_check_character(code[:17]) == code[17]


def test_credit_code_check_character():
    assert "check character" in bad(cells.credit_code, "91350100M000100Y44")
    assert "check character" in bad(cells.credit_code, "91350100M000101Y43")


@pytest.mark.parametrize("raw", ["91350100M000100Y4", "91350100M000100Y433", "91350100I000100Y43", "abc"])
def test_credit_code_shape(raw):
    assert "18-character" in bad(cells.credit_code, raw)


@pytest.mark.parametrize("raw", [9.1110108e17, 911101080000000000, 91110108.0, "9.1110108E+17"])
def test_credit_code_as_number_is_refused(raw):
    assert "format the column as text" in bad(cells.credit_code, raw)


def test_messages_in_chinese():
    set_language("zh_CN")
    try:
        assert bad(cells.mobile, "123") == "应为以 1 开头的 11 位手机号码"
        assert "文本" in bad(cells.credit_code, 9.1110108e17)
    finally:
        set_language("en")
