"""Opportunity use cases: add, edit, list, show, move, win, lose, and a quote made from an opportunity.

Visibility follows the customer rule (``customers.visibility``) on every path: an opportunity is seen by whoever
may see its customer, and changed by the customer's editors or by whoever sees the opportunity's owner (a
salesperson their own, a manager their people's). Writes need ``sales.edit``; each is one transaction and the
audit log records it (the tables are ``Audited``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.core.money import parse_money, to_decimal
from crm_tui.db.base import utcnow
from crm_tui.db.models.customers import Contact, Customer
from crm_tui.db.models.opportunities import (
    Opportunity,
    OpportunityLine,
    OpportunityStage,
    OpportunityStageChange,
)
from crm_tui.db.models.people import User
from crm_tui.db.models.products import Product
from crm_tui.i18n import _
from crm_tui.services.common import list_filters as lf
from crm_tui.services.customers import visibility
from crm_tui.services.opportunities import stages as st
from crm_tui.services.sales import permissions as perms

ZERO = Decimal(0)
FEN = Decimal("0.01")
EDITABLE = ("title", "contact_id", "owner_id", "source", "expected_amount", "expected_close", "next_step",
            "next_step_date", "remarks")


@dataclass(frozen=True)
class LineIn:
    """A product line as entered: quantity and expected tax-inclusive unit price (None: the list price)."""

    product_id: int
    quantity: object
    price: object | None = None


@dataclass(frozen=True)
class LineView:
    line_no: int
    product_id: int
    product_code: str
    product_name: str
    quantity: Decimal
    expected_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class HistoryView:
    from_stage: str | None
    to_stage: str
    at: datetime
    by: str | None
    note: str | None


@dataclass(frozen=True)
class OpportunityRow:
    id: int
    number: str
    title: str
    customer_id: int
    customer_code: str
    customer_name: str
    owner_name: str | None
    stage: str
    stage_code: str
    outcome: str
    probability: Decimal
    expected_amount: Decimal
    expected_close: date | None
    next_step: str | None
    next_step_date: date | None

    @property
    def weighted(self) -> Decimal:
        return (self.expected_amount * self.probability).quantize(FEN, rounding=ROUND_HALF_UP)

    def as_json(self) -> dict:
        return {"number": self.number, "title": self.title, "customer_code": self.customer_code,
                "customer_name": self.customer_name, "owner": self.owner_name, "stage": self.stage,
                "stage_code": self.stage_code, "outcome": self.outcome, "probability": f"{self.probability:.2f}",
                "amount": f"{self.expected_amount:.2f}", "weighted": f"{self.weighted:.2f}",
                "expected_close": self.expected_close.isoformat() if self.expected_close else None,
                "next_step": self.next_step,
                "next_step_date": self.next_step_date.isoformat() if self.next_step_date else None}


@dataclass(frozen=True)
class OpportunityView:
    id: int
    number: str
    title: str
    customer_id: int
    customer_code: str
    customer_name: str
    contact_id: int | None
    contact_name: str | None
    owner_id: int | None
    owner_name: str | None
    source: str | None
    stage: st.StageView
    stage_since: datetime
    expected_amount: Decimal
    expected_close: date | None
    next_step: str | None
    next_step_date: date | None
    lost_reason: str | None
    lost_note: str | None
    quote_id: int | None
    quote_number: str | None
    quote_status: str | None
    order_id: int | None
    order_number: str | None
    closed_on: date | None
    remarks: str | None
    version: int
    lines: list[LineView] = field(default_factory=list)
    history: list[HistoryView] = field(default_factory=list)

    @property
    def weighted(self) -> Decimal:
        return (self.expected_amount * self.stage.probability).quantize(FEN, rounding=ROUND_HALF_UP)

    def as_json(self) -> dict:
        return {
            "number": self.number, "title": self.title, "customer_code": self.customer_code,
            "customer_name": self.customer_name, "contact": self.contact_name, "owner": self.owner_name,
            "source": self.source, "stage": self.stage.name, "stage_code": self.stage.code,
            "outcome": self.stage.outcome, "probability": f"{self.stage.probability:.2f}",
            "amount": f"{self.expected_amount:.2f}", "weighted": f"{self.weighted:.2f}",
            "expected_close": self.expected_close.isoformat() if self.expected_close else None,
            "next_step": self.next_step,
            "next_step_date": self.next_step_date.isoformat() if self.next_step_date else None,
            "lost_reason": self.lost_reason, "quote": self.quote_number, "order": self.order_number,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "lines": [{"line": ln.line_no, "product_code": ln.product_code, "product_name": ln.product_name,
                       "quantity": format(ln.quantity.normalize(), "f"), "price": f"{ln.expected_price:.2f}",
                       "amount": f"{ln.amount:.2f}"} for ln in self.lines],
            "history": [{"from": h.from_stage, "to": h.to_stage, "at": h.at.isoformat(timespec="seconds"),
                         "by": h.by, "note": h.note} for h in self.history],
        }


# --- loading and rights ------------------------------------------------------------------------------------


def visible_clause(session: Session, actor: Actor):
    """WHERE clause over ``Opportunity``: those whose customer ``actor`` may see."""
    return perms.visible_clause(session, actor, Opportunity.customer_id)


def no_such_opportunity(key) -> NotFound:
    return NotFound(_("No such opportunity: {key}").format(key=key))


def _load(session: Session, actor: Actor, opp_id: int, *, lock: bool = False, key=None) -> Opportunity:
    stmt = select(Opportunity).where(Opportunity.id == opp_id).execution_options(populate_existing=True)
    if lock:
        stmt = stmt.with_for_update()
    opp = session.scalar(stmt)
    if opp is None or not perms.can_see_customer(session, actor, opp.customer_id):
        raise no_such_opportunity(key if key is not None else opp_id)
    return opp


def can_change(session: Session, actor: Actor, opp: Opportunity) -> bool:
    """The customer's editors, and whoever sees the opportunity's owner (own, subordinates')."""
    if not permissions_can(actor, "sales.edit"):
        return False
    customer = session.get(Customer, opp.customer_id)
    if visibility.can_edit(session, actor, customer):
        return True
    return opp.owner_id is not None and visibility.can_see_owner(session, actor, opp.owner_id)


def permissions_can(actor: Actor, action: str) -> bool:
    from crm_tui.services.admin import permissions

    return permissions.can(actor, action)


def _load_for_change(session: Session, actor: Actor, opp_id: int, expected_version: int | None = None) -> Opportunity:
    perms.require(actor, "sales.edit")
    opp = _load(session, actor, opp_id, lock=True)
    if not can_change(session, actor, opp):
        raise PermissionDenied(_("You may not change opportunity {number}; it belongs to someone else.").format(
            number=opp.number))
    if expected_version is not None and opp.version != expected_version:
        from crm_tui.core.errors import ConflictError

        raise ConflictError(_("Opportunity {number} was changed by someone else; reload it and try again.").format(
            number=opp.number))
    return opp


def find_opportunity(session: Session, actor: Actor, key: str | int) -> int:
    """An opportunity's id from its number (``OP202611-0001``), ``#id`` or a bare id, if ``actor`` sees it."""
    text = str(key).strip()
    if not text:
        raise ValidationError(_("Give an opportunity number."), field="number")
    found = session.scalar(select(Opportunity.id).where(Opportunity.number == text.upper()))
    bare = text[1:] if text.startswith("#") else text
    if found is None and bare.isdigit():
        found = session.scalar(select(Opportunity.id).where(Opportunity.id == int(bare)))
    if found is None:
        raise no_such_opportunity(text)
    _load(session, actor, found, key=text)
    return found


# --- checks on input -----------------------------------------------------------------------------------------


def _clean(text, limit: int | None = None) -> str | None:
    value = (str(text) if text is not None else "").strip()
    return (value[:limit] if limit else value) or None


def _amount(value, what: str) -> Decimal:
    try:
        amount = parse_money(value)
    except (ValueError, ArithmeticError, TypeError):
        raise ValidationError(_("{what}: not an amount: {value!r}").format(what=what, value=value),
                              field=what) from None
    if amount < 0:
        raise ValidationError(_("{what} cannot be negative: {value}").format(what=what, value=value), field=what)
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def _check_contact(session: Session, customer_id: int, contact_id: int | None) -> None:
    if contact_id is None:
        return
    contact = session.get(Contact, contact_id)
    if contact is None or contact.customer_id != customer_id:
        raise ValidationError(_("The contact is not one of this customer's contacts."), field="contact")


def _check_owner(session: Session, actor: Actor, owner_id: int | None) -> None:
    if owner_id is None:
        return
    user = session.get(User, owner_id)
    if user is None or not user.active:
        raise ValidationError(_("No such user to own the opportunity."), field="owner")
    if not visibility.can_see_owner(session, actor, owner_id):
        raise PermissionDenied(_("You may give opportunities only to yourself or your people."))


def _build_lines(session: Session, lines: list[LineIn]) -> list[dict]:
    rows = []
    for i, line in enumerate(lines, start=1):
        product = session.get(Product, line.product_id)
        if product is None:
            raise ValidationError(_("Line {n}: no such product.").format(n=i), field="lines")
        try:
            quantity = to_decimal(line.quantity)
        except (ValueError, ArithmeticError, TypeError):
            quantity = None
        if quantity is None or quantity <= 0:
            raise ValidationError(_("Line {n}: the quantity must be a number above 0, not {value!r}.").format(
                n=i, value=line.quantity), field="lines")
        if line.price is None or str(line.price).strip() == "":
            price = product.sale_price_gross or ZERO
        else:
            price = _amount(line.price, _("Line {n}: price").format(n=i))
        price = to_decimal(price).quantize(FEN, rounding=ROUND_HALF_UP)
        rows.append({"line_no": i, "product_id": product.id, "quantity": quantity, "expected_price": price,
                     "amount": (quantity * price).quantize(FEN, rounding=ROUND_HALF_UP)})
    return rows


def _history(session: Session, actor: Actor, opp: Opportunity, to_stage: int, from_stage: int | None,
             note: str | None = None, at: datetime | None = None) -> None:
    when = at or utcnow()
    session.add(OpportunityStageChange(opportunity_id=opp.id, from_stage_id=from_stage, to_stage_id=to_stage,
                                       changed_at=when, changed_by=actor.id, note=_clean(note, 300)))
    opp.stage_id = to_stage
    opp.stage_since = when


# --- writing ---------------------------------------------------------------------------------------------------


def add_opportunity(session: Session, actor: Actor, customer_id: int, title: str, *, contact_id: int | None = None,
                    owner_id: int | None = None, source: str | None = None, expected_amount=None,
                    expected_close: date | None = None, next_step: str | None = None,
                    next_step_date: date | None = None, lines: list[LineIn] | None = None,
                    stage: str | int | None = None, remarks: str | None = None, at: datetime | None = None) -> int:
    """A new opportunity in its first stage (or ``stage``, whose criteria it must meet); returns its id.

    With lines, the expected amount is their sum; without, ``expected_amount`` as given.
    """
    perms.require(actor, "sales.edit")
    from crm_tui.services.common.numbering import take_number
    from crm_tui.services.sales.documents import active_customer

    st.ensure_stages(session)
    customer = active_customer(session, actor, customer_id)
    name = _clean(title, 100)
    if not name:
        raise ValidationError(_("An opportunity needs a title (what the customer may buy)."), field="title")
    _check_contact(session, customer.id, contact_id)
    owner = owner_id or customer.owner_id or actor.id
    if owner_id is not None:
        _check_owner(session, actor, owner_id)
    if next_step_date and not _clean(next_step):
        raise ValidationError(_("A next-step date needs the next step itself."), field="next_step")
    rows = _build_lines(session, lines or [])
    amount = sum((r["amount"] for r in rows), ZERO) if rows else _amount(expected_amount or 0, _("Expected amount"))
    first = st.list_stages(session)[0]
    target = st.find_stage(session, stage) if stage not in (None, "") else first
    if not target.is_open:
        raise ValidationError(_("A new opportunity starts in an open stage; win or lose it afterwards."),
                              field="stage")
    day = (at.date() if at else clock.today())
    at = at or utcnow()
    opp = Opportunity(number=take_number(session, "opportunity", on=day, mask=st.number_mask()), title=name,
                      customer_id=customer.id, contact_id=contact_id, owner_id=owner, source=_clean(source, 32),
                      stage_id=target.id, stage_since=at, expected_amount=amount,
                      expected_close=expected_close, next_step=_clean(next_step, 200), next_step_date=next_step_date,
                      remarks=_clean(remarks), created_by=actor.id)
    session.add(opp)
    session.flush()
    session.add_all(OpportunityLine(opportunity_id=opp.id, **r) for r in rows)
    session.flush()
    missing = st.missing_criteria(session, opp, target)
    if missing:
        raise ValidationError(_("Cannot start in {stage}: it needs {missing}.").format(
            stage=target.name, missing=_(", ").join(missing)), field="stage")
    _history(session, actor, opp, target.id, None, at=at)
    session.flush()
    return opp.id


def update_opportunity(session: Session, actor: Actor, opp_id: int, expected_version: int | None = None,
                       lines: list[LineIn] | None = None, **values) -> None:
    """Change an open opportunity's fields (``EDITABLE``) and, when given, replace its lines."""
    opp = _load_for_change(session, actor, opp_id, expected_version)
    if st.get_stage(session, opp.stage_id).outcome != "open":
        raise StateError(_("Opportunity {number} is closed; it cannot be changed.").format(number=opp.number))
    for key, value in values.items():
        if key not in EDITABLE:
            raise ValidationError(_("Unknown opportunity field: {field}").format(field=key), field=key)
        if key == "title":
            value = _clean(value, 100)
            if not value:
                raise ValidationError(_("An opportunity needs a title (what the customer may buy)."), field="title")
        elif key == "contact_id":
            _check_contact(session, opp.customer_id, value)
        elif key == "owner_id":
            _check_owner(session, actor, value)
        elif key == "expected_amount":
            value = _amount(value or 0, _("Expected amount"))
        elif isinstance(value, str):
            value = _clean(value)
        setattr(opp, key, value)
    if lines is not None:
        rows = _build_lines(session, lines)
        for old in session.scalars(select(OpportunityLine).where(OpportunityLine.opportunity_id == opp.id)):
            session.delete(old)
        session.flush()
        session.add_all(OpportunityLine(opportunity_id=opp.id, **r) for r in rows)
        if rows:
            opp.expected_amount = sum((r["amount"] for r in rows), ZERO)
    session.flush()


def move(session: Session, actor: Actor, opp_id: int, stage: str | int, *, note: str | None = None,
         at: datetime | None = None) -> st.StageView:
    """Move an open opportunity to another open stage, if it meets the stage's entry criteria."""
    opp = _load_for_change(session, actor, opp_id)
    current = st.get_stage(session, opp.stage_id)
    if not current.is_open:
        raise StateError(_("Opportunity {number} is already {stage}.").format(number=opp.number, stage=current.name))
    target = st.find_stage(session, stage)
    if target.outcome == "won":
        raise ValidationError(_("Win it instead (crm opportunities win, or F10 on the screen): winning makes the "
                                "order."), field="stage")
    if target.outcome == "lost":
        raise ValidationError(_("Lose it instead (crm opportunities lose --reason): a lost opportunity needs a "
                                "reason."), field="stage")
    if target.id == current.id:
        raise ValidationError(_("Opportunity {number} is already in {stage}.").format(
            number=opp.number, stage=target.name), field="stage")
    missing = st.missing_criteria(session, opp, target)
    if missing:
        raise ValidationError(_("Cannot move {number} to {stage}: it needs {missing}.").format(
            number=opp.number, stage=target.name, missing=_(", ").join(missing)), field="stage")
    _history(session, actor, opp, target.id, current.id, note, at)
    session.flush()
    return target


def lose(session: Session, actor: Actor, opp_id: int, reason: str, *, note: str | None = None,
         day: date | None = None, at: datetime | None = None) -> None:
    """Mark an open opportunity lost, for one of the settings' lost reasons."""
    opp = _load_for_change(session, actor, opp_id)
    current = st.get_stage(session, opp.stage_id)
    if not current.is_open:
        raise StateError(_("Opportunity {number} is already {stage}.").format(number=opp.number, stage=current.name))
    reasons = st.lost_reasons()
    text = (reason or "").strip()
    if text not in reasons:
        raise ValidationError(_("Lost reason {reason!r} is not in the list; expected one of {choices}").format(
            reason=text, choices=_(", ").join(reasons)), field="reason")
    opp.lost_reason = text
    opp.lost_note = _clean(note, 300)
    opp.closed_on = day or (at.date() if at else clock.today())
    target = st.outcome_stage(session, "lost")
    _history(session, actor, opp, target.id, current.id, note, at)
    session.flush()


@dataclass(frozen=True)
class WinResult:
    order_id: int
    order_label: str
    quote_number: str | None
    made: bool  # False: the quote had already become this order


def win(session: Session, actor: Actor, opp_id: int, *, quote_id: int | None = None, order_date: date | None = None,
        at: datetime | None = None) -> WinResult:
    """Mark an open opportunity won and make the sales order from its quote (``quote_id`` links one first).

    The quote goes through ``quotes.quote_to_order`` (a draft quote is confirmed first); a quote that already
    became an order links that order instead of making a second.
    """
    from crm_tui.db.models.sales import Quote, SalesOrder
    from crm_tui.services.sales import quotes

    opp = _load_for_change(session, actor, opp_id)
    current = st.get_stage(session, opp.stage_id)
    if not current.is_open:
        raise StateError(_("Opportunity {number} is already {stage}.").format(number=opp.number, stage=current.name))
    if quote_id is not None:
        _link_quote(session, actor, opp, quote_id)
    if opp.quote_id is None:
        raise ValidationError(_("Opportunity {number} has no quote; make one from it first (crm opportunities "
                                "quote) or name one with --quote.").format(number=opp.number), field="quote")
    quote = session.get(Quote, opp.quote_id)
    made = True
    if quote.status in ("draft", "confirmed"):
        order_id = quotes.quote_to_order(session, actor, quote.id, order_date=order_date, at=at)
    else:
        order_id = session.scalar(select(SalesOrder.id).where(SalesOrder.quote_id == quote.id,
                                                              SalesOrder.status != "cancelled")
                                  .order_by(SalesOrder.id))
        if order_id is None:
            raise StateError(_("Quote {number} is {status}: no order can be made from it.").format(
                number=quote.number or f"#{quote.id}", status=_(quote.status)))
        made = False
    order = session.get(SalesOrder, order_id)
    opp.order_id = order_id
    opp.closed_on = order_date or (at.date() if at else clock.today())
    target = st.outcome_stage(session, "won")
    missing = st.missing_criteria(session, opp, target)
    if missing:
        raise ValidationError(_("Cannot win {number}: it needs {missing}.").format(
            number=opp.number, missing=_(", ").join(missing)), field="stage")
    _history(session, actor, opp, target.id, current.id, at=at)
    session.flush()
    return WinResult(order_id, order.number or f"#{order.id}", quote.number, made)


def _link_quote(session: Session, actor: Actor, opp: Opportunity, quote_id: int) -> None:
    from crm_tui.db.models.sales import Quote

    quote = session.get(Quote, quote_id)
    if quote is None or not perms.can_see_customer(session, actor, quote.customer_id):
        raise NotFound(_("No such quote: {id}").format(id=f"#{quote_id}"))
    if quote.customer_id != opp.customer_id:
        raise ValidationError(_("Quote {number} is for another customer.").format(
            number=quote.number or f"#{quote.id}"), field="quote")
    if quote.status == "cancelled":
        raise ValidationError(_("Quote {number} is cancelled.").format(number=quote.number or f"#{quote.id}"),
                              field="quote")
    opp.quote_id = quote.id


def link_quote(session: Session, actor: Actor, opp_id: int, quote_id: int) -> None:
    """Link an existing quote of the same customer to an open opportunity."""
    opp = _load_for_change(session, actor, opp_id)
    _link_quote(session, actor, opp, quote_id)
    session.flush()


def make_quote(session: Session, actor: Actor, opp_id: int, *, quote_date: date | None = None) -> int:
    """A draft quote with the opportunity's customer, contact, owner and lines (at the expected prices, tax
    included), linked to the opportunity; returns the quote's id."""
    from crm_tui.services.sales import quotes
    from crm_tui.services.sales.pricing import LineInput

    opp = _load_for_change(session, actor, opp_id)
    if not st.get_stage(session, opp.stage_id).is_open:
        raise StateError(_("Opportunity {number} is closed; it cannot be changed.").format(number=opp.number))
    lines = session.scalars(select(OpportunityLine).where(OpportunityLine.opportunity_id == opp.id)
                            .order_by(OpportunityLine.line_no)).all()
    if not lines:
        raise ValidationError(_("Opportunity {number} has no products; add lines before quoting.").format(
            number=opp.number), field="lines")
    contact = session.get(Contact, opp.contact_id) if opp.contact_id else None
    qid = quotes.create_quote(session, actor, opp.customer_id,
                              [LineInput(ln.product_id, ln.quantity, ln.expected_price, "gross") for ln in lines],
                              quote_date=quote_date, contact_name=contact.name if contact else None,
                              contact_phone=(contact.mobile or contact.landline) if contact else None,
                              owner_id=opp.owner_id, remarks=f"{opp.number} {opp.title}")
    opp.quote_id = qid
    session.flush()
    return qid


# --- reading -----------------------------------------------------------------------------------------------------


def _rows_stmt(session: Session, actor: Actor):
    return (select(Opportunity.id, Opportunity.number, Opportunity.title, Opportunity.customer_id, Customer.code,
                   Customer.name, User.display_name, OpportunityStage.name, OpportunityStage.code,
                   OpportunityStage.outcome, OpportunityStage.probability, Opportunity.expected_amount,
                   Opportunity.expected_close, Opportunity.next_step, Opportunity.next_step_date)
            .join(Customer, Customer.id == Opportunity.customer_id)
            .join(OpportunityStage, OpportunityStage.id == Opportunity.stage_id)
            .outerjoin(User, User.id == Opportunity.owner_id)
            .where(visible_clause(session, actor)))


def list_opportunities(session: Session, actor: Actor, *, owner_id: int | None = None, stage_id: int | None = None,
                       customer_id: int | None = None, close_from: date | None = None, close_to: date | None = None,
                       status: str | None = None, text: str = "", limit: int = 500,
                       offset: int = 0) -> list[OpportunityRow]:
    """The opportunities ``actor`` may see: open ones first by expected close, then closed ones, newest first.

    ``status``: open | won | lost | closed (won or lost); ``close_from``/``close_to``: expected close between.
    """
    stmt = _rows_stmt(session, actor)
    stmt = lf.equal_to(stmt, (Opportunity.owner_id, owner_id), (Opportunity.stage_id, stage_id),
                       (Opportunity.customer_id, customer_id))
    if status == "closed":
        stmt = stmt.where(OpportunityStage.outcome != "open")
    elif status:
        stmt = stmt.where(OpportunityStage.outcome == status)
    stmt = lf.between(stmt, Opportunity.expected_close, close_from, close_to)
    stmt = lf.search(stmt, text, Opportunity.number, Opportunity.title, Customer.name, Customer.code)
    open_first = (OpportunityStage.outcome != "open")
    stmt = stmt.order_by(open_first, Opportunity.expected_close.is_(None), Opportunity.expected_close,
                         Opportunity.id.desc()).limit(limit).offset(offset)
    return [OpportunityRow(*r) for r in session.execute(stmt)]


def get_opportunity(session: Session, actor: Actor, opp_id: int) -> OpportunityView:
    from crm_tui.db.models.sales import Quote, SalesOrder

    o = _load(session, actor, opp_id)
    customer = session.get(Customer, o.customer_id)
    contact = session.get(Contact, o.contact_id) if o.contact_id else None
    owner = session.get(User, o.owner_id) if o.owner_id else None
    quote = session.get(Quote, o.quote_id) if o.quote_id else None
    order = session.get(SalesOrder, o.order_id) if o.order_id else None
    lines = [LineView(ln.line_no, ln.product_id, code, name, ln.quantity, ln.expected_price, ln.amount)
             for ln, code, name in session.execute(
                 select(OpportunityLine, Product.code, Product.name).join(Product, Product.id == OpportunityLine.product_id)
                 .where(OpportunityLine.opportunity_id == o.id).order_by(OpportunityLine.line_no))]
    src, dst = aliased(OpportunityStage), aliased(OpportunityStage)
    history = [HistoryView(f, t, when, who, note) for f, t, when, who, note in session.execute(
        select(src.name, dst.name, OpportunityStageChange.changed_at, User.display_name, OpportunityStageChange.note)
        .outerjoin(src, src.id == OpportunityStageChange.from_stage_id)
        .join(dst, dst.id == OpportunityStageChange.to_stage_id)
        .outerjoin(User, User.id == OpportunityStageChange.changed_by)
        .where(OpportunityStageChange.opportunity_id == o.id)
        .order_by(OpportunityStageChange.changed_at, OpportunityStageChange.id))]
    return OpportunityView(
        o.id, o.number, o.title, o.customer_id, customer.code, customer.name, o.contact_id,
        contact.name if contact else None, o.owner_id, owner.display_name if owner else None, o.source,
        st.get_stage(session, o.stage_id), o.stage_since, o.expected_amount, o.expected_close, o.next_step,
        o.next_step_date, o.lost_reason, o.lost_note, o.quote_id,
        (quote.number or f"#{quote.id}") if quote else None, quote.status if quote else None, o.order_id,
        (order.number or f"#{order.id}") if order else None, o.closed_on, o.remarks, o.version, lines, history)


def closing_this_week(session: Session, actor: Actor, day: date) -> list[OpportunityRow]:
    """Open opportunities ``actor`` may see whose expected close falls in ``day``'s week (Monday–Sunday), or
    that are overdue (expected close before the week and still open)."""
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    stmt = (_rows_stmt(session, actor).where(OpportunityStage.outcome == "open",
                                             Opportunity.expected_close.is_not(None),
                                             Opportunity.expected_close <= sunday)
            .order_by(Opportunity.expected_close, Opportunity.id))
    return [OpportunityRow(*r) for r in session.execute(stmt)]


def for_customer(session: Session, actor: Actor, customer_id: int) -> list[OpportunityRow]:
    """A customer's opportunities (for the customer page); the customer must be visible to ``actor``."""
    visibility.require_visible(session, actor, customer_id)
    return list_opportunities(session, actor, customer_id=customer_id)


def owner_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The people ``actor`` may filter by or give an opportunity to: themselves and those they see."""
    ids = visibility.owner_ids(session, actor)
    stmt = select(User.id, User.display_name).where(User.active.is_(True)).order_by(User.display_name)
    if ids is not None:
        stmt = stmt.where(User.id.in_(sorted(ids)))
    return [(uid, name) for uid, name in session.execute(stmt)]


def find_owner(session: Session, actor: Actor, key: str) -> int:
    """A user by login or display name, among those ``actor`` may see."""
    text = (key or "").strip()
    uid = session.scalar(select(User.id).where(or_(User.login == text, User.display_name == text)).limit(1))
    if uid is None or not visibility.can_see_owner(session, actor, uid):
        raise ValidationError(_("No such user: {key}").format(key=text), field="owner")
    return uid


def find_contact(session: Session, customer_id: int, name: str, where: str = "contact") -> int:
    """One of the customer's contacts by name."""
    cid = session.scalar(select(Contact.id).where(Contact.customer_id == customer_id, Contact.name == name.strip())
                         .order_by(Contact.id).limit(1))
    if cid is None:
        code = session.scalar(select(Customer.code).where(Customer.id == customer_id))
        raise ValidationError(_("{where}: customer {code} has no contact called {name}.").format(
            where=where, code=code, name=name), field=where)
    return cid


def count_open(session: Session, actor: Actor) -> int:
    return session.scalar(select(func.count()).select_from(Opportunity)
                          .join(OpportunityStage, OpportunityStage.id == Opportunity.stage_id)
                          .where(OpportunityStage.outcome == "open", visible_clause(session, actor))) or 0
