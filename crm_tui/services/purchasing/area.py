"""Purchasing (采购管理): permissions and the invariants ``crm db check`` verifies.

The work itself is split by document: ``purchasing_suppliers`` (suppliers, contacts, last prices),
``purchasing_inquiries``, ``purchasing_orders``, ``purchasing_receipts`` and ``purchasing_payables``
(payments, input invoices, payables).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from crm_tui.services.common.checks import invariant


@invariant("purchase order lines' received quantity equals their confirmed receipts")
def check_received(session: Session) -> list[str]:
    rows = session.execute(text(
        "SELECT l.id, l.received_quantity, COALESCE(r.q, 0) FROM purchase_order_lines l LEFT JOIN ("
        " SELECT rl.order_line_id, SUM(rl.quantity * rl.unit_factor / 1000000) AS q FROM purchase_receipt_lines rl"
        " JOIN purchase_receipts pr ON pr.id = rl.receipt_id WHERE pr.status = 'confirmed'"
        " GROUP BY rl.order_line_id) r ON r.order_line_id = l.id"
        " WHERE l.received_quantity <> COALESCE(r.q, 0) OR l.received_quantity > l.quantity * l.unit_factor / 1000000")).all()  # base units
    return [f"purchase order line {i}: received {q} but receipts sum to {s} (1/10000 units)" for i, q, s in rows]


@invariant("purchase order totals equal the sum of their lines")
def check_order_totals(session: Session) -> list[str]:
    rows = session.execute(text(
        "SELECT o.id, o.amount_gross, COALESCE(SUM(l.amount_gross), 0) FROM purchase_orders o"
        " LEFT JOIN purchase_order_lines l ON l.order_id = o.id GROUP BY o.id, o.amount_gross"
        " HAVING o.amount_gross <> COALESCE(SUM(l.amount_gross), 0)")).all()
    return [f"purchase order {i}: total {t} but lines sum to {s} (fen)" for i, t, s in rows]


@invariant("confirmed documents have a number and drafts have no stock moves")
def check_documents(session: Session) -> list[str]:
    problems = []
    for table in ("stock_documents", "purchase_receipts"):
        rows = session.execute(text(
            f"SELECT id FROM {table} WHERE status IN ('confirmed', 'cancelled') AND number IS NULL")).all()
        problems += [f"{table} {r[0]} is confirmed without a number" for r in rows]
    rows = session.execute(text(
        "SELECT DISTINCT m.doc_type, m.doc_id FROM stock_moves m JOIN stock_documents d"
        " ON d.id = m.doc_id AND d.kind = m.doc_type WHERE d.status = 'draft'")).all()
    problems += [f"draft {t} {i} has stock moves" for t, i in rows]
    rows = session.execute(text(
        "SELECT m.doc_id, SUM(m.quantity) FROM stock_moves m JOIN stock_documents d"
        " ON d.id = m.doc_id AND d.kind = m.doc_type WHERE d.status = 'cancelled'"
        " GROUP BY m.doc_id, m.warehouse_id, m.product_id HAVING SUM(m.quantity) <> 0")).all()
    problems += [f"cancelled stock document {i} still moves {q} (1/10000 units)" for i, q in rows]
    return problems


@invariant("purchase returns never take back more than their receipt line brought in")
def check_returns(session: Session) -> list[str]:
    rows = session.execute(text(
        "SELECT rl.id, rl.quantity, SUM(l.quantity) FROM purchase_return_lines l"
        " JOIN purchase_returns r ON r.id = l.return_id JOIN purchase_receipt_lines rl ON rl.id = l.receipt_line_id"
        " WHERE r.status = 'confirmed' GROUP BY rl.id, rl.quantity HAVING SUM(l.quantity) > rl.quantity")).all()
    problems = [f"purchase receipt line {i}: received {q} but returns take {s} (1/10000 units)" for i, q, s in rows]
    rows = session.execute(text("SELECT id FROM purchase_returns WHERE status = 'confirmed' AND number IS NULL")).all()
    return problems + [f"purchase return {r[0]} is confirmed without a number" for r in rows]
