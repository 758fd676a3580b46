"""Printing a purchase order (采购订单): the adapter from a stored order to the print model."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import PermissionDenied
from crm_tui.db.models.purchasing import Supplier, SupplierContact
from crm_tui.i18n import _
from crm_tui.io.print_model import Party, PrintDocument, PrintLine
from crm_tui.services.admin import permissions
from crm_tui.services.purchasing.orders import find_order, get_order


def _supplier_party(session: Session, supplier: Supplier) -> Party:
    contact = session.scalar(
        select(SupplierContact).where(SupplierContact.supplier_id == supplier.id)
        .order_by(SupplierContact.is_primary.desc(), SupplierContact.id).limit(1))
    return Party(name=supplier.name, code=supplier.code, address=supplier.address or "",
                 contact=contact.name if contact else "",
                 phone=(contact.mobile or contact.landline or "") if contact else (supplier.phone or ""),
                 tax_number=supplier.credit_code or "", bank=supplier.bank or "", account=supplier.account or "")


def purchase_order_for_print(session: Session, actor: Actor, number: str) -> PrintDocument:
    if not (permissions.can(actor, "purchase.manage") or permissions.can(actor, "purchase.approve")):
        raise PermissionDenied(_("You are not allowed to do this: {action}").format(action="purchase.manage"))
    view = get_order(session, find_order(session, number).id)
    supplier = session.get(Supplier, view.supplier_id)
    lines = [PrintLine(name=ln.product_name, quantity=ln.quantity, code=ln.product_code, spec=ln.spec or "", unit=ln.unit or "",
                       unit_price=ln.price, gross_price=ln.price_gross, tax_rate=ln.tax_rate,
                       net_amount=ln.amount_net, tax_amount=ln.tax, amount=ln.amount_gross)
             for ln in view.lines]
    return PrintDocument(kind="purchase_order", number=view.number or _("(draft)"), date=view.doc_date,
                         party=_supplier_party(session, supplier), lines=lines,
                         delivery_date=view.expected_on, remarks=view.remarks or "")

