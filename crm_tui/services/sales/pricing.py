"""The money rules of a sales line, discount limits, and the last price a customer paid.

A line is entered with a net unit price (单价) or a tax-inclusive unit price (含税单价), a quantity, a tax rate
and an optional discount ``d`` (0.05 = 5% off). The discounted price ``p = price × (1 − d)`` is kept exact;
then, rounding half-up to the fen:

- from a net price:          net = round(qty × p, 2), tax = round(net × rate, 2), gross = net + tax;
- from a tax-inclusive price: gross = round(qty × p, 2), net = round(gross / (1 + rate), 2), tax = gross − net.

The other unit price is shown too, rounded to four places. A document's totals are the sums of its rounded
lines. The discount a line gives, for the approval limits, is measured against the product's list price on
the same basis: ``max(d, 1 − p / list price)`` — typing a lower price is a discount as much as typing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.config import get_settings
from crm_tui.core.errors import NotFound, ValidationError
from crm_tui.core.money import (
    line_from_gross_price,
    line_from_net_price,
    parse_rate,
    round_money,
    round_quantity,
    to_decimal,
)
from crm_tui.db.models.products import Product
from crm_tui.i18n import _

ZERO = Decimal(0)
ONE = Decimal(1)
PRICE_PLACES = 6  # entered prices are kept to six places
SHOWN_PLACES = 4  # the derived price (net from gross or gross from net) is shown to four
DISCOUNT_PLACES = 4
BASES = ("net", "gross")


@dataclass(frozen=True)
class LineInput:
    """A line as the clerk enters it. ``price`` None: the last price this customer paid, else the list price."""

    product_id: int
    quantity: object
    price: object | None = None
    basis: str = "gross"  # net: 单价 | gross: 含税单价
    tax_rate: object | None = None  # default: the product's rate
    discount: object = ZERO  # 0.05, "5%" or 5 for 5% off
    delivery_date: date | None = None
    remarks: str | None = None
    unit: str | None = None  # default: the product's base unit (services/stock/units.py)


@dataclass(frozen=True)
class LineAmounts:
    net_price: Decimal
    gross_price: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal
    gross: Decimal


def price_line(qty: Decimal, price: Decimal, basis: str, rate: Decimal, discount: Decimal = ZERO) -> LineAmounts:
    """Amounts of one line by the money rules (module doc)."""
    p = price * (ONE - discount)
    if basis == "net":
        net, tax, gross = line_from_net_price(qty, p, rate)
        return LineAmounts(round_money(p, PRICE_PLACES), round_money(p * (ONE + rate), SHOWN_PLACES), net, tax, gross)
    if basis == "gross":
        net, tax, gross = line_from_gross_price(qty, p, rate)
        return LineAmounts(round_money(p / (ONE + rate), SHOWN_PLACES), round_money(p, PRICE_PLACES), net, tax, gross)
    raise ValidationError(_("Unknown price basis {basis}: expected net or gross.").format(basis=basis), field="basis")


def totals(lines) -> Totals:
    """The sums of the rounded lines (objects or dicts with net/tax/gross amounts)."""
    net = tax = gross = ZERO
    for ln in lines:
        if isinstance(ln, dict):
            net += ln["net_amount"]
            tax += ln["tax_amount"]
            gross += ln["gross_amount"]
        else:
            net += ln.net_amount
            tax += ln.tax_amount
            gross += ln.gross_amount
    return Totals(net, tax, gross)


def given_discount(price_after: Decimal, list_price: Decimal | None, discount: Decimal) -> Decimal:
    """The discount a line gives: its own, or how far its price is under the list price, whichever is more."""
    off = discount
    if list_price:
        off = max(off, ONE - price_after / list_price)
    return max(round_money(off, DISCOUNT_PLACES), ZERO)


def list_price(product: Product, basis: str) -> Decimal | None:
    return product.sale_price if basis == "net" else product.sale_price_gross


def convert_price(price: Decimal, rate: Decimal, from_basis: str, to_basis: str) -> Decimal:
    """The same unit price on the other basis (含税 ⇄ 不含税), to four places, half-up:
    net = round(gross / (1 + rate), 4), gross = round(net × (1 + rate), 4). 19.90 at 13% -> 17.6106 net."""
    for basis in (from_basis, to_basis):
        if basis not in BASES:
            raise ValidationError(_("Unknown price basis {basis}: expected net or gross.").format(basis=basis),
                                  field="basis")
    if from_basis == to_basis:
        return price
    if to_basis == "net":
        return round_money(price / (ONE + rate), SHOWN_PLACES)
    return round_money(price * (ONE + rate), SHOWN_PLACES)


def shown_discount(price: Decimal, discount: Decimal, listed: Decimal | None) -> Decimal:
    """The discount a line shows in the 折扣 column: the one typed, or how far the price is under the list
    price on the same basis (whichever is more); zero for a price at or over the list price."""
    return given_discount(price * (ONE - discount), listed, discount)


# --- settings -------------------------------------------------------------------------------------------


def settings() -> dict:
    return get_settings().get("sales", {})


def _percent(value: object) -> Decimal:
    d = to_decimal(str(value))
    return min(d / 100 if d > 1 else d, ONE)


def discount_limit(role: str) -> Decimal:
    """The largest discount ``role`` may confirm alone (settings ``[sales] discount_limits``, in percent)."""
    limits = settings().get("discount_limits", {})
    if role == "administrator" and role not in limits:
        return ONE
    return _percent(limits.get(role, 0))


def receivable_basis() -> str:
    basis = str(settings().get("receivable_basis", "orders"))
    if basis not in ("orders", "stock_outs"):
        raise ValidationError(_("Settings [sales] receivable_basis must be orders or stock_outs, not {value}.")
                              .format(value=basis), field="receivable_basis")
    return basis


def expense_validity_days() -> int:
    return int(settings().get("expense_validity_days", 60))


def payment_before_delivery() -> bool:
    return bool(settings().get("require_payment_before_delivery", False))


def quote_validity_days() -> int:
    return int(settings().get("quote_validity_days", 30))


# --- parsing what is typed ------------------------------------------------------------------------------


def parse_discount(value: object) -> Decimal:
    """``5%``, ``5`` or ``0.05`` -> 0.05; empty -> 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ZERO
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        value = str(value)
    text = str(value).strip().rstrip("%").strip()
    try:
        d = to_decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Not a discount: {value} (expected e.g. 5% or 0.05).").format(value=value),
                              field="discount") from None
    if str(value).strip().endswith("%") or d >= 1:
        d = d / 100
    if not ZERO <= d < ONE:
        raise ValidationError(_("A discount must be under 100% (not {value}).").format(value=value), field="discount")
    return d.normalize() if d else ZERO


def parse_quantity(value: object, where: str) -> Decimal:
    try:
        qty = round_quantity(to_decimal(value.strip() if isinstance(value, str) else value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("{what}: not a quantity: {value}").format(what=where, value=value),
                              field="quantity") from None
    if qty <= 0:
        raise ValidationError(_("{what}: the quantity must be greater than zero.").format(what=where), field="quantity")
    return qty


def parse_price(value: object, where: str) -> Decimal:
    from crm_tui.core.money import parse_money

    try:
        price = round_money(parse_money(value), PRICE_PLACES)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("{what}: not a price: {value}").format(what=where, value=value), field="price") from None
    if price < 0:
        raise ValidationError(_("{what}: the price cannot be negative.").format(what=where), field="price")
    return price


def parse_tax_rate(value: object, where: str) -> Decimal:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        value = str(value)
    try:
        return parse_rate(value)
    except ValueError:
        raise ValidationError(_("{what}: not a tax rate: {value} (expected e.g. 13%, 0.13 or 13)").format(
            what=where, value=value), field="tax_rate") from None


# --- the last price paid ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LastPrice:
    basis: str
    price: Decimal  # as entered
    discount: Decimal
    tax_rate: Decimal
    net_price: Decimal
    gross_price: Decimal
    order_number: str | None
    order_date: date
    unit_factor: Decimal = ONE  # the price is per this many base units


def last_price(session: Session, customer_id: int, product_id: int) -> LastPrice | None:
    """The price on this customer's latest confirmed order line for this product (the default of a new line)."""
    return last_prices(session, customer_id, [product_id]).get(product_id)


def last_prices(session: Session, customer_id: int, product_ids) -> dict[int, LastPrice]:
    """``last_price`` of several products in one query (a document's lines are priced together)."""
    from sqlalchemy import func

    from crm_tui.db.models.sales import SalesOrder, SalesOrderLine

    if not product_ids:
        return {}
    latest = func.row_number().over(partition_by=SalesOrderLine.product_id, order_by=(
        SalesOrder.order_date.desc(), SalesOrder.id.desc(), SalesOrderLine.line_no)).label("latest")
    ranked = (select(SalesOrderLine.product_id, SalesOrderLine.price_basis, SalesOrderLine.entered_price,
                     SalesOrderLine.discount, SalesOrderLine.tax_rate, SalesOrderLine.net_price,
                     SalesOrderLine.gross_price, SalesOrder.number, SalesOrder.order_date, SalesOrderLine.unit_factor,
                     latest)
              .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
              .where(SalesOrder.customer_id == customer_id, SalesOrderLine.product_id.in_(set(product_ids)),
                     SalesOrder.status.in_(("confirmed", "done")))).subquery()
    rows = session.execute(select(*[c for c in ranked.c if c.name != "latest"]).where(ranked.c.latest == 1))
    return {pid: LastPrice(*rest) for pid, *rest in rows}


def default_prices(session: Session, customer_id: int | None, product_ids) -> dict:
    """Per product, what a new line without a price starts from: the customer's last price paid (``LastPrice``),
    else their own or their class's price (``AgreedPrice``); a product missing here takes its list price."""
    from crm_tui.services.sales.agreed_prices import agreed_prices

    if customer_id is None:
        return {}
    found: dict = last_prices(session, customer_id, product_ids)
    found.update(agreed_prices(session, customer_id, [p for p in set(product_ids) if p not in found]))
    return found


# --- building stored lines ----------------------------------------------------------------------------------


def build_lines(session: Session, customer_id: int, lines: list[LineInput]) -> list[dict]:
    """Validate and price ``lines``; returns column values for QuoteLine / SalesOrderLine rows."""
    if not lines:
        raise ValidationError(_("The document has no lines."), field="lines")
    ids = {ln.product_id for ln in lines}
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
    # One query per kind of default for the whole document, not three per line.
    defaults = default_prices(session, customer_id, [ln.product_id for ln in lines
                                                     if ln.price is None and ln.product_id in products])
    out = []
    for n, ln in enumerate(lines, start=1):
        product = products.get(ln.product_id)
        if product is None:
            raise NotFound(_("Line {n}: no such product: {id}").format(n=n, id=ln.product_id))
        where = _("Line {n} ({code})").format(n=n, code=product.code)
        out.append({"line_no": n, "product_id": product.id,
                    **price_values(session, customer_id, product, ln, where, defaults),
                    "delivery_date": ln.delivery_date, "remarks": (ln.remarks or "").strip() or None})
    return out


def price_values(session: Session, customer_id: int | None, product: Product, ln: LineInput, where: str,
                 defaults: dict | None = None) -> dict:
    """Quantity, prices and amounts of one line (defaults: the last price paid, the customer's price, their class's
    price, the list price). ``defaults``: ``default_prices`` already read for the document's products."""
    from crm_tui.services.stock.units import base_quantity, resolve_unit

    unit, factor = resolve_unit(session, product, ln.unit)
    qty = parse_quantity(ln.quantity, where)
    base_quantity(qty, factor, where)
    basis = ln.basis if ln.basis in BASES else None
    if basis is None:
        raise ValidationError(_("{what}: the price basis must be net or gross.").format(what=where), field="basis")
    rate = product.tax_rate if ln.tax_rate is None else parse_tax_rate(ln.tax_rate, where)
    discount = parse_discount(ln.discount)
    if discount >= ONE:
        raise ValidationError(_("{what}: a discount must be under 100%.").format(what=where), field="discount")
    if ln.price is None:
        if defaults is None:
            defaults = default_prices(session, customer_id, [product.id])
        found = defaults.get(product.id)  # the last price paid, else the customer's own or class price
        last = found if isinstance(found, LastPrice) else None
        agreed = found if last is None else None
        if last is not None:
            basis, price = last.basis, _per_unit(last.price, factor, last.unit_factor)
            discount = discount or last.discount
            if ln.tax_rate is None:
                rate = last.tax_rate
        elif agreed is not None:
            basis, price = agreed.basis, _per_unit(agreed.price, factor)
        elif list_price(product, basis) is not None:
            price = _per_unit(list_price(product, basis), factor)
        else:
            raise ValidationError(_("{what}: give a price (the product has no list price).").format(what=where),
                                  field="price")
    else:
        price = parse_price(ln.price, where)
    amounts = price_line(qty, price, basis, rate, discount)
    listed = list_price(product, basis)
    listed = None if listed is None else _per_unit(listed, factor)
    return {"unit": unit, "unit_factor": factor, "quantity": qty, "price_basis": basis, "entered_price": price, "discount": discount, "tax_rate": rate,
            "net_price": amounts.net_price, "gross_price": amounts.gross_price, "list_price": listed,
            "net_amount": amounts.net, "tax_amount": amounts.tax, "gross_amount": amounts.gross}


def _per_unit(price: Decimal, factor: Decimal, price_factor: Decimal = ONE) -> Decimal:
    """A price per ``price_factor`` base units as a price per ``factor`` base units (module doc of units.py)."""
    if factor == price_factor:
        return price
    return round_money(price * factor / price_factor, PRICE_PLACES)


def max_discount(rows) -> Decimal:
    """The largest discount any line gives (rows: stored lines or their dicts)."""
    best = ZERO
    for r in rows:
        get = r.get if isinstance(r, dict) else lambda k, r=r: getattr(r, k)
        after = get("entered_price") * (ONE - get("discount"))
        best = max(best, given_discount(after, get("list_price"), get("discount")))
    return best
