"""Demo step: two sales returns (销售退货) of stock-outs (invoiced orders first) — part of one line each, confirmed a few days after
the goods left — and a red-letter invoice (红字发票) for the first of them when its order was invoiced. Picks
by id, so the demo stays the same on every run."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal as D

from sqlalchemy import select

from crm_tui.db.models.sales import SalesInvoice, SalesOrderLine, SalesStockOut, SalesStockOutLine
from crm_tui.services.sales import red_invoices, returns

TITLE = "Sales returns and a red-letter invoice"
REASONS = ("包装破损", "临期退回")


def _candidates(session) -> list[tuple[SalesStockOut, SalesStockOutLine]]:
    rows = session.execute(select(SalesStockOut, SalesStockOutLine)
                           .join(SalesStockOutLine, SalesStockOutLine.stock_out_id == SalesStockOut.id)
                           .where(SalesStockOut.status == "confirmed", SalesStockOutLine.quantity >= 2)
                           .order_by(SalesStockOut.id, SalesStockOutLine.line_no)).all()
    invoiced = set(session.scalars(select(SalesInvoice.order_id).where(SalesInvoice.status == "confirmed")))
    orders = dict(session.execute(select(SalesOrderLine.id, SalesOrderLine.order_id).where(
        SalesOrderLine.id.in_([ln.order_line_id for _o, ln in rows]))).all()) if rows else {}
    rows = sorted(rows, key=lambda r: (orders[r[1].order_line_id] not in invoiced, r[0].id, r[1].line_no))
    picked, seen = [], set()
    for out, line in rows:
        if out.id not in seen and out.customer_id not in {o.customer_id for o, _l in picked}:
            seen.add(out.id)
            picked.append((out, line))
    return picked[:len(REASONS)]


def run(session, ctx) -> None:
    made = []
    for (out, line), reason in zip(_candidates(session), REASONS, strict=False):
        day = min(out.out_date + timedelta(days=3), ctx.today)
        qty = (line.quantity / 2).to_integral_value() or D(1)
        rid = returns.create_return(session, ctx.actor, out.id, {line.id: qty}, reason=reason, return_date=day)
        returns.confirm_return(session, ctx.actor, rid, at=datetime.combine(day, time(10, 0)))
        made.append((rid, line, day))
    ctx.made["sales returns"] = len(made)
    for rid, line, day in made[:1]:
        order_id = session.scalar(select(SalesOrderLine.order_id).where(SalesOrderLine.id == line.order_line_id))
        invoice = session.scalar(select(SalesInvoice).where(SalesInvoice.order_id == order_id,
                                                            SalesInvoice.status == "confirmed")
                                 .order_by(SalesInvoice.id).limit(1))
        ret = returns.get_return(session, ctx.actor, rid)
        if invoice is None:
            continue
        amount = min(ret.gross_total, red_invoices.remaining(session, invoice))
        if amount > 0:
            red_invoices.record_red(session, ctx.actor, invoice.id, amount, "销售退货", return_id=rid,
                                    invoice_date=max(day, invoice.invoice_date),
                                    at=datetime.combine(max(day, invoice.invoice_date), time(11, 0)))
            ctx.made["red-letter invoices"] = 1
