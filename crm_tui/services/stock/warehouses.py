"""Warehouses (仓库)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, ValidationError
from crm_tui.db.models.stock import Warehouse
from crm_tui.i18n import _
from crm_tui.services.admin import permissions


@dataclass(frozen=True)
class WarehouseRow:
    id: int
    code: str
    name: str
    address: str | None
    keeper: str | None
    active: bool
    remarks: str | None
    version: int


def _row(w: Warehouse) -> WarehouseRow:
    return WarehouseRow(w.id, w.code, w.name, w.address, w.keeper, w.active, w.remarks, w.version)


def add_warehouse(session: Session, actor: Actor, code: str, name: str, address: str | None = None,
                  keeper: str | None = None, remarks: str | None = None) -> int:
    permissions.require(actor, "stock.manage")
    code = (code or "").strip()
    name = (name or "").strip()
    if not code or len(code) > 32:
        raise ValidationError(_("A warehouse code of 1 to 32 characters is required."), field="code")
    if not name or len(name) > 100:
        raise ValidationError(_("A warehouse name of 1 to 100 characters is required."), field="name")
    if session.scalar(select(Warehouse.id).where(Warehouse.code == code)) is not None:
        raise ConflictError(_("A warehouse with code {code} already exists.").format(code=code))
    w = Warehouse(code=code, name=name, address=address, keeper=keeper, remarks=remarks, active=True)
    session.add(w)
    session.flush()
    return w.id


def list_warehouses(session: Session, include_inactive: bool = True) -> list[WarehouseRow]:
    stmt = select(Warehouse).order_by(Warehouse.code)
    if not include_inactive:
        stmt = stmt.where(Warehouse.active.is_(True))
    return [_row(w) for w in session.scalars(stmt)]


def find_warehouse(session: Session, key: str) -> Warehouse:
    """A warehouse by code or exact name."""
    key = (key or "").strip()
    if not key:
        raise ValidationError(_("Give a warehouse code or name."), field="warehouse")
    matches = list(session.scalars(select(Warehouse).where(or_(Warehouse.code == key, Warehouse.name == key))))
    exact = [w for w in matches if w.code == key]
    if exact:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ValidationError(_("Several warehouses are named {key}; use the code.").format(key=key),
                              field="warehouse")
    raise NotFound(_("No warehouse with code or name {key}.").format(key=key))


def get_warehouse(session: Session, warehouse_id: int) -> Warehouse:
    w = session.get(Warehouse, warehouse_id)
    if w is None:
        raise NotFound(_("No such warehouse: {id}").format(id=warehouse_id))
    return w


def require_active(session: Session, warehouse_id: int) -> Warehouse:
    w = get_warehouse(session, warehouse_id)
    if not w.active:
        raise ValidationError(_("Warehouse {code} is not active.").format(code=w.code), field="warehouse")
    return w


def lookup_warehouses(session: Session, actor: Actor, text: str, limit: int = 8) -> list[WarehouseRow]:
    """For pickers: active warehouses by code, name, keeper, pinyin or initials, best match first."""
    from crm_tui.services.common.lookups import best_first, matches

    rows = [w for w in list_warehouses(session, include_inactive=False)
            if matches(text, w.code, w.name, w.keeper)]
    return best_first(rows, text, lambda r: r.code, lambda r: r.name, limit)
