"""What the opportunities and messaging areas give the analyses (see hooks.py): the funnel, opportunities by
source and campaign results, each for a period and as the reader may see them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import PermissionDenied


def funnel(session: Session, actor: Actor, period) -> list[dict]:
    """Per stage, in order: the opportunities closed, or expected to close, in the period — the stage figures of
    the funnel report (summed by stage in SQL, without the report's history figures the dashboard does not show)."""
    from crm_tui.db.models.opportunities import Opportunity
    from crm_tui.services.opportunities import stages as st
    from crm_tui.services.opportunities.records import visible_clause

    day = func.coalesce(Opportunity.closed_on, Opportunity.expected_close)  # as the funnel report chooses them
    stmt = (select(Opportunity.stage_id, func.count(Opportunity.id), func.sum(Opportunity.expected_amount))
            .where(visible_clause(session, actor), day >= period.start, day <= period.end)
            .group_by(Opportunity.stage_id))
    found = {stage_id: (n, amount or Decimal(0)) for stage_id, n, amount in session.execute(stmt)}
    rows = []
    for s in st.list_stages(session, include_inactive=True) or st.default_stage_views():
        n, amount = found.get(s.id, (0, Decimal(0)))
        rows.append({"stage": s.name, "count": n, "amount": amount.quantize(Decimal("0.01"), ROUND_HALF_UP)})
    return rows


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
