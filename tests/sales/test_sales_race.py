"""Two processes shipping the same order line at once: the order lock makes exactly one of them ship."""

import multiprocessing
import os
from decimal import Decimal as D

from sales_race_worker import ship_in_process

from crm_tui.services.common.checks import run_checks
from crm_tui.services.sales import orders
from crm_tui.services.sales import stock_outs as outs
from crm_tui.services.sales.pricing import LineInput
from crm_tui.services.stock.ledger import on_hand


def test_two_stock_outs_for_the_last_unshipped_goods(engine, world, tx, rd):
    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 5)])
        orders.confirm_order(s, world.clerk, oid)
        line = orders.get_order(s, world.clerk, oid).lines[0].id
        drafts = [outs.create_stock_out(s, world.clerk, world.c1, w, [outs.OutLineInput(line, 5)])
                  for w in (world.w1, world.w2)]
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    url = engine.url.render_as_string(hide_password=False)
    procs = [ctx.Process(target=ship_in_process, args=(url, os.environ["CRM_HOME"], d, barrier, results, 0.4))
             for d in drafts]
    for p in procs:
        p.start()
    got = [results.get(timeout=90) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert sorted(r[0] for r in got) == ["ok", "refused"], got
    refusal = next(r for r in got if r[0] == "refused")[1]
    assert "is done; it cannot ship" in refusal or "unshipped" in refusal, refusal  # it saw the first one's work
    with rd() as s:
        view = orders.get_order(s, world.admin, oid)
        assert view.lines[0].shipped_quantity == 5 and view.status == "done"
        assert on_hand(s, world.w1, world.p1) + on_hand(s, world.w2, world.p1) == D(195)
    assert {k: v for k, v in run_checks(engine).items() if v} == {}
