"""Receipts (several per order, advances, USD), invoices, expense claims, receivables on both bases, aging,
statements of account."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from crm_tui.core.errors import StateError, ValidationError
from crm_tui.services.sales import approvals, expenses, invoices, orders, receipts, receivables
from crm_tui.services.sales import stock_outs as outs
from crm_tui.services.sales.pricing import LineInput

TODAY = date.today()


def _order(tx, world, lines, customer=None, day=None):
    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, customer or world.c1, lines, order_date=day)
        orders.confirm_order(s, world.clerk, oid)
    return oid


def test_several_receipts_per_order_and_an_advance_applied_later(world, tx, rd):
    oid = _order(tx, world, [LineInput(world.p1, 10)])  # 1,130.00
    with tx(world.clerk) as s:
        bank = receipts.add_account(s, world.clerk, "临商银行基本户", "bank", account_no="6228 0001")
        r1 = receipts.record_receipt(s, world.clerk, world.c1, "500", order_id=oid, account_id=bank, method="银行转账")
        r2 = receipts.record_receipt(s, world.clerk, world.c1, "¥300.00", order_id=oid, fee="5.00")
        advance = receipts.record_receipt(s, world.clerk, world.c1, "1,000.00", method="微信")
    with rd() as s:
        view = orders.get_order(s, world.admin, oid)
        assert view.progress.paid == D("800.00") and view.progress.unpaid == D("330.00")
        assert receipts.get_receipt(s, world.admin, r2).fee == D("5.00")
        assert [r.id for r in receipts.list_receipts(s, world.admin, advances_only=True)] == [advance]
    with tx(world.clerk) as s:
        applied = receipts.apply_receipt(s, world.clerk, advance, oid)  # as much as the order still owes
    assert applied == D("330.00")
    with rd() as s:
        adv = receipts.get_receipt(s, world.admin, advance)
        assert adv.unapplied == D("670.00") and adv.applications == [(view.number, D("330.00"))]
        assert orders.get_order(s, world.admin, oid).progress.paid == D("1130.00")
    with pytest.raises(ValidationError, match="owes 0.00"), tx(world.clerk) as s:
        receipts.apply_receipt(s, world.clerk, advance, oid, "10")
    with pytest.raises(StateError, match="owes nothing"), tx(world.clerk) as s:
        receipts.apply_receipt(s, world.clerk, advance, oid)  # "as much as possible" of nothing: refused, not 0.00
    with tx(world.clerk) as s:
        receipts.cancel_receipt(s, world.clerk, r1, "退回")
    with rd() as s:
        assert orders.get_order(s, world.admin, oid).progress.paid == D("630.00")
        assert receivables.customer_balance(s, world.admin, world.c1).received == D("1300.00")
    assert r1 != r2


def test_receipt_in_usd(world, tx, rd):
    oid = _order(tx, world, [LineInput(world.p1, 100)])  # 11,300.00
    with tx(world.clerk) as s:
        rid = receipts.record_receipt(s, world.clerk, world.c1, "1000.15", currency="USD", rate="7.1",
                                      order_id=oid)
    with rd() as s:
        r = receipts.get_receipt(s, world.admin, rid)
        bal = receivables.customer_balance(s, world.admin, world.c1)
    # 1,000.15 × 7.1 = 7,101.065 -> 7,101.07 half-up (banker's rounding would give 7,101.06)
    assert (r.currency, r.amount, r.rate, r.amount_cny) == ("USD", D("1000.15"), D("7.1"), D("7101.07"))
    assert r.applied == D("7101.07") and bal.received == D("7101.07")
    assert bal.balance == D("11300.00") - D("7101.07")
    with pytest.raises(ValidationError, match="exchange rate"), tx(world.clerk) as s:
        receipts.record_receipt(s, world.clerk, world.c1, "100", currency="USD")
    with pytest.raises(ValidationError, match="no exchange rate"), tx(world.clerk) as s:
        receipts.record_receipt(s, world.clerk, world.c1, "100", currency="CNY", rate="7.1")
    with pytest.raises(ValidationError, match="currency"), tx(world.clerk) as s:
        receipts.record_receipt(s, world.clerk, world.c1, "100", currency="dollars", rate="7.1")


def test_invoices_several_per_order_never_beyond_its_total(world, tx, rd):
    from crm_tui.services.sales.reports import invoices_outstanding

    oid = _order(tx, world, [LineInput(world.p1, 10)])  # 1,130.00 at 13%
    with tx(world.clerk) as s:
        first = invoices.record_invoice(s, world.clerk, "04400001", "565.00", order_id=oid, kind="special")
        invoices.record_invoice(s, world.clerk, "04400002", "500.00", order_id=oid, kind="ordinary")
    with rd() as s:
        rows = invoices.list_invoices(s, world.admin, order_id=oid)
        outstanding = invoices_outstanding(s, world.admin)
        assert orders.get_order(s, world.admin, oid).progress.invoiced == D("1065.00")
    inv = next(r for r in rows if r.id == first)
    assert (inv.net_amount, inv.tax_amount, inv.tax_rate) == (D("500.00"), D("65.00"), D("0.13"))
    assert [(r.gross_total, r.invoiced, r.uninvoiced) for r in outstanding] == [(D("1130.00"), D("1065.00"), D("65.00"))]
    with pytest.raises(ValidationError, match="65.00 left to invoice"), tx(world.clerk) as s:
        invoices.record_invoice(s, world.clerk, "04400003", "100.00", order_id=oid)
    with pytest.raises(ValidationError, match="already recorded"), tx(world.clerk) as s:
        invoices.record_invoice(s, world.clerk, "04400001", "10.00", order_id=oid)
    with tx(world.clerk) as s:
        invoices.cancel_invoice(s, world.clerk, first, "开错")
        invoices.record_invoice(s, world.clerk, "04400004", "630.00", order_id=oid)


def test_expense_validity_and_approval(world, tx, rd, sales_settings):
    with tx(world.li) as s:
        old = expenses.create_claim(s, world.li, "300", "差旅费", TODAY - timedelta(days=61), customer_id=world.c1)
        fresh = expenses.create_claim(s, world.li, "120.50", "招待费", TODAY - timedelta(days=3), customer_id=world.c1,
                                      description="请客户吃饭")
    with pytest.raises(ValidationError, match="within 60 days"), tx(world.li) as s:
        expenses.submit_claim(s, world.li, old)
    sales_settings(expense_validity_days=90)
    with tx(world.li) as s:
        expenses.submit_claim(s, world.li, old)
        number = expenses.submit_claim(s, world.li, fresh)
    assert number.startswith("FY")
    with rd() as s:
        queue = approvals.queue(s, world.manager, kind="expense")
        assert {a.doc_id for a in queue} == {old, fresh}
        assert expenses.list_claims(s, world.zhao) == []  # not his, not his people's
    by_doc = {a.doc_id: a.id for a in queue}
    with tx(world.manager) as s:
        approvals.approve(s, world.manager, by_doc[fresh])
        approvals.reject(s, world.manager, by_doc[old], "超期太久")
    with rd() as s:
        claims = {c.id: c for c in expenses.list_claims(s, world.li)}
    assert claims[fresh].status == "approved" and claims[old].status == "rejected"
    assert claims[old].decision_comment == "超期太久"


def test_expense_analysis_per_salesperson_and_customer(world, tx, rd):
    from crm_tui.services.sales.reports import expense_summary

    for actor, amount, customer in ((world.li, "100", world.c1), (world.li, "50", world.c3),
                                    (world.zhao, "80", world.c2)):
        with tx(actor) as s:
            cid = expenses.create_claim(s, actor, amount, "交通费", TODAY, customer_id=customer)
            expenses.submit_claim(s, actor, cid)
    with rd() as s:
        for a in approvals.queue(s, world.admin):
            if a.requested_by == "李业务":
                with tx() as w:
                    approvals.approve(w, world.admin, a.id)
    with rd() as s:
        by_person = {r.name: (r.approved, r.pending) for r in expense_summary(s, world.admin, TODAY, TODAY)}
        by_customer = {r.key: r.approved + r.pending for r in
                       expense_summary(s, world.manager, TODAY, TODAY, by="customer")}
    assert by_person == {"李业务": (D("150.00"), D(0)), "赵业务": (D(0), D("80.00"))}
    assert by_customer == {"K001": D("100.00"), "K003": D("50.00")}  # the manager sees li's, not zhao's


def test_receivables_on_both_bases_with_aging(world, tx, rd, sales_settings):
    as_of = TODAY
    old = _order(tx, world, [LineInput(world.p1, 10)], day=as_of - timedelta(days=100))  # 1,130.00, >90 days
    mid = _order(tx, world, [LineInput(world.p2, 10)], day=as_of - timedelta(days=45))  # 113.00, 31-60
    _new = _order(tx, world, [LineInput(world.p3, 2)], day=as_of - timedelta(days=5))  # 100.00, 0-30
    (line,) = [ln.id for ln in _lines(rd, world, mid)]
    with tx(world.clerk) as s:
        receipts.record_receipt(s, world.clerk, world.c1, "1200.00", received_on=as_of - timedelta(days=20))
        out = outs.create_stock_out(s, world.clerk, world.c1, world.w1, [outs.OutLineInput(line, 10)],
                                    out_date=as_of - timedelta(days=40))
        outs.confirm_stock_out(s, world.clerk, out)
    with rd() as s:
        by_orders = receivables.receivables(s, world.admin, as_of, basis="orders", customer_ids=[world.c1])[0]
        by_outs = receivables.receivables(s, world.admin, as_of, basis="stock_outs", customer_ids=[world.c1])[0]
    assert (by_orders.opening, by_orders.billed, by_orders.received, by_orders.balance) == \
        (D(0), D("1343.00"), D("1200.00"), D("143.00"))
    # receipts paid the oldest first: 100.00 (0-30) and 43.00 of the 113.00 order (31-60) are unpaid
    assert by_orders.aging == (D("100.00"), D("43.00"), D(0), D(0))
    assert (by_outs.billed, by_outs.balance, by_outs.aging) == (D("113.00"), D("-1087.00"), (D(0),) * 4)
    assert by_orders.as_json() == {"customer_code": "K001", "customer_name": "临沂大酒店", "opening": "0.00",
                                   "billed": "1343.00", "received": "1200.00", "balance": "143.00"}
    sales_settings(receivable_basis="stock_outs")
    with rd() as s:
        assert receivables.customer_balance(s, world.admin, world.c1, as_of).billed == D("113.00")
    # as of a day before the oldest order nothing was billed
    with rd() as s:
        before = receivables.receivables(s, world.admin, as_of - timedelta(days=101), basis="orders",
                                         customer_ids=[world.c1])
    assert before == []
    assert old


def _lines(rd, world, oid):
    with rd() as s:
        return orders.get_order(s, world.admin, oid).lines


def test_opening_balance_counts_and_ages(world, tx, rd):
    as_of = date(2026, 6, 30)  # c3 was entered on 2026-01-01 with 1,000.00 owed
    _order(tx, world, [LineInput(world.p2, 10)], customer=world.c3, day=date(2026, 6, 20))  # 113.00
    with tx(world.clerk) as s:
        receipts.record_receipt(s, world.clerk, world.c3, "400", received_on=date(2026, 6, 25))
    with rd() as s:
        r = receivables.receivables(s, world.admin, as_of, customer_ids=[world.c3])[0]
    assert (r.opening, r.billed, r.received, r.balance) == (D("1000.00"), D("113.00"), D("400.00"), D("713.00"))
    assert r.aging == (D("113.00"), D(0), D(0), D("600.00"))
    assert sum(r.aging) == r.balance


def test_statement_of_account(world, tx, rd):
    start, end = date(2026, 3, 1), date(2026, 3, 31)
    _order(tx, world, [LineInput(world.p1, 1)], customer=world.c3, day=date(2026, 2, 10))  # before: 113.00
    o = _order(tx, world, [LineInput(world.p1, 2)], customer=world.c3, day=date(2026, 3, 5))  # 226.00
    with tx(world.clerk) as s:
        receipts.record_receipt(s, world.clerk, world.c3, "100", received_on=date(2026, 3, 10),
                                currency="USD", rate="7.2", method="电汇")
        receipts.record_receipt(s, world.clerk, world.c3, "50", received_on=date(2026, 4, 2))
    with rd() as s:
        st = receivables.statement(s, world.admin, world.c3, start, end)
        number = orders.get_order(s, world.admin, o).number
    assert st.opening == D("1113.00")  # opening balance 1,000.00 + February's order
    assert [(ln.day, ln.kind, ln.number, ln.debit, ln.credit) for ln in st.lines] == [
        (date(2026, 3, 5), "order", number, D("226.00"), D(0)),
        (date(2026, 3, 10), "receipt", st.lines[1].number, D(0), D("720.00"))]
    assert "USD 100.00 × 7.2" in st.lines[1].remark
    assert st.closing == D("619.00") and [b for _ln, b in st.running()] == [D("1339.00"), D("619.00")]


def test_two_clerks_applying_one_advance_at_once_one_is_refused(world, tx, rd, engine):
    """`crm receipts apply` raced: the loser printed "0.00 applied" and exited 0; it is refused now."""
    import threading

    from crm_tui.services.runner import run

    oid = _order(tx, world, [LineInput(world.p1, 10)])  # 1,130.00
    with tx(world.clerk) as s:
        advance = receipts.record_receipt(s, world.clerk, world.c1, "2,000.00")
    start, results = threading.Barrier(2), []

    def clerk() -> None:
        start.wait()
        try:
            results.append(run(engine, world.clerk, lambda s: receipts.apply_receipt(s, world.clerk, advance, oid),
                               write=True))
        except StateError as exc:
            results.append(str(exc))

    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with rd() as s:
        number = orders.get_order(s, world.admin, oid).number
        assert sorted(results, key=str) == sorted([D("1130.00"), f"Order {number} owes nothing; nothing was applied."],
                                                  key=str)
        assert orders.get_order(s, world.admin, oid).progress.paid == D("1130.00")

