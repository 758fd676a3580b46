"""Demo step: contact-log quotas (联系记录工作量指标) for salespeople and managers, so the quota check
(稽核) of the demo company shows who is short this week and month."""

from __future__ import annotations

TITLE = "Contact-log quotas"

QUOTAS = (("salesperson", "week", 4), ("salesperson", "month", 16), ("manager", "month", 4))


def run(session, ctx) -> None:
    from crm_tui.services.customers import quotas

    for role, period, value in QUOTAS:
        quotas.set_quota(session, ctx.actor, role, period, value)
