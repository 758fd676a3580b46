"""Exact money: rounding, tax conversion, parsing, and amounts in Chinese capitals (大写).

Money and quantities are ``Decimal`` everywhere; rounding is half-up (四舍五入) to the fen,
per line, and a document's total is the sum of its rounded lines.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0")
MONEY_PLACES = 2
QUANTITY_PLACES = 4


def to_decimal(value: object) -> Decimal:
    """Turn an int, str or Decimal into Decimal; floats go through ``repr`` so 0.1 stays 0.1."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        return Decimal(value)
    raise TypeError(f"cannot use {type(value).__name__} as an amount")


def round_money(value: object, places: int = MONEY_PLACES) -> Decimal:
    """Round half-up to ``places`` decimals (the fen by default)."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_quantity(value: object) -> Decimal:
    return round_money(value, QUANTITY_PLACES)


# --- tax ---------------------------------------------------------------------------------------

def line_from_net_price(qty: Decimal, net_price: Decimal, rate: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, gross) of a line entered with a net unit price (单价)."""
    net = round_money(qty * net_price)
    tax = round_money(net * rate)
    return net, tax, net + tax


def line_from_gross_price(qty: Decimal, gross_price: Decimal, rate: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, gross) of a line entered with a tax-inclusive unit price (含税单价)."""
    gross = round_money(qty * gross_price)
    net = net_from_gross(gross, rate)
    return net, gross - net, gross


def net_from_gross(gross: Decimal, rate: Decimal, places: int = MONEY_PLACES) -> Decimal:
    """net = round(gross / (1 + rate), places)."""
    return round_money(gross / (1 + rate), places)


def gross_from_net(net: Decimal, rate: Decimal, places: int = MONEY_PLACES) -> Decimal:
    return round_money(net * (1 + rate), places)


def split_gross(gross: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(net, tax) of a tax-inclusive amount: 100.00 at 13% -> (88.50, 11.50)."""
    gross = round_money(gross)
    net = net_from_gross(gross, rate)
    return net, gross - net


def parse_rate(text: object) -> Decimal:
    """A tax rate given as 13%, 0.13 or 13 -> Decimal('0.13')."""
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    percent = s.endswith("%")
    s = s.rstrip("%")
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ValueError(f"not a tax rate: {text!r} (expected e.g. 13%, 0.13 or 13)") from None
    if percent or value >= 1:
        value = value / 100
    if not (ZERO <= value < 1):
        raise ValueError(f"tax rate out of range: {text!r}")
    return value.normalize() if value else ZERO


_MONEY_JUNK = re.compile(r"[¥￥,，\s元]|RMB|CNY", re.IGNORECASE)


def parse_money(text: object) -> Decimal:
    """Parse what people type or paste as an amount: ``1,234.5``, ``¥1234.50``, ``￥2000``, ``(12.00)``."""
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return to_decimal(text)
    s = unicodedata.normalize("NFKC", str(text)).strip()
    negative = s.startswith("(") and s.endswith(")")
    if negative:
        s = s[1:-1]
    s = _MONEY_JUNK.sub("", s)
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", s):
        raise ValueError(f"not an amount: {text!r} (expected e.g. 1,234.50)")
    value = Decimal(s)
    return -value if negative else value


def format_money(value: Decimal | None, symbol: str = "") -> str:
    """``1234567.5`` -> ``1,234,567.50``; None -> empty."""
    if value is None:
        return ""
    return f"{symbol}{round_money(value):,.2f}"


# --- 大写 --------------------------------------------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def _integer_in_words(n: int) -> str:
    digits = str(n)
    if len(digits) > 16:
        raise ValueError("amount too large for Chinese capitals")
    out: list[str] = []
    zero_pending = False
    group_has_digit = False
    for i, ch in enumerate(digits):
        pos = len(digits) - 1 - i
        d = int(ch)
        if d == 0:
            zero_pending = bool(out)
        else:
            if zero_pending:
                out.append("零")
                zero_pending = False
            out.append(_DIGITS[d] + _UNITS[pos % 4])
            group_has_digit = True
        if pos % 4 == 0:
            if group_has_digit:
                out.append(_GROUPS[pos // 4])
                zero_pending = False  # 壹拾万柒仟: a zero just before 万 needs no 零
            group_has_digit = False
    return "".join(out)


def amount_in_words(value: object) -> str:
    """The amount in Chinese capitals by the People's Bank rules.

    12345.67 -> 壹万贰仟叁佰肆拾伍元陆角柒分; 100010000 -> 壹亿零壹万元整; 0.05 -> 伍分; -1 -> 负壹元整.
    """
    amount = round_money(value)
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount) * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    head = _integer_in_words(yuan) + "元" if yuan else ""
    if not cents:
        return sign + (head or "零元") + "整"
    tail = ""
    if jiao:
        tail += _DIGITS[jiao] + "角"
    elif yuan:
        tail += "零"
    if fen:
        tail += _DIGITS[fen] + "分"
    return sign + head + tail


def plain(value: Decimal) -> str:
    """A quantity or rate as people write it: 4.0000 -> "4", 2.5000 -> "2.5", 20.0000 -> "20" (never "2E+1",
    which is what ``str(value.normalize())`` gives)."""
    return format(value.normalize(), "f")
