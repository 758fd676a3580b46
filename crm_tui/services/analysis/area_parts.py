"""What the opportunities and messaging areas give the analyses (see hooks.py): the funnel, opportunities by
source and campaign results, each for a period and as the reader may see them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import PermissionDenied


def funnel(session: Session, actor: Actor, period) -> list[dict]:
    """Per stage, in order: the opportunities closed, or expected to close, in the period."""
    from crm_tui.services.opportunities.funnel import funnel as figures

    found = figures(session, actor, date_from=period.start, date_to=period.end)
    return [{"stage": s.name, "count": s.count, "amount": s.amount} for s in found.stages]


def opportunities_by_source(session: Session, actor: Actor, period) -> list[dict]:
    """Opportunities entered in the period, by source."""
    from crm_tui.db.models.opportunities import Opportunity
    from crm_tui.services.opportunities.records import visible_clause

    start = datetime.combine(period.start, time.min)
    end = datetime.combine(period.end + timedelta(days=1), time.min)
    stmt = (select(Opportunity.source, func.count(Opportunity.id), func.sum(Opportunity.expected_amount))
            .where(visible_clause(session, actor), Opportunity.created_at >= start, Opportunity.created_at < end)
            .group_by(Opportunity.source))
    return [{"source": source, "count": n, "amount": amount or Decimal(0)} for source, n, amount in session.execute(stmt)]


def campaign_results(session: Session, actor: Actor, period) -> list[dict]:
    """Campaigns running in the period (those without dates too): sent, orders and amount attributed. The
    number of responding customers is not counted by the campaign report, so it stays empty."""
    from crm_tui.services.messaging import campaigns

    try:
        reports = campaigns.list_campaigns(session, actor)
    except PermissionDenied:  # campaigns are a manager's: a salesperson's report has none
        return []
    return [{"campaign": r.name, "sent": r.counts.get("sent", 0), "responses": None, "orders": r.orders,
             "amount": r.amount} for r in reports
            if (r.starts_on is None or r.starts_on <= period.end) and (r.ends_on is None or r.ends_on >= period.start)]
