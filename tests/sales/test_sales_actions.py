"""The sales actions the screens and the commands share: save a draft, confirm then read, ship, file a claim.

Each goes through the use-case runner here, as both callers do.
"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from crm_tui.core.errors import NotFound, StateError
from crm_tui.services.runner import read, run
from crm_tui.services.sales import expenses, orders, quotes
from crm_tui.services.sales import stock_outs as outs
from crm_tui.services.sales.actions import confirm_document, file_claim, save_draft, ship
from crm_tui.services.sales.pricing import LineInput


def test_save_draft_creates_then_replaces_lines_and_header(engine, world):
    lines = [LineInput(world.p1, 2)]
    header = {"quote_date": date.today(), "valid_until": None, "remarks": "first"}
    qid = run(engine, world.li, lambda s: save_draft(s, world.li, "quote", None, world.c1, lines, header))
    assert header == {"quote_date": date.today(), "valid_until": None, "remarks": "first"}  # inputs untouched
    again = run(engine, world.li, lambda s: save_draft(s, world.li, "quote", qid, world.c1,
                                                       [LineInput(world.p2, 5)], {**header, "remarks": "second"}))
    assert again == qid
    view = read(engine, world.li, lambda s: quotes.get_quote(s, world.li, qid))
    assert [ln.product_id for ln in view.lines] == [world.p2] and view.remarks == "second"
    assert view.valid_until is not None  # an empty "valid until" keeps the default, as the form expects


def test_confirm_document_reads_back_the_number_or_the_wait_for_approval(engine, world):
    oid = run(engine, world.li, lambda s: save_draft(s, world.li, "order", None, world.c1,
                                                     [LineInput(world.p1, 1)], {}))
    done = run(engine, world.li, lambda s: confirm_document(s, world.li, "order", oid))
    assert done.status == "confirmed" and done.number and done.order.number == done.number
    qid = run(engine, world.li, lambda s: save_draft(s, world.li, "quote", None, world.c1,
                                                     [LineInput(world.p1, 1)], {}))
    quote = run(engine, world.li, lambda s: confirm_document(s, world.li, "quote", qid))
    assert quote.status == "confirmed" and quote.number.startswith("QT") and quote.order is None
    cheap = [LineInput(world.p1, 1, "100.00", "gross")]  # 113.00 listed: beyond li's discount limit
    pending = run(engine, world.li, lambda s: confirm_document(
        s, world.li, "order", save_draft(s, world.li, "order", None, world.c1, cheap, {})))
    assert pending.status == "pending_approval" and pending.number is None
    assert pending.order.max_discount > D("0.05")


def test_ship_orders_in_one_confirmed_stock_out(engine, world):
    def order(product, qty):
        return run(engine, world.li, lambda s: confirm_document(s, world.li, "order", save_draft(
            s, world.li, "order", None, world.c1, [LineInput(product, qty)], {}))).doc_id

    a, b = order(world.p1, 2), order(world.p2, 3)
    number = run(engine, world.clerk, lambda s: ship(s, world.clerk, world.w1, order_ids=[a, b],
                                                     tracking=[("顺丰", "SF100")]))
    view = read(engine, world.admin, lambda s: outs.get_stock_out(s, world.admin, outs.find_stock_out(
        s, world.admin, number)))
    assert view.number == number and len(view.orders) == 2
    assert {read(engine, world.admin, lambda s, x=x: orders.get_order(s, world.admin, x).status)
            for x in (a, b)} == {"done"}
    with pytest.raises(StateError, match="done"):
        run(engine, world.clerk, lambda s: ship(s, world.clerk, world.w1, order_ids=[a]))  # nothing left to ship


def test_file_claim_finds_customer_and_order_by_their_codes(engine, world):
    oid = run(engine, world.li, lambda s: confirm_document(s, world.li, "order", save_draft(
        s, world.li, "order", None, world.c1, [LineInput(world.p1, 1)], {}))).doc_id
    number = read(engine, world.li, lambda s: orders.get_order(s, world.li, oid).number)
    spent = date.today() - timedelta(days=1)
    filed = run(engine, world.li, lambda s: file_claim(s, world.li, "88.50", "招待费", spent, customer="K001",
                                                       order=number, description="lunch"))
    assert filed.number  # submitted for approval
    draft = run(engine, world.li, lambda s: file_claim(s, world.li, "10", "交通费", spent, submit=False))
    assert draft.number is None
    claims = read(engine, world.li, lambda s: {c.id: c for c in expenses.list_claims(s, world.li)})
    assert claims[filed.claim_id].amount == D("88.50") and claims[draft.claim_id].status == "draft"
    with pytest.raises(NotFound):
        run(engine, world.li, lambda s: file_claim(s, world.li, "1", "交通费", spent, customer="NOPE"))
    assert len(read(engine, world.li, lambda s: expenses.list_claims(s, world.li))) == 2  # nothing half-filed


def test_ship_a_delivery_notice(engine, world):
    from crm_tui.services.sales import deliveries

    oid = run(engine, world.clerk, lambda s: confirm_document(s, world.clerk, "order", save_draft(
        s, world.clerk, "order", None, world.c1, [LineInput(world.p1, 4)], {}))).doc_id

    def notice(s):
        nid = deliveries.notice_from_order(s, world.clerk, oid)
        deliveries.confirm_notice(s, world.clerk, nid)
        return nid

    nid = run(engine, world.clerk, notice)
    number = run(engine, world.keeper, lambda s: ship(s, world.keeper, world.w1, notice_id=nid))
    view = read(engine, world.admin, lambda s: deliveries.get_notice(s, world.admin, nid))
    assert number and [ln.remaining for ln in view.lines] == [0]


def test_receive_records_applies_and_reads_back(engine, world):
    from crm_tui.services.sales.actions import receive

    oid = run(engine, world.clerk, lambda s: confirm_document(s, world.clerk, "order", save_draft(
        s, world.clerk, "order", None, world.c1, [LineInput(world.p1, 1)], {}))).doc_id  # 113.00
    receipt = run(engine, world.clerk, lambda s: receive(s, world.clerk, world.c1, "200", order_id=oid,
                                                         method="现金"))
    assert receipt.number and receipt.amount_cny == D("200.00")
    assert (receipt.applied, receipt.unapplied) == (D("113.00"), D("87.00"))
