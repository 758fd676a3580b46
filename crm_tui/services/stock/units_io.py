"""A second unit in the product import: 辅助单位 + 换算率 (and 辅助条码), as ERPs write them (jshERP: 副单位 / 比例 /
副条码, 1 副单位 = 比例 基本单位; FenXi: 副单位1 / 副单位1换算比列). Only the first extra unit of a row is read."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from crm_tui.db.models.products import Product
from crm_tui.db.models.units import ProductUnit
from crm_tui.i18n import _
from crm_tui.io import cells
from crm_tui.io.importing import FieldSpec


def _factor(raw) -> Decimal:
    value = cells.decimal(raw)
    if value <= 0 or value != round(value, 6):
        raise cells.CellError(_("expected base units per unit: a number greater than zero, at most six decimals"))
    return value


UNIT_SPECS = (
    FieldSpec("second_unit", "辅助单位", ("副单位", "副单位1", "辅单位", "second unit"), cells.text_max(20)),
    FieldSpec("second_factor", "换算率", ("换算比例", "换算比率", "副单位1换算比列", "副单位1换算比例", "conversion"),
              _factor, weak_aliases=("比例",)),
    FieldSpec("second_barcode", "辅助条码", ("副条码", "副单位条码"), cells.code_text),
)
UNIT_KEYS = tuple(s.key for s in UNIT_SPECS)


def check_units(values: dict):
    """A second unit needs its factor (and a factor its unit), and differs from the base unit."""
    unit, factor = values.get("second_unit"), values.get("second_factor")
    if unit is not None and factor is None:
        yield "second_factor", _("give the 换算率 of 辅助单位 {unit}").format(unit=unit)
    elif factor is not None and unit is None:
        yield "second_unit", _("a 换算率 needs its 辅助单位")
    elif unit is not None and unit == values.get("unit"):
        yield "second_unit", _("the same as the base unit")


def units_of(values: dict) -> tuple | None:
    """A row's second unit: (unit, factor, barcode), or None."""
    unit, factor, barcode = (values.get(k) for k in UNIT_KEYS)
    return (unit, factor, barcode) if unit is not None and factor is not None else None


def write_units(session, wanted: list[tuple[int, tuple]]) -> None:
    """Add each product's second unit, or correct its factor and barcode (product id, (unit, factor, barcode))."""
    for product_id, (unit, factor, barcode) in wanted:
        row = session.scalar(select(ProductUnit).where(ProductUnit.product_id == product_id, ProductUnit.unit == unit))
        if row is None:
            session.add(ProductUnit(product_id=product_id, unit=unit, factor=factor, barcode=barcode))
        else:
            row.factor, row.barcode = factor, barcode or row.barcode
    session.flush()


def product_ids(session, codes: list[str]) -> dict[str, int]:
    return dict(session.execute(select(Product.code, Product.id).where(Product.code.in_(codes))).all())
