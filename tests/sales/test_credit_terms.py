"""Payment terms (账期): due dates of orders and invoices, receivables by due date, the dunning list."""

from datetime import date
from decimal import Decimal as D

import pytest

from crm_tui import config
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.sales import SalesInvoice, SalesOrder
from crm_tui.services.sales import invoices, orders, receipts, terms
from crm_tui.services.sales.pricing import LineInput


@pytest.mark.parametrize(("text", "code"), [("30", "30"), ("30天", "30"), ("M30", "M30"), ("月结30天", "M30"),
                                            ("EOM+45", "M45"), ("月结", "M0"), ("０", "0"), ("", None)])
def test_terms_are_read_in_the_usual_ways(text, code):
    assert terms.parse_terms(text) == code


def test_bad_terms_say_what_is_expected():
    with pytest.raises(ValidationError, match="month-end"):
        terms.parse_terms("下个月")


@pytest.mark.parametrize(("day", "code", "due"), [
    (date(2026, 11, 13), "30", date(2026, 12, 13)),
    (date(2026, 11, 13), "M30", date(2026, 12, 30)),  # 11-30 + 30
    (date(2026, 2, 10), "M0", date(2026, 2, 28)),
    (date(2026, 12, 31), "M15", date(2027, 1, 15)),
    (date(2026, 11, 13), None, date(2026, 11, 13)),
])
def test_due_dates(day, code, due):
    assert terms.due_date(day, code) == due


def _confirmed(tx, actor, customer_id, day, gross, **kw):
    with tx(actor) as s:
        oid = orders.create_order(s, actor, customer_id, [LineInput(_p2(s), 1, gross, "gross")], order_date=day, **kw)
        assert orders.confirm_order(s, actor, oid) == "confirmed"
        return oid


def _p2(s):
    from crm_tui.db.models.products import Product

    return s.query(Product.id).filter(Product.code == "P2").scalar()


def test_orders_and_invoices_get_due_dates_from_customer_or_order_terms(world, tx, rd):
    with tx() as s:
        view = terms.set_terms(s, world.admin, world.c1, terms="月结30天", credit_limit="50,000")
    assert (view.terms, view.credit_limit) == ("M30", D("50000"))
    a = _confirmed(tx, world.li, world.c1, date(2026, 11, 13), "100.00")
    b = _confirmed(tx, world.li, world.c1, date(2026, 11, 13), "100.00", terms="7")
    with tx() as s:
        inv = invoices.record_invoice(s, world.admin, "No.0001", "100.00", order_id=a, invoice_date=date(2026, 12, 2))
    with rd() as s:
        assert s.get(SalesOrder, a).due_date == date(2026, 12, 30)
        assert s.get(SalesOrder, b).due_date == date(2026, 11, 20)
        assert s.get(SalesInvoice, inv).due_date == date(2027, 1, 30)  # the order's terms from the invoice date


def test_free_text_payment_terms_and_the_default(world, tx, rd, crm_home):
    a = _confirmed(tx, world.li, world.c1, date(2026, 11, 1), "100.00", payment_terms="款到发货")
    config.update_settings("credit", default_terms="60")
    b = _confirmed(tx, world.li, world.c1, date(2026, 11, 1), "100.00")
    with rd() as s:
        assert (s.get(SalesOrder, a).due_date, s.get(SalesOrder, b).due_date) == (date(2026, 11, 1),
                                                                                   date(2026, 12, 31))


def test_receivables_by_due_date_and_the_dunning_list(world, tx, rd):
    with tx() as s:
        terms.set_terms(s, world.admin, world.c1, terms="30")
    _confirmed(tx, world.li, world.c1, date(2026, 9, 1), "1000.00")  # due 10-01: 60 days late on 11-30
    _confirmed(tx, world.li, world.c1, date(2026, 10, 20), "500.00")  # due 11-19: 11 days late
    _confirmed(tx, world.li, world.c1, date(2026, 11, 20), "300.00")  # due 12-20: not yet due
    _confirmed(tx, world.zhao, world.c2, date(2026, 11, 20), "300.00")  # zhao's customer
    with tx(world.clerk) as s:  # pays the oldest debt in part
        receipts.record_receipt(s, world.clerk, world.c1, "400.00", received_on=date(2026, 11, 1))
    as_of = date(2026, 11, 30)
    with rd() as s:
        rows = {r.customer_code: r for r in terms.receivables_by_due_date(s, world.li, as_of)}
        items = terms.open_items(s, world.li, as_of)
        dunning = terms.reminders(s, world.li, as_of)
        assert terms.reminders(s, world.li, as_of, min_level=4) == []
    assert set(rows) == {"K001", "K003"}  # li's customers with a balance (K003: its opening balance)
    assert rows["K001"].buckets == (D("300.00"), D("500.00"), D("600.00"), D(0), D(0))
    assert rows["K001"].balance == D("1400.00") and rows["K001"].overdue == D("1100.00")
    k1 = [(it.due_date, it.open_amount, it.days_overdue, it.level) for it in items if it.customer_code == "K001"]
    assert k1 == [(date(2026, 10, 1), D("600.00"), 60, 3), (date(2026, 11, 19), D("500.00"), 11, 1),
                  (date(2026, 12, 20), D("300.00"), 0, 0)]
    # highest level first, then the larger amount overdue
    assert [(r.customer_code, r.level, r.overdue) for r in dunning] == [("K001", 3, D("1100.00")),
                                                                         ("K003", 3, D("1000.00"))]
