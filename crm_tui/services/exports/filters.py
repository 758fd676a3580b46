"""Filters typed on the command line (codes and logins) -> ``ExportFilters`` (ids), checked as the user."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound
from crm_tui.i18n import _
from crm_tui.services.exports.registry import ExportFilters


def resolve(session: Session, actor: Actor, *, status: str | None = None, customer: str | None = None,
            owner: str | None = None, supplier: str | None = None, warehouse: str | None = None,
            product: str | None = None, kind: str | None = None, date_from: date | None = None,
            date_to: date | None = None, text: str | None = None) -> ExportFilters:
    customer_id = owner_id = supplier_id = warehouse_id = product_id = None
    if customer:
        from crm_tui.services.customers.records import find_customer

        customer_id = find_customer(session, actor, customer).id  # a customer one may not see is not found
    if owner:
        from crm_tui.services.admin.users import find_user

        owner_id = find_user(session, owner).id
    if supplier:
        from crm_tui.db.models.purchasing import Supplier

        supplier_id = session.scalar(select(Supplier.id).where(or_(Supplier.code == supplier,
                                                                   Supplier.name == supplier)))
        if supplier_id is None:
            raise NotFound(_("No such supplier: {key}").format(key=supplier))
    if warehouse:
        from crm_tui.services.stock.warehouses import find_warehouse

        warehouse_id = find_warehouse(session, warehouse).id
    if product:
        from crm_tui.services.stock.products import find_product

        product_id = find_product(session, product).id
    return ExportFilters(status=status or None, customer_id=customer_id, owner_id=owner_id,
                         supplier_id=supplier_id, warehouse_id=warehouse_id, product_id=product_id,
                         kind=kind or None, date_from=date_from, date_to=date_to, text=(text or "").strip())
