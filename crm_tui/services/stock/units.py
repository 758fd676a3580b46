"""Units of measure (计量单位): a product's conversions (1 箱 = 12 瓶) and the base quantity of a line.

A product's base unit is ``products.unit``; ``product_units`` holds its other units with ``factor`` = base units
per unit. A document line keeps the unit it was written in and that factor: its quantity and prices are per
that unit; stock (the ledger, on-hand, shipped and received quantities, reservations) is always counted in
base units, ``quantity × factor``, which must be exact to the quantity's four places.

Default prices of a line in another unit: the price found for the product (the last price the customer paid,
their agreed price, the list price) is per base unit and is multiplied by the factor — unless the last price
paid was itself in that unit, which is then taken as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import BigInteger, select, type_coerce
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, ValidationError
from crm_tui.core.money import plain as _plain
from crm_tui.core.money import round_quantity, to_decimal
from crm_tui.db.models.products import Product
from crm_tui.db.models.units import ProductUnit, UnitFactor
from crm_tui.db.types import Quantity
from crm_tui.i18n import _
from crm_tui.services.admin import permissions

ONE = Decimal(1)
FACTOR_PLACES = 6


@dataclass(frozen=True)
class UnitRow:
    unit: str
    factor: Decimal
    barcode: str | None
    is_base: bool = False


def factor_of(line) -> Decimal:
    """The factor of a stored line (1 when the line has none)."""
    return getattr(line, "unit_factor", None) or ONE


def base_quantity(quantity: Decimal, factor: Decimal, where: str = "") -> Decimal:
    """``quantity × factor``, refused when it is not exact to the quantity's places."""
    base = quantity * factor
    if round_quantity(base) != base:
        raise ValidationError(_("{what}: {qty} × {factor} is not a whole number of base units to four places.")
                              .format(what=where or _("Quantity"), qty=_plain(quantity), factor=_plain(factor)),
                              field="unit")
    return round_quantity(base)


def split_unit(raw: object) -> tuple[object, str | None]:
    """``"18瓶"`` -> ("18", "瓶"); a bare number -> (it, None): a quantity typed with its unit."""
    if not isinstance(raw, str):
        return raw, None
    text = raw.strip()
    cut = len(text)
    while cut and not (text[cut - 1].isdigit() or text[cut - 1] == "."):
        cut -= 1
    unit = text[cut:].strip()
    return (text[:cut].strip(), unit) if cut and unit else (raw, None)


def in_unit(base: Decimal, factor: Decimal) -> Decimal:
    """A base quantity shown in a line's unit (rounded to four places when it does not divide)."""
    return round_quantity(base / factor)


def base_sql(quantity_column, factor_column, less=None):
    """SQL: ``quantity × factor`` of stored columns (less ``less``, a base quantity column) as a Quantity; the
    integers are scaled as the column types store them, and the product is exact (``base_quantity``)."""
    scale = 10 ** UnitFactor.scale
    raw = type_coerce(quantity_column, BigInteger) * type_coerce(factor_column, BigInteger) // scale
    if less is not None:
        raw = raw - type_coerce(less, BigInteger)
    return type_coerce(raw, Quantity)



def _product(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(_("No such product: {id}").format(id=product_id))
    return product


def parse_factor(value: object) -> Decimal:
    try:
        factor = to_decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        factor = None
    if factor is None or not factor.is_finite() or factor <= 0:
        raise ValidationError(_("The factor must be a number greater than zero (base units per unit), not {value}.")
                              .format(value=value), field="factor")
    if factor != round(factor, FACTOR_PLACES):
        raise ValidationError(_("The factor {value} has more than six decimal places.").format(value=value),
                              field="factor")
    return factor


def _clean_unit(unit: str | None) -> str:
    name = (unit or "").strip()
    if not name or len(name) > 20:
        raise ValidationError(_("Give a unit name of at most 20 characters."), field="unit")
    return name


def list_units(session: Session, product_id: int) -> list[UnitRow]:
    """The base unit first, then the other units by factor."""
    product = _product(session, product_id)
    rows = [UnitRow(product.unit, ONE, product.barcode, True)] if product.unit else []
    rows += [UnitRow(u.unit, u.factor, u.barcode) for u in session.scalars(
        select(ProductUnit).where(ProductUnit.product_id == product_id).order_by(ProductUnit.factor, ProductUnit.unit))]
    return rows


def add_unit(session: Session, actor: Actor, product_id: int, unit: str, factor: object,
             barcode: str | None = None) -> int:
    permissions.require(actor, "products.manage")
    product = _product(session, product_id)
    name = _clean_unit(unit)
    if not product.unit:
        raise ValidationError(_("Product {code} has no base unit; set its unit first.").format(code=product.code),
                              field="unit")
    if name == product.unit:
        raise ValidationError(_("{unit} is the base unit of {code}.").format(unit=name, code=product.code),
                              field="unit")
    if session.scalar(select(ProductUnit.id).where(ProductUnit.product_id == product.id, ProductUnit.unit == name)):
        raise ConflictError(_("Product {code} already has the unit {unit}.").format(code=product.code, unit=name))
    row = ProductUnit(product_id=product.id, unit=name, factor=parse_factor(factor),
                      barcode=(barcode or "").strip()[:64] or None)
    session.add(row)
    session.flush()
    return row.id


def _used_on(session: Session, product_id: int, unit: str) -> str | None:
    """The kind of the first document line written in ``unit`` of the product, if any."""
    from crm_tui.db.models.purchasing import PurchaseOrderLine, PurchaseReceiptLine
    from crm_tui.db.models.sales import DeliveryNoticeLine, QuoteLine, SalesOrderLine, SalesStockOutLine
    from crm_tui.db.models.stock import StockDocumentLine

    for model, kind in ((QuoteLine, "quote"), (SalesOrderLine, "sales order"), (SalesStockOutLine, "stock-out"),
                        (PurchaseOrderLine, "purchase order"), (PurchaseReceiptLine, "purchase receipt"),
                        (StockDocumentLine, "stock document")):
        if session.scalar(select(model.id).where(model.product_id == product_id, model.unit == unit).limit(1)):
            return kind
    notice = (select(DeliveryNoticeLine.id).join(SalesOrderLine, SalesOrderLine.id == DeliveryNoticeLine.order_line_id)
              .where(SalesOrderLine.product_id == product_id, DeliveryNoticeLine.unit == unit).limit(1))
    return "delivery notice" if session.scalar(notice) else None


def remove_unit(session: Session, actor: Actor, product_id: int, unit: str) -> None:
    """Remove a conversion; refused while any document line is written in it (their factor must stay known)."""
    permissions.require(actor, "products.manage")
    product = _product(session, product_id)
    name = _clean_unit(unit)
    row = session.scalar(select(ProductUnit).where(ProductUnit.product_id == product.id, ProductUnit.unit == name))
    if row is None:
        raise NotFound(_("Product {code} has no unit {unit}.").format(code=product.code, unit=name))
    kind = _used_on(session, product.id, name)
    if kind:
        raise ValidationError(_("The unit {unit} of {code} is used on a {kind}; it cannot be removed.").format(
            unit=name, code=product.code, kind=_(kind)), field="unit")
    session.delete(row)
    session.flush()


def resolve(session: Session, product_id: int, unit: str | None) -> Decimal:
    """Base units per ``unit`` of the product: 1 for its base unit (or no unit); unknown units are refused."""
    return resolve_unit(session, _product(session, product_id), unit)[1]


def resolve_unit(session: Session, product: Product, unit: str | None) -> tuple[str | None, Decimal]:
    """(unit, factor) of a line of ``product`` written in ``unit`` (None or blank: the base unit)."""
    name = (unit or "").strip()
    if not name or name == product.unit:
        return product.unit, ONE
    factor = session.scalar(select(ProductUnit.factor).where(ProductUnit.product_id == product.id,
                                                             ProductUnit.unit == name))
    if factor is None:
        known = [r.unit for r in list_units(session, product.id)]
        raise ValidationError(_("Product {code} has no unit {unit} (its units: {units}).").format(
            code=product.code, unit=name, units=", ".join(known) or _("no units")), field="unit")
    return name, factor

