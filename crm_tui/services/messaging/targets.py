"""Target lists: saved filters over customers and their contacts, evaluated when a message or campaign uses
them, always within the customers the sending user may message."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, ValidationError
from crm_tui.db.models.customers import Contact, Customer
from crm_tui.db.models.messaging import TargetList
from crm_tui.db.models.people import User
from crm_tui.i18n import _
from crm_tui.services.messaging import access

FILTER_KEYS = ("area", "classification", "industry", "owner", "last_order_before", "has")
HAS_VALUES = ("mobile", "email")


@dataclass(frozen=True)
class ListRow:
    id: int
    name: str
    filters: dict

    def as_json(self) -> dict:
        return {"name": self.name, "filters": self.filters}


def clean_filters(session: Session, filters: dict) -> dict:
    out: dict = {}
    for key, value in filters.items():
        if value in (None, "", ()):
            continue
        if key not in FILTER_KEYS:
            raise ValidationError(_("Unknown target list filter {key}; expected one of: {known}").format(
                key=key, known=", ".join(FILTER_KEYS)), field=key)
        if key == "last_order_before":
            try:
                out[key] = date.fromisoformat(str(value)).isoformat()
            except ValueError:
                raise ValidationError(_("Last order before: expected a date like 2026-11-30, got {value}").format(
                    value=value), field=key) from None
        elif key == "has":
            if value not in HAS_VALUES:
                raise ValidationError(_("Has: expected mobile or email, got {value}").format(value=value), field=key)
            out[key] = value
        elif key == "owner":
            user = session.scalar(select(User).where(or_(User.login == str(value), User.staff_number == str(value),
                                                         User.display_name == str(value))))
            if user is None:
                raise NotFound(_("No such user: {name}").format(name=value))
            out[key] = user.login
        else:
            out[key] = str(value).strip()
    return out


def add_list(session: Session, actor: Actor, name: str, filters: dict) -> int:
    access.require_templates(actor)
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise ValidationError(_("A target list needs a name of 1 to 64 characters."), field="name")
    if session.scalar(select(TargetList.id).where(TargetList.name == name)):
        raise ConflictError(_("A target list named {name} exists already.").format(name=name))
    row = TargetList(name=name, filters=json.dumps(clean_filters(session, filters), ensure_ascii=False),
                     created_by=actor.id)
    session.add(row)
    session.flush()
    return row.id


def find_list(session: Session, name: str) -> TargetList:
    row = session.scalar(select(TargetList).where(TargetList.name == str(name).strip()))
    if row is None:
        raise NotFound(_("No such target list: {name}").format(name=name))
    return row


def list_lists(session: Session, actor: Actor) -> list[ListRow]:
    return [ListRow(r.id, r.name, json.loads(r.filters)) for r in session.scalars(select(TargetList).order_by(
        TargetList.name))]


def customers_matching(session: Session, actor: Actor, filters: dict) -> list[Customer]:
    """The active customers matching ``filters`` that ``actor`` may message, by code."""
    from crm_tui.db.models.sales import SalesOrder

    stmt = select(Customer).where(Customer.status == "active", access.messageable_clause(session, actor))
    if filters.get("area"):
        stmt = stmt.where(Customer.area == filters["area"])
    if filters.get("industry"):
        stmt = stmt.where(Customer.industry == filters["industry"])
    if filters.get("classification"):
        # labels are comma-separated: match one whole label
        label = filters["classification"]
        padded = func.replace("," + func.coalesce(Customer.classification, "") + ",", " ", "")
        stmt = stmt.where(padded.contains("," + label + ","))
    if filters.get("owner"):
        stmt = stmt.where(Customer.owner_id == select(User.id).where(User.login == filters["owner"])
                          .scalar_subquery())
    if filters.get("last_order_before"):
        cutoff = date.fromisoformat(filters["last_order_before"])
        stmt = stmt.where(~exists().where(SalesOrder.customer_id == Customer.id,
                                          SalesOrder.status.in_(("confirmed", "done")),
                                          SalesOrder.order_date >= cutoff))
    if filters.get("has"):
        column = Contact.email if filters["has"] == "email" else Contact.mobile
        stmt = stmt.where(exists().where(and_(Contact.customer_id == Customer.id, column.is_not(None), column != "")))
    return list(session.scalars(stmt.order_by(Customer.code)))


def list_customers(session: Session, actor: Actor, name: str) -> list[Customer]:
    return customers_matching(session, actor, json.loads(find_list(session, name).filters))
