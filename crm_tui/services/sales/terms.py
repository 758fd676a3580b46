"""Payment terms (账期), due dates, receivables by due date and dunning (催款).

Terms are a short code: ``30`` — due 30 days after the document's date; ``M30`` — due 30 days after the end of
the document's month (月结30天); ``0`` — due on the day (款到发货 / 现款). A customer has their own terms
(``customer_terms``) or the settings' ``[credit] default_terms``; an order may carry its own (``terms``). An
order's due date is written when it is confirmed, an invoice's when it is recorded (the order's terms, else the
customer's).

Open items: what a customer owes, document by document. Receipts pay the oldest debts first (as the aging does),
so the open items are the newest documents adding up to the balance. An item past its due date is overdue; its
dunning level goes up by one every ``[credit] dunning_step_days`` (1 from the first day overdue) up to
``dunning_levels``.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.config import get_settings
from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.credit import PRICE_CLASSES, CustomerTerms
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.sales import SalesInvoice, SalesOrder, SalesStockOut
from crm_tui.i18n import _
from crm_tui.services.sales import permissions as perms
from crm_tui.services.sales.pricing import receivable_basis

ZERO = Decimal(0)
DUE_BUCKETS = ("not_due", "1-30", "31-60", "61-90", "90+")
_TERMS = re.compile(r"^(?:(?P<m>m|eom\+?|月结)\s*)?(?P<n>\d{1,3})\s*(?:天|日|days?|d)?$")


def parse_terms(value: str | None) -> str | None:
    """``30``, ``30天`` -> ``30``; ``M30``, ``月结30天``, ``EOM+30`` -> ``M30``; empty -> None."""
    text = unicodedata.normalize("NFKC", value or "").strip().lower().replace(" ", "")
    if not text:
        return None
    if text in ("月结", "m", "eom"):
        return "M0"
    match = _TERMS.match(text)
    if match is None:
        raise ValidationError(_("Not payment terms: {value} (expected e.g. 30 for 30 days, or M30 for month-end + "
                                "30 days, 月结30天).").format(value=value), field="terms")
    return ("M" if match.group("m") else "") + str(int(match.group("n")))


def describe(terms: str | None) -> str:
    """The terms in words: 30 days, month-end + 30 days, due at once."""
    if not terms:
        return ""
    if terms.startswith("M"):
        return _("month-end + {n} days").format(n=int(terms[1:]))
    if terms == "0":
        return _("due at once")
    return _("{n} days").format(n=int(terms))


def due_date(day: date, terms: str | None) -> date:
    """The due date of a document dated ``day`` under ``terms`` (no terms: due on the day)."""
    if not terms:
        return day
    if terms.startswith("M"):
        month_end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        return month_end + timedelta(days=int(terms[1:]))
    return day + timedelta(days=int(terms))


def credit_settings() -> dict:
    return get_settings().get("credit", {})


def default_terms() -> str | None:
    return parse_terms(str(credit_settings().get("default_terms", "") or ""))


def customer_terms(session: Session, customer_id: int) -> str | None:
    """The customer's own terms, else the default."""
    own = session.scalar(select(CustomerTerms.terms).where(CustomerTerms.customer_id == customer_id))
    return own or default_terms()


CASH_WORDS = ("款到发货", "货到付款", "现款", "现结", "预付")


def terms_in_text(text: str | None) -> str | None:
    """Terms read from an order's free-text 付款方式 (月结30天 -> M30, 款到发货 -> 0); None when it says none."""
    if not text:
        return None
    if any(word in text for word in CASH_WORDS):
        return "0"
    try:
        return parse_terms(text)
    except ValidationError:
        return None


def order_terms(session: Session, order: SalesOrder) -> str | None:
    """The order's own terms, else what its 付款方式 text says, else the customer's."""
    return order.terms or terms_in_text(order.payment_terms) or customer_terms(session, order.customer_id)


def order_due_date(session: Session, order: SalesOrder) -> date:
    return due_date(order.order_date, order_terms(session, order))


def stamp_order(session: Session, order: SalesOrder) -> None:
    """At confirmation: the order's due date by its terms."""
    order.due_date = order_due_date(session, order)


def stamp_invoice(session: Session, invoice: SalesInvoice) -> None:
    """When recorded: the invoice's due date by its order's terms, else the customer's."""
    order = session.get(SalesOrder, invoice.order_id) if invoice.order_id is not None else None
    terms = order_terms(session, order) if order is not None else customer_terms(session, invoice.customer_id)
    invoice.due_date = due_date(invoice.invoice_date, terms)


# --- a customer's terms and price class ---------------------------------------------------------------------


@dataclass(frozen=True)
class TermsView:
    customer_id: int
    customer_code: str
    customer_name: str
    credit_limit: Decimal | None
    terms: str | None  # their own
    effective_terms: str | None  # their own, else the default
    price_class: str | None

    def as_json(self) -> dict:
        return {"customer_code": self.customer_code, "customer_name": self.customer_name,
                "credit_limit": None if self.credit_limit is None else f"{self.credit_limit:.2f}",
                "terms": self.terms, "effective_terms": self.effective_terms, "price_class": self.price_class}


def get_terms(session: Session, actor: Actor, customer_id: int) -> TermsView:
    customer = perms.require_customer_record(session, actor, customer_id)
    row = session.get(CustomerTerms, customer.id)
    own = row.terms if row else None
    return TermsView(customer.id, customer.code, customer.name, customer.credit_limit, own, own or default_terms(),
                     row.price_class if row else None)


_UNSET = object()


def set_terms(session: Session, actor: Actor, customer_id: int, *, terms: object = _UNSET,
              price_class: object = _UNSET, credit_limit: object = _UNSET) -> TermsView:
    """Change a customer's terms, price class or credit limit (each only when given; "" clears it)."""
    from crm_tui.core.money import parse_money

    perms.require(actor, "sales.edit")
    customer = perms.require_customer_record(session, actor, customer_id)
    row = session.get(CustomerTerms, customer.id)
    if row is None:
        row = CustomerTerms(customer_id=customer.id)
        session.add(row)
    if terms is not _UNSET:
        row.terms = parse_terms(terms)  # type: ignore[arg-type]
    if price_class is not _UNSET:
        row.price_class = parse_price_class(price_class)  # type: ignore[arg-type]
    if credit_limit is not _UNSET:
        text = str(credit_limit or "").strip()
        try:
            limit = parse_money(text) if text else None
        except ValueError:
            raise ValidationError(_("Not an amount: {value}").format(value=credit_limit), field="credit_limit") \
                from None
        if limit is not None and limit < 0:
            raise ValidationError(_("A credit limit cannot be negative."), field="credit_limit")
        customer.credit_limit = limit
    session.flush()
    return get_terms(session, actor, customer.id)


CLASS_ALIASES = {"wholesale": "wholesale", "批发": "wholesale", "批发价": "wholesale", "retail": "retail",
                 "零售": "retail", "零售价": "retail", "vip": "vip", "vip价": "vip"}


def parse_price_class(value: str | None) -> str | None:
    text = unicodedata.normalize("NFKC", value or "").strip().lower()
    if not text:
        return None
    if text not in CLASS_ALIASES:
        raise ValidationError(_("Unknown price class {value}: expected one of {choices}.").format(
            value=value, choices=", ".join(PRICE_CLASSES) + " (批发价, 零售价, VIP)"), field="price_class")
    return CLASS_ALIASES[text]


# --- open items, receivables by due date, dunning -------------------------------------------------------------


@dataclass(frozen=True)
class OpenItem:
    customer_id: int
    customer_code: str
    customer_name: str
    salesperson: str | None
    kind: str  # opening | order | stock_out
    number: str
    doc_date: date
    due_date: date
    amount: Decimal  # the document's amount
    open_amount: Decimal  # what of it is still unpaid
    days_overdue: int  # 0 when not yet due
    level: int  # dunning level, 0 when not overdue

    def as_json(self) -> dict:
        return {"customer_code": self.customer_code, "customer_name": self.customer_name, "kind": self.kind,
                "number": self.number, "date": self.doc_date.isoformat(), "due_date": self.due_date.isoformat(),
                "amount": f"{self.amount:.2f}", "open": f"{self.open_amount:.2f}",
                "days_overdue": self.days_overdue, "level": self.level}


def dunning_level(days_overdue: int) -> int:
    if days_overdue <= 0:
        return 0
    settings = credit_settings()
    step = max(int(settings.get("dunning_step_days", 15)), 1)
    top = max(int(settings.get("dunning_levels", 3)), 1)
    return min(1 + (days_overdue - 1) // step, top)


def open_items(session: Session, actor: Actor, as_of: date | None = None, *, customer_ids: list[int] | None = None,
               owner_id: int | None = None) -> list[OpenItem]:
    """The unpaid documents of the visible customers with a positive balance on ``as_of`` (module doc)."""
    from crm_tui.services.sales.receivables import receivables

    as_of = as_of or clock.today()
    basis = receivable_basis()
    balances = [r for r in receivables(session, actor, as_of, basis=basis, customer_ids=customer_ids,
                                       owner_id=owner_id) if r.balance > 0]
    if not balances:
        return []
    ids = [r.customer_id for r in balances]
    own = dict(session.execute(select(CustomerTerms.customer_id, CustomerTerms.terms)
                               .where(CustomerTerms.customer_id.in_(ids))).all())
    fallback = default_terms()
    created = dict(session.execute(select(Customer.id, Customer.created_on).where(Customer.id.in_(ids))).all())
    docs = _documents(session, basis, ids, as_of)
    out: list[OpenItem] = []
    for r in balances:
        terms = own.get(r.customer_id) or fallback
        items = [(kind, number, day, due or due_date(day, terms), amount)
                 for kind, number, day, due, amount in docs.get(r.customer_id, [])]
        if r.opening > 0:
            opened = created.get(r.customer_id) or as_of
            items.append(("opening", _("opening balance"), opened, opened, r.opening))
        items.sort(key=lambda it: (it[2], it[1]), reverse=True)  # newest first: they are the unpaid ones
        left = r.balance
        for kind, number, day, due, amount in items:
            if left <= 0:
                break
            part = min(left, amount)
            left -= part
            late = max((as_of - due).days, 0)
            out.append(OpenItem(r.customer_id, r.customer_code, r.customer_name, r.salesperson, kind, number, day,
                                due, amount, part, late, dunning_level(late)))
    out.sort(key=lambda it: (it.customer_code, it.due_date, it.number))
    return out


def _documents(session: Session, basis: str, ids: list[int], as_of: date) -> dict[int, list]:
    if basis == "stock_outs":
        stmt = select(SalesStockOut.customer_id, SalesStockOut.number, SalesStockOut.out_date, SalesStockOut.out_date,
                      SalesStockOut.gross_total).where(SalesStockOut.status == "confirmed",
                                                       SalesStockOut.out_date <= as_of,
                                                       SalesStockOut.customer_id.in_(ids))
        rows = [(cid, num, day, None, amt) for cid, num, day, _d, amt in session.execute(stmt)]
    else:
        stmt = select(SalesOrder.customer_id, SalesOrder.number, SalesOrder.order_date, SalesOrder.due_date,
                      SalesOrder.gross_total).where(SalesOrder.status.in_(("confirmed", "done")),
                                                    SalesOrder.order_date <= as_of, SalesOrder.customer_id.in_(ids))
        rows = list(session.execute(stmt))
    out: dict[int, list] = {}
    for cid, num, day, due, amount in rows:
        out.setdefault(cid, []).append(("stock_out" if basis == "stock_outs" else "order", num or "", day, due,
                                        amount))
    return out


@dataclass(frozen=True)
class DueRow:
    """A customer's balance split by how far past the due date it is (not yet due, 1–30 … over 90 days)."""

    customer_id: int
    customer_code: str
    customer_name: str
    salesperson: str | None
    balance: Decimal
    buckets: tuple[Decimal, Decimal, Decimal, Decimal, Decimal]

    @property
    def overdue(self) -> Decimal:
        return sum(self.buckets[1:], ZERO)

    def as_json(self) -> dict:
        return {"customer_code": self.customer_code, "customer_name": self.customer_name,
                "balance": f"{self.balance:.2f}", "overdue": f"{self.overdue:.2f}",
                **{f"due_{b}": f"{v:.2f}" for b, v in zip(DUE_BUCKETS, self.buckets, strict=True)}}


def _due_bucket(days_overdue: int) -> int:
    if days_overdue <= 0:
        return 0
    for i, edge in enumerate((30, 60, 90), start=1):
        if days_overdue <= edge:
            return i
    return 4


def receivables_by_due_date(session: Session, actor: Actor, as_of: date | None = None, *,
                            customer_ids: list[int] | None = None, owner_id: int | None = None) -> list[DueRow]:
    rows: dict[int, list] = {}
    for it in open_items(session, actor, as_of, customer_ids=customer_ids, owner_id=owner_id):
        row = rows.setdefault(it.customer_id, [it, [ZERO] * 5])
        row[1][_due_bucket(it.days_overdue)] += it.open_amount
    return [DueRow(it.customer_id, it.customer_code, it.customer_name, it.salesperson, sum(b, ZERO), tuple(b))
            for it, b in rows.values()]


@dataclass(frozen=True)
class Reminder:
    """A customer to remind (催款): their overdue items, the total overdue and the highest level reached."""

    customer_id: int
    customer_code: str
    customer_name: str
    salesperson: str | None
    level: int
    overdue: Decimal
    oldest_due: date
    items: list[OpenItem]

    def as_json(self) -> dict:
        return {"customer_code": self.customer_code, "customer_name": self.customer_name,
                "salesperson": self.salesperson, "level": self.level, "overdue": f"{self.overdue:.2f}",
                "oldest_due": self.oldest_due.isoformat(), "items": [it.as_json() for it in self.items]}


def reminders(session: Session, actor: Actor, as_of: date | None = None, *, min_level: int = 1,
              customer_ids: list[int] | None = None, owner_id: int | None = None) -> list[Reminder]:
    """The dunning list: customers with overdue items, highest level and largest amount first."""
    found: dict[int, list[OpenItem]] = {}
    for it in open_items(session, actor, as_of, customer_ids=customer_ids, owner_id=owner_id):
        if it.level >= 1:
            found.setdefault(it.customer_id, []).append(it)
    out = []
    for items in found.values():
        level = max(it.level for it in items)
        if level < min_level:
            continue
        first = items[0]
        out.append(Reminder(first.customer_id, first.customer_code, first.customer_name, first.salesperson, level,
                            sum((it.open_amount for it in items), ZERO), min(it.due_date for it in items), items))
    out.sort(key=lambda r: (-r.level, -r.overdue, r.customer_code))
    return out

