"""The sentences of approval requests, stored as a code and parameters and rendered in the reader's language.

A request is read by people who may use another language than its writer, so the sentence is made when it is
shown. Parameters are stored raw (decimals as strings, roles as codes) and formatted here; rows written before
codes existed keep their stored text.
"""

from __future__ import annotations

import json
from decimal import Decimal

from crm_tui.i18n import _, gettext_in

# code -> the English msgid of the sentence
MESSAGES = {
    "order_discount": "Order {order}: discount {discount} is beyond the limit {limit} of {role}",
    "expense": "Expense {number} of {who}: {category} {amount}",
    "order_credit": "Order {order}: {amount} is over the credit limit {credit_limit} (already used {exposure})",
}
_PERCENT = frozenset({"discount", "limit"})
_MONEY = frozenset({"amount", "credit_limit", "exposure"})
_CODES = frozenset({"role"})  # stored codes shown through the catalogue (en/codes.toml, zh_CN)


def encode(**args: object) -> str:
    """The parameters as stored: JSON with decimals as strings."""
    return json.dumps({k: str(v) if isinstance(v, Decimal) else v for k, v in args.items()}, ensure_ascii=False,
                      sort_keys=True)


def _formatted(args: dict, translate) -> dict:
    out = {}
    for key, value in args.items():
        if key in _PERCENT:
            out[key] = f"{Decimal(value):.2%}"
        elif key in _MONEY:
            out[key] = f"{Decimal(value):,.2f}"
        elif key in _CODES:
            out[key] = translate(value)
        else:
            out[key] = value
    return out


def render(code: str | None, args: str | None, fallback: str, *, language: str | None = None) -> str:
    """The sentence in the current language (or ``language``); ``fallback`` for rows without a known code."""
    template = MESSAGES.get(code or "")
    if template is None:
        return fallback
    translate = _ if language is None else (lambda msg: gettext_in(language, msg))
    try:
        return translate(template).format(**_formatted(json.loads(args or "{}"), translate))
    except (KeyError, ValueError, ArithmeticError):
        return fallback  # parameters that do not fit the sentence: the stored English text is still readable


def english(code: str, args: str) -> str:
    """The stored fallback text (``Approval.summary``), in English whatever the writer's language."""
    return render(code, args, code, language="en")[:300]
