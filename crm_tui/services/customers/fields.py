"""Field rules of customers and contacts: phones, the unified social credit code, e-mail, names, money.

Each ``clean_*`` takes what a person typed (or a cell held) and returns the stored form, or raises
``ValueError`` (``io.cells.CellError``) with a message saying what is expected; services turn it into a
``ValidationError`` naming the field, forms show it as you type. The value rules themselves are the import
framework's cell parsers (crm_tui/io/cells.py), so a phone or a credit code is judged the same way whether it
was typed into a form, given to the CLI or read from a workbook.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from crm_tui.i18n import _
from crm_tui.io import cells

CREDIT_ALPHABET = cells.CREDIT_ALPHABET
credit_check_char = cells.credit_check_character
_FLOAT_TEXT = re.compile(r"\d+\.0+")


def float_text(value: object) -> object:
    """A number that went through a float on its way to a CSV or a clipboard: "13800138000.0" -> 13800138000.

    It comes back as the number it was, so it is judged exactly as the number cell it came from (a landline
    that lost its leading 0, ``5398123456.0``, gets the same advice as in the workbook).
    """
    if value.__class__ is str and value[-1:] in "0 " and _FLOAT_TEXT.fullmatch(value.strip()):
        digits = value.strip().split(".")[0]
        return digits if digits[0] == "0" else int(digits)  # a float never prints a leading 0
    return value


def clean_mobile(value: object) -> str:
    return cells.mobile(float_text(value))


def clean_landline(value: object) -> str:
    return cells.landline(float_text(value))


def clean_phone(value: object) -> str:
    """A mobile or a landline (the 电话 column of an import holds either)."""
    return cells.phone(float_text(value))


clean_email = cells.email
clean_credit_code = cells.credit_code
name_key = cells.normalize_key  # how two names are compared to find duplicates


def text(value: object) -> str:
    """NFKC (full-width letters, digits and spaces become ASCII), trimmed; None -> ''."""
    return "" if value is None else cells.text(value)


def prose(value: object) -> str:
    """Free text (summaries, remarks) is only trimmed: NFKC would turn Chinese punctuation ，（） into ASCII."""
    return "" if value is None else str(value).strip()


def clean_name(value: object, limit: int = 200) -> str:
    s = text(value)
    if not s:
        raise ValueError(_("required"))
    if len(s) > limit:
        raise ValueError(_("at most {n} characters").format(n=limit))
    return s


def clean_code(value: object) -> str:
    s = cells.code_text(value).upper() if value is not None else ""
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9_\-./]{0,31}", s):
        raise ValueError(_("expected up to 32 letters, digits or - _ . /"))
    return s


def clean_money(value: object) -> Decimal:
    return cells.money(value.strip() if isinstance(value, str) else value)


# 促销店 kinds, and what people also write for them (an import column, a form field).
PROMOTION_STORES = ("超市促销店", "促销餐饮店")
_PROMOTION_ALIASES = {"超市促销店": "超市促销店", "超市": "超市促销店", "商超": "超市促销店", "supermarket": "超市促销店",
                      "促销餐饮店": "促销餐饮店", "餐饮促销店": "促销餐饮店", "餐饮": "促销餐饮店", "restaurant": "促销餐饮店"}


def promotion_store(value: object) -> str:
    """超市促销店 / 促销餐饮店 (or 超市, 商超, 餐饮 …) → the kind; anything else is an error."""
    key = text(value).lower()
    if key not in _PROMOTION_ALIASES:
        raise cells.CellError(_("expected {kinds} or nothing, got {value!r}").format(
            kinds=" / ".join(PROMOTION_STORES), value=text(value)))
    return _PROMOTION_ALIASES[key]


def labels(value: object) -> str | None:
    """Classification labels: ``A类，重点 / 县城`` -> ``A类,重点,县城``; one label per line works too."""
    if value.__class__ is str and ("\n" in value or "\r" in value):
        value = re.sub(r"\s*[\r\n]+\s*", ",", value.strip())
    parts = [p.strip() for p in re.split(r"[,，、;；/|]", text(value)) if p.strip()]
    return ",".join(dict.fromkeys(parts)) or None


def clean_date(value: object, example: str = "2026-11-03") -> date:
    """A date, a datetime (its day) or ISO text with - or /; the message shows ``example``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(text(value).replace("/", "-"))
    except ValueError as exc:
        raise ValueError(_("expected a date such as {example}").format(example=example)) from exc
