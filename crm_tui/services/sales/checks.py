"""Invariants of the sales flow, run by ``crm db check`` (amounts compared in fen, quantities in 1/10000)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from crm_tui.services.common.checks import invariant


@invariant("sales document totals equal the sums of their lines")
def check_totals(session: Session) -> list[str]:
    problems = []
    for table, lines, fk in (("quotes", "quote_lines", "quote_id"), ("sales_orders", "sales_order_lines", "order_id"),
                             ("sales_stock_outs", "sales_stock_out_lines", "stock_out_id")):
        rows = session.execute(text(
            f"SELECT d.id, d.net_total, d.tax_total, d.gross_total, COALESCE(SUM(l.net_amount), 0), "
            f"COALESCE(SUM(l.tax_amount), 0), COALESCE(SUM(l.gross_amount), 0) FROM {table} d "
            f"LEFT JOIN {lines} l ON l.{fk} = d.id WHERE d.status <> 'draft' OR l.id IS NOT NULL "
            f"GROUP BY d.id, d.net_total, d.tax_total, d.gross_total")).all()
        for doc_id, n, t, g, sn, st, sg in rows:
            if (int(n), int(t), int(g)) != (int(sn), int(st), int(sg)):
                problems.append(f"{table} {doc_id}: totals {n}/{t}/{g} but lines sum to {sn}/{st}/{sg} (fen)")
    rows = session.execute(text(
        "SELECT id, net_amount, tax_amount, gross_amount FROM sales_order_lines "
        "WHERE net_amount + tax_amount <> gross_amount")).all()
    problems += [f"sales order line {i}: net {n} + tax {t} <> gross {g}" for i, n, t, g in rows]
    return problems


@invariant("shipped quantities equal the confirmed stock-outs and never exceed what was ordered")
def check_shipped(session: Session) -> list[str]:
    rows = session.execute(text(
        "SELECT l.id, l.quantity * l.unit_factor / 1000000, l.shipped_quantity, "  # base units (units.py)
        "COALESCE(SUM(CASE WHEN o.status = 'confirmed' "
        "THEN s.quantity * s.unit_factor / 1000000 ELSE 0 END), 0) FROM sales_order_lines l "
        "LEFT JOIN sales_stock_out_lines s ON s.order_line_id = l.id "
        "LEFT JOIN sales_stock_outs o ON o.id = s.stock_out_id "
        "GROUP BY l.id, l.quantity, l.unit_factor, l.shipped_quantity")).all()
    out = []
    for line_id, qty, shipped, total in rows:
        if int(shipped) != int(total):
            out.append(f"sales order line {line_id}: shipped {shipped} but its stock-outs sum to {total}")
        if int(shipped) > int(qty):
            out.append(f"sales order line {line_id}: shipped {shipped} of {qty}")
    return out


@invariant("sales stock-outs moved their goods through the ledger (and cancelled ones put them back)")
def check_moves(session: Session) -> list[str]:
    rows = session.execute(text(
        "SELECT o.id, o.status, COALESCE(SUM(l.quantity * l.unit_factor / 1000000), 0), "
        "(SELECT COALESCE(SUM(m.quantity), 0) FROM stock_moves m WHERE m.doc_type = 'sales_out' AND m.doc_id = o.id) "
        "FROM sales_stock_outs o JOIN sales_stock_out_lines l ON l.stock_out_id = o.id "
        "WHERE o.status <> 'draft' GROUP BY o.id, o.status")).all()
    out = []
    for out_id, status, qty, moved in rows:
        expected = -int(qty) if status == "confirmed" else 0
        if int(moved) != expected:
            out.append(f"sales stock-out {out_id} ({status}): lines {qty} but the ledger moved {moved}")
    return out


@invariant("receipts are not applied beyond their amount, and only while confirmed")
def check_applications(session: Session) -> list[str]:
    rows = session.execute(text(
        "SELECT r.id, r.status, r.amount_cny, SUM(a.amount) FROM receipts r "
        "JOIN receipt_applications a ON a.receipt_id = r.id GROUP BY r.id, r.status, r.amount_cny")).all()
    out = []
    for rid, status, amount, applied in rows:
        if status != "confirmed":
            out.append(f"receipt {rid} is {status} but still applied ({applied} fen)")
        elif int(applied) > int(amount):
            out.append(f"receipt {rid}: {applied} applied of {amount} (fen)")
    return out
