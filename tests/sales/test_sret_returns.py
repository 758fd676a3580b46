"""Sales returns: partial quantities back at the cost they left with, the customer credited everywhere the
receivables are counted, over-returns refused naming the line, cancellation restoring everything; red-letter
invoices within what the original has left."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from crm_tui.core import clock
from crm_tui.core.errors import PermissionDenied, StateError, ValidationError
from crm_tui.db.models.stock import StockBalance
from crm_tui.db.models.system import AuditEntry
from crm_tui.services.analysis import dashboard
from crm_tui.services.sales import credit, invoices, orders, receivables, returns
from crm_tui.services.sales import red_invoices as reds
from crm_tui.services.sales.actions import ship
from crm_tui.services.sales.pricing import LineInput
from crm_tui.services.stock import documents as stock_documents
from crm_tui.services.stock.documents import LineInput as StockLine
from crm_tui.services.stock.ledger import on_hand

DAY = date(2026, 12, 1)


def _balance(s, w, p):
    b = s.scalar(select(StockBalance).where(StockBalance.warehouse_id == w, StockBalance.product_id == p))
    return b.quantity, b.value


def _stock_in(tx, world, qty, cost):
    with tx() as s:
        doc = stock_documents.create_document(s, world.admin, "stock_in", world.w1,
                                              lines=[StockLine(world.p1, D(qty), unit_cost=D(cost))])
        stock_documents.confirm(s, world.admin, doc)


@pytest.fixture
def shipped(tx, world):
    """li's customer c1 ordered 10 P1 at 113.00 and 5 P2 at 10.00; all shipped from WH1 at an odd average cost."""
    _stock_in(tx, world, 3, "61")  # WH1 P1: 103 at 6,183.00
    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 10, "113", "gross"),
                                                             LineInput(world.p2, 5)], order_date=DAY)
        orders.confirm_order(s, world.clerk, oid)
        number = ship(s, world.clerk, world.w1, order_ids=[oid])
        out_id = returns.docs.find_id(s, returns.SalesStockOut, number)
    return oid, out_id


def _lines(s, world, out_id):
    return {rl.product_code: rl for rl in returns.returnable(s, world.admin, out_id)}


def test_partial_returns_come_back_at_the_cost_they_left_with(engine, world, tx, rd, shipped):
    _oid, out_id = shipped
    with rd() as s:
        lines = _lines(s, world, out_id)
        assert (lines["P1"].shipped, lines["P1"].left) == (10, 10)
        assert _balance(s, world.w1, world.p1) == (D(93), D("6183.00") - D("600.29"))
    _stock_in(tx, world, 7, "90")  # the average moves on: the return must not use it
    with tx(world.clerk) as s:
        rid = returns.create_return(s, world.clerk, out_id, {lines["P1"].stock_out_line_id: "3"}, reason="破损")
        returns.confirm_return(s, world.clerk, rid)
    with rd() as s:
        view = returns.get_return(s, world.admin, rid)
        assert view.status == "confirmed" and view.number.startswith("XT")
        assert [(ln.product_code, ln.quantity, ln.cost_amount, ln.gross_amount) for ln in view.lines] == \
            [("P1", 3, D("180.09"), D("339.00"))]
        assert (view.net_total, view.tax_total, view.gross_total) == (D("300.00"), D("39.00"), D("339.00"))
        assert _balance(s, world.w1, world.p1) == (D(103), D("5582.71") + D("630.00") + D("180.09"))
        assert _lines(s, world, out_id)["P1"].left == 7
    with tx(world.clerk) as s:  # the rest: the last units take exactly what is left of the cost and the amounts
        rid2 = returns.create_return(s, world.clerk, out_id, {lines["P1"].stock_out_line_id: "7"})
        returns.confirm_return(s, world.clerk, rid2)
    with rd() as s:
        second = returns.get_return(s, world.admin, rid2)
        assert second.lines[0].cost_amount == D("420.20") and second.gross_total == D("791.00")
        assert _balance(s, world.w1, world.p1) == (D(110), D("5582.71") + D("630.00") + D("600.29"))
        audited = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "sales_returns",
                                                            AuditEntry.entity_id == str(rid2))).all()
        assert "create" in audited and "update" in audited  # created, then confirmed


def test_more_than_shipped_minus_returned_is_refused_naming_the_line(engine, world, tx, rd, shipped):
    _oid, out_id = shipped
    with rd() as s:
        p1 = _lines(s, world, out_id)["P1"].stock_out_line_id
    with pytest.raises(ValidationError) as err, tx(world.clerk) as s:
        returns.create_return(s, world.clerk, out_id, {p1: "11"})
    assert "P1" in err.value.message and "10" in err.value.message
    with tx(world.clerk) as s:  # two drafts of 6: each fits alone, the second no longer at its confirmation
        first = returns.create_return(s, world.clerk, out_id, {p1: "6"})
        second = returns.create_return(s, world.clerk, out_id, {p1: "6"})
        returns.confirm_return(s, world.clerk, first)
    with pytest.raises(ValidationError) as err, tx(world.clerk) as s:
        returns.confirm_return(s, world.clerk, second)
    assert "P1" in err.value.message and "4" in err.value.message
    with rd() as s:
        assert on_hand(s, world.w1, world.p1) == D(99)  # 93 + 6, the refused one posted nothing
        assert returns.get_return(s, world.admin, second).status == "draft"


def test_default_draft_takes_everything_returnable(engine, world, tx, rd, shipped):
    _oid, out_id = shipped
    with tx(world.clerk) as s:
        rid = returns.create_return(s, world.clerk, out_id)
    with rd() as s:
        assert [(ln.product_code, ln.quantity) for ln in returns.get_return(s, world.admin, rid).lines] == \
            [("P1", 10), ("P2", 5)]


def test_a_return_credits_the_customer_and_cancelling_restores_everything(engine, world, tx, rd, shipped):
    _oid, out_id = shipped
    with rd() as s:
        before = receivables.customer_balance(s, world.admin, world.c1).balance
        exposure = credit.exposure(s, world.c1)
        stock_before = _balance(s, world.w1, world.p1)
        p1 = _lines(s, world, out_id)["P1"].stock_out_line_id
    with tx(world.clerk) as s:
        rid = returns.create_return(s, world.clerk, out_id, {p1: "4"}, return_date=date(2026, 12, 5))
        returns.confirm_return(s, world.clerk, rid)
    with rd() as s:
        assert receivables.customer_balance(s, world.admin, world.c1).balance == before - D("452.00")
        assert credit.exposure(s, world.c1) == exposure - D("452.00")
        everyone = sum(r.balance for r in receivables.receivables(s, world.admin))
        assert dashboard.receivables_totals(s, world.admin, clock.today())[0] == everyone
        stmt = receivables.statement(s, world.admin, world.c1, DAY, date(2026, 12, 31))
        assert [(ln.kind, ln.credit) for ln in stmt.lines if ln.kind == "return"] == [("return", D("452.00"))]
        assert stmt.closing == before - D("452.00")
    with tx(world.clerk) as s:
        returns.cancel_return(s, world.clerk, rid, "录错")
    with rd() as s:
        assert receivables.customer_balance(s, world.admin, world.c1).balance == before
        assert credit.exposure(s, world.c1) == exposure
        assert _balance(s, world.w1, world.p1) == stock_before
        assert _lines(s, world, out_id)["P1"].left == 10
    with pytest.raises(StateError), tx(world.clerk) as s:
        returns.cancel_return(s, world.clerk, rid)
    from crm_tui.services.common.checks import run_checks

    problems = {name: found for name, found in run_checks(engine).items() if found}
    assert problems == {}  # crm db check: the ledger, the totals and the returned quantities agree


def test_a_salesperson_sees_only_own_customers_returns(engine, world, tx, rd, shipped):
    _oid, out_id = shipped
    with tx(world.clerk) as s:
        rid = returns.create_return(s, world.clerk, out_id)
    with rd() as s:
        assert [r.id for r in returns.list_returns(s, world.li)] == [rid]
        assert returns.list_returns(s, world.zhao) == []
        with pytest.raises(PermissionDenied):
            returns.get_return(s, world.zhao, rid)


def test_only_a_confirmed_stock_out_is_returned(engine, world, tx, rd):
    from crm_tui.services.sales import stock_outs as outs

    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p2, 5)])
        orders.confirm_order(s, world.clerk, oid)
        draft = outs.from_orders(s, world.clerk, [oid], world.w1)
    with pytest.raises(StateError), tx(world.clerk) as s:
        returns.create_return(s, world.clerk, draft)


def test_red_invoices_stay_within_what_the_invoice_has_left(engine, world, tx, rd, shipped):
    oid, _out_id = shipped
    with tx(world.clerk) as s:
        inv = invoices.record_invoice(s, world.clerk, "No.001", "1180.00", order_id=oid, tax_rate="13%")
    with pytest.raises(ValidationError) as err, tx(world.clerk) as s:
        reds.record_red(s, world.clerk, inv, "100", "")
    assert err.value.field == "reason"
    with tx(world.clerk) as s:
        first = reds.record_red(s, world.clerk, inv, "452", "退货")
    with pytest.raises(ValidationError) as err, tx(world.clerk) as s:
        reds.record_red(s, world.clerk, inv, "728.01", "再红冲")
    assert "728.00" in err.value.message
    with tx(world.clerk) as s:
        rest = reds.record_red(s, world.clerk, inv, "-728.00", "全部红冲")
    with rd() as s:
        rows = {r.id: r for r in reds.list_reds(s, world.admin, invoice_id=inv)}
        assert rows[first].gross_amount == D("-452.00") and rows[first].number.startswith("HZ")
        assert rows[first].net_amount == D("-400.00") and rows[first].tax_amount == D("-52.00")
        original = s.get(invoices.SalesInvoice, inv)
        assert rows[first].net_amount + rows[rest].net_amount == -original.net_amount  # the rest is exact
        assert invoices.invoiced_total(s, oid) == 0
    with pytest.raises(ValidationError), tx(world.clerk) as s:
        invoices.cancel_invoice(s, world.clerk, inv)  # its red invoices first
    with tx(world.clerk) as s:
        reds.cancel_red(s, world.clerk, rest)
    with rd() as s:
        assert invoices.invoiced_total(s, oid) == D("728.00")


def test_a_stock_out_with_confirmed_returns_is_not_cancelled_before_them(engine, world, tx, rd, shipped):
    from crm_tui.services.sales import stock_outs as outs

    _oid, out_id = shipped
    with tx(world.clerk) as s:
        rid = returns.create_return(s, world.clerk, out_id)
        number = returns.confirm_return(s, world.clerk, rid)
    with pytest.raises(StateError) as err, tx(world.clerk) as s:
        outs.cancel_stock_out(s, world.clerk, out_id)
    assert number in err.value.message
    with tx(world.clerk) as s:
        returns.cancel_return(s, world.clerk, rid)
        outs.cancel_stock_out(s, world.clerk, out_id)
    with rd() as s:
        assert _balance(s, world.w1, world.p1) == (D(103), D("6183.00"))  # as before anything shipped
