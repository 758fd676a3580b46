"""Two returns of the same goods confirmed at once: the stock-out lock makes the second see the first."""

import threading
import time
from decimal import Decimal as D

from crm_tui.core.errors import ValidationError
from crm_tui.services.common.checks import run_checks
from crm_tui.services.sales import orders, returns
from crm_tui.services.sales.actions import ship
from crm_tui.services.sales.pricing import LineInput
from crm_tui.services.stock.ledger import on_hand


def test_two_returns_of_the_last_returnable_goods(engine, world, tx, rd, monkeypatch):
    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 10)])
        orders.confirm_order(s, world.clerk, oid)
        number = ship(s, world.clerk, world.w1, order_ids=[oid])
        out_id = returns.docs.find_id(s, returns.SalesStockOut, number)
        line = returns.returnable(s, world.clerk, out_id)[0].stock_out_line_id
        drafts = [returns.create_return(s, world.clerk, out_id, {line: "6"}) for _ in range(2)]
    slow = returns._left_cost

    def left_cost(session, out):  # hold the lock a while: the other confirmation must wait for it
        time.sleep(0.3)
        return slow(session, out)

    monkeypatch.setattr(returns, "_left_cost", left_cost)
    barrier, got = threading.Barrier(2), []

    def confirm(rid):
        barrier.wait()
        try:
            with tx(world.clerk) as s:
                got.append(("ok", returns.confirm_return(s, world.clerk, rid)))
        except ValidationError as exc:
            got.append(("refused", exc.message))

    threads = [threading.Thread(target=confirm, args=(rid,)) for rid in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(r[0] for r in got) == ["ok", "refused"], got
    assert "4" in next(r[1] for r in got if r[0] == "refused")  # it saw the first one's return
    with rd() as s:
        assert on_hand(s, world.w1, world.p1) == D(96)
    assert {k: v for k, v in run_checks(engine).items() if v} == {}
