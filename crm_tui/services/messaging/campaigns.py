"""Campaigns (营销活动): a target list, a template, a budget and cost, dates; run; results.

Attribution (stated): an order counts for a campaign when its customer was sent the campaign's message and the
order is confirmed with an order date from the day of that send up to ``attribution_days`` days after it.
Orders of customers whose message failed or was skipped do not count. An order may count for several campaigns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, StateError, ValidationError
from crm_tui.core.money import parse_money, round_money
from crm_tui.db.models.messaging import Campaign, OutboxMessage
from crm_tui.i18n import _
from crm_tui.services.messaging import access, sending, targets, templates


def _money(value, name: str) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        d = round_money(parse_money(value))
    except (ValueError, ArithmeticError):
        raise ValidationError(_("{field}: expected an amount, got {value}").format(field=_(name), value=value),
                              field=name) from None
    if d < 0:
        raise ValidationError(_("{field}: cannot be negative").format(field=_(name)), field=name)
    return d


def add_campaign(session: Session, actor: Actor, name: str, list_name: str, template_name: str, *, budget=None,
                 cost=None, starts_on: date | None = None, ends_on: date | None = None,
                 attribution_days: int = 30) -> int:
    access.require_campaigns(actor)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError(_("A campaign needs a name of 1 to 100 characters."), field="name")
    if session.scalar(select(Campaign.id).where(Campaign.name == name)):
        raise ConflictError(_("A campaign named {name} exists already.").format(name=name))
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("The campaign ends before it starts."), field="ends_on")
    if attribution_days < 0:
        raise ValidationError(_("Attribution days: expected 0 or more."), field="attribution_days")
    row = Campaign(name=name, list_id=targets.find_list(session, list_name).id,
                   template_id=templates.find_template(session, template_name).id, budget=_money(budget, "budget"),
                   cost=_money(cost, "cost"), starts_on=starts_on, ends_on=ends_on, attribution_days=attribution_days,
                   status="draft", created_by=actor.id)
    session.add(row)
    session.flush()
    return row.id


def find_campaign(session: Session, name: str) -> Campaign:
    row = session.scalar(select(Campaign).where(Campaign.name == str(name).strip()))
    if row is None:
        raise NotFound(_("No such campaign: {name}").format(name=name))
    return row


def run_campaign(session: Session, actor: Actor, name: str, *, dry_run: bool = False) -> list[sending.Recipient]:
    """Queue the campaign's template for its target list (once: a campaign that ran cannot run again)."""
    access.require_campaigns(actor)
    campaign = find_campaign(session, name)
    if campaign.status == "run":
        raise StateError(_("The campaign {name} has run already.").format(name=campaign.name))
    from crm_tui.db.models.messaging import TargetList

    target = session.get(TargetList, campaign.list_id)
    results = sending.send(session, actor, campaign.template_id, list_name=target.name, dry_run=dry_run,
                           campaign_id=campaign.id)
    if not dry_run:
        campaign.status, campaign.run_at = "run", clock.now()
        session.flush()
    return results


@dataclass(frozen=True)
class CampaignReport:
    name: str
    template: str
    target_list: str
    status: str
    budget: Decimal
    cost: Decimal
    starts_on: date | None
    ends_on: date | None
    attribution_days: int
    counts: dict[str, int]
    customers_reached: int
    orders: int
    amount: Decimal

    def as_json(self) -> dict:
        return {"name": self.name, "template": self.template, "list": self.target_list, "status": self.status,
                "budget": f"{self.budget:.2f}", "cost": f"{self.cost:.2f}",
                "starts_on": self.starts_on.isoformat() if self.starts_on else None,
                "ends_on": self.ends_on.isoformat() if self.ends_on else None,
                "attribution_days": self.attribution_days,
                "sent": self.counts.get("sent", 0), "failed": self.counts.get("failed", 0),
                "skipped": self.counts.get("skipped", 0), "no_address": self.counts.get("no_address", 0),
                "pending": self.counts.get("queued", 0) + self.counts.get("sending", 0),
                "uncertain": self.counts.get("uncertain", 0),
                "customers_reached": self.customers_reached, "orders": self.orders, "amount": f"{self.amount:.2f}",
                "attribution": _("orders confirmed by a customer sent the message, dated from the send up to "
                                 "{days} days after").format(days=self.attribution_days)}


def report(session: Session, actor: Actor, name: str) -> CampaignReport:
    """Sent and failed, and the orders and amount attributed (see the module's rule). Salespeople cannot see
    campaign results; the counts cover the whole campaign."""
    from crm_tui.db.models.messaging import MessageTemplate, TargetList
    from crm_tui.db.models.sales import SalesOrder

    access.require_campaigns(actor)
    c = find_campaign(session, name)
    counts = dict(session.execute(select(OutboxMessage.status, func.count()).where(
        OutboxMessage.campaign_id == c.id).group_by(OutboxMessage.status)).all())
    first_sends = dict(session.execute(select(OutboxMessage.customer_id, func.min(OutboxMessage.sent_at)).where(
        OutboxMessage.campaign_id == c.id, OutboxMessage.status == "sent").group_by(OutboxMessage.customer_id)).all())
    orders, amount = 0, Decimal(0)
    for customer_id, sent_at in first_sends.items():
        start = sent_at.date()
        rows = session.execute(select(SalesOrder.gross_total).where(
            SalesOrder.customer_id == customer_id, SalesOrder.status.in_(("confirmed", "done")),
            SalesOrder.order_date >= start, SalesOrder.order_date <= start + timedelta(days=c.attribution_days)))
        for (total,) in rows:
            orders += 1
            amount += total
    return CampaignReport(c.name, session.get(MessageTemplate, c.template_id).name,
                          session.get(TargetList, c.list_id).name, c.status, c.budget, c.cost, c.starts_on, c.ends_on,
                          c.attribution_days, counts, len(first_sends), orders, amount)


def list_campaigns(session: Session, actor: Actor) -> list[CampaignReport]:
    access.require_campaigns(actor)
    return [report(session, actor, c.name) for c in session.scalars(select(Campaign).order_by(Campaign.id.desc()))]
