"""Assertions over the ledger shared by the stock tests."""

from __future__ import annotations

from decimal import Decimal as D

from crm_tui.db.session import read_session


def balances(engine):
    """{(warehouse_id, product_id): (quantity, value)} from the cached balances."""
    from sqlalchemy import select

    from crm_tui.db.models.stock import StockBalance

    with read_session(engine) as s:
        return {(w, p): (q, v) for w, p, q, v in s.execute(
            select(StockBalance.warehouse_id, StockBalance.product_id, StockBalance.quantity, StockBalance.value))}


def ledger_sums(engine):
    """{(warehouse_id, product_id): (Σ quantity, Σ amount)} straight from the moves."""
    from sqlalchemy import func, select

    from crm_tui.db.models.stock import StockMove

    with read_session(engine) as s:
        return {(w, p): (q, v) for w, p, q, v in s.execute(
            select(StockMove.warehouse_id, StockMove.product_id, func.sum(StockMove.quantity),
                   func.sum(StockMove.amount)).group_by(StockMove.warehouse_id, StockMove.product_id))}


def assert_ledger_consistent(engine):
    """on-hand = Σ moves and value = Σ amounts for every balance; zero stock has zero value; db check passes."""
    from crm_tui.services.common.checks import run_checks

    bal = balances(engine)
    sums = ledger_sums(engine)
    for key in set(bal) | set(sums):
        assert bal.get(key, (0, 0)) == sums.get(key, (0, 0)), key
        q, v = bal.get(key, (D(0), D(0)))
        if q == 0:
            assert v == 0, key
    problems = {k: v for k, v in run_checks(engine).items() if v}
    assert problems == {}


def qty(engine, w, p):
    return balances(engine).get((w, p), (D(0), D(0)))[0]


def value(engine, w, p):
    return balances(engine).get((w, p), (D(0), D(0)))[1]
