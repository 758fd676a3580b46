"""What the sales documents share: loading with a lock, labels, finding by number, the customer they are for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, StateError, ValidationError
from crm_tui.db.base import utcnow
from crm_tui.db.models.customers import Customer
from crm_tui.i18n import _
from crm_tui.services.customers.records import find_customer  # noqa: F401 - the one lookup, also read as docs.*

T = TypeVar("T")

# What each kind is called in messages (msgids; translated when shown).
KIND_NAMES = {
    "quotes": "quote", "sales_orders": "sales order", "delivery_notices": "delivery notice",
    "sales_stock_outs": "stock-out", "receipts": "receipt", "sales_invoices": "invoice",
    "expense_claims": "expense claim",
}


def kind_name(model) -> str:
    return _(KIND_NAMES.get(model.__tablename__, model.__tablename__))


def label(doc) -> str:
    """The number of a confirmed document, ``#id`` of a draft."""
    return doc.number or f"#{doc.id}"


def load(session: Session, model: type[T], doc_id: int, *, lock: bool = False) -> T:
    stmt = select(model).where(model.id == doc_id).execution_options(populate_existing=True)
    if lock:
        stmt = stmt.with_for_update()
    doc = session.scalar(stmt)
    if doc is None:
        raise NotFound(_("No such {kind}: {id}").format(kind=kind_name(model), id=f"#{doc_id}"))
    return doc


def find_id(session: Session, model, key: str | int, *, extra=None) -> int:
    """A document's id from its number, ``#id`` or a bare id (``extra``: another column to match, e.g. a reference)."""
    text = str(key).strip()
    if not text:
        raise ValidationError(_("Give a document number."), field="number")
    found = session.scalar(select(model.id).where(model.number == text))
    if found is None and extra is not None:
        ids = session.scalars(select(model.id).where(extra == text).limit(2)).all()
        if len(ids) > 1:
            raise ValidationError(_("Several documents have the reference {ref}; use the number.").format(ref=text),
                                  field="number")
        found = ids[0] if ids else None
    bare = text[1:] if text.startswith("#") else text
    if found is None and bare.isdigit() and session.get(model, int(bare)) is not None:
        found = int(bare)
    if found is None:
        raise NotFound(_("No such {kind}: {id}").format(kind=kind_name(model), id=text))
    return found


def check_version(session: Session, doc, expected: int | None) -> None:
    """Refuse a draft save started from an older version of ``doc`` (see services/common/drafts.py)."""
    from crm_tui.services.common import drafts

    drafts.check_version(session, doc, expected, _("{kind} {number}").format(
        kind=kind_name(type(doc)).capitalize(), number=label(doc)))


def require_status(doc, *allowed: str, action: str) -> None:
    if doc.status not in allowed:
        raise StateError(_("{kind} {number} is {status}: you cannot {action} it.").format(
            kind=kind_name(type(doc)).capitalize(), number=label(doc), status=_(doc.status), action=_(action)))


def active_customer(session: Session, actor: Actor, customer_id: int) -> Customer:
    """The customer of a new document: it must exist, be visible to ``actor`` and not be archived."""
    from crm_tui.services.customers.visibility import require_visible

    customer = require_visible(session, actor, customer_id)
    if customer.status != "active":
        raise ValidationError(_("Customer {code} is archived; restore it before writing documents for it.").format(
            code=customer.code), field="customer")
    return customer


def mark_confirmed(doc, actor: Actor, number: str, at: datetime | None) -> None:
    doc.number = number
    doc.status = "confirmed"
    doc.confirmed_by = actor.id
    doc.confirmed_at = at or utcnow()


def mark_cancelled(doc, actor: Actor, reason: str | None) -> None:
    doc.status = "cancelled"
    doc.cancelled_by = actor.id
    doc.cancelled_at = utcnow()
    doc.cancel_reason = (reason or "").strip()[:300] or None


def number_day(at: datetime | None, fallback: date | None = None) -> date | None:
    """The date a number is taken for: the backdated confirmation's day, else today."""
    if at is not None:
        return at.date()
    return fallback


def clean(text: str | None, limit: int | None = None) -> str | None:
    value = (text or "").strip()
    if limit is not None:
        value = value[:limit]
    return value or None


# --- lines as plain data ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LineView:
    id: int
    line_no: int
    product_id: int
    product_code: str
    product_name: str
    spec: str | None
    unit: str | None
    quantity: Decimal
    price_basis: str
    entered_price: Decimal
    discount: Decimal
    tax_rate: Decimal
    net_price: Decimal
    gross_price: Decimal
    list_price: Decimal | None
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    delivery_date: date | None
    remarks: str | None
    shipped_quantity: Decimal = Decimal(0)  # in base units (services/stock/units.py)
    unit_factor: Decimal = Decimal(1)

    @property
    def shipped(self) -> Decimal:
        """What shipped, in the line's unit."""
        if self.unit_factor == 1:
            return self.shipped_quantity
        return (self.shipped_quantity / self.unit_factor).quantize(Decimal("0.0001"))

    @property
    def unshipped(self) -> Decimal:
        return max(self.quantity - self.shipped, Decimal(0))

    def as_input(self):
        """The line as a new document's input (copying a quote, a quote into an order)."""
        from crm_tui.services.sales.pricing import LineInput

        return LineInput(self.product_id, self.quantity, self.entered_price, self.price_basis, self.tax_rate,
                         self.discount, self.delivery_date, self.remarks, self.unit)


def line_views(session: Session, line_model, parent_column, parent_id: int) -> list[LineView]:
    from crm_tui.db.models.products import Product

    rows = session.execute(
        select(line_model, Product.code, Product.name, Product.spec, Product.unit)
        .join(Product, Product.id == line_model.product_id)
        .where(parent_column == parent_id).order_by(line_model.line_no)).all()
    return [LineView(ln.id, ln.line_no, ln.product_id, code, name, spec, ln.unit or unit, ln.quantity, ln.price_basis,
                     ln.entered_price, ln.discount, ln.tax_rate, ln.net_price, ln.gross_price, ln.list_price,
                     ln.net_amount, ln.tax_amount, ln.gross_amount, ln.delivery_date, ln.remarks,
                     getattr(ln, "shipped_quantity", Decimal(0)), ln.unit_factor) for ln, code, name, spec, unit in rows]


def set_totals(doc, rows) -> None:
    from crm_tui.services.sales.pricing import totals

    t = totals(rows)
    doc.net_total, doc.tax_total, doc.gross_total = t.net, t.tax, t.gross
