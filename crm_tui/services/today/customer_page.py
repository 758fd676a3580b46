"""The customer page (客户360): one screen per customer with a tab and a count for each area's records.

``load_page`` checks the customer is visible to the reader (the one NotFound for missing and hidden alike),
then asks every registered tab (registry.CUSTOMER_TABS): each tab is ``fn(session, actor, customer_id) ->
Table``. The tabs of the areas on main are here; opportunities, tickets and documents register theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import CrmError
from crm_tui.core.money import format_money
from crm_tui.db.models.customers import Contact, ContactLog, Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.sales import Quote, Receipt, SalesInvoice, SalesOrder, SalesStockOut
from crm_tui.db.models.visits import VisitUpload
from crm_tui.i18n import _
from crm_tui.services.customers.visibility import require_visible
from crm_tui.services.today import registry
from crm_tui.services.today.registry import Table
from crm_tui.services.today.tables import status, table


@dataclass(frozen=True)
class CustomerPage:
    customer_id: int
    code: str
    name: str
    owner: str | None
    tabs: list[tuple[str, str, Table]]  # (tab id, title in the reader's language, rows)

    def as_json(self) -> dict:
        return {"customer_code": self.code, "customer_name": self.name, "owner": self.owner,
                "tabs": {tid: {"title": title, "count": t.total, "columns": [_(c) for c in t.columns],
                               "rows": [list(r) for r in t.rows]} for tid, title, t in self.tabs}}


def load_page(session: Session, actor: Actor, customer_id: int) -> CustomerPage:
    customer = require_visible(session, actor, customer_id)
    owner = session.get(User, customer.owner_id).display_name if customer.owner_id else None
    tabs = []
    for entry in registry.CUSTOMER_TABS:
        try:
            tabs.append((entry.id, _(entry.title), entry.load()(session, actor, customer_id)))
        except CrmError:  # a tab of an area the reader may not use is absent
            continue
    return CustomerPage(customer.id, customer.code, customer.name, owner, tabs)


# --- the tabs of the areas on main ----------------------------------------------------------------------------

def contacts(session: Session, actor: Actor, customer_id: int) -> Table:
    stmt = (select(Contact.name, Contact.title, Contact.mobile, Contact.landline, Contact.is_primary)
            .where(Contact.customer_id == customer_id).order_by(Contact.is_primary.desc(), Contact.id))
    return table(session, stmt, ("Contact", "Job title", "Mobile", "Phone", "Primary"), lambda *r: r)


def contact_logs(session: Session, actor: Actor, customer_id: int) -> Table:
    from crm_tui.services.customers.contact_logs import KIND_LABELS

    stmt = (select(ContactLog.at, ContactLog.kind, User.display_name, ContactLog.summary, ContactLog.next_follow_up,
                   ContactLog.review_comment)
            .join(User, User.id == ContactLog.author_id).where(ContactLog.customer_id == customer_id)
            .order_by(ContactLog.at.desc(), ContactLog.id.desc()))
    return table(session, stmt, ("Time", "Contact kind", "By", "Summary", "Follow-up", "Review"),
                 lambda at, kind, by, summary, fu, review: (at, _(KIND_LABELS.get(kind, kind)), by, summary, fu,
                                                            review))


def quotes_orders(session: Session, actor: Actor, customer_id: int) -> Table:
    quotes = select(literal("quote").label("kind"), Quote.id, Quote.number, Quote.quote_date.label("day"),
                    Quote.status, Quote.gross_total).where(Quote.customer_id == customer_id)
    orders = select(literal("order").label("kind"), SalesOrder.id, SalesOrder.number,
                    SalesOrder.order_date.label("day"), SalesOrder.status, SalesOrder.gross_total
                    ).where(SalesOrder.customer_id == customer_id)
    both = union_all(quotes, orders).subquery()
    stmt = select(both).order_by(both.c.day.desc(), both.c.kind, both.c.id.desc())
    return table(session, stmt, ("Document", "Number", "Date", "Status", "Amount"),
                 lambda kind, _id, number, day, st, total: (_("Quote") if kind == "quote" else _("Order"),
                                                             number or _("(draft)"), day, status(st), total),
                 lambda kind, doc_id, *_r: f"order:{doc_id}" if kind == "order" else "area:sales")


def stock_outs(session: Session, actor: Actor, customer_id: int) -> Table:
    stmt = (select(SalesStockOut.number, SalesStockOut.out_date, SalesStockOut.status, SalesStockOut.gross_total)
            .where(SalesStockOut.customer_id == customer_id)
            .order_by(SalesStockOut.out_date.desc(), SalesStockOut.id.desc()))
    return table(session, stmt, ("Number", "Date", "Status", "Amount"),
                 lambda number, day, st, total: (number or _("(draft)"), day, status(st), total))


def receipts(session: Session, actor: Actor, customer_id: int) -> Table:
    stmt = (select(Receipt.number, Receipt.received_on, Receipt.status, Receipt.amount_cny)
            .where(Receipt.customer_id == customer_id).order_by(Receipt.received_on.desc(), Receipt.id.desc()))
    return table(session, stmt, ("Number", "Date", "Status", "Amount"),
                 lambda number, day, st, total: (number or _("(draft)"), day, status(st), total))


def invoices(session: Session, actor: Actor, customer_id: int) -> Table:
    stmt = (select(SalesInvoice.number, SalesInvoice.invoice_date, SalesInvoice.kind, SalesInvoice.status,
                   SalesInvoice.gross_amount)
            .where(SalesInvoice.customer_id == customer_id)
            .order_by(SalesInvoice.invoice_date.desc(), SalesInvoice.id.desc()))
    return table(session, stmt, ("Number", "Date", "Invoice kind", "Status", "Amount"),
                 lambda number, day, kind, st, total: (number or _("(draft)"), day, _(kind), status(st), total))


def receivables(session: Session, actor: Actor, customer_id: int) -> Table:
    from crm_tui.services.sales.receivables import BUCKETS, customer_balance

    r = customer_balance(session, actor, customer_id)
    row = (format_money(r.opening), format_money(r.billed), format_money(r.received), format_money(r.balance),
           *(format_money(v) for v in r.aging))
    count = 1 if r.balance else 0
    return Table(("Opening balance", "Billed", "Received", "Balance", *(f"{b} days" for b in BUCKETS)), [row],
                 [f"customer:{customer_id}"], count,
                 _("Balance {balance}").format(balance=format_money(r.balance)))


def visits(session: Session, actor: Actor, customer_id: int) -> Table:
    from crm_tui.services.visits.calendar import from_seconds

    stmt = (select(VisitUpload.at, User.display_name, VisitUpload.kind, VisitUpload.photos)
            .join(User, User.id == VisitUpload.user_id).where(VisitUpload.customer_id == customer_id)
            .order_by(VisitUpload.at.desc(), VisitUpload.id.desc()))
    return table(session, stmt, ("Time", "Staff", "Visit kind", "Photos"),
                 lambda at, who, kind, photos: (from_seconds(at), who, _("New customer") if kind == 2 else
                                                _("Visit"), photos))


def customer_by_code(session: Session, actor: Actor, code: str) -> int:
    """The id of a visible customer by its code (the CLI names customers by code)."""
    from crm_tui.services.customers.visibility import no_such_customer, visible_customers_clause

    found = session.scalar(select(Customer.id).where(Customer.code == code.strip(),
                                                     visible_customers_clause(session, actor)))
    if found is None:
        raise no_such_customer(code)
    return found
