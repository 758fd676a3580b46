"""Contacts (联系人): several per customer, exactly one primary while any exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, ValidationError
from crm_tui.db.models.customers import Contact
from crm_tui.i18n import _
from crm_tui.services.customers import fields as F
from crm_tui.services.customers.visibility import require_editable, require_visible

EDITABLE = ("name", "title", "mobile", "landline", "email", "wechat", "birthday", "remarks", "is_primary")
LABELS = {"name": "Contact", "title": "Job title", "mobile": "Mobile", "landline": "Phone", "email": "E-mail",
          "wechat": "WeChat", "birthday": "Birthday", "remarks": "Remarks", "is_primary": "Primary"}


@dataclass(frozen=True)
class ContactRow:
    id: int
    customer_id: int
    name: str
    is_primary: bool
    title: str | None
    mobile: str | None
    landline: str | None
    email: str | None
    wechat: str | None
    birthday: date | None
    remarks: str | None
    version: int


def _row(c: Contact) -> ContactRow:
    return ContactRow(c.id, c.customer_id, c.name, c.is_primary, c.title, c.mobile, c.landline, c.email, c.wechat,
                      c.birthday, c.remarks, c.version)


def _opt(fn):
    return lambda v: None if v is None or not F.text(v) else fn(v)


CLEANERS = {
    "name": lambda v: F.clean_name(v, 64),
    "title": _opt(lambda v: F.clean_name(v, 64)),
    "mobile": _opt(F.clean_mobile),
    "landline": _opt(F.clean_landline),
    "email": _opt(F.clean_email),
    "wechat": _opt(lambda v: F.clean_name(v, 64)),
    "birthday": _opt(lambda v: F.clean_date(v, "1980-05-17")),
    "remarks": _opt(F.prose),
    "is_primary": bool,
}


def check_field(field: str, value: Any) -> str | None:
    try:
        CLEANERS[field](value)
    except ValueError as exc:
        return str(exc)
    return None


def clean_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("Unknown contact fields: {names}").format(names=", ".join(sorted(unknown))))
    out = {}
    for field, value in values.items():
        try:
            out[field] = CLEANERS[field](value)
        except ValueError as exc:
            raise ValidationError(f"{_(LABELS[field])}: {exc}", field=field) from exc
    return out


def list_contacts(session: Session, actor: Actor, customer_id: int) -> list[ContactRow]:
    require_visible(session, actor, customer_id)
    stmt = select(Contact).where(Contact.customer_id == customer_id).order_by(Contact.is_primary.desc(), Contact.id)
    return [_row(c) for c in session.scalars(stmt)]


def _make_primary(session: Session, customer_id: int, contact_id: int) -> None:
    for other in session.scalars(select(Contact).where(Contact.customer_id == customer_id,
                                                        Contact.id != contact_id, Contact.is_primary.is_(True))):
        other.is_primary = False


def add_contact(session: Session, actor: Actor, customer_id: int, **values) -> int:
    require_editable(session, actor, customer_id)
    values = clean_values(values)
    if not values.get("name"):
        raise ValidationError(f"{_('Contact')}: {_('required')}", field="name")
    first = session.scalar(select(Contact.id).where(Contact.customer_id == customer_id).limit(1)) is None
    values["is_primary"] = bool(values.get("is_primary")) or first
    contact = Contact(customer_id=customer_id, **values)
    session.add(contact)
    session.flush()
    if contact.is_primary:
        _make_primary(session, customer_id, contact.id)
        session.flush()
    return contact.id


def _load(session: Session, actor: Actor, contact_id: int, expected_version: int | None) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(_("No such contact: {id}").format(id=contact_id))
    require_editable(session, actor, contact.customer_id)
    if expected_version is not None and contact.version != expected_version:
        raise ConflictError(_("Contact {name} was changed by someone else; reload and try again.").format(
            name=contact.name))
    return contact


def update_contact(session: Session, actor: Actor, contact_id: int, expected_version: int, **values) -> None:
    contact = _load(session, actor, contact_id, expected_version)
    values = clean_values(values)
    if "name" in values and not values["name"]:
        raise ValidationError(f"{_('Contact')}: {_('required')}", field="name")
    if values.get("is_primary") is False and contact.is_primary:
        values.pop("is_primary")  # a customer keeps a primary contact: make another one primary instead
    for key, value in values.items():
        setattr(contact, key, value)
    session.flush()
    if contact.is_primary:
        _make_primary(session, contact.customer_id, contact.id)
        session.flush()


def set_primary(session: Session, actor: Actor, contact_id: int) -> None:
    contact = _load(session, actor, contact_id, None)
    contact.is_primary = True
    _make_primary(session, contact.customer_id, contact.id)
    session.flush()


def delete_contact(session: Session, actor: Actor, contact_id: int, expected_version: int | None = None) -> None:
    """Remove a contact; contact logs that named them keep their text. The next contact becomes primary."""
    contact = _load(session, actor, contact_id, expected_version)
    customer_id, was_primary = contact.customer_id, contact.is_primary
    session.delete(contact)
    session.flush()
    if was_primary:
        nxt = session.scalar(select(Contact).where(Contact.customer_id == customer_id).order_by(Contact.id).limit(1))
        if nxt is not None:
            nxt.is_primary = True
            session.flush()


def primary_contacts(session: Session, customer_ids: list[int]) -> dict[int, ContactRow]:
    """The primary contact of each customer (for list pages and exports); no visibility check."""
    if not customer_ids:
        return {}
    stmt = select(Contact).where(Contact.customer_id.in_(customer_ids), Contact.is_primary.is_(True))
    return {c.customer_id: _row(c) for c in session.scalars(stmt)}

