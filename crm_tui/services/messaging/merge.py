"""Merge fields ({客户名称} …) and SMS length as carriers count it."""

from __future__ import annotations

import re

from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _

# The fields a template may use; what fills each is in templates.context_for.
FIELDS = ("客户名称", "联系人", "订单号", "金额", "大写金额", "快递公司", "快递单号", "到期日", "业务员", "公司名称")
_FIELD = re.compile(r"\{([^{}\s]*)\}")


def fields_in(text: str) -> list[str]:
    return _FIELD.findall(text or "")


def check_fields(text: str, where: str) -> None:
    """Refuse a text naming a field we cannot fill; the error names the field and where it is."""
    for name in fields_in(text):
        if name not in FIELDS:
            raise ValidationError(
                _("Unknown merge field {{{field}}} in the {where}; the fields are: {known}").format(
                    field=name, where=_(where), known=" ".join("{" + f + "}" for f in FIELDS)), field=where)


def fill(text: str, values: dict[str, str]) -> str:
    return _FIELD.sub(lambda m: str(values.get(m.group(1), "")) if m.group(1) in FIELDS else m.group(0), text or "")


# GSM 03.38: the basic set counts one septet a character, the extension set two (escape + character).
_GSM_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
_GSM_EXTENDED = set("^{}\\[~]|€\f")


def sms_length(text: str) -> tuple[int, int, str]:
    """(units, parts, encoding): GSM-7 text fits 160 septets in one message, 153 a part once split; anything
    else (Chinese) is UCS-2: 70 characters in one message, 67 a part. Characters outside the BMP (emoji) take
    two UCS-2 units."""
    if all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text):
        units = sum(2 if c in _GSM_EXTENDED else 1 for c in text)
        single, part, enc = 160, 153, "gsm7"
    else:
        units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
        single, part, enc = 70, 67, "ucs2"
    if units <= single:
        return units, (1 if units else 0), enc
    return units, -(-units // part), enc
