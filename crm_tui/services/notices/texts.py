"""The sentences of notifications, stored as a code and parameters and made in the reader's language when shown
(the pattern of services/sales/approval_texts.py). A code no longer known shows as the code itself."""

from __future__ import annotations

import json
from decimal import Decimal

from crm_tui.i18n import _, n_

# code -> the English msgid of the sentence
MESSAGES = {
    "log_reviewed": "{reviewer} reviewed your contact log of {customer}: {comment}",
    "expense_approved": "Your expense claim {number} was approved by {who}",
    "expense_rejected": "Your expense claim {number} was refused by {who}: {comment}",
    "customer_transferred": "Customer {code} {name} was transferred to you by {who}",
    "reminder_due": "Reminder: {note}",
}
# codes whose sentence depends on a count ``n``: (singular, plural)
PLURALS = {
    "customers_transferred": ("{n} customer was transferred to you by {who}",
                              "{n} customers were transferred to you by {who}"),
    "customers_pooled": ("{n} customer of yours went back to the public pool after {days} days without contact: "
                         "{codes}",
                         "{n} customers of yours went back to the public pool after {days} days without contact: "
                         "{codes}"),
}


def encode(params: dict | None) -> str:
    """The parameters as stored: JSON with decimals as strings."""
    return json.dumps({k: str(v) if isinstance(v, Decimal) else v for k, v in (params or {}).items()},
                      ensure_ascii=False, sort_keys=True)


def render(code: str, params: str | dict | None) -> str:
    """The sentence in the current language."""
    args = json.loads(params or "{}") if isinstance(params, str | None) else dict(params)
    if code in PLURALS:
        template = n_(*PLURALS[code], int(args.get("n", 0)))
    elif code in MESSAGES:
        template = _(MESSAGES[code])
    else:
        return code
    try:
        return template.format(**args)
    except (KeyError, ValueError, IndexError):
        return _(MESSAGES.get(code, code))
