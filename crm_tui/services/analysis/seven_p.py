"""The 7P views that are not lists of their own elsewhere: Profiling (segments), Profitability (gross margin by
customer and product), Prospecting (new customers and opportunities by source) and Promotion (campaigns).
Persistency is ``cohort``, Performance ``targets``, Product ``abc`` of products."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.sales import SalesOrder
from crm_tui.i18n import _
from crm_tui.services.analysis import hooks
from crm_tui.services.analysis.common import (
    ZERO,
    Chart,
    Column,
    Report,
    period_or,
    ratio,
    this_month,
    visible_orders,
)
from crm_tui.services.customers.visibility import visible_customers_clause

SEGMENTS = {"classification": Customer.classification, "region": Customer.area, "industry": Customer.industry}


def profiling(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None) -> Report:
    """Customer segments by classification, region and industry: how many customers, and their sales."""
    period = period_or(date_from, date_to, this_month())
    per = (select(SalesOrder.customer_id.label("cid"), func.sum(SalesOrder.gross_total).label("amount"))
           .where(*visible_orders(session, actor), SalesOrder.order_date.between(period.start, period.end))
           .group_by(SalesOrder.customer_id).subquery())
    rows = []
    for dim, column in SEGMENTS.items():
        stmt = (select(column, func.count(Customer.id), func.sum(per.c.amount))
                .select_from(Customer).outerjoin(per, per.c.cid == Customer.id)
                .where(visible_customers_clause(session, actor), Customer.status == "active").group_by(column))
        acc: dict[str, list] = {}
        for key, n, amount in session.execute(stmt):
            labels = [p.strip() for p in (key or "").replace("，", ",").split(",") if p.strip()] \
                if dim == "classification" else [key or ""]
            for label in labels or [""]:
                a = acc.setdefault(label, [0, ZERO])
                a[0] += n
                a[1] += Decimal(amount or 0)
        for label, (n, amount) in sorted(acc.items(), key=lambda kv: (-kv[1][1], kv[0])):
            rows.append({"dimension": _(dim.capitalize()), "segment": label or _("(none)"), "customers": n,
                         "amount": amount})
    rule = _("Active customers you may see, counted per classification label, region and industry, with their "
             "confirmed orders (tax-inclusive) from {start} to {end}.").format(start=period.start, end=period.end)
    columns = [Column("dimension", "Dimension"), Column("segment", "Segment"),
               Column("customers", "Customers", "integer"), Column("amount", "Amount", "money")]
    return Report("profiling", "Customer segments", rule, columns, rows, Chart("bar", "segment", ("amount",)))


def profitability(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None,
                  *, by: str = "customer") -> Report:
    """Gross margin of what shipped in the period by customer or product (net less moving-average cost)."""
    from crm_tui.services.sales.reports import sales_summary

    if by not in ("customer", "product"):
        raise ValidationError(_("Group by one of: {groups}").format(groups="customer, product"), field="by")
    period = period_or(date_from, date_to, this_month())
    rows = [{"code": r.key, "name": r.name, "shipped_net": r.shipped_net, "cost": r.cost, "margin": r.margin,
             "margin_rate": r.margin_rate} for r in sales_summary(session, actor, period.start, period.end, by=by)
            if r.shipped_net or r.cost]
    rows.sort(key=lambda r: (-r["margin"], r["code"]))
    rule = _("What shipped (confirmed stock-outs) from {start} to {end} at its net sale value, less the "
             "moving-average cost the stock ledger took out for it.").format(start=period.start, end=period.end)
    columns = [Column("code", "Code"), Column("name", "Item name"), Column("shipped_net", "Shipped (net)", "money"),
               Column("cost", "Cost", "money"), Column("margin", "Gross margin", "money"),
               Column("margin_rate", "Margin rate", "rate")]
    title = "Gross margin by customer" if by == "customer" else "Gross margin by product"
    return Report(f"margin-{by}", title, rule, columns, rows,
                  Chart("stacked", "name", ("cost", "margin"), code="code"))


def prospecting(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None) -> Report:
    """New customers by source in the period, and opportunities by source once the CRM area supplies them."""
    period = period_or(date_from, date_to, this_month())
    stmt = (select(Customer.source, func.count(Customer.id))
            .where(visible_customers_clause(session, actor), Customer.created_on.between(period.start, period.end))
            .group_by(Customer.source))
    counts = {src or "": n for src, n in session.execute(stmt)}
    opportunities = hooks.call("opportunities_by_source", session, actor, period)
    opp = {r["source"] or "": r for r in opportunities or []}
    rows = [{"source": src or _("(none)"), "new_customers": counts.get(src, 0),
             "opportunities": opp[src]["count"] if src in opp else None,
             "opportunity_amount": opp[src]["amount"] if src in opp else None}
            for src in sorted(set(counts) | set(opp), key=lambda s: (-counts.get(s, 0), s))]
    notes = [] if opportunities is not None else [_("Opportunities: not available yet.")]
    rule = _("Customers created from {start} to {end} by source; opportunities by source.").format(
        start=period.start, end=period.end)
    columns = [Column("source", "Source"), Column("new_customers", "New customers", "integer"),
               Column("opportunities", "Opportunities", "integer"),
               Column("opportunity_amount", "Opportunity amount", "money")]
    return Report("prospecting", "New customers by source", rule, columns, rows,
                  Chart("bar", "source", ("new_customers",)), notes=notes)


def promotion(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None) -> Report:
    """Campaign results, once the messaging area supplies them."""
    period = period_or(date_from, date_to, this_month())
    found = hooks.call("campaigns", session, actor, period)
    rows = [{"campaign": r["campaign"], "sent": r.get("sent"), "responses": r.get("responses"),
             "orders": r.get("orders"), "amount": r.get("amount"),
             "response_rate": ratio(Decimal(r.get("responses") or 0), Decimal(r["sent"])) if r.get("sent") else None}
            for r in found or []]
    notes = [] if found is not None else [_("Campaigns: not available yet.")]
    rule = _("Campaigns from {start} to {end}: messages sent, responses, orders and their amount.").format(
        start=period.start, end=period.end)
    columns = [Column("campaign", "Campaign"), Column("sent", "Sent", "integer"),
               Column("responses", "Responses", "integer"), Column("orders", "Orders", "integer"),
               Column("amount", "Amount", "money"), Column("response_rate", "Response rate", "rate")]
    return Report("promotion", "Campaign results", rule, columns, rows, Chart("bar", "campaign", ("amount",)),
                  notes=notes)
