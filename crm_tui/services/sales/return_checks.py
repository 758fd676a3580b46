"""Invariants of the sales returns, run by ``crm db check`` (amounts in fen, quantities in 1/10000)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from crm_tui.db.models.returns import SalesReturn, SalesReturnLine
from crm_tui.db.models.stock import StockMove
from crm_tui.services.common.checks import invariant


@invariant("sales return totals equal the sums of their lines")
def check_return_totals(session: Session) -> list[str]:
    rows = session.execute(text(
        "SELECT d.id, d.net_total, d.tax_total, d.gross_total, COALESCE(SUM(l.net_amount), 0), "
        "COALESCE(SUM(l.tax_amount), 0), COALESCE(SUM(l.gross_amount), 0) FROM sales_returns d "
        "LEFT JOIN sales_return_lines l ON l.return_id = d.id "
        "GROUP BY d.id, d.net_total, d.tax_total, d.gross_total")).all()
    return [f"sales return {i}: totals {n}/{t}/{g} but lines sum to {sn}/{st}/{sg} (fen)"
            for i, n, t, g, sn, st, sg in rows if (int(n), int(t), int(g)) != (int(sn), int(st), int(sg))]


@invariant("confirmed sales returns never take back more than the stock-out line shipped")
def check_returned(session: Session) -> list[str]:
    rows = session.execute(text(
        "SELECT s.id, s.quantity, SUM(l.quantity) FROM sales_return_lines l "
        "JOIN sales_returns r ON r.id = l.return_id JOIN sales_stock_out_lines s ON s.id = l.stock_out_line_id "
        "WHERE r.status = 'confirmed' GROUP BY s.id, s.quantity")).all()
    return [f"stock-out line {i}: {back} returned of {qty} shipped" for i, qty, back in rows if int(back) > int(qty)]


@invariant("sales returns put their goods back through the ledger (and cancelled ones took them out again)")
def check_return_moves(session: Session) -> list[str]:
    expected: dict[int, Decimal] = defaultdict(Decimal)
    status = {}
    for rid, st, qty, factor in session.execute(
            select(SalesReturn.id, SalesReturn.status, SalesReturnLine.quantity, SalesReturnLine.unit_factor)
            .join(SalesReturnLine, SalesReturnLine.return_id == SalesReturn.id)
            .where(SalesReturn.status != "draft")):
        status[rid] = st
        expected[rid] += qty * factor if st == "confirmed" else 0
    moved = dict(session.execute(select(StockMove.doc_id, func.sum(StockMove.quantity))
                                 .where(StockMove.doc_type == "sales_return").group_by(StockMove.doc_id)).all())
    return [f"sales return {rid} ({status[rid]}): lines {expected[rid]} but the ledger moved {moved.get(rid) or 0}"
            for rid in status if (moved.get(rid) or 0) != expected[rid]]
