"""Receivables (应收): per customer opening balance, billed, received, balance and aging; statements of account.

The basis is a setting (``[sales] receivable_basis``): ``orders`` bills a customer with each confirmed order on
its order date (the default); ``stock_outs`` bills what has shipped, on the stock-out date, at its share of the
order's amounts. Received is the RMB amount of the confirmed receipts. Cancelled documents count as never
written. balance = opening + billed − received.

Aging (账龄) splits a positive balance by the age of what is unpaid: receipts pay the oldest debts first, so
the unpaid part is the newest debts adding up to the balance. Buckets by days before the as-of date: 0–30,
31–60, 61–90, over 90. The opening balance is dated the day the customer was entered. A customer in credit
(balance ≤ 0) has nothing in any bucket. Everything is computed with grouped sums in SQL (one pass over the
documents), which is what keeps 500,000 documents under a second.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound
from crm_tui.core.money import plain
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.sales import Receipt, ReceiptAccount, SalesOrder, SalesStockOut
from crm_tui.db.types import Money
from crm_tui.i18n import _
from crm_tui.services.sales import permissions as perms
from crm_tui.services.sales import return_credits
from crm_tui.services.sales.pricing import receivable_basis

ZERO = Decimal(0)
BUCKETS = ("0-30", "31-60", "61-90", "90+")
BUCKET_EDGES = (30, 60, 90)


def money2(value: Decimal) -> str:
    return f"{value:.2f}"


@dataclass(frozen=True)
class Receivable:
    customer_id: int
    customer_code: str
    customer_name: str
    salesperson: str | None
    opening: Decimal
    billed: Decimal
    received: Decimal
    aging: tuple[Decimal, Decimal, Decimal, Decimal] = (ZERO, ZERO, ZERO, ZERO)

    @property
    def balance(self) -> Decimal:
        return self.opening + self.billed - self.received

    def as_json(self) -> dict:
        """The pinned shape of ``crm report receivables --format json``."""
        return {"customer_code": self.customer_code, "customer_name": self.customer_name,
                "opening": money2(self.opening), "billed": money2(self.billed), "received": money2(self.received),
                "balance": money2(self.balance)}

    def aging_json(self) -> dict:
        return {**self.as_json(), **{f"days_{b}": money2(v) for b, v in zip(BUCKETS, self.aging, strict=True)}}


def _documents(basis: str):
    """(table, customer column, date column, amount column, live condition) of the billed documents."""
    if basis == "stock_outs":
        return (SalesStockOut, SalesStockOut.customer_id, SalesStockOut.out_date, SalesStockOut.gross_total,
                SalesStockOut.status == "confirmed")
    return (SalesOrder, SalesOrder.customer_id, SalesOrder.order_date, SalesOrder.gross_total,
            SalesOrder.status.in_(("confirmed", "done")))


def receivables(session: Session, actor: Actor, as_of: date | None = None, *, basis: str | None = None,
                customer_ids: list[int] | None = None, include_zero: bool = False,
                owner_id: int | None = None) -> list[Receivable]:
    """One row per visible customer with an opening balance or documents up to ``as_of`` (default today)."""
    as_of = as_of or clock.today()
    basis = basis or receivable_basis()
    _table, cust_col, date_col, amount_col, live = _documents(basis)
    edges = [as_of - timedelta(days=d) for d in BUCKET_EDGES]
    zero = literal(0, Money)
    bucket_exprs = [
        func.sum(case((date_col >= edges[0], amount_col), else_=zero)),
        func.sum(case(((date_col < edges[0]) & (date_col >= edges[1]), amount_col), else_=zero)),
        func.sum(case(((date_col < edges[1]) & (date_col >= edges[2]), amount_col), else_=zero)),
        func.sum(case((date_col < edges[2], amount_col), else_=zero)),
    ]
    # Only the visible customers' documents are summed (everything for administrators and clerks).
    billed_q = (select(cust_col.label("cid"), func.sum(amount_col).label("billed"),
                       *[e.label(f"b{i}") for i, e in enumerate(bucket_exprs)])
                .where(live, date_col <= as_of, perms.visible_clause(session, actor, cust_col)).group_by(cust_col))
    received_q = (select(Receipt.customer_id.label("cid"), func.sum(Receipt.amount_cny).label("received"))
                  .where(Receipt.status == "confirmed", Receipt.received_on <= as_of,
                         perms.visible_clause(session, actor, Receipt.customer_id))
                  .group_by(Receipt.customer_id))
    if customer_ids is not None:
        billed_q = billed_q.where(cust_col.in_(customer_ids))
        received_q = received_q.where(Receipt.customer_id.in_(customer_ids))
    returned_q = return_credits.by_customer_query(session, actor, as_of, customer_ids)
    conn = session.connection()  # Core, not ORM, execution: these are plain rows (and many of them)
    if conn.dialect.name == "postgresql":  # 20,000 groups of five numeric sums would spill 4 MB to disk
        conn.exec_driver_sql("SET LOCAL work_mem = '32MB'")
    with _gc_paused():
        billed = {r.cid: r for r in conn.execute(billed_q)}
        received = dict(conn.execute(received_q).all())
        returned = dict(conn.execute(returned_q).all())
        return _rows(conn, _customers_query(session, actor, customer_ids, owner_id), billed, received, as_of,
                     include_zero, returned)


@contextmanager
def _gc_paused():
    """Tens of thousands of rows and Decimals hold no cycles; the collector walking them costs 10-20 %."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _customers_query(session: Session, actor: Actor, customer_ids: list[int] | None, owner_id: int | None):
    """The visible customers, with their opening balance, entry date and salesperson, by code."""
    cust_q = (select(Customer.id, Customer.code, Customer.name, Customer.opening_balance, Customer.created_on,
                     User.display_name)
              .outerjoin(User, User.id == Customer.owner_id)
              .where(perms.visible_clause(session, actor, Customer.id)).order_by(Customer.code))
    if customer_ids is not None:
        cust_q = cust_q.where(Customer.id.in_(customer_ids))
    if owner_id is not None:
        cust_q = cust_q.where(Customer.owner_id == owner_id)
    return cust_q


def _rows(conn, cust_q, billed: dict, received: dict, as_of: date, include_zero: bool,
          returned: dict | None = None) -> list[Receivable]:
    out = []
    for cid, code, name, opening, created_on, owner in conn.execute(cust_q):
        b = billed.get(cid)
        got = received.get(cid) or ZERO
        back = (returned or {}).get(cid) or ZERO
        opening = opening or ZERO
        if b is None:
            if not got and not back and not opening and not include_zero:
                continue
            debit, sums = ZERO, [ZERO] * 4
        else:
            debit, sums = b.billed or ZERO, [b.b0 or ZERO, b.b1 or ZERO, b.b2 or ZERO, b.b3 or ZERO]
        debit -= back  # billed net of returns; the aging treats a return as a credit, like a receipt
        out.append(Receivable(cid, code, name, owner, opening, debit, got,
                              _aging(opening, opening + debit - got, sums, as_of, created_on)))
    return out


def _aging(opening: Decimal, balance: Decimal, sums: list[Decimal], as_of: date,
           opened_on: date | None) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Split a positive balance over the buckets, newest first (receipts paid the oldest debts)."""
    if balance <= 0:
        return (ZERO, ZERO, ZERO, ZERO)
    debts = sums
    if opening > 0:
        debts[_bucket((as_of - opened_on).days if opened_on else 10**6)] += opening
    aging = [ZERO] * 4
    left = balance
    for i in range(4):
        take = min(left, debts[i])
        aging[i] = take
        left -= take
        if not left:
            break
    aging[3] += left  # only if debts were dated after as-of (cannot happen): keeps the sum exact
    return (aging[0], aging[1], aging[2], aging[3])


def _bucket(age_days: int) -> int:
    for i, edge in enumerate(BUCKET_EDGES):
        if age_days <= edge:
            return i
    return 3


@dataclass(frozen=True)
class AgingTotals:
    opening: Decimal
    billed: Decimal
    received: Decimal
    balance: Decimal
    aging: tuple[Decimal, Decimal, Decimal, Decimal]


def totals(rows: list[Receivable]) -> AgingTotals:
    return AgingTotals(sum((r.opening for r in rows), ZERO), sum((r.billed for r in rows), ZERO),
                       sum((r.received for r in rows), ZERO), sum((r.balance for r in rows), ZERO),
                       tuple(sum((r.aging[i] for r in rows), ZERO) for i in range(4)))


def customer_balance(session: Session, actor: Actor, customer_id: int, as_of: date | None = None) -> Receivable:
    rows = receivables(session, actor, as_of, customer_ids=[customer_id], include_zero=True)
    if not rows:
        raise NotFound(_("No such customer: {id}").format(id=customer_id))
    return rows[0]


# --- statements of account ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    day: date
    kind: str  # order | stock_out | receipt | return
    number: str
    debit: Decimal
    credit: Decimal
    remark: str
    doc_id: int


@dataclass(frozen=True)
class Statement:
    customer_id: int
    customer_code: str
    customer_name: str
    date_from: date
    date_to: date
    basis: str
    opening: Decimal
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def debit(self) -> Decimal:
        return sum((ln.debit for ln in self.lines), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((ln.credit for ln in self.lines), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit

    def running(self) -> list[tuple[StatementLine, Decimal]]:
        balance, out = self.opening, []
        for ln in self.lines:
            balance = balance + ln.debit - ln.credit
            out.append((ln, balance))
        return out


def statement(session: Session, actor: Actor, customer_id: int, date_from: date, date_to: date, *,
              basis: str | None = None) -> Statement:
    """A customer's account for a period: the balance before it, each document and receipt, the closing balance."""
    basis = basis or receivable_basis()
    customer = perms.require_customer_record(session, actor, customer_id)
    before = receivables(session, actor, date_from - timedelta(days=1), basis=basis, customer_ids=[customer.id],
                         include_zero=True)
    opening = before[0].balance if before else (customer.opening_balance or ZERO)
    lines = _document_lines(session, customer.id, basis, date_from, date_to) + \
        _receipt_lines(session, customer.id, date_from, date_to) + _return_lines(session, customer.id, date_from, date_to)
    order = {"order": 0, "stock_out": 0, "receipt": 1, "return": 1}
    lines.sort(key=lambda ln: (ln.day, order[ln.kind], ln.number))
    return Statement(customer.id, customer.code, customer.name, date_from, date_to, basis, opening, lines)


def _document_lines(session: Session, customer_id: int, basis: str, start: date, end: date) -> list[StatementLine]:
    if basis == "stock_outs":
        from crm_tui.services.sales.stock_outs import _order_numbers

        rows = session.execute(select(SalesStockOut.id, SalesStockOut.out_date, SalesStockOut.number,
                                      SalesStockOut.gross_total)
                               .where(SalesStockOut.customer_id == customer_id, SalesStockOut.status == "confirmed",
                                      SalesStockOut.out_date.between(start, end))).all()
        return [StatementLine(d, "stock_out", num, amt, ZERO, ", ".join(sorted(_order_numbers(session, i))), i)
                for i, d, num, amt in rows]
    rows = session.execute(select(SalesOrder.id, SalesOrder.order_date, SalesOrder.number, SalesOrder.gross_total,
                                  SalesOrder.external_ref)
                           .where(SalesOrder.customer_id == customer_id, SalesOrder.status.in_(("confirmed", "done")),
                                  SalesOrder.order_date.between(start, end))).all()
    return [StatementLine(d, "order", num, amt, ZERO, ref or "", i) for i, d, num, amt, ref in rows]


def _receipt_lines(session: Session, customer_id: int, start: date, end: date) -> list[StatementLine]:
    rows = session.execute(select(Receipt.id, Receipt.received_on, Receipt.number, Receipt.amount_cny, Receipt.currency,
                                  Receipt.amount, Receipt.rate, Receipt.method, ReceiptAccount.name)
                           .outerjoin(ReceiptAccount, ReceiptAccount.id == Receipt.account_id)
                           .where(Receipt.customer_id == customer_id, Receipt.status == "confirmed",
                                  Receipt.received_on.between(start, end))).all()
    out = []
    for i, d, num, cny, cur, amount, rate, method, account in rows:
        remark = " ".join(x for x in (method, account) if x)
        if cur != "CNY":
            remark = (f"{cur} {amount:,.2f} × {plain(rate)} " + remark).strip()
        out.append(StatementLine(d, "receipt", num, ZERO, cny, remark, i))
    return out


def _return_lines(session: Session, customer_id: int, start: date, end: date) -> list[StatementLine]:
    return [StatementLine(d, "return", num, ZERO, amount, out_no or "", i)
            for i, d, num, amount, out_no in return_credits.statement_rows(session, customer_id, start, end)]
