"""Suppliers (供应商) with contacts, and the last price each supplier charged per product."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, ValidationError
from crm_tui.core.money import round_money, to_decimal
from crm_tui.core.pinyin import name_fields, search_term
from crm_tui.db.models.purchasing import Supplier, SupplierContact, SupplierPrice
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.stock.labels import label

SUPPLIER_FIELDS = ("code", "name", "short_name", "credit_code", "address", "phone", "bank", "account",
                   "opening_balance", "active", "remarks")
CONTACT_FIELDS = ("name", "is_primary", "title", "mobile", "landline", "email", "wechat", "remarks")
_LIMITS = {"code": 32, "name": 200, "short_name": 100, "credit_code": 18, "address": 300, "phone": 32,
           "bank": 100, "account": 64}


@dataclass(frozen=True)
class SupplierRow:
    id: int
    code: str
    name: str
    short_name: str | None
    credit_code: str | None
    address: str | None
    phone: str | None
    bank: str | None
    account: str | None
    opening_balance: Decimal
    active: bool
    remarks: str | None
    primary_contact: str | None
    primary_mobile: str | None
    version: int


def _clean(values: dict, creating: bool) -> dict:
    out = {}
    for key in SUPPLIER_FIELDS:
        if key not in values:
            continue
        v = values[key]
        if key == "active":
            out[key] = bool(v)
        elif key == "opening_balance":
            try:
                out[key] = round_money(to_decimal(v if v not in (None, "") else 0))
            except Exception:
                raise ValidationError(_("{field}: not an amount: {value}").format(field=label(key, "supplier"), value=v),
                                      field=key) from None
        else:
            text = None if v is None else str(v).strip() or None
            if text and key in _LIMITS and len(text) > _LIMITS[key]:
                raise ValidationError(_("{field} is longer than {n} characters.").format(field=label(key, "supplier"),
                                                                                        n=_LIMITS[key]), field=key)
            out[key] = text
    if creating or "name" in values:
        if not out.get("name"):
            raise ValidationError(_("{field} is required.").format(field=label("name", "supplier")), field="name")
        out["name_pinyin"], out["name_initials"] = name_fields(out["name"])
    if "code" in values and not out.get("code"):
        raise ValidationError(_("{field} is required.").format(field=label("code", "supplier")), field="code")
    return out


def add_supplier(session: Session, actor: Actor, contacts: list[dict] = (), taken: set[str] = frozenset(),
                 **values) -> int:
    """Add a supplier (code: the next supplier number unless given; ``taken``: codes not to use)."""
    permissions.require(actor, "purchase.manage")
    if not values.get("code"):
        from crm_tui.services.stock.products import free_code

        values["code"] = free_code(session, "supplier", Supplier.code, taken)
    data = _clean(values, creating=True)
    if session.scalar(select(Supplier.id).where(Supplier.code == data["code"])) is not None:
        raise ConflictError(_("A supplier with code {code} already exists.").format(code=data["code"]))
    supplier = Supplier(**data)
    session.add(supplier)
    session.flush()
    for contact in contacts:
        add_contact(session, actor, supplier.id, **contact)
    return supplier.id


def update_supplier(session: Session, actor: Actor, supplier_id: int, version: int | None = None, **values) -> None:
    permissions.require(actor, "purchase.manage")
    supplier = get_supplier_obj(session, supplier_id)
    if version is not None and version != supplier.version:
        raise ConflictError(_("Someone else changed this record in the meantime; reload it and try again."))
    data = _clean(values, creating=False)
    if "code" in data and data["code"] != supplier.code and session.scalar(
            select(Supplier.id).where(Supplier.code == data["code"])) is not None:
        raise ConflictError(_("A supplier with code {code} already exists.").format(code=data["code"]))
    for key, value in data.items():
        setattr(supplier, key, value)
    session.flush()


def get_supplier_obj(session: Session, supplier_id: int) -> Supplier:
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound(_("No such supplier: {id}").format(id=supplier_id))
    return supplier


def _primary_contacts(session: Session, ids: list[int]) -> dict[int, tuple[str, str | None]]:
    if not ids:
        return {}
    rows = session.execute(select(SupplierContact.supplier_id, SupplierContact.name, SupplierContact.mobile)
                           .where(SupplierContact.supplier_id.in_(ids), SupplierContact.is_primary.is_(True)))
    return {sid: (name, mobile) for sid, name, mobile in rows}


def _rows(session: Session, suppliers: list[Supplier]) -> list[SupplierRow]:
    prim = _primary_contacts(session, [s.id for s in suppliers])
    return [SupplierRow(s.id, s.code, s.name, s.short_name, s.credit_code, s.address, s.phone, s.bank, s.account,
                        s.opening_balance, s.active, s.remarks, *prim.get(s.id, (None, None)), s.version)
            for s in suppliers]


def get_supplier(session: Session, supplier_id: int) -> SupplierRow:
    return _rows(session, [get_supplier_obj(session, supplier_id)])[0]


def search_suppliers(session: Session, text: str = "", active_only: bool = False, limit: int = 100,
                     offset: int = 0) -> list[SupplierRow]:
    stmt = select(Supplier).order_by(Supplier.code)
    if text.strip():
        like = f"%{text.strip()}%"
        clauses = [Supplier.code.ilike(like), Supplier.name.like(like), Supplier.short_name.like(like)]
        term = search_term(text)
        if term:
            clauses += [Supplier.name_initials.like(f"%{term}%"), Supplier.name_pinyin.like(f"%{term}%")]
        contact_hit = select(SupplierContact.supplier_id).where(
            or_(SupplierContact.name.like(like), SupplierContact.mobile.like(like)))
        clauses.append(Supplier.id.in_(contact_hit))
        stmt = stmt.where(or_(*clauses))
    if active_only:
        stmt = stmt.where(Supplier.active.is_(True))
    return _rows(session, list(session.scalars(stmt.limit(limit).offset(offset))))


# --- contacts ------------------------------------------------------------------------------------

def add_contact(session: Session, actor: Actor, supplier_id: int, **values) -> int:
    permissions.require(actor, "purchase.manage")
    get_supplier_obj(session, supplier_id)
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown contact fields: {names}").format(names=", ".join(sorted(unknown))))
    name = (values.get("name") or "").strip()
    if not name:
        raise ValidationError(_("A contact needs a name."), field="contact")
    has_primary = session.scalar(select(SupplierContact.id).where(SupplierContact.supplier_id == supplier_id,
                                                                  SupplierContact.is_primary.is_(True)))
    primary = bool(values.get("is_primary")) or has_primary is None  # the first contact is the primary one
    if primary and has_primary is not None:
        session.get(SupplierContact, has_primary).is_primary = False
    contact = SupplierContact(supplier_id=supplier_id, **{**values, "name": name, "is_primary": primary})
    session.add(contact)
    session.flush()
    return contact.id


def list_contacts(session: Session, supplier_id: int) -> list[SupplierContact]:
    return list(session.scalars(select(SupplierContact).where(SupplierContact.supplier_id == supplier_id)
                                .order_by(SupplierContact.is_primary.desc(), SupplierContact.id)))


# --- prices ----------------------------------------------------------------------------------------

def last_price(session: Session, supplier_id: int, product_id: int) -> SupplierPrice | None:
    return session.scalar(select(SupplierPrice).where(SupplierPrice.supplier_id == supplier_id,
                                                      SupplierPrice.product_id == product_id))


def remember_price(session: Session, supplier_id: int, product_id: int, price: Decimal, price_gross: Decimal,
                   tax_rate: Decimal, source: str, source_number: str | None, on: date) -> None:
    row = last_price(session, supplier_id, product_id)
    if row is None:
        session.add(SupplierPrice(supplier_id=supplier_id, product_id=product_id, price=price,
                                  price_gross=price_gross, tax_rate=tax_rate, source=source,
                                  source_number=source_number, priced_on=on))
    else:
        row.price, row.price_gross, row.tax_rate = price, price_gross, tax_rate
        row.source, row.source_number, row.priced_on = source, source_number, on
    session.flush()


def lookup_suppliers(session: Session, actor: Actor, text: str, limit: int = 8) -> list[SupplierRow]:
    """For pickers: active suppliers by code, name, short name, contact, pinyin or initials, best match first."""
    from crm_tui.services.common.lookups import best_first

    if not text.strip():
        return []
    rows = search_suppliers(session, text, active_only=True, limit=max(limit * 5, 40))
    return best_first(rows, text, lambda r: r.code, lambda r: r.name, limit)
