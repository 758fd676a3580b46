"""The purchase chain: suppliers, inquiries, orders with approval, partial receipts, payments, input invoices
and payables."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from crm_tui.core.errors import ConflictError, PermissionDenied, StateError, ValidationError
from crm_tui.services.purchasing import inquiries as inq
from crm_tui.services.purchasing import orders as po
from crm_tui.services.purchasing import payables as pay
from crm_tui.services.purchasing import receipts as pr
from crm_tui.services.purchasing import suppliers as sup
from crm_tui.services.purchasing.orders import OrderLineInput

from .helpers import assert_ledger_consistent, balances, qty


@pytest.fixture
def supplier(tx, admin):
    with tx() as s:
        return sup.add_supplier(s, admin, code="S001", name="山东景芝酒业股份有限公司", opening_balance="1000",
                                contacts=[{"name": "王经理", "mobile": "13800138000"}, {"name": "李会计"}])


def order(tx, admin, supplier, lines, **kw):
    with tx() as s:
        return po.create_order(s, admin, supplier, lines, **kw)


def submit(tx, actor, order_id):
    with tx(actor) as s:
        return po.submit(s, actor, order_id)


def test_supplier_with_contacts_and_search(engine, admin, tx, supplier):
    with tx() as s:
        row = sup.get_supplier(s, supplier)
        contacts = sup.list_contacts(s, supplier)
        found = [r.code for r in sup.search_suppliers(s, "jzjy")]
        by_mobile = [r.code for r in sup.search_suppliers(s, "138001")]
    assert (row.primary_contact, row.primary_mobile) == ("王经理", "13800138000")
    assert [(c.name, c.is_primary) for c in contacts] == [("王经理", True), ("李会计", False)]
    assert found == ["S001"] and by_mobile == ["S001"]
    with pytest.raises(ConflictError), tx() as s:
        sup.add_supplier(s, admin, code="S001", name="重复")


def test_order_lines_priced_net_or_gross_and_totals(engine, admin, world, tx, supplier):
    oid = order(tx, admin, supplier, [OrderLineInput(world["p1"], D("3"), price=D("33.33")),
                                      OrderLineInput(world["p2"], D("2"), price_gross=D("1499"))])
    with tx() as s:
        view = po.get_order(s, oid)
    l1, l2 = view.lines
    assert (l1.amount_net, l1.tax, l1.amount_gross) == (D("99.99"), D("13.00"), D("112.99"))
    assert (l2.amount_gross, l2.amount_net, l2.tax) == (D("2998.00"), D("2653.10"), D("344.90"))
    assert l2.price == D("1326.55")  # 1499 / 1.13
    assert view.amount_gross == l1.amount_gross + l2.amount_gross == D("3110.99")
    assert (view.status, view.number) == ("draft", None)


def test_order_price_defaults_to_the_last_price_paid(engine, admin, world, tx, supplier):
    first = order(tx, admin, supplier, [OrderLineInput(world["p1"], D("1"), price=D("41.5"))])
    submit(tx, admin, first)
    second = order(tx, admin, supplier, [OrderLineInput(world["p1"], D("1"))])
    with tx() as s:
        assert po.get_order(s, second).lines[0].price == D("41.50")
        assert sup.last_price(s, supplier, world["p1"]).source_number == po.get_order(s, first).number
    with pytest.raises(ValidationError, match="give a price"):
        order(tx, admin, supplier, [OrderLineInput(world["p3"], D("1"))])  # no purchase price, never bought


def test_approval_above_the_amount_in_settings(engine, admin, world, tx, supplier, make_user):
    from crm_tui.config import update_settings

    update_settings("purchasing", approval_amount="1000.00")
    clerk = make_user("jiangtao", "clerk")
    boss = make_user("zhaogang", "manager")
    small = order(tx, admin, supplier, [OrderLineInput(world["p1"], D("10"), price_gross=D("100"))])  # 1000.00
    big = order(tx, admin, supplier, [OrderLineInput(world["p1"], D("10"), price_gross=D("100.01"))])
    assert submit(tx, clerk, small) == "confirmed"
    assert submit(tx, clerk, big) == "pending_approval"
    with tx() as s:
        assert po.get_order(s, big).number is None
    with pytest.raises(PermissionDenied), tx(clerk) as s:
        po.approve(s, clerk, big)
    with pytest.raises(StateError), tx() as s:
        pr.create_receipt(s, admin, big, warehouse_id=world["w1"])  # not approved: nothing can arrive
    with tx(boss) as s:
        number = po.approve(s, boss, big)
    assert number.startswith("PO")
    with pytest.raises(StateError), tx(boss) as s:
        po.approve(s, boss, big)


def test_rejected_order_goes_back_to_draft(engine, admin, world, tx, supplier):
    from crm_tui.config import update_settings

    update_settings("purchasing", approval_amount="0")
    oid = order(tx, admin, supplier, [OrderLineInput(world["p1"], D("1"), price=D("1"))])
    submit(tx, admin, oid)
    with tx() as s:
        po.reject(s, admin, oid, "价格太高")
        view = po.get_order(s, oid)
    assert view.status == "draft" and "价格太高" in view.remarks


def test_partial_receipts_until_done(engine, admin, world, tx, supplier):
    w = world["w1"]
    oid = order(tx, admin, supplier, [OrderLineInput(world["p1"], D("10"), price=D("33.33")),
                                      OrderLineInput(world["p2"], D("3"), price=D("1000"))], warehouse_id=w)
    submit(tx, admin, oid)
    with tx() as s:
        view = po.get_order(s, oid)
        l1, l2 = (ln.id for ln in view.lines)
        assert view.receiving_state == "not_received"
        n1 = pr.receive(s, admin, oid, {l1: "4"})
    assert n1.startswith("CR")
    with tx() as s:
        view = po.get_order(s, oid)
    assert view.receiving_state == "partial" and view.status == "confirmed"
    assert [ln.remaining for ln in view.lines] == [D("6"), D("3")]
    assert qty(engine, w, world["p1"]) == 4
    with pytest.raises(ValidationError, match="more than the 6 still to receive"), tx() as s:
        pr.receive(s, admin, oid, {l1: "7"})
    with tx() as s:
        pr.receive(s, admin, oid, {l1: "3", l2: "3"})
        pr.receive(s, admin, oid)  # the rest: 3 of line 1
        view = po.get_order(s, oid)
        receipts = pr.receipts_of_order(s, oid)
    assert view.status == "done" and view.receiving_state == "received"
    # Receipts add up to the order exactly; the last one of a line takes what rounding left.
    assert sum(r.amount_gross for r in receipts) == view.amount_gross
    assert sum(r.amount_net for r in receipts) == view.amount_net
    assert [r.amount_net for r in receipts] == [D("133.32"), D("3099.99"), D("99.99")]
    # Stock is valued at the net amounts received.
    assert balances(engine)[(w, world["p1"])] == (D("10"), D("333.30"))
    assert_ledger_consistent(engine)
    with pytest.raises(StateError), tx() as s:
        pr.receive(s, admin, oid)


def test_cancelling_a_receipt_puts_the_quantity_back_to_receive(engine, admin, world, tx, supplier):
    oid = order(tx, admin, supplier, [OrderLineInput(world["p1"], D("5"), price=D("10"))], warehouse_id=world["w2"])
    submit(tx, admin, oid)
    with tx() as s:
        rid = pr.create_receipt(s, admin, oid)
        pr.confirm_receipt(s, admin, rid)
        assert po.get_order(s, oid).status == "done"
    with pytest.raises(StateError, match="already confirmed"), tx() as s:
        pr.confirm_receipt(s, admin, rid)
    with tx() as s:
        pr.cancel_receipt(s, admin, rid)
        view = po.get_order(s, oid)
    assert view.status == "confirmed" and view.lines[0].remaining == D("5")
    assert balances(engine)[(world["w2"], world["p1"])] == (D(0), D(0))
    assert_ledger_consistent(engine)


def test_order_with_receipts_cannot_be_cancelled_but_can_be_closed(engine, admin, world, tx, supplier):
    oid = order(tx, admin, supplier, [OrderLineInput(world["p1"], D("5"), price=D("10"))], warehouse_id=world["w1"])
    submit(tx, admin, oid)
    with tx() as s:
        pr.receive(s, admin, oid, {po.get_order(s, oid).lines[0].id: "2"})
    with pytest.raises(StateError, match="close the order"), tx() as s:
        po.cancel(s, admin, oid)
    with tx() as s:
        po.close(s, admin, oid)
        assert po.get_order(s, oid).status == "done"


def test_payment_and_invoice_states_and_payables(engine, admin, world, tx, supplier):
    oid = order(tx, admin, supplier, [OrderLineInput(world["p1"], D("10"), price_gross=D("113"))],
                warehouse_id=world["w1"])  # 1130.00 = 1000.00 + 130.00
    submit(tx, admin, oid)
    with tx() as s:
        line = po.get_order(s, oid).lines[0].id
        pr.receive(s, admin, oid, {line: "4"})  # 452.00 received

    def money():
        with tx() as s:
            return pay.order_money(s, oid)

    m = money()
    assert (m.ordered, m.received, m.invoiced, m.paid) == (D("1130.00"), D("452.00"), 0, 0)
    assert (m.payment_state, m.invoice_state) == ("unpaid", "uninvoiced")
    with tx() as s:
        p1 = pay.record_payment(s, admin, supplier, "¥500", order_id=oid, method="转账")
        pay.record_invoice(s, admin, supplier, "04400123", amount_gross="452", tax_rate=D("0.13"), order_id=oid)
    m = money()
    assert (m.paid, m.invoiced, m.payment_state, m.invoice_state, m.balance) == (
        D("500.00"), D("452.00"), "partial", "partial", D("-48.00"))
    with tx() as s:
        pay.record_payment(s, admin, supplier, "630", order_id=oid)
    assert money().payment_state == "paid"
    with tx() as s:
        pay.record_payment(s, admin, supplier, "0.01", order_id=oid)
    assert money().payment_state == "overpaid"
    with tx() as s:
        pay.cancel_payment(s, admin, p1, "重复录入")
    assert money().paid == D("630.01")
    with tx() as s:
        [row] = pay.payables(s)
    # opening 1000 + received 452 - paid 630.01
    assert (row.opening, row.ordered, row.received, row.invoiced, row.paid, row.balance, row.to_invoice) == (
        D("1000.00"), D("1130.00"), D("452.00"), D("452.00"), D("630.01"), D("821.99"), D("0.00"))
    assert row.as_json()["balance"] == "821.99"


def test_payables_arithmetic_over_several_orders_and_suppliers(engine, admin, world, tx, supplier):
    with tx() as s:
        other = sup.add_supplier(s, admin, code="S002", name="临沂调味品厂")
    orders = []
    for sid, amount in ((supplier, "100"), (supplier, "250.50"), (other, "80")):
        oid = order(tx, admin, sid, [OrderLineInput(world["p3"], D("1"), price_gross=D(amount))],
                    warehouse_id=world["w1"])
        submit(tx, admin, oid)
        orders.append(oid)
    cancelled = order(tx, admin, supplier, [OrderLineInput(world["p3"], D("1"), price_gross=D("999"))])
    with tx() as s:
        po.cancel(s, admin, cancelled)
        pr.receive(s, admin, orders[1])
        pr.receive(s, admin, orders[2])
        pay.record_payment(s, admin, supplier, "50")  # on account, no order
        pay.record_invoice(s, admin, other, "INV-1", amount_net="70.80", tax="9.20", invoice_type="ordinary")
        rows = {r.supplier_code: r for r in pay.payables(s)}
    a, b = rows["S001"], rows["S002"]
    assert (a.ordered, a.received, a.paid, a.balance) == (D("350.50"), D("250.50"), D("50.00"), D("1200.50"))
    assert (b.ordered, b.received, b.invoiced, b.balance, b.to_invoice) == (
        D("80.00"), D("80.00"), D("80.00"), D("80.00"), D("0.00"))


def test_invoice_and_payment_validation(engine, admin, world, tx, supplier):
    with tx() as s:
        other = sup.add_supplier(s, admin, code="S002", name="别家")
    oid = order(tx, admin, supplier, [OrderLineInput(world["p1"], D("1"), price=D("10"))])
    with pytest.raises(StateError, match="confirmed order"), tx() as s:
        pay.record_payment(s, admin, supplier, "1", order_id=oid)  # a draft order
    submit(tx, admin, oid)
    with pytest.raises(ValidationError, match="another supplier"), tx() as s:
        pay.record_payment(s, admin, other, "1", order_id=oid)
    with pytest.raises(ValidationError, match="greater than zero"), tx() as s:
        pay.record_payment(s, admin, supplier, "0")
    with pytest.raises(ValidationError, match="not an amount"), tx() as s:
        pay.record_payment(s, admin, supplier, "十元")
    with pytest.raises(ValidationError, match="is not the total"), tx() as s:
        pay.record_invoice(s, admin, supplier, "A1", amount_net="100", tax="13", amount_gross="114")
    with tx() as s:
        pay.record_invoice(s, admin, supplier, "A1", amount_net="100", tax="13")
    with pytest.raises(ConflictError), tx() as s:
        pay.record_invoice(s, admin, supplier, "A1", amount_net="1", tax="0")
    with pytest.raises(StateError, match="payments or invoices"), tx() as s:
        pay.record_invoice(s, admin, supplier, "A2", amount_net="1", tax="0", order_id=oid)
        po.cancel(s, admin, oid)


def test_inquiry_to_several_suppliers_then_order_from_the_best(engine, admin, world, tx, supplier):
    with tx() as s:
        other = sup.add_supplier(s, admin, code="S002", name="临沂糖酒站")
        iid = inq.create_inquiry(s, admin, [(world["p1"], "100"), (world["p3"], "20")], [supplier, other])
        number = inq.send(s, admin, iid)
        inq.record_quote(s, admin, iid, supplier, world["p1"], price="38")
        inq.record_quote(s, admin, iid, other, world["p1"], price_gross="42.94")  # 38.00 net at 13%
        inq.record_quote(s, admin, iid, other, world["p3"], price="9.9")
        inq.record_quote(s, admin, iid, supplier, world["p1"], price="37.5")  # a better offer replaces it
        table = inq.comparison(s, iid)
    assert number.startswith("XJ")
    assert [(q.product_code, q.supplier_code, q.price, q.best) for q in table] == [
        ("P001", "S001", D("37.50"), True), ("P001", "S002", D("38.00"), False), ("P003", "S002", D("9.90"), True)]
    with pytest.raises(ValidationError, match="not asked"), tx() as s:
        third = sup.add_supplier(s, admin, code="S003", name="第三家")
        inq.record_quote(s, admin, iid, third, world["p1"], price="1")
    with tx() as s:
        oid = inq.order_from_inquiry(s, admin, iid, other, warehouse_id=world["w1"])
        view = po.get_order(s, oid)
    assert view.inquiry_id == iid and [(ln.product_code, ln.quantity, ln.price) for ln in view.lines] == [
        ("P001", D("100"), D("38.00")), ("P003", D("20"), D("9.90"))]


def test_salesperson_cannot_buy(engine, admin, world, tx, supplier, make_user):
    seller = make_user("sunwei", "salesperson")
    with pytest.raises(PermissionDenied), tx(seller) as s:
        po.create_order(s, seller, supplier, [OrderLineInput(world["p1"], D("1"), price=D("1"))])
