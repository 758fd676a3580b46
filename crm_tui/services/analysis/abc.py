"""Customer value pyramid and product ABC: grades by sales. A: the customers (products) making the top 80 % of
sales, B: the next 15 %, C: the rest. A customer's grade may be written back as a classification (audited)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.products import Product
from crm_tui.db.models.sales import SalesOrder, SalesOrderLine
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.analysis.common import ZERO, Chart, Column, Period, Report, ratio, visible_orders
from crm_tui.services.common import audit

A_SHARE, B_SHARE = Decimal("0.80"), Decimal("0.95")
GRADE_LABELS = {"A": "A类", "B": "B类", "C": "C类"}  # the classification labels a written-back grade uses

COLUMNS = [Column("grade", "Grade"), Column("code", "Code"), Column("name", "Item name"),
           Column("amount", "Amount", "money"), Column("share", "Share", "rate"),
           Column("cumulative", "Cumulative", "rate")]


def default_period(date_to: date | None = None) -> Period:
    end = date_to or clock.today()
    return Period(end - timedelta(days=364), end)


def grade(amounts: list[tuple[str, str, Decimal]]) -> list[dict]:
    """Rows sorted by amount (largest first) with their grade: A while the share before a row is under 80 %,
    B while under 95 %, C after. Rows with no sales are C."""
    ordered = sorted(amounts, key=lambda r: (-r[2], r[0]))
    total = sum((a for _c, _n, a in ordered if a > 0), ZERO)
    rows, running = [], ZERO
    for code, name, amount in ordered:
        before = running / total if total else Decimal(1)
        g = "C" if amount <= 0 else "A" if before < A_SHARE else "B" if before < B_SHARE else "C"
        running += max(amount, ZERO)
        rows.append({"grade": g, "code": code, "name": name, "amount": amount, "share": ratio(amount, total),
                     "cumulative": ratio(running, total)})
    return rows


def abc(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None,
        *, of: str = "customers") -> Report:
    """Grades of the customers (``of="customers"``) or products (``of="products"``) by the tax-inclusive amount
    of confirmed orders in the period (default the 12 months up to today)."""
    default = default_period(date_to)
    period = Period(date_from or default.start, date_to or default.end)
    live = (*visible_orders(session, actor), SalesOrder.order_date.between(period.start, period.end))
    if of == "products":
        stmt = (select(Product.code, Product.name, func.sum(SalesOrderLine.gross_amount))
                .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
                .join(Product, Product.id == SalesOrderLine.product_id).where(*live)
                .group_by(Product.code, Product.name))
    elif of == "customers":
        per = (select(SalesOrder.customer_id.label("cid"), func.sum(SalesOrder.gross_total).label("amount"))
               .where(*live).group_by(SalesOrder.customer_id).subquery())
        stmt = select(Customer.code, Customer.name, per.c.amount).join(per, per.c.cid == Customer.id)
    else:
        raise ValidationError(_("Grade customers or products, not {what!r}.").format(what=of), field="of")
    rows = grade([(code, name, amount or ZERO) for code, name, amount in session.execute(stmt)])
    counts = {g: sum(1 for r in rows if r["grade"] == g) for g in "ABC"}
    rule = _("Confirmed orders dated {start} to {end}, largest first: A are those making the top 80 % of the "
             "amount, B the next 15 %, C the rest (A {a}, B {b}, C {c}).").format(
        start=period.start, end=period.end, a=counts["A"], b=counts["B"], c=counts["C"])
    title = "Customer value pyramid (ABC)" if of == "customers" else "Products by sales (ABC)"
    return Report("abc" if of == "customers" else "abc-products", title, rule, COLUMNS, rows,
                  Chart("bar", "name", ("amount",), code="code"), summary=counts)


def write_grades(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None) -> int:
    """Write each graded customer's grade into its classification (replacing an earlier A类/B类/C类 label);
    returns how many customers changed. Needs the right to assign records (managers, clerks, administrators)."""
    permissions.require(actor, "records.assign")
    report = abc(session, actor, date_from, date_to)
    grades = {r["code"]: GRADE_LABELS[r["grade"]] for r in report.rows}
    if not grades:
        return 0
    old_labels = set(GRADE_LABELS.values())
    changed = 0
    for customer in session.scalars(select(Customer).where(Customer.code.in_(list(grades)))):
        labels = [p.strip() for p in (customer.classification or "").replace("，", ",").split(",") if p.strip()]
        new = ",".join([grades[customer.code], *[p for p in labels if p not in old_labels]])
        if new != (customer.classification or ""):
            customer.classification = new  # the flush writes the field diff to the audit log
            changed += 1
    audit.record(session, "analysis", "abc", "write_grades",
                 {"changed": changed, "graded": len(grades), "rule": report.rule})
    return changed
