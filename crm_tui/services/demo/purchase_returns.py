"""Demo step: one confirmed purchase return (采购退货) — two cases of the second beer delivery went back broken,
at the cost they came in with, and the supplier's payable dropped by their amount."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

TITLE = "Purchase returns"
SUPPLIER = "S0003"  # the beer supplier: its second delivery arrived complete fifteen days ago
QUANTITY = Decimal(2)


def run(session, ctx) -> None:
    from crm_tui.db.models.purchasing import PurchaseReceipt, Supplier
    from crm_tui.services.purchasing import returns
    from crm_tui.services.stock.ledger import on_hand

    receipt = session.scalars(
        select(PurchaseReceipt).join(Supplier, Supplier.id == PurchaseReceipt.supplier_id)
        .where(Supplier.code == SUPPLIER, PurchaseReceipt.status == "confirmed")
        .order_by(PurchaseReceipt.id.desc())).first()
    line = next(ln for ln in returns.returnable_lines(session, receipt.id)
                if on_hand(session, receipt.warehouse_id, ln.product_id) >= QUANTITY)
    at = datetime.combine(ctx.today - timedelta(days=8), time(10)) - timedelta(hours=8)  # UTC
    number = returns.return_goods(session, ctx.actor, receipt.id, {line.receipt_line_id: QUANTITY},
                                  reason="运输破损，退回供应商", at=at)
    ctx.made["purchase returns"] = [number]
