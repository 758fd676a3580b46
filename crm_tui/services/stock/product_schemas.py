"""What the product form and commands give the product services, and what they get back (SQLModel, no table).

``ProductCreate`` and ``ProductUpdate`` check and complete what was typed by ``normalise`` (a sale price entered
net or gross gives the other one, rounded half-up to the fen); a bad value raises the domain ``ValidationError``
with the field's translated label. ``ProductRead`` is one product as lists and pickers show it. Imports do not
build these per row: they call ``normalise`` and insert with Core (products_io.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import ConfigDict, ValidationInfo, model_validator
from sqlmodel import SQLModel

from crm_tui.core.errors import ValidationError
from crm_tui.core.money import gross_from_net, net_from_gross, round_money, to_decimal
from crm_tui.core.pinyin import name_fields
from crm_tui.i18n import _
from crm_tui.services.stock.labels import label

EDITABLE = ("code", "name", "spec", "unit", "category", "barcode", "tax_rate", "sale_price", "sale_price_gross",
            "purchase_price", "safety_stock", "active", "remarks")
DEFAULT_TAX_RATE = Decimal("0.13")


def _clean_text(value, field: str, max_len: int, required: bool = False) -> str | None:
    if value is None:
        text = ""
    else:
        text = str(value).strip()
    if not text:
        if required:
            raise ValidationError(_("{field} is required.").format(field=label(field)), field=field)
        return None
    if len(text) > max_len:
        raise ValidationError(_("{field} is longer than {n} characters.").format(field=label(field), n=max_len),
                              field=field)
    return text


def non_negative(value, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = to_decimal(value)
    except Exception:
        raise ValidationError(_("{field}: not a number: {value}").format(field=label(field), value=value),
                              field=field) from None
    if d < 0:
        raise ValidationError(_("{field} cannot be negative.").format(field=label(field)), field=field)
    return d


def normalise(values: dict, current=None, *, code_required: bool = True) -> dict:
    """Validate and complete product fields. The sale price entered net or gross gives the other one.

    ``current``: the product being changed (its tax rate and price complete a partial change)."""
    out: dict = {}
    if "code" in values or current is None:
        out["code"] = _clean_text(values.get("code"), "code", 40, required=code_required)
    if "name" in values or current is None:
        out["name"] = _clean_text(values.get("name"), "name", 200, required=True)
    for field, n in (("spec", 200), ("unit", 20), ("category", 64), ("barcode", 64)):
        if field in values:
            out[field] = _clean_text(values[field], field, n)
    if "remarks" in values:
        out["remarks"] = _clean_text(values["remarks"], "remarks", 4000)
    if "active" in values:
        out["active"] = bool(values["active"])
    if "tax_rate" in values and values["tax_rate"] is not None:
        rate = non_negative(values["tax_rate"], "tax_rate")
        if rate >= 1:
            raise ValidationError(_("{field} must be below 100%.").format(field=label("tax_rate")), field="tax_rate")
        out["tax_rate"] = rate
    rate = out.get("tax_rate", current.tax_rate if current else DEFAULT_TAX_RATE)
    if current is None:
        out.setdefault("tax_rate", rate)
    for field in ("purchase_price", "safety_stock"):
        if field in values:
            out[field] = non_negative(values[field], field)
    if out.get("safety_stock") is None and ("safety_stock" in values or current is None):
        out["safety_stock"] = Decimal(0)
    net = non_negative(values.get("sale_price"), "sale_price")
    gross = non_negative(values.get("sale_price_gross"), "sale_price_gross")
    if net is not None:
        out["sale_price"] = round_money(net)
        out["sale_price_gross"] = gross_from_net(net, rate) if gross is None else round_money(gross)
    elif gross is not None:
        out["sale_price_gross"] = round_money(gross)
        out["sale_price"] = net_from_gross(gross, rate)
    elif "tax_rate" in values and current is not None and current.sale_price is not None:
        out["sale_price_gross"] = gross_from_net(current.sale_price, rate)  # the net price stays
    if out.get("purchase_price") is not None:
        out["purchase_price"] = round_money(out["purchase_price"])
    if "name" in out:
        out["name_pinyin"], out["name_initials"] = name_fields(out["name"])
    return out


def _unknown(values: dict) -> None:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("Unknown product fields: {names}").format(names=", ".join(sorted(unknown))))


class ProductInput(SQLModel):
    """The editable fields, checked and completed on the way in; only the fields given count (``changes()``)."""

    code: str | None = None
    name: str | None = None
    spec: str | None = None
    unit: str | None = None
    category: str | None = None
    barcode: str | None = None
    tax_rate: Decimal | None = None
    sale_price: Decimal | None = None
    sale_price_gross: Decimal | None = None
    purchase_price: Decimal | None = None
    safety_stock: Decimal | None = None
    active: bool | None = None
    remarks: str | None = None

    def changes(self) -> dict[str, Any]:
        """The fields to write, with the pinyin columns that follow the name."""
        out = self.model_dump(exclude_unset=True)
        if "name" in out:
            out["name_pinyin"], out["name_initials"] = name_fields(out["name"])
        return out


class ProductCreate(ProductInput):
    """A new product; no code means the next number (the service takes it)."""

    @model_validator(mode="before")
    @classmethod
    def _normalised(cls, values: Any) -> Any:
        if not isinstance(values, dict):
            return values
        _unknown(values)
        data = normalise(values, code_required=False)
        return {k: v for k, v in data.items() if k in EDITABLE and (k != "code" or v)}


class ProductUpdate(ProductInput):
    """Changes to a product. Validate with ``context={"current": product}``: a new tax rate re-derives the
    gross price from the current net one."""

    @model_validator(mode="before")
    @classmethod
    def _normalised(cls, values: Any, info: ValidationInfo) -> Any:
        if not isinstance(values, dict):
            return values
        _unknown(values)
        current = (info.context or {}).get("current")
        return {k: v for k, v in normalise(values, current).items() if k in EDITABLE}


class ProductRead(SQLModel):
    """One product as lists, pickers and forms show it."""

    model_config = ConfigDict(frozen=True)

    id: int
    code: str
    name: str
    spec: str | None
    unit: str | None
    category: str | None
    barcode: str | None
    tax_rate: Decimal
    sale_price: Decimal | None
    sale_price_gross: Decimal | None
    purchase_price: Decimal | None
    safety_stock: Decimal
    active: bool
    remarks: str | None
    version: int
