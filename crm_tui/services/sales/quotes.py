"""Quotes (报价单): draft → confirmed (numbered) → done (turned into an order), or cancelled.

A quote is copied into a new draft (the fast way to a standard quote) and turned into a sales order draft
with the same lines. Lines follow the money rules of ``sales_pricing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import StateError, ValidationError
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.sales import Quote, QuoteLine
from crm_tui.i18n import _
from crm_tui.services.common import drafts
from crm_tui.services.common import list_filters as lf
from crm_tui.services.sales import documents as docs
from crm_tui.services.sales import permissions as perms
from crm_tui.services.sales.documents import LineView, line_views
from crm_tui.services.sales.pricing import LineInput, build_lines, quote_validity_days

HEADER_FIELDS = ("contact_name", "contact_phone", "quote_date", "valid_until", "terms", "remarks", "owner_id")


@dataclass(frozen=True)
class QuoteView:
    id: int
    number: str | None
    status: str
    customer_id: int
    customer_code: str
    customer_name: str
    contact_name: str | None
    contact_phone: str | None
    owner_id: int | None
    owner_name: str | None
    quote_date: date
    valid_until: date | None
    terms: str | None
    remarks: str | None
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    version: int
    copied_from: str | None
    orders: tuple[str, ...]
    lines: list[LineView] = field(default_factory=list)


def _load(session: Session, actor: Actor, quote_id: int, *, lock: bool = False) -> Quote:
    quote = docs.load(session, Quote, quote_id, lock=lock)
    perms.require_customer(session, actor, quote.customer_id, _("quote {number}").format(number=docs.label(quote)))
    return quote


def create_quote(session: Session, actor: Actor, customer_id: int, lines: list[LineInput], *,
                 quote_date: date | None = None, valid_until: date | None = None, contact_name: str | None = None,
                 contact_phone: str | None = None, terms: str | None = None, remarks: str | None = None,
                 owner_id: int | None = None, copied_from_id: int | None = None) -> int:
    """A draft quote; returns its id."""
    perms.require(actor, "sales.edit")
    customer = docs.active_customer(session, actor, customer_id)
    rows = build_lines(session, customer.id, lines)
    day = quote_date or clock.today()
    quote = Quote(customer_id=customer.id, status="draft", quote_date=day,
                  valid_until=valid_until or day + timedelta(days=quote_validity_days()),
                  contact_name=docs.clean(contact_name, 64), contact_phone=docs.clean(contact_phone, 32),
                  terms=docs.clean(terms), remarks=docs.clean(remarks), owner_id=owner_id or customer.owner_id or actor.id,
                  copied_from_id=copied_from_id, created_by=actor.id)
    docs.set_totals(quote, rows)
    session.add(quote)
    session.flush()
    session.add_all(QuoteLine(quote_id=quote.id, **r) for r in rows)
    session.flush()
    return quote.id


def _draft(session: Session, actor: Actor, quote_id: int, expected_version: int | None = None) -> Quote:
    perms.require(actor, "sales.edit")
    quote = _load(session, actor, quote_id, lock=True)
    docs.require_status(quote, "draft", action="change")
    docs.check_version(session, quote, expected_version)
    return quote


def set_lines(session: Session, actor: Actor, quote_id: int, lines: list[LineInput], *,
              expected_version: int | None = None) -> None:
    """Replace the draft's lines; ``expected_version``: the version the editor loaded."""
    quote = _draft(session, actor, quote_id, expected_version)
    rows = build_lines(session, quote.customer_id, lines)
    session.execute(delete(QuoteLine).where(QuoteLine.quote_id == quote.id))
    session.add_all(QuoteLine(quote_id=quote.id, **r) for r in rows)
    docs.set_totals(quote, rows)
    drafts.touch(session, quote)


def update_header(session: Session, actor: Actor, quote_id: int, expected_version: int | None = None,
                  **values) -> None:
    quote = _draft(session, actor, quote_id, expected_version)
    for key, value in values.items():
        if key not in HEADER_FIELDS:
            raise ValidationError(_("Unknown quote field: {field}").format(field=key), field=key)
        setattr(quote, key, docs.clean(value) if isinstance(value, str) else value)
    if quote.valid_until and quote.valid_until < quote.quote_date:
        raise ValidationError(_("The quote is valid until {until}, before its date {day}.").format(
            until=quote.valid_until, day=quote.quote_date), field="valid_until")
    session.flush()


def delete_draft(session: Session, actor: Actor, quote_id: int) -> None:
    quote = _draft(session, actor, quote_id)
    session.delete(quote)
    session.flush()


def confirm_quote(session: Session, actor: Actor, quote_id: int, *, at: datetime | None = None) -> str:
    """Number a draft quote; returns its number."""
    quote = _draft(session, actor, quote_id)
    _require_lines(session, quote)
    _number(session, actor, quote, at)
    return quote.number


def _number(session: Session, actor: Actor, quote: Quote, at: datetime | None) -> None:
    """Confirm a checked, locked draft: take its number (the counter stays locked until the commit)."""
    from crm_tui.services.common.numbering import take_number

    docs.mark_confirmed(quote, actor, take_number(session, "quote", on=docs.number_day(at)), at)
    session.flush()


def _require_lines(session: Session, quote: Quote) -> None:
    if not session.scalar(select(func.count()).select_from(QuoteLine).where(QuoteLine.quote_id == quote.id)):
        raise ValidationError(_("The document has no lines."), field="lines")


def cancel_quote(session: Session, actor: Actor, quote_id: int, reason: str | None = None) -> None:
    perms.require(actor, "sales.edit")
    quote = _load(session, actor, quote_id, lock=True)
    docs.require_status(quote, "confirmed", action="cancel")
    docs.mark_cancelled(quote, actor, reason)
    session.flush()


def copy_quote(session: Session, actor: Actor, quote_id: int, *, quote_date: date | None = None) -> int:
    """A new draft with the customer, terms and lines of ``quote_id`` (any status); returns its id."""
    source = _load(session, actor, quote_id)
    lines = [ln.as_input() for ln in line_views(session, QuoteLine, QuoteLine.quote_id, source.id)]
    day = quote_date or clock.today()
    span = (source.valid_until - source.quote_date) if source.valid_until else None
    return create_quote(session, actor, source.customer_id, lines, quote_date=day,
                        valid_until=day + span if span is not None else None, contact_name=source.contact_name,
                        contact_phone=source.contact_phone, terms=source.terms, remarks=source.remarks,
                        owner_id=source.owner_id, copied_from_id=source.id)


def quote_to_order(session: Session, actor: Actor, quote_id: int, *, order_date: date | None = None,
                   at: datetime | None = None, **order_values) -> int:
    """A draft sales order with the quote's lines; a draft quote is confirmed with it. The quote is then done."""
    from crm_tui.services.sales.orders import create_order

    quote = _load(session, actor, quote_id, lock=True)
    draft = quote.status == "draft"
    lines = [ln.as_input() for ln in line_views(session, QuoteLine, QuoteLine.quote_id, quote.id)]
    if draft:  # checked as confirm_quote checks; the number is taken last (the counter is locked from then on)
        perms.require(actor, "sales.edit")
        if not lines:
            raise ValidationError(_("The document has no lines."), field="lines")
    else:
        docs.require_status(quote, "confirmed", action="turn into an order")
    day = order_date or clock.today()
    if quote.valid_until and quote.valid_until < day:
        raise StateError(_("Quote {number} expired on {day}; copy it to quote again.").format(
            number=docs.label(quote), day=quote.valid_until))
    values = {"contact_name": quote.contact_name, "contact_phone": quote.contact_phone, "owner_id": quote.owner_id,
              "remarks": quote.remarks, **order_values}
    order_id = create_order(session, actor, quote.customer_id, lines, quote_id=quote.id, order_date=day, **values)
    if draft:  # locked and checked above: confirm_quote would read it and count its lines again
        _number(session, actor, quote, at)
    quote.status = "done"
    session.flush()
    return order_id


# --- reading ----------------------------------------------------------------------------------------------


def find_quote(session: Session, actor: Actor, key: str | int) -> int:
    quote_id = docs.find_id(session, Quote, key)
    _load(session, actor, quote_id)
    return quote_id


def get_quote(session: Session, actor: Actor, quote_id: int) -> QuoteView:
    from crm_tui.db.models.sales import SalesOrder

    q = _load(session, actor, quote_id)
    customer = session.get(Customer, q.customer_id)
    owner = session.get(User, q.owner_id) if q.owner_id else None
    source = session.get(Quote, q.copied_from_id) if q.copied_from_id else None
    orders = tuple(n or f"#{i}" for i, n in session.execute(
        select(SalesOrder.id, SalesOrder.number).where(SalesOrder.quote_id == q.id).order_by(SalesOrder.id)))
    return QuoteView(q.id, q.number, q.status, q.customer_id, customer.code, customer.name, q.contact_name,
                     q.contact_phone, q.owner_id, owner.display_name if owner else None, q.quote_date, q.valid_until,
                     q.terms, q.remarks, q.net_total, q.tax_total, q.gross_total, q.version,
                     docs.label(source) if source else None, orders,
                     line_views(session, QuoteLine, QuoteLine.quote_id, q.id))


@dataclass(frozen=True)
class QuoteRow:
    id: int
    number: str | None
    status: str
    quote_date: date
    valid_until: date | None
    customer_code: str
    customer_name: str
    owner_name: str | None
    gross_total: Decimal


def list_quotes(session: Session, actor: Actor, *, status: str | None = None, customer_id: int | None = None,
                text: str = "", date_from: date | None = None, date_to: date | None = None, limit: int = 200,
                offset: int = 0) -> list[QuoteRow]:
    stmt = (select(Quote.id, Quote.number, Quote.status, Quote.quote_date, Quote.valid_until, Customer.code,
                   Customer.name, User.display_name, Quote.gross_total)
            .join(Customer, Customer.id == Quote.customer_id).outerjoin(User, User.id == Quote.owner_id)
            .where(perms.visible_clause(session, actor, Quote.customer_id))
            .order_by(Quote.quote_date.desc(), Quote.id.desc()).limit(limit).offset(offset))
    stmt = lf.equal_to(stmt, (Quote.status, status), (Quote.customer_id, customer_id))
    stmt = lf.between(stmt, Quote.quote_date, date_from, date_to)
    stmt = lf.search(stmt, text, Quote.number, Customer.name, Customer.code)
    return [QuoteRow(*r) for r in session.execute(stmt)]
