"""Purchase returns (采购退货): partial returns at the incoming cost, over-returns refused, the payable debited,
cancellation restoring stock and payable."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from crm_tui.core.errors import PermissionDenied, StateError, ValidationError
from crm_tui.services.purchasing import orders as po
from crm_tui.services.purchasing import payables as pay
from crm_tui.services.purchasing import receipts as pr
from crm_tui.services.purchasing import returns as ret
from crm_tui.services.purchasing import suppliers as sup
from crm_tui.services.purchasing.orders import OrderLineInput

from .helpers import assert_ledger_consistent, balances


@pytest.fixture
def supplier(tx, admin):
    with tx() as s:
        return sup.add_supplier(s, admin, code="S001", name="山东景芝酒业股份有限公司", opening_balance="1000")


@pytest.fixture
def two_receipts(tx, admin, world, supplier):
    """P001 into WH1 twice: 10 at 33.33 (value 333.30), then 10 at 40 (400.00); returns the receipt ids."""
    ids = []
    for price in ("33.33", "40"):
        with tx() as s:
            oid = po.create_order(s, admin, supplier, [OrderLineInput(world["p1"], D("10"), price=D(price))],
                                  warehouse_id=world["w1"])
            po.submit(s, admin, oid)
            pr.receive(s, admin, oid)
            ids.append(pr.receipts_of_order(s, oid)[0].id)
    return ids


def _line(tx, receipt_id):
    with tx() as s:
        return ret.returnable_lines(s, receipt_id)[0].receipt_line_id


def test_partial_return_takes_out_exactly_the_incoming_cost(engine, admin, world, tx, supplier, two_receipts):
    first, _second = two_receipts
    key = (world["w1"], world["p1"])
    assert balances(engine)[key] == (D("20"), D("733.30"))
    line = _line(tx, first)
    with tx() as s:
        rid = ret.create_return(s, admin, first, {line: "3"}, reason="破损")
        draft = ret.get_return(s, rid)
    assert (draft.status, draft.number, draft.cost) == ("draft", None, D("99.99"))
    assert balances(engine)[key] == (D("20"), D("733.30"))  # a draft moves nothing
    with tx() as s:
        number = ret.confirm_return(s, admin, rid)
        view = ret.get_return(s, rid)
    assert number.startswith("CT")
    # 3 of the 10 that came in at 333.30: 99.99 — not the average of 36.665 a unit.
    assert (view.amount_net, view.tax, view.amount_gross, view.cost) == (D("99.99"), D("13.00"), D("112.99"),
                                                                         D("99.99"))
    assert balances(engine)[key] == (D("17"), D("633.31"))
    with tx() as s:  # the rest of the receipt line takes exactly what is left of its value
        ret.return_goods(s, admin, first, {line: "7"})
    assert balances(engine)[key] == (D("10"), D("400.00"))
    assert_ledger_consistent(engine)


def test_more_than_received_less_returned_is_refused(engine, admin, world, tx, supplier, two_receipts):
    first = two_receipts[0]
    line = _line(tx, first)
    with pytest.raises(ValidationError, match="more than the 10"), tx() as s:
        ret.create_return(s, admin, first, {line: "11"})
    with tx() as s:
        ret.return_goods(s, admin, first, {line: "4"})
        assert ret.returnable_lines(s, first)[0].returnable == D("6")
    with pytest.raises(ValidationError, match="more than the 6"), tx() as s:
        ret.create_return(s, admin, first, {line: "6.5"})
    with tx() as s:  # two drafts of the rest: the second to confirm is refused
        a = ret.create_return(s, admin, first, {line: "6"})
        b = ret.create_return(s, admin, first, {line: "6"})
        ret.confirm_return(s, admin, a)
    with pytest.raises(ValidationError, match="more than the 0"), tx() as s:
        ret.confirm_return(s, admin, b)
    with pytest.raises(ValidationError, match="every quantity is zero"), tx() as s:
        ret.create_return(s, admin, first, {line: "0"})


def test_return_refused_when_stock_is_short(engine, admin, world, tx, supplier, two_receipts):
    from crm_tui.services.stock import documents as docs

    first = two_receipts[0]
    with tx() as s:  # 18 of the 20 leave by another way
        did = docs.create_document(s, admin, "stock_out", world["w1"], lines=[docs.LineInput(world["p1"], D("18"))])
        docs.confirm(s, admin, did)
    line = _line(tx, first)
    with pytest.raises(ValidationError, match="only 2 on hand"), tx() as s:
        ret.create_return(s, admin, first, {line: "3"})


def test_payable_drops_by_the_return_and_cancel_restores_everything(engine, admin, world, tx, supplier,
                                                                     two_receipts):
    first = two_receipts[0]
    line = _line(tx, first)
    with tx() as s:
        before = pay.payables(s, supplier)[0]
        order_id = s.get(pr.PurchaseReceipt, first).order_id
        order_before = pay.order_money(s, order_id)
        rid = ret.create_return(s, admin, first, {line: "3"})
        ret.confirm_return(s, admin, rid)
        after = pay.payables(s, supplier)[0]
        order_after = pay.order_money(s, order_id)
    assert before.balance - after.balance == D("112.99")
    assert after.returned == D("112.99") and after.as_json()["returned"] == "112.99"
    assert order_before.balance - order_after.balance == D("112.99")
    with pytest.raises(StateError, match="cancel them first"), tx() as s:
        pr.cancel_receipt(s, admin, first)
    with tx() as s:
        ret.cancel_return(s, admin, rid)
        restored = pay.payables(s, supplier)[0]
    assert restored.balance == before.balance and restored.returned == 0
    assert balances(engine)[(world["w1"], world["p1"])] == (D("20"), D("733.30"))
    with pytest.raises(StateError, match="already cancelled"), tx() as s:
        ret.cancel_return(s, admin, rid)
    with tx() as s:  # what the cancelled return took may go back again
        assert ret.returnable_lines(s, first)[0].returnable == D("10")
    assert_ledger_consistent(engine)


def test_only_confirmed_receipts_and_the_receipt_right(engine, admin, world, tx, supplier, make_user):
    with tx() as s:
        oid = po.create_order(s, admin, supplier, [OrderLineInput(world["p1"], D("5"), price=D("10"))],
                              warehouse_id=world["w1"])
        po.submit(s, admin, oid)
        draft_receipt = pr.create_receipt(s, admin, oid)
    with pytest.raises(StateError, match="confirmed purchase receipt"), tx() as s:
        ret.create_return(s, admin, draft_receipt)
    with tx() as s:
        pr.confirm_receipt(s, admin, draft_receipt)
    sales = make_user("xiaoli", "salesperson")
    with pytest.raises(PermissionDenied), tx(sales) as s:
        ret.create_return(s, sales, draft_receipt)


def test_every_change_is_audited(engine, admin, world, tx, supplier, two_receipts):
    from crm_tui.db.models.system import AuditEntry

    line = _line(tx, two_receipts[0])
    with tx() as s:
        rid = ret.return_goods(s, admin, two_receipts[0], {line: "1"})
    with tx() as s:
        rid = ret.find_return(s, rid).id
        ret.cancel_return(s, admin, rid)
        rows = s.execute(select(AuditEntry.entity, AuditEntry.action).where(
            AuditEntry.entity.in_(("purchase_returns", "purchase_return_lines")))).all()
    assert ("purchase_returns", "create") in rows and ("purchase_return_lines", "create") in rows
    assert sum(1 for t, a in rows if (t, a) == ("purchase_returns", "update")) >= 2  # confirm, cancel


def test_list_and_default_lines(engine, admin, world, tx, supplier, two_receipts):
    with tx() as s:
        rid = ret.create_return(s, admin, two_receipts[1], reason="质量问题")  # all that is returnable
        view = ret.get_return(s, rid)
        rows = ret.list_returns(s, supplier_id=supplier, status="draft")
        none = ret.list_returns(s, text="no such")
    assert [ln.quantity for ln in view.lines] == [D("10")]
    assert view.amount_net == D("400.00") and view.lines[0].unit_price == D("40.00")
    assert [r.id for r in rows] == [rid] and rows[0].reason == "质量问题" and none == []


def test_db_check_catches_a_return_larger_than_its_receipt_line(engine, admin, world, tx, supplier, two_receipts):
    from sqlalchemy import text

    from crm_tui.services.common.checks import run_checks

    line = _line(tx, two_receipts[0])
    with tx() as s:
        ret.return_goods(s, admin, two_receipts[0], {line: "2"})
    assert not any(run_checks(engine).values())
    with tx() as s:
        s.execute(text("UPDATE purchase_return_lines SET quantity = 990000"))  # 99 units
    problems = [p for found in run_checks(engine).values() for p in found]
    assert any("returns take" in p for p in problems)
