"""Sales by region (片区), industry, classification, salesperson and product, with the same period of last year
(同比) and the previous period (环比)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.products import Product
from crm_tui.db.models.sales import SalesOrder, SalesOrderLine
from crm_tui.i18n import _
from crm_tui.services.analysis.common import (
    ZERO,
    Chart,
    Column,
    Period,
    Report,
    change,
    period_or,
    this_month,
    visible_orders,
)

GROUPS = {  # by -> (report name, title msgid, key header msgid)
    "region": ("by-region", "Sales by region", "Region"),
    "industry": ("by-industry", "Sales by industry", "Industry"),
    "classification": ("by-classification", "Sales by classification", "Classification"),
    "salesperson": ("by-salesperson", "Sales by salesperson", "Salesperson"),
    "product": ("by-product", "Sales by product", "Product"),
}


def _columns(by: str) -> list[Column]:
    return [Column("key", GROUPS[by][2]), Column("amount", "Amount", "money"),
            Column("amount_last_year", "Same period last year", "money"), Column("yoy", "Year on year", "rate"),
            Column("amount_previous", "Previous period", "money"), Column("mom", "On previous period", "rate")]


def _amounts(session: Session, actor: Actor, by: str, period: Period) -> dict[str, Decimal]:
    live = (*visible_orders(session, actor), SalesOrder.order_date.between(period.start, period.end))
    if by == "product":
        stmt = (select(Product.code, Product.name, func.sum(SalesOrderLine.gross_amount))
                .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
                .join(Product, Product.id == SalesOrderLine.product_id)
                .where(*live).group_by(Product.code, Product.name))
        return {f"{code} {name}": amount or ZERO for code, name, amount in session.execute(stmt)}
    if by == "salesperson":
        stmt = (select(User.display_name, func.sum(SalesOrder.gross_total)).select_from(SalesOrder)
                .outerjoin(User, User.id == SalesOrder.owner_id).where(*live).group_by(User.display_name))
    else:
        column = {"region": Customer.area, "industry": Customer.industry,
                  "classification": Customer.classification}[by]
        stmt = (select(column, func.sum(SalesOrder.gross_total)).select_from(SalesOrder)
                .join(Customer, Customer.id == SalesOrder.customer_id).where(*live).group_by(column))
    out: dict[str, Decimal] = {}
    for key, amount in session.execute(stmt):
        # a customer's classification holds several labels ("A类,重点"): its sales count under each
        labels = [p.strip() for p in (key or "").replace("，", ",").split(",") if p.strip()] \
            if by == "classification" else [key or ""]
        for label in labels or [""]:
            out[label] = out.get(label, ZERO) + (amount or ZERO)
    return out


def breakdown(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None,
              *, by: str) -> Report:
    if by not in GROUPS:
        raise ValidationError(_("Group by one of: {groups}").format(groups=", ".join(GROUPS)), field="by")
    period = period_or(date_from, date_to, this_month())
    now = _amounts(session, actor, by, period)
    last_year = _amounts(session, actor, by, period.last_year())
    previous = _amounts(session, actor, by, period.previous())
    rows = []
    for key in sorted(set(now) | set(last_year) | set(previous)):
        a, ly, pp = now.get(key, ZERO), last_year.get(key, ZERO), previous.get(key, ZERO)
        rows.append({"key": key or _("(none)"), "amount": a, "amount_last_year": ly, "yoy": change(a, ly),
                     "amount_previous": pp, "mom": change(a, pp)})
    rows.sort(key=lambda r: (-r["amount"], -r["amount_last_year"], r["key"]))
    name, title, _header = GROUPS[by]
    prev, ly = period.previous(), period.last_year()
    rule = _("Tax-inclusive amounts of confirmed orders dated {start} to {end}, against the same period last "
             "year ({ly_start} to {ly_end}) and the previous period ({p_start} to {p_end}).").format(
        start=period.start, end=period.end, ly_start=ly.start, ly_end=ly.end, p_start=prev.start, p_end=prev.end)
    return Report(name, title, rule, _columns(by), rows,
                  Chart("bar", "key", ("amount", "amount_last_year")))
