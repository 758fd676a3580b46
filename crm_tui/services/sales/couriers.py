"""Courier companies (快递公司) and finding orders by their tracking numbers (快递单号).

The list is what the tracking number's courier is chosen from; a name typed that matches one on the list
(case and width aside) is stored as the list spells it, and other names are still accepted (a new courier is
used before anyone adds it).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, ValidationError
from crm_tui.db.models.credit import Courier
from crm_tui.db.models.sales import SalesOrderLine, SalesStockOutLine, TrackingNumber
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.common import list_filters as lf

DEFAULT_COURIERS = ("顺丰速运", "中通快递", "圆通速递", "申通快递", "韵达快递", "京东物流", "德邦快递", "邮政EMS")


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


@dataclass(frozen=True)
class CourierRow:
    id: int
    name: str
    phone: str | None
    active: bool

    def as_json(self) -> dict:
        return {"name": self.name, "phone": self.phone, "active": self.active}


def list_couriers(session: Session, *, active_only: bool = True) -> list[CourierRow]:
    stmt = select(Courier).order_by(Courier.id)
    if active_only:
        stmt = stmt.where(Courier.active.is_(True))
    return [CourierRow(c.id, c.name, c.phone, c.active) for c in session.scalars(stmt)]


def add_courier(session: Session, actor: Actor, name: str, phone: str | None = None) -> int:
    """Add a courier company (whoever ships: ``sales.ship``)."""
    permissions.require(actor, "sales.ship")
    clean = unicodedata.normalize("NFKC", name or "").strip()
    if not clean or len(clean) > 64:
        raise ValidationError(_("Give the courier company's name (up to 64 characters)."), field="name")
    for row in session.scalars(select(Courier)):
        if _key(row.name) == _key(clean):
            raise ConflictError(_("Courier {name} is already on the list.").format(name=row.name))
    row = Courier(name=clean, phone=(phone or "").strip() or None, active=True)
    session.add(row)
    session.flush()
    return row.id


def set_active(session: Session, actor: Actor, name: str, active: bool) -> None:
    """Take a courier off the choices (its old tracking numbers keep the name), or back on."""
    permissions.require(actor, "sales.ship")
    for row in session.scalars(select(Courier)):
        if _key(row.name) == _key(name):
            row.active = active
            session.flush()
            return
    raise NotFound(_("No courier called {name}.").format(name=name))


def canonical_name(session: Session, typed: str) -> str:
    """The list's spelling of a typed courier name; the typed name when it is not on the list."""
    for row in session.scalars(select(Courier)):
        if _key(row.name) == _key(typed):
            return row.name
    return typed.strip()


def orders_tracked(text: str | None):
    """A select of the ids of orders whose own or stock-outs' tracking numbers contain ``text`` (None: blank)."""
    pattern = lf.contains_pattern(text)
    if pattern is None:
        return None
    hits = select(TrackingNumber.order_id, TrackingNumber.stock_out_id).where(
        lf.matching(pattern, TrackingNumber.number)).subquery()
    via_outs = (select(SalesOrderLine.order_id)
                .join(SalesStockOutLine, SalesStockOutLine.order_line_id == SalesOrderLine.id)
                .where(SalesStockOutLine.stock_out_id.in_(select(hits.c.stock_out_id))))
    return select(hits.c.order_id).where(hits.c.order_id.is_not(None)).union(via_outs)


def tracked_clause(order_id_column, text: str | None):
    """WHERE part for a list searched by text: the order's tracking numbers contain it (None for a blank)."""
    ids = orders_tracked(text)
    return None if ids is None else order_id_column.in_(ids)

