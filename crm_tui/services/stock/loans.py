"""Loans out (借出单) and returns (归还单): what each customer still has out on loan.

What is out is derived from the ledger: the moves of a customer's confirmed loan and return notes (a
cancelled note's moves net to zero with its reversal), so it cannot drift from the stock itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.errors import NotFound
from crm_tui.db.models.products import Product
from crm_tui.db.models.stock import StockDocument, StockMove
from crm_tui.i18n import _

LOAN_KINDS = ("loan", "loan_return")


@dataclass(frozen=True)
class Outstanding:
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True)
class OutstandingRow:
    customer_id: int
    customer_name: str
    product_id: int
    product_code: str
    product_name: str
    quantity: Decimal
    value: Decimal


def lock_customer(session: Session, customer_id: int) -> None:
    """Serialise loan work for one customer (two returns at once cannot both take the last unit out)."""
    from crm_tui.db.models.customers import Customer

    found = session.scalar(select(Customer.id).where(Customer.id == customer_id).with_for_update())
    if found is None:
        raise NotFound(_("No such customer: {id}").format(id=customer_id))


def _base(customer_id: int | None = None):
    q = (select(StockDocument.customer_id, StockMove.product_id,
                (-func.sum(StockMove.quantity)).label("q"), (-func.sum(StockMove.amount)).label("v"))
         .join(StockDocument, (StockDocument.id == StockMove.doc_id) & (StockDocument.kind == StockMove.doc_type))
         .where(StockMove.doc_type.in_(LOAN_KINDS))
         .group_by(StockDocument.customer_id, StockMove.product_id))
    if customer_id is not None:
        q = q.where(StockDocument.customer_id == customer_id)
    return q


def outstanding(session: Session, customer_id: int) -> dict[int, Outstanding]:
    """product id -> what the customer still has out on loan (quantity and its value at cost)."""
    rows = session.execute(_base(customer_id)).all()
    return {pid: Outstanding(q, v) for _c, pid, q, v in rows if q != 0 or v != 0}


def outstanding_report(session: Session, customer_id: int | None = None) -> list[OutstandingRow]:
    """Every customer's goods still out on loan, by customer and product."""
    from crm_tui.db.models.customers import Customer

    rows = []
    for cid, pid, q, v in session.execute(_base(customer_id)):
        rows.append((cid, pid, q, v))
    if not rows:
        return []
    names = dict(session.execute(select(Customer.id, Customer.name).where(
        Customer.id.in_({r[0] for r in rows}))).all())
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_({r[1] for r in rows})))}
    out = []
    for cid, pid, q, v in rows:
        if q == 0 and v == 0:
            continue
        p = products[pid]
        out.append(OutstandingRow(cid, names.get(cid, ""), pid, p.code, p.name, q, v))
    out.sort(key=lambda r: (r.customer_name, r.product_code))
    return out
