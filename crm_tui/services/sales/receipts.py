"""Receipts (到款): money received from customers, the accounts it arrives in, and its application to orders.

A receipt is confirmed (numbered) when recorded and cancelled, never deleted. In another currency the rate on
the receipt date converts it: ``amount_cny = round(amount × rate, 2)``, and that is what the customer is
credited with. A fee the bank kept is our cost (recorded, not taken off the customer's credit). Parts of a
receipt are applied to orders of the same customer (several receipts per order); what is not applied is an
advance (预收款) that can be applied later. Cancelling a receipt removes its applications.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, StateError, ValidationError
from crm_tui.core.money import parse_money, round_money, to_decimal
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.sales import ACCOUNT_KINDS, Receipt, ReceiptAccount, ReceiptApplication, SalesOrder
from crm_tui.i18n import _
from crm_tui.services.common import events
from crm_tui.services.common import list_filters as lf
from crm_tui.services.sales import documents as docs
from crm_tui.services.sales import permissions as perms

ZERO = Decimal(0)
ONE = Decimal(1)
HOME_CURRENCY = "CNY"
_CURRENCY = re.compile(r"[A-Z]{3}")
CURRENCY_ALIASES = {"RMB": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR", "港币": "HKD", "港元": "HKD",
                    "日元": "JPY", "英镑": "GBP"}


# --- accounts ---------------------------------------------------------------------------------------------


def add_account(session: Session, actor: Actor, name: str, kind: str = "bank", *, bank: str | None = None,
                account_no: str | None = None) -> int:
    perms.require(actor, "sales.money")
    name = docs.clean(name, 64)
    if not name:
        raise ValidationError(_("Give the account a name."), field="name")
    if kind not in ACCOUNT_KINDS:
        raise ValidationError(_("Unknown account kind {kind}: expected one of {kinds}.").format(
            kind=kind, kinds=", ".join(ACCOUNT_KINDS)), field="kind")
    if session.scalar(select(ReceiptAccount.id).where(ReceiptAccount.name == name)):
        raise ValidationError(_("There is already an account called {name}.").format(name=name), field="name")
    row = ReceiptAccount(name=name, kind=kind, bank=docs.clean(bank, 100), account_no=docs.clean(account_no, 64))
    session.add(row)
    session.flush()
    return row.id


@dataclass(frozen=True)
class AccountRow:
    id: int
    name: str
    kind: str
    bank: str | None
    account_no: str | None
    active: bool


def list_accounts(session: Session, active_only: bool = True) -> list[AccountRow]:
    stmt = select(ReceiptAccount).order_by(ReceiptAccount.id)
    if active_only:
        stmt = stmt.where(ReceiptAccount.active.is_(True))
    return [AccountRow(a.id, a.name, a.kind, a.bank, a.account_no, a.active) for a in session.scalars(stmt)]


def account_by_name(session: Session, name: str) -> int:
    found = session.scalar(select(ReceiptAccount.id).where(ReceiptAccount.name == name.strip()))
    if found is None:
        known = ", ".join(a.name for a in list_accounts(session)) or _("none yet")
        raise NotFound(_("No receipt account called {name} (known: {known}).").format(name=name, known=known))
    return found


# --- amounts ----------------------------------------------------------------------------------------------


def parse_currency(value: str | None) -> str:
    text = (value or "").strip().upper() or HOME_CURRENCY
    text = CURRENCY_ALIASES.get(text, text)
    if not _CURRENCY.fullmatch(text):
        raise ValidationError(_("Not a currency code: {value} (expected e.g. CNY, USD, EUR).").format(value=value),
                              field="currency")
    return text


def convert(amount: Decimal, currency: str, rate: object | None) -> tuple[Decimal, Decimal]:
    """(rate, amount in RMB): ``round(amount × rate, 2)``; a rate is required for any currency but CNY."""
    if currency == HOME_CURRENCY:
        if rate is not None and to_decimal(rate) != ONE:
            raise ValidationError(_("An amount in CNY takes no exchange rate (or 1)."), field="rate")
        return ONE, round_money(amount)
    if rate is None or str(rate).strip() == "":
        raise ValidationError(_("An amount in {currency} needs the exchange rate to CNY of the receipt date.").format(
            currency=currency), field="rate")
    try:
        r = to_decimal(rate.strip() if isinstance(rate, str) else rate)
    except Exception:
        raise ValidationError(_("Not an exchange rate: {value}").format(value=rate), field="rate") from None
    if r <= 0:
        raise ValidationError(_("The exchange rate must be greater than zero."), field="rate")
    return r, round_money(amount * r)


# --- recording ----------------------------------------------------------------------------------------------


def _what(r: Receipt) -> str:
    return _("receipt {number}").format(number=docs.label(r))


def load_receipt(session: Session, actor: Actor, receipt_id: int, *, lock: bool = False) -> Receipt:
    r = docs.load(session, Receipt, receipt_id, lock=lock)
    perms.require_customer(session, actor, r.customer_id, _what(r))
    return r


def record_receipt(session: Session, actor: Actor, customer_id: int, amount, *, received_on: date | None = None,
                   currency: str | None = None, rate=None, fee=None, account_id: int | None = None,
                   method: str | None = None, reference: str | None = None, remarks: str | None = None,
                   order_id: int | None = None, import_key: str | None = None, at: datetime | None = None) -> int:
    """Record (and number) a receipt; with ``order_id`` apply as much of it as the order still owes."""
    from crm_tui.services.common.numbering import take_number

    perms.require(actor, "sales.money")
    customer = perms.require_customer_record(session, actor, customer_id)
    value = _positive(amount, "amount")
    cur = parse_currency(currency)
    rate_value, cny = convert(value, cur, rate)
    fee_value = ZERO if fee in (None, "") else _non_negative(fee, "fee")
    if account_id is not None and session.get(ReceiptAccount, account_id) is None:
        raise NotFound(_("No such receipt account: {id}").format(id=account_id))
    day = received_on or clock.today()
    receipt = Receipt(customer_id=customer.id, owner_id=customer.owner_id, received_on=day, currency=cur, amount=value,
                      rate=rate_value, amount_cny=cny, fee=fee_value, account_id=account_id,
                      method=docs.clean(method, 32), reference=docs.clean(reference, 64), remarks=docs.clean(remarks),
                      import_key=import_key, status="draft", created_by=actor.id)
    session.add(receipt)
    session.flush()
    docs.mark_confirmed(receipt, actor, take_number(session, "receipt", on=docs.number_day(at, day)), at)
    session.flush()
    if order_id is not None:
        apply_receipt(session, actor, receipt.id, order_id, applied_on=day, must_apply=False)
    events.emit(session, actor, "receipt_recorded", receipt_id=receipt.id)
    return receipt.id


def _positive(value, field_name: str) -> Decimal:
    d = _non_negative(value, field_name)
    if d == 0:
        raise ValidationError(_("The {field} must be greater than zero.").format(field=_(field_name)), field=field_name)
    return d


def _non_negative(value, field_name: str) -> Decimal:
    try:
        d = round_money(parse_money(value))
    except (ValueError, ArithmeticError):
        raise ValidationError(_("Not an amount: {value}").format(value=value), field=field_name) from None
    if d < 0:
        raise ValidationError(_("The {field} cannot be negative.").format(field=_(field_name)), field=field_name)
    return d


def applied_total(session: Session, receipt_id: int) -> Decimal:
    return session.scalar(select(func.sum(ReceiptApplication.amount)).where(
        ReceiptApplication.receipt_id == receipt_id)) or ZERO


def order_unpaid(session: Session, order: SalesOrder) -> Decimal:
    paid = session.scalar(select(func.sum(ReceiptApplication.amount)).join(
        Receipt, Receipt.id == ReceiptApplication.receipt_id).where(
        ReceiptApplication.order_id == order.id, Receipt.status == "confirmed")) or ZERO
    return order.gross_total - paid


def apply_receipt(session: Session, actor: Actor, receipt_id: int, order_id: int, amount=None, *,
                  applied_on: date | None = None, must_apply: bool = True) -> Decimal:
    """Apply (part of) a receipt's free amount to an order of the same customer; returns the amount applied.

    Without ``amount``: as much as both the receipt has free and the order still owes. When that is nothing
    (a colleague applied it a moment earlier) the request is refused, unless ``must_apply`` is False (a receipt
    recorded against an order that is paid already stays an advance)."""
    from crm_tui.services.sales.orders import load_order

    perms.require(actor, "sales.money")
    receipt = load_receipt(session, actor, receipt_id, lock=True)
    docs.require_status(receipt, "confirmed", action="apply")
    order = load_order(session, actor, order_id, lock=True)
    if order.customer_id != receipt.customer_id:
        raise ValidationError(_("Order {order} is another customer's than receipt {receipt}.").format(
            order=docs.label(order), receipt=receipt.number), field="order")
    if order.status not in ("confirmed", "done"):
        raise ValidationError(_("Order {order} is {status}; receipts apply to confirmed orders.").format(
            order=docs.label(order), status=_(order.status)), field="order")
    free = receipt.amount_cny - applied_total(session, receipt.id)
    owed = order_unpaid(session, order)
    if amount is None:
        value = min(free, owed)
        if value <= 0 and not must_apply:
            return ZERO
        if free <= 0:
            raise StateError(_("Receipt {receipt} has nothing left to apply.").format(receipt=receipt.number))
        if owed <= 0:
            raise StateError(_("Order {order} owes nothing; nothing was applied.").format(order=docs.label(order)))
    else:
        value = _positive(amount, "amount")
        if value > free:
            raise ValidationError(_("Receipt {receipt} has {free} left to apply, not {amount}.").format(
                receipt=receipt.number, free=f"{free:,.2f}", amount=f"{value:,.2f}"), field="amount")
        if value > owed:
            raise ValidationError(_("Order {order} owes {owed}; {amount} is more.").format(
                order=order.number, owed=f"{owed:,.2f}", amount=f"{value:,.2f}"), field="amount")
    existing = session.scalar(select(ReceiptApplication).where(ReceiptApplication.receipt_id == receipt.id,
                                                               ReceiptApplication.order_id == order.id))
    if existing is not None:
        existing.amount += value
    else:
        session.add(ReceiptApplication(receipt_id=receipt.id, order_id=order.id, amount=value,
                                       applied_on=applied_on or clock.today(), created_by=actor.id))
    session.flush()
    return value


def cancel_receipt(session: Session, actor: Actor, receipt_id: int, reason: str | None = None) -> None:
    perms.require(actor, "sales.money")
    receipt = load_receipt(session, actor, receipt_id, lock=True)
    docs.require_status(receipt, "confirmed", action="cancel")
    for row in session.scalars(select(ReceiptApplication).where(ReceiptApplication.receipt_id == receipt.id)):
        session.delete(row)
    docs.mark_cancelled(receipt, actor, reason)
    session.flush()


# --- reading ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptView:
    id: int
    number: str | None
    status: str
    customer_id: int
    customer_code: str
    customer_name: str
    received_on: date
    currency: str
    amount: Decimal
    rate: Decimal
    amount_cny: Decimal
    fee: Decimal
    account: str | None
    method: str | None
    reference: str | None
    remarks: str | None
    applied: Decimal
    applications: list[tuple[str, Decimal]] = field(default_factory=list)  # (order number, amount)

    @property
    def unapplied(self) -> Decimal:
        return self.amount_cny - self.applied if self.status == "confirmed" else ZERO


def get_receipt(session: Session, actor: Actor, receipt_id: int) -> ReceiptView:
    r = load_receipt(session, actor, receipt_id)
    customer = session.get(Customer, r.customer_id)
    account = session.get(ReceiptAccount, r.account_id) if r.account_id else None
    apps = [(num or f"#{oid}", amt) for oid, num, amt in session.execute(
        select(SalesOrder.id, SalesOrder.number, ReceiptApplication.amount)
        .join(SalesOrder, SalesOrder.id == ReceiptApplication.order_id)
        .where(ReceiptApplication.receipt_id == r.id).order_by(ReceiptApplication.id))]
    return ReceiptView(r.id, r.number, r.status, r.customer_id, customer.code, customer.name, r.received_on,
                       r.currency, r.amount, r.rate, r.amount_cny, r.fee, account.name if account else None, r.method,
                       r.reference, r.remarks, sum((a for _n, a in apps), ZERO), apps)


def find_receipt(session: Session, actor: Actor, key: str | int) -> int:
    rid = docs.find_id(session, Receipt, key)
    load_receipt(session, actor, rid)
    return rid


@dataclass(frozen=True)
class ReceiptRow:
    id: int
    number: str | None
    status: str
    received_on: date
    customer_id: int
    customer_code: str
    customer_name: str
    currency: str
    amount: Decimal
    amount_cny: Decimal
    account: str | None
    method: str | None
    applied: Decimal

    @property
    def unapplied(self) -> Decimal:
        return self.amount_cny - self.applied if self.status == "confirmed" else ZERO


def list_receipts(session: Session, actor: Actor, *, customer_id: int | None = None, status: str | None = None,
                  date_from: date | None = None, date_to: date | None = None, advances_only: bool = False,
                  text: str = "", limit: int = 200, offset: int = 0) -> list[ReceiptRow]:
    applied = (select(ReceiptApplication.receipt_id, func.sum(ReceiptApplication.amount).label("a"))
               .group_by(ReceiptApplication.receipt_id).subquery())
    stmt = (select(Receipt.id, Receipt.number, Receipt.status, Receipt.received_on, Receipt.customer_id, Customer.code,
                   Customer.name, Receipt.currency, Receipt.amount, Receipt.amount_cny, ReceiptAccount.name,
                   Receipt.method, func.coalesce(applied.c.a, 0))
            .join(Customer, Customer.id == Receipt.customer_id)
            .outerjoin(ReceiptAccount, ReceiptAccount.id == Receipt.account_id)
            .outerjoin(applied, applied.c.receipt_id == Receipt.id)
            .where(perms.visible_clause(session, actor, Receipt.customer_id))
            .order_by(Receipt.received_on.desc(), Receipt.id.desc()).limit(limit).offset(offset))
    stmt = lf.equal_to(stmt, (Receipt.customer_id, customer_id), (Receipt.status, status))
    stmt = lf.between(stmt, Receipt.received_on, date_from, date_to)
    if advances_only:
        stmt = stmt.where(Receipt.status == "confirmed", Receipt.amount_cny > func.coalesce(applied.c.a, 0))
    stmt = lf.search(stmt, text, Receipt.number, Customer.name, Customer.code)
    return [ReceiptRow(*row) for row in session.execute(stmt)]
