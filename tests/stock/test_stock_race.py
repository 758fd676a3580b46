"""Two processes racing: for the last unit of stock, and confirming the same document twice.

Each process opens its own engine on the same database (SQLite file or PostgreSQL schema). One of them holds
its balance locks for a moment after reading them, so without real locking both would see the unit in stock.
"""

from __future__ import annotations

import multiprocessing
import os
from decimal import Decimal as D

import pytest

from crm_tui.services.stock import documents as sd
from crm_tui.services.stock.documents import LineInput

from .helpers import assert_ledger_consistent, balances
from .race_worker import confirm_in_process


def _race(engine, doc_ids: list[int], holds: list[float]) -> list[tuple]:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(doc_ids))
    results = ctx.Queue()
    url = engine.url.render_as_string(hide_password=False)
    procs = [ctx.Process(target=confirm_in_process, args=(url, os.environ["CRM_HOME"], d, barrier, results, h))
             for d, h in zip(doc_ids, holds, strict=True)]
    for p in procs:
        p.start()
    out = [results.get(timeout=90) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    return out


@pytest.mark.parametrize("kinds", [("stock_out", "stock_out"), ("stock_out", "requisition")],
                         ids=["same-kind", "different-counters"])
def test_last_unit_two_processes_exactly_one_wins(engine, admin, world, tx, kinds):
    w, p = world["w1"], world["p2"]
    with tx() as s:
        sd.quick_document(s, admin, "stock_in", w, p, D("1"), unit_cost=D("1499"))
        docs = [sd.create_document(s, admin, kind, w, lines=[LineInput(p, D("1"))], recipient="x") for kind in kinds]
    out = _race(engine, docs, [0.4, 0.4])
    assert sorted(r[0] for r in out) == ["ok", "refused"], out
    refused = next(r for r in out if r[0] == "refused")
    assert "Not enough stock of P002" in refused[1]
    assert balances(engine)[(w, p)] == (D(0), D(0))
    assert_ledger_consistent(engine)


def test_same_document_confirmed_by_two_processes_moves_stock_once(engine, admin, world, tx):
    w, p = world["w1"], world["p1"]
    with tx() as s:
        doc = sd.create_document(s, admin, "stock_in", w, lines=[LineInput(p, D("6"), unit_cost=D("2"))])
    out = _race(engine, [doc, doc], [0.4, 0.4])
    assert sorted(r[0] for r in out) == ["ok", "refused"], out
    assert "already confirmed" in next(r for r in out if r[0] == "refused")[1]
    assert balances(engine)[(w, p)] == (D(6), D("12.00"))
    assert_ledger_consistent(engine)


def test_opposite_transfers_at_once_do_not_deadlock(engine, admin, world, tx):
    w1, w2, p1, p2 = world["w1"], world["w2"], world["p1"], world["p2"]
    with tx() as s:
        for w in (w1, w2):
            for p in (p1, p2):
                sd.quick_document(s, admin, "stock_in", w, p, D("5"), unit_cost=D("1"))
        a = sd.create_document(s, admin, "transfer", w1, to_warehouse_id=w2,
                               lines=[LineInput(p1, D("2")), LineInput(p2, D("2"))])
        b = sd.create_document(s, admin, "transfer", w2, to_warehouse_id=w1,
                               lines=[LineInput(p2, D("1")), LineInput(p1, D("1"))])
    out = _race(engine, [a, b], [0.3, 0.3])
    assert [r[0] for r in out] == ["ok", "ok"], out
    bal = balances(engine)
    assert bal[(w1, p1)][0] == 4 and bal[(w2, p1)][0] == 6 and bal[(w1, p2)][0] == 4 and bal[(w2, p2)][0] == 6
    assert_ledger_consistent(engine)
