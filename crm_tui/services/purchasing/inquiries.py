"""Inquiries (询价单): products and quantities asked of one or several suppliers, their quotes, a comparison,
and a purchase order made from the chosen supplier's quotes. draft → sent (numbered) → closed, or cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, StateError, ValidationError
from crm_tui.core.money import gross_from_net, net_from_gross, round_money, round_quantity, to_decimal
from crm_tui.db.models.products import Product
from crm_tui.db.models.purchasing import Inquiry, InquiryLine, InquiryQuote, InquirySupplier, Supplier
from crm_tui.i18n import _
from crm_tui.services.admin import permissions


def create_inquiry(session: Session, actor: Actor, lines: list[tuple[int, object]], supplier_ids: list[int], *,
                   reply_by: date | None = None, remarks: str | None = None, doc_date: date | None = None) -> int:
    """``lines``: (product id, quantity) pairs; ``supplier_ids``: who is asked."""
    permissions.require(actor, "purchase.manage")
    if not lines:
        raise ValidationError(_("The inquiry has no lines."), field="lines")
    if not supplier_ids:
        raise ValidationError(_("Ask at least one supplier."), field="suppliers")
    if len(set(pid for pid, _q in lines)) != len(lines):
        raise ValidationError(_("A product appears twice in the inquiry."), field="lines")
    found = set(session.scalars(select(Supplier.id).where(Supplier.id.in_(supplier_ids))))
    missing = set(supplier_ids) - found
    if missing:
        raise NotFound(_("No such supplier: {id}").format(id=sorted(missing)[0]))
    products = set(session.scalars(select(Product.id).where(Product.id.in_([p for p, _q in lines]))))
    inquiry = Inquiry(status="draft", doc_date=doc_date or clock.today(), reply_by=reply_by, remarks=remarks,
                      created_by=actor.id)
    session.add(inquiry)
    session.flush()
    for n, (pid, qty) in enumerate(lines, start=1):
        if pid not in products:
            raise NotFound(_("Line {n}: no such product: {id}").format(n=n, id=pid))
        q = round_quantity(to_decimal(qty))
        if q <= 0:
            raise ValidationError(_("Line {n}: the quantity must be greater than zero.").format(n=n),
                                  field="quantity")
        session.add(InquiryLine(inquiry_id=inquiry.id, product_id=pid, quantity=q))
    session.add_all(InquirySupplier(inquiry_id=inquiry.id, supplier_id=sid) for sid in dict.fromkeys(supplier_ids))
    session.flush()
    return inquiry.id


def _load(session: Session, inquiry_id: int, lock: bool = False) -> Inquiry:
    stmt = select(Inquiry).where(Inquiry.id == inquiry_id).execution_options(populate_existing=True)
    inquiry = session.scalar(stmt.with_for_update() if lock else stmt)
    if inquiry is None:
        raise NotFound(_("No such inquiry: {id}").format(id=inquiry_id))
    return inquiry


def send(session: Session, actor: Actor, inquiry_id: int) -> str:
    """The inquiry goes out to its suppliers: it takes its number."""
    permissions.require(actor, "purchase.manage")
    inquiry = _load(session, inquiry_id, lock=True)
    if inquiry.status != "draft":
        raise StateError(_("Inquiry {number} is already {status}.").format(number=inquiry.number or inquiry.id,
                                                                           status=_(inquiry.status)))
    from crm_tui.services.common.numbering import take_number

    inquiry.number = take_number(session, "inquiry")
    inquiry.status = "sent"
    session.flush()
    return inquiry.number


def record_quote(session: Session, actor: Actor, inquiry_id: int, supplier_id: int, product_id: int, *,
                 price=None, price_gross=None, tax_rate=None, remarks: str | None = None) -> None:
    """A supplier's price for one product of a sent inquiry (net or tax-inclusive); a new quote replaces it."""
    permissions.require(actor, "purchase.manage")
    inquiry = _load(session, inquiry_id)
    if inquiry.status != "sent":
        raise StateError(_("Quotes are recorded on a sent inquiry; this one is {status}.").format(
            status=_(inquiry.status)))
    asked = session.scalar(select(InquirySupplier.id).where(InquirySupplier.inquiry_id == inquiry_id,
                                                            InquirySupplier.supplier_id == supplier_id))
    if asked is None:
        raise ValidationError(_("This supplier was not asked in the inquiry."), field="supplier")
    line = session.scalar(select(InquiryLine).where(InquiryLine.inquiry_id == inquiry_id,
                                                    InquiryLine.product_id == product_id))
    if line is None:
        raise ValidationError(_("The product is not in the inquiry."), field="product")
    product = session.get(Product, product_id)
    rate = product.tax_rate if tax_rate is None else to_decimal(tax_rate)
    if price is None and price_gross is None:
        raise ValidationError(_("Give a price."), field="price")
    if price is not None:
        net = round_money(to_decimal(price))
        gross = gross_from_net(net, rate)
    else:
        gross = round_money(to_decimal(price_gross))
        net = net_from_gross(gross, rate)
    if net < 0:
        raise ValidationError(_("The price cannot be negative."), field="price")
    quote = session.scalar(select(InquiryQuote).where(InquiryQuote.inquiry_id == inquiry_id,
                                                      InquiryQuote.supplier_id == supplier_id,
                                                      InquiryQuote.product_id == product_id))
    if quote is None:
        session.add(InquiryQuote(inquiry_id=inquiry_id, supplier_id=supplier_id, product_id=product_id, price=net,
                                 price_gross=gross, tax_rate=rate, remarks=remarks))
    else:
        quote.price, quote.price_gross, quote.tax_rate, quote.remarks = net, gross, rate, remarks
    session.flush()


@dataclass(frozen=True)
class QuoteRow:
    product_id: int
    product_code: str
    product_name: str
    quantity: Decimal
    supplier_id: int
    supplier_code: str
    supplier_name: str
    price: Decimal
    price_gross: Decimal
    best: bool  # the lowest tax-inclusive price for this product


def comparison(session: Session, inquiry_id: int) -> list[QuoteRow]:
    """Every quote, by product, cheapest (tax-inclusive) first."""
    rows = session.execute(
        select(InquiryLine.product_id, Product.code, Product.name, InquiryLine.quantity, Supplier.id, Supplier.code,
               Supplier.name, InquiryQuote.price, InquiryQuote.price_gross)
        .join(Product, Product.id == InquiryLine.product_id)
        .join(InquiryQuote, (InquiryQuote.inquiry_id == InquiryLine.inquiry_id)
              & (InquiryQuote.product_id == InquiryLine.product_id))
        .join(Supplier, Supplier.id == InquiryQuote.supplier_id)
        .where(InquiryLine.inquiry_id == inquiry_id)
        .order_by(Product.code, InquiryQuote.price_gross, Supplier.code)).all()
    best: dict[int, Decimal] = {}
    for r in rows:
        best.setdefault(r[0], r[8])
    return [QuoteRow(*r, best=r[8] == best[r[0]]) for r in rows]


def order_from_inquiry(session: Session, actor: Actor, inquiry_id: int, supplier_id: int, *,
                       warehouse_id: int | None = None) -> int:
    """A draft purchase order for the products this supplier quoted, at the quoted prices; closes the inquiry."""
    from crm_tui.services.purchasing.orders import OrderLineInput, create_order

    inquiry = _load(session, inquiry_id, lock=True)
    if inquiry.status not in ("sent", "closed"):
        raise StateError(_("Make an order from a sent inquiry; this one is {status}.").format(
            status=_(inquiry.status)))
    quotes = session.execute(
        select(InquiryLine.product_id, InquiryLine.quantity, InquiryQuote.price, InquiryQuote.price_gross,
               InquiryQuote.tax_rate)
        .join(InquiryQuote, (InquiryQuote.inquiry_id == InquiryLine.inquiry_id)
              & (InquiryQuote.product_id == InquiryLine.product_id))
        .where(InquiryLine.inquiry_id == inquiry_id, InquiryQuote.supplier_id == supplier_id)
        .order_by(InquiryLine.id)).all()
    if not quotes:
        raise ValidationError(_("This supplier quoted nothing in the inquiry."), field="supplier")
    lines = [OrderLineInput(pid, qty, price=price, tax_rate=rate) for pid, qty, price, _g, rate in quotes]
    order_id = create_order(session, actor, supplier_id, lines, warehouse_id=warehouse_id, inquiry_id=inquiry.id,
                            remarks=_("From inquiry {number}").format(number=inquiry.number))
    inquiry.status = "closed"
    session.flush()
    return order_id


@dataclass(frozen=True)
class InquiryView:
    id: int
    number: str | None
    status: str
    doc_date: date
    lines: list[tuple[int, str, str, Decimal]]  # product id, code, name, quantity
    suppliers: list[tuple[int, str, str]]  # supplier id, code, name
    quotes: list[QuoteRow]


def get_inquiry(session: Session, inquiry_id: int) -> InquiryView:
    inquiry = _load(session, inquiry_id)
    lines = session.execute(select(Product.id, Product.code, Product.name, InquiryLine.quantity)
                            .join(InquiryLine, InquiryLine.product_id == Product.id)
                            .where(InquiryLine.inquiry_id == inquiry_id).order_by(InquiryLine.id)).all()
    suppliers = session.execute(select(Supplier.id, Supplier.code, Supplier.name)
                                .join(InquirySupplier, InquirySupplier.supplier_id == Supplier.id)
                                .where(InquirySupplier.inquiry_id == inquiry_id).order_by(Supplier.code)).all()
    return InquiryView(inquiry.id, inquiry.number, inquiry.status, inquiry.doc_date, [tuple(r) for r in lines],
                       [tuple(r) for r in suppliers], comparison(session, inquiry_id))


def list_inquiries(session: Session, limit: int = 200) -> list[Inquiry]:
    return list(session.scalars(select(Inquiry).order_by(Inquiry.id.desc()).limit(limit)))
