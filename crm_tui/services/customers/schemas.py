"""What forms and commands give the customer services, and what they get back: SQLModel models without a table.

``CustomerCreate`` and ``CustomerUpdate`` take what a person typed (text, or values already typed) and clean
every field by the rules of ``fields.py``; a bad value raises the domain ``ValidationError`` with the field's
translated label, the same message the form shows as you type (``check_field``). Money comes out as exact
``Decimal``. ``CustomerRead`` is one customer as the detail screen shows it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import ConfigDict, model_validator
from sqlmodel import SQLModel

from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _
from crm_tui.services.customers import fields as F

EDITABLE = ("code", "name", "short_name", "classification", "industry", "area", "address", "credit_code",
            "credit_limit", "opening_balance", "owner_id", "source", "created_on", "remarks", "promotion_store")

# Field name -> label, for messages and forms (translated at use).
LABELS = {
    "code": "Customer code", "name": "Customer name", "short_name": "Short name", "classification": "Classification",
    "industry": "Industry", "area": "Area", "address": "Address", "credit_code": "Credit code",
    "credit_limit": "Credit limit", "opening_balance": "Opening balance", "owner_id": "Salesperson",
    "source": "Source", "created_on": "Registered", "remarks": "Remarks", "status": "Status",
    "promotion_store": "Promotion store",
}


# A customer's name, after trimming: long enough to tell customers apart, short enough for lists and prints.
NAME_MIN, NAME_MAX = 2, 60


def clean_customer_name(value: object) -> str:
    name = F.text(value)
    if not name:
        raise ValueError(_("required"))
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise ValueError(_("{low} to {high} characters, not {n}").format(low=NAME_MIN, high=NAME_MAX, n=len(name)))
    return name


def _clean(field: str, fn, value):
    try:
        return fn(value)
    except ValueError as exc:
        raise ValidationError(f"{_(LABELS[field])}: {exc}", field=field) from exc


def _optional(fn):
    def run(value):
        if value is None or (isinstance(value, str) and not F.text(value)):
            return None
        return fn(value)

    return run


CLEANERS = {
    "code": F.clean_code,
    "name": clean_customer_name,
    "short_name": _optional(lambda v: F.clean_name(v, 100)),
    "classification": _optional(F.labels),
    "industry": _optional(lambda v: F.clean_name(v, 64)),
    "area": _optional(lambda v: F.clean_name(v, 64)),
    "address": _optional(lambda v: F.clean_name(v, 300)),
    "credit_code": _optional(F.clean_credit_code),
    "credit_limit": _optional(F.clean_money),
    "opening_balance": _optional(F.clean_money),
    "source": _optional(lambda v: F.clean_name(v, 64)),
    "created_on": F.clean_date,
    "remarks": _optional(F.prose),
    "promotion_store": _optional(F.promotion_store),
}


def check_field(field: str, value: Any) -> str | None:
    """The problem with one typed value, in words, or None: forms call this as you type."""
    fn = CLEANERS.get(field)
    if fn is None:
        return None
    try:
        cleaned = fn(value)
    except ValueError as exc:
        return str(exc)
    if field == "credit_limit" and cleaned is not None and cleaned < 0:
        return _("Credit limit cannot be negative.")
    return None


def clean_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("Unknown customer fields: {names}").format(names=", ".join(sorted(unknown))))
    out = {}
    for field, value in values.items():
        out[field] = _clean(field, CLEANERS[field], value) if field in CLEANERS else value
    if "credit_limit" in out and out["credit_limit"] is not None and out["credit_limit"] < 0:
        raise ValidationError(_("Credit limit cannot be negative."), field="credit_limit")
    return out


def _required(field: str, label: str) -> ValidationError:
    return ValidationError(f"{_(label)}: {_('required')}", field=field)


class CustomerInput(SQLModel):
    """The editable fields, each cleaned on the way in; only the fields given count (``changes()``)."""

    code: str | None = None
    name: str | None = None
    short_name: str | None = None
    classification: str | None = None
    industry: str | None = None
    area: str | None = None
    address: str | None = None
    credit_code: str | None = None
    credit_limit: Decimal | None = None
    opening_balance: Decimal | None = None
    owner_id: int | None = None
    source: str | None = None
    created_on: date | None = None
    remarks: str | None = None
    promotion_store: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _cleaned(cls, values: Any) -> Any:
        # The domain ValidationError is no ValueError: pydantic lets it through as it is, message and field.
        return clean_values(values) if isinstance(values, dict) else values

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class CustomerCreate(CustomerInput):
    """A new customer: a name is required; no code means the next number."""

    @model_validator(mode="after")
    def _named(self) -> CustomerCreate:
        if not self.name:
            raise _required("name", "Customer name")
        return self


class CustomerUpdate(CustomerInput):
    """Changes to a customer: a field given empty is cleared, except the name and the code."""

    @model_validator(mode="after")
    def _kept(self) -> CustomerUpdate:
        given = self.model_fields_set
        if "name" in given and not self.name:
            raise _required("name", "Customer name")
        if "code" in given and not self.code:
            raise _required("code", "Code")
        return self


class CustomerRead(SQLModel):
    """One customer as the detail screen shows it, with who owns it and whom it is shared with."""

    model_config = ConfigDict(frozen=True)

    id: int
    code: str
    name: str
    short_name: str | None
    classification: str | None
    industry: str | None
    area: str | None
    address: str | None
    credit_code: str | None
    credit_limit: Decimal | None
    opening_balance: Decimal | None
    owner_id: int | None
    owner: str | None
    source: str | None
    status: str
    created_on: date
    remarks: str | None
    promotion_store: str | None = None
    last_contact_at: datetime | None
    version: int
    editable: bool
    shared_with: tuple[str, ...]
