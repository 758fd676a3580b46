"""Price rise / cut candidates (可涨价 / 应降价): each product's average net price, quantity and margin in the
period against the previous period.

- rise: the price rose and the quantity held within the tolerance, or the margin is below its category's;
- cut: the price rose and the quantity fell beyond the tolerance, or the stock is slow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.db.models.products import Product
from crm_tui.db.models.sales import SalesOrder, SalesOrderLine, SalesStockOut, SalesStockOutLine
from crm_tui.i18n import _
from crm_tui.services.analysis.common import (
    ZERO,
    Chart,
    Column,
    Period,
    Report,
    change,
    period_or,
    ratio,
    setting,
    this_month,
    visible_orders,
)
from crm_tui.services.sales import permissions as perms
from crm_tui.services.stock.units import base_sql

PRICE = Decimal("0.01")

COLUMNS = [Column("suggestion", "Suggestion"), Column("product_code", "Product code"),
           Column("product_name", "Product"), Column("category", "Category"),
           Column("price", "Avg net price", "decimal"), Column("price_previous", "Previous price", "decimal"),
           Column("price_change", "Price change", "rate"), Column("quantity", "Quantity", "decimal"),
           Column("quantity_previous", "Previous quantity", "decimal"),
           Column("quantity_change", "Quantity change", "rate"), Column("margin", "Margin rate", "rate"),
           Column("margin_previous", "Previous margin", "rate"), Column("category_margin", "Category margin", "rate"),
           Column("reason", "Reason")]


@dataclass
class _Figures:
    code: str
    name: str
    category: str
    quantity: Decimal = ZERO
    net: Decimal = ZERO
    shipped_net: Decimal = ZERO
    cost: Decimal = ZERO

    @property
    def price(self) -> Decimal | None:
        return (self.net / self.quantity).quantize(PRICE) if self.quantity else None

    @property
    def margin(self) -> Decimal | None:
        return ratio(self.shipped_net - self.cost, self.shipped_net)


def _figures(session: Session, actor: Actor, period: Period) -> dict[int, _Figures]:
    out: dict[int, _Figures] = {}
    sold = (select(Product.id, Product.code, Product.name, Product.category,
                   func.sum(base_sql(SalesOrderLine.quantity, SalesOrderLine.unit_factor)),  # base units
                   func.sum(SalesOrderLine.net_amount))
            .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
            .join(Product, Product.id == SalesOrderLine.product_id)
            .where(*visible_orders(session, actor), SalesOrder.order_date.between(period.start, period.end))
            .group_by(Product.id, Product.code, Product.name, Product.category))
    for pid, code, name, category, qty, net in session.execute(sold):
        out[pid] = _Figures(code, name, category or "", qty or ZERO, net or ZERO)
    shipped = (select(Product.id, Product.code, Product.name, Product.category,
                      func.sum(SalesStockOutLine.net_amount), func.sum(SalesStockOutLine.cost_amount))
               .join(SalesStockOut, SalesStockOut.id == SalesStockOutLine.stock_out_id)
               .join(Product, Product.id == SalesStockOutLine.product_id)
               .where(SalesStockOut.status == "confirmed", SalesStockOut.out_date.between(period.start, period.end),
                      perms.visible_clause(session, actor, SalesStockOut.customer_id))
               .group_by(Product.id, Product.code, Product.name, Product.category))
    for pid, code, name, category, net, cost in session.execute(shipped):
        f = out.setdefault(pid, _Figures(code, name, category or ""))
        f.shipped_net, f.cost = net or ZERO, cost or ZERO
    return out


def candidates(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None) -> Report:
    """The period defaults to this month; the previous period is the one before it of the same length."""
    from crm_tui.services.stock.analysis import slow_movers

    period = period_or(date_from, date_to, this_month())
    tolerance, min_change, gap = (setting("price_quantity_tolerance"), setting("price_change_min"),
                                  setting("margin_gap"))
    now, before = _figures(session, actor, period), _figures(session, actor, period.previous())
    categories: dict[str, list[Decimal]] = {}
    for f in now.values():
        c = categories.setdefault(f.category, [ZERO, ZERO])
        c[0] += f.shipped_net
        c[1] += f.cost
    category_margin = {k: ratio(net - cost, net) for k, (net, cost) in categories.items()}
    slow = {m.product_code: m for m in slow_movers(session)}
    before_by_code = {f.code: f for f in before.values()}
    current = {f.code: f for f in now.values()}
    for code, m in slow.items():  # slow stock is a cut candidate even when nothing of it sold
        if code not in current:
            current[code] = _Figures(code, m.product_name, "")
    rows = []
    for code, f in current.items():
        b = before_by_code.get(code)
        price_change = change(f.price, b.price) if b and b.price and f.price is not None else None
        qty_change = change(f.quantity, b.quantity) if b else None
        rose = price_change is not None and price_change >= min_change
        cm = category_margin.get(f.category)
        rise, cut = [], []
        if rose and qty_change is not None and abs(qty_change) <= tolerance:
            rise.append(_("price rose, quantity held"))
        if f.margin is not None and cm is not None and f.margin < cm - gap:
            rise.append(_("margin below the category's"))
        if rose and qty_change is not None and qty_change < -tolerance:
            cut.append(_("price rose, quantity fell"))
        if code in slow:
            cut.append(_("slow stock"))
        for suggestion, reasons in (("rise", rise), ("cut", cut)):
            if reasons:
                rows.append({"suggestion": suggestion, "product_code": f.code, "product_name": f.name,
                             "category": f.category, "price": f.price, "price_previous": b.price if b else None,
                             "price_change": price_change, "quantity": f.quantity,
                             "quantity_previous": b.quantity if b else None, "quantity_change": qty_change,
                             "margin": f.margin, "margin_previous": b.margin if b else None,
                             "category_margin": cm, "reason": "; ".join(reasons)})
    rows.sort(key=lambda r: (r["suggestion"] != "rise", r["product_code"]))
    prev = period.previous()
    rule = _("Products ordered from {start} to {end} against {p_start} to {p_end}. Rise: the average net price "
             "rose by {min} or more and the quantity changed within ±{tol}, or the margin (shipped net less its "
             "moving-average cost) is more than {gap} below the category's. Cut: the price rose and the quantity "
             "fell by more than {tol}, or the stock is slow (settings [analysis], [stock] slow_mover_days).").format(
        start=period.start, end=period.end, p_start=prev.start, p_end=prev.end, min=f"{min_change:.0%}",
        tol=f"{tolerance:.0%}", gap=f"{gap:.0%}")
    return Report("prices", "Price rise / cut candidates", rule, COLUMNS, rows,
                  Chart("bar", "product_name", ("price", "price_previous"), code="product_code"))
