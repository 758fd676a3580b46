"""Print adapters of the sales return (销售退货单) and the invoice (发票; a red-letter one prints as 红字发票 with
negative amounts). An invoice shows the tracking numbers it and its order's shipments were sent by."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.db.models.sales import SalesInvoice, SalesOrder, SalesOrderLine, SalesStockOut, SalesStockOutLine
from crm_tui.db.models.sales import TrackingNumber as Tracking
from crm_tui.io.print_model import PrintDocument, PrintLine, Totals
from crm_tui.services.sales.printing import _remarks, party_of

RED_TITLE = "红 字 发 票"
KIND_WORDS = {"ordinary": "增值税普通发票", "special": "增值税专用发票"}


def return_for_print(session: Session, actor: Actor, number: str) -> PrintDocument:
    from crm_tui.services.sales import returns

    r = returns.get_return(session, actor, returns.find_return(session, actor, number))
    lines = [PrintLine(name=ln.product_name, quantity=ln.quantity, code=ln.product_code, spec=ln.spec or "",
                       unit=ln.unit or "", unit_price=ln.net_price, gross_price=ln.gross_price, tax_rate=ln.tax_rate,
                       net_amount=ln.net_amount, tax_amount=ln.tax_amount, amount=ln.gross_amount,
                       warehouse=ln.warehouse_code) for ln in r.lines]
    info = [("订单号", "，".join(returns.order_numbers(session, r.id)))]
    if r.reason:
        info.append(("退货原因", r.reason))
    return PrintDocument(kind="sales_return", number=r.number or f"#{r.id}", date=r.return_date,
                         party=party_of(session, r.customer_id), lines=lines,
                         totals=Totals(r.net_total, r.tax_total, r.gross_total, sum(ln.quantity for ln in r.lines)),
                         reference=r.stock_out_number or "", info=info, remarks=_remarks(r))


def tracking_of_invoice(session: Session, invoice: SalesInvoice) -> list[str]:
    """'courier number' of the invoice's own tracking numbers and of its order's stock-outs, oldest first."""
    clauses = [Tracking.invoice_id == invoice.id]
    if invoice.order_id is not None:
        outs = (select(SalesStockOut.id).join(SalesStockOutLine, SalesStockOutLine.stock_out_id == SalesStockOut.id)
                .join(SalesOrderLine, SalesOrderLine.id == SalesStockOutLine.order_line_id)
                .where(SalesOrderLine.order_id == invoice.order_id, SalesStockOut.status == "confirmed"))
        clauses += [Tracking.stock_out_id.in_(outs), Tracking.order_id == invoice.order_id]
    from sqlalchemy import or_

    rows = session.execute(select(Tracking.courier, Tracking.number).where(or_(*clauses))
                           .order_by(Tracking.shipped_on, Tracking.id)).all()
    return list(dict.fromkeys(f"{c} {n}" for c, n in rows))


def invoice_for_print(session: Session, actor: Actor, number: str) -> PrintDocument:
    """An invoice by our number or the tax invoice's number; a red-letter invoice by its own number."""
    from crm_tui.services.sales import invoices, red_invoices

    red_id = red_invoices.find_red(session, actor, number)
    if red_id is not None:
        return _red_for_print(session, actor, red_id)
    inv = invoices.load_invoice(session, actor, invoices.find_invoice(session, actor, number))
    line = PrintLine(name=_what_invoiced(session, inv), quantity=Decimal(1), tax_rate=inv.tax_rate,
                     net_amount=inv.net_amount, tax_amount=inv.tax_amount, amount=inv.gross_amount)
    info = [("发票号码", inv.invoice_no), ("发票类型", KIND_WORDS.get(inv.kind, inv.kind))]
    tracking = tracking_of_invoice(session, inv)
    if tracking:
        info.append(("快递单号", "，".join(tracking)))
    return PrintDocument(kind="invoice", number=inv.number or f"#{inv.id}", date=inv.invoice_date,
                         party=party_of(session, inv.customer_id), lines=[line],
                         totals=Totals(inv.net_amount, inv.tax_amount, inv.gross_amount, line.quantity),
                         reference=_order_number(session, inv.order_id), info=info, remarks=_remarks(inv))


def _red_for_print(session: Session, actor: Actor, red_id: int) -> PrintDocument:
    from crm_tui.services.sales import red_invoices

    red = red_invoices.load_red(session, actor, red_id)
    row = red_invoices.list_reds(session, actor, red_id=red.id)[0]
    inv = session.get(SalesInvoice, red.invoice_id)
    line = PrintLine(name=f"红冲发票 {inv.invoice_no}", quantity=Decimal(1), tax_rate=red.tax_rate,
                     net_amount=red.net_amount, tax_amount=red.tax_amount, amount=red.gross_amount)
    info = [("原发票号码", inv.invoice_no), ("原发票单号", inv.number or ""), ("红冲原因", red.reason)]
    if row.return_number:
        info.append(("退货单号", row.return_number))
    tracking = tracking_of_invoice(session, inv)
    if tracking:
        info.append(("快递单号", "，".join(tracking)))
    return PrintDocument(kind="invoice", number=red.number or f"#{red.id}", date=red.invoice_date, title=RED_TITLE,
                         party=party_of(session, red.customer_id), lines=[line],
                         totals=Totals(red.net_amount, red.tax_amount, red.gross_amount, line.quantity),
                         reference=_order_number(session, red.order_id), info=info, remarks=_remarks(red))


def _order_number(session: Session, order_id: int | None) -> str:
    if order_id is None:
        return ""
    return session.scalar(select(SalesOrder.number).where(SalesOrder.id == order_id)) or ""


def _what_invoiced(session: Session, inv: SalesInvoice) -> str:
    order = _order_number(session, inv.order_id)
    return f"销售货物（订单 {order}）" if order else "销售货物"
