"""``crm report receivables --by due``: the receivables split by days past their due dates (payment terms,
services/sales/terms.py)."""

from __future__ import annotations

from crm_tui.cli.common import echo_json, echo_table
from crm_tui.cli.sales.common import money, read_as_user
from crm_tui.i18n import _


def echo_by_due(state, day, fmt) -> None:
    """``crm report receivables --by due``: balances split by days past the due date."""
    from crm_tui.services.sales import terms

    rows = read_as_user(state, lambda s, a: terms.receivables_by_due_date(s, a, day))
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table([_("Code"), _("Customer"), _("Salesperson"), _("Balance"), _("Not yet due"), _("1-30 days late"),
                _("31-60 days late"), _("61-90 days late"), _("Over 90 days late")],
               [[r.customer_code, r.customer_name, r.salesperson, money(r.balance), *map(money, r.buckets)]
                for r in rows])
