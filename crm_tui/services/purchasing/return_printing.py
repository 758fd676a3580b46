"""Printing a purchase return (采购退货单): the adapter from a stored return to the print model."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import PermissionDenied
from crm_tui.db.models.purchasing import Supplier
from crm_tui.i18n import _
from crm_tui.io.print_model import PrintDocument, PrintLine
from crm_tui.services.admin import permissions
from crm_tui.services.purchasing.printing import _supplier_party
from crm_tui.services.purchasing.returns import find_return, get_return


def purchase_return_for_print(session: Session, actor: Actor, number: str) -> PrintDocument:
    if not (permissions.can(actor, "stock.manage") or permissions.can(actor, "purchase.manage")):
        raise PermissionDenied(_("You are not allowed to do this: {action}").format(action="stock.manage"))
    view = get_return(session, find_return(session, number).id)
    supplier = session.get(Supplier, view.supplier_id)
    lines = [PrintLine(name=ln.product_name, quantity=ln.quantity, code=ln.product_code, spec=ln.spec or "",
                       unit=ln.unit or "", unit_price=ln.unit_price, net_amount=ln.amount_net, tax_amount=ln.tax,
                       amount=ln.amount_gross, remark=view.reason or "")
             for ln in view.lines]
    return PrintDocument(kind="purchase_return", number=view.number or _("(draft)"), date=view.doc_date,
                         party=_supplier_party(session, supplier), lines=lines, reference=view.receipt_number or "",
                         remarks=view.reason or "")
