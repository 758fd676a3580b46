"""What confirmed sales returns credit their customers: the receivables, the credit headroom, the dunning, the
statements and the dashboard count a return's ``gross_total`` on its return date, the way they count receipts.
A cancelled return counts as never written. Billed figures are shown net of returns (销售净额)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.db.models.returns import SalesReturn
from crm_tui.services.sales import permissions as perms

ZERO = Decimal(0)


def by_customer_query(session: Session, actor: Actor | None, as_of: date | None = None,
                      customer_ids: list[int] | None = None):
    """SELECT cid, returned: the confirmed returns per customer up to ``as_of`` (visible ones when ``actor``)."""
    stmt = (select(SalesReturn.customer_id.label("cid"), func.sum(SalesReturn.gross_total).label("returned"))
            .where(SalesReturn.status == "confirmed").group_by(SalesReturn.customer_id))
    if as_of is not None:
        stmt = stmt.where(SalesReturn.return_date <= as_of)
    if actor is not None:
        stmt = stmt.where(perms.visible_clause(session, actor, SalesReturn.customer_id))
    if customer_ids is not None:
        stmt = stmt.where(SalesReturn.customer_id.in_(customer_ids))
    return stmt


def customer_total(session: Session, customer_id: int) -> Decimal:
    """Every confirmed return of one customer (any date): what the credit exposure takes off."""
    return session.scalar(select(func.sum(SalesReturn.gross_total)).where(
        SalesReturn.customer_id == customer_id, SalesReturn.status == "confirmed")) or ZERO


def statement_rows(session: Session, customer_id: int, start: date, end: date) -> list[tuple]:
    """(id, date, number, amount, stock-out number) of the confirmed returns in a period."""
    from crm_tui.db.models.sales import SalesStockOut

    return session.execute(select(SalesReturn.id, SalesReturn.return_date, SalesReturn.number,
                                  SalesReturn.gross_total, SalesStockOut.number)
                           .join(SalesStockOut, SalesStockOut.id == SalesReturn.stock_out_id)
                           .where(SalesReturn.customer_id == customer_id, SalesReturn.status == "confirmed",
                                  SalesReturn.return_date.between(start, end))).all()


def confirmed_returns_of(session: Session, out_id: int) -> list[str]:
    """The numbers of a stock-out's confirmed returns (a stock-out with any is not cancelled before them)."""
    return list(session.scalars(select(SalesReturn.number).where(SalesReturn.stock_out_id == out_id,
                                                                 SalesReturn.status == "confirmed")
                                .order_by(SalesReturn.number)))
