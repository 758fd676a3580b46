"""Visibility: a salesperson sees only their own (and subordinates', shared) customers' documents on every read
path — lists, details, look-ups by number, reports, statements and printing."""

from datetime import date, timedelta

import pytest

from crm_tui.core.errors import PermissionDenied
from crm_tui.services.sales import (
    approvals,
    deliveries,
    expenses,
    invoices,
    orders,
    quotes,
    receipts,
    receivables,
)
from crm_tui.services.sales import printing as sales_print
from crm_tui.services.sales import reports as sales_reports
from crm_tui.services.sales import stock_outs as outs
from crm_tui.services.sales.pricing import LineInput

TODAY = date.today()
MONTH_AGO = TODAY - timedelta(days=30)


@pytest.fixture
def books(world, tx):
    """For each of c1 (li's) and c2 (zhao's): a quote, an order shipped half with a notice and a stock-out
    (tracked), a receipt, an invoice and an expense claim. Returns {customer id: {kind: id}}."""
    made = {}
    for customer, owner in ((world.c1, world.li), (world.c2, world.zhao)):
        ids = {}
        with tx(world.clerk) as s:
            ids["quote"] = quotes.create_quote(s, world.clerk, customer, [LineInput(world.p1, 1)])
            ids["quote_number"] = quotes.confirm_quote(s, world.clerk, ids["quote"])
            ids["order"] = orders.create_order(s, world.clerk, customer, [LineInput(world.p1, 4)],
                                               external_ref=f"REF-{customer}")
            orders.confirm_order(s, world.clerk, ids["order"])
            line = orders.get_order(s, world.clerk, ids["order"]).lines[0].id
            ids["notice"] = deliveries.notice_from_order(s, world.clerk, ids["order"], {line: 2}, warehouse_id=world.w1)
            deliveries.confirm_notice(s, world.clerk, ids["notice"])
            ids["out"] = outs.from_notice(s, world.clerk, ids["notice"])
            ids["out_number"] = outs.confirm_stock_out(s, world.clerk, ids["out"], tracking=[("顺丰", f"SF{customer}")])
            ids["receipt"] = receipts.record_receipt(s, world.clerk, customer, "100", order_id=ids["order"])
            ids["invoice"] = invoices.record_invoice(s, world.clerk, f"INV{customer}", "100", order_id=ids["order"])
            ids["order_number"] = orders.get_order(s, world.clerk, ids["order"]).number
        with tx(owner) as s:
            ids["claim"] = expenses.create_claim(s, owner, "50", "交通费", TODAY, customer_id=customer)
            expenses.submit_claim(s, owner, ids["claim"])
        made[customer] = ids
    return made


def _customers_seen(rd, actor):
    """Customer codes found on every list and report the actor can open."""
    with rd(actor) as s:
        seen = {
            "quotes": {r.customer_code for r in quotes.list_quotes(s, actor)},
            "orders": {r.customer_code for r in orders.list_orders(s, actor)},
            "notices": {r.customer_code for r in deliveries.list_notices(s, actor)},
            "stock_outs": {r.customer_code for r in outs.list_stock_outs(s, actor)},
            "tracking": {r.customer_code for r in outs.find_tracking(s, actor)},
            "receipts": {r.customer_code for r in receipts.list_receipts(s, actor)},
            "invoices": {r.customer_code for r in invoices.list_invoices(s, actor)},
            # (K003, li's, also shows: it has an opening balance and no documents)
            "receivables": {r.customer_code for r in receivables.receivables(s, actor) if r.billed},
            "unshipped": {r.customer_code for r in sales_reports.unshipped(s, actor)},
            "uninvoiced": {r.customer_code for r in sales_reports.invoices_outstanding(s, actor)},
            "sales": {r.key for r in sales_reports.sales_summary(s, actor, MONTH_AGO, TODAY, by="customer")},
            "expenses": {r.key for r in sales_reports.expense_summary(s, actor, MONTH_AGO, TODAY, by="customer")},
        }
    return seen


def test_every_list_and_report_shows_only_visible_customers(world, books, rd):
    everything = {"K001", "K002"}
    for actor, expected in ((world.li, {"K001"}), (world.zhao, {"K002"}), (world.manager, {"K001"}),
                            (world.clerk, everything), (world.admin, everything)):
        seen = _customers_seen(rd, actor)
        for path, codes in seen.items():
            assert codes == expected, (actor.login, path, codes)


def test_the_warehouse_sees_what_it_ships_and_no_money(world, books, rd):
    seen = _customers_seen(rd, world.keeper)
    for path in ("notices", "stock_outs", "tracking", "unshipped"):
        assert seen[path] == {"K001", "K002"}, path
    for path in ("quotes", "orders", "receipts", "invoices", "receivables", "sales", "uninvoiced", "expenses"):
        assert seen[path] == set(), path


def test_details_and_lookups_refuse_other_peoples_documents(world, books, rd):
    theirs = books[world.c2]
    calls = [
        lambda s, a: quotes.get_quote(s, a, theirs["quote"]),
        lambda s, a: quotes.find_quote(s, a, theirs["quote_number"]),
        lambda s, a: orders.get_order(s, a, theirs["order"]),
        lambda s, a: orders.find_order(s, a, theirs["order_number"]),
        lambda s, a: orders.find_order(s, a, f"REF-{world.c2}"),
        lambda s, a: deliveries.get_notice(s, a, theirs["notice"]),
        lambda s, a: outs.get_stock_out(s, a, theirs["out"]),
        lambda s, a: receipts.get_receipt(s, a, theirs["receipt"]),
        lambda s, a: invoices.find_invoice(s, a, f"INV{world.c2}"),
        lambda s, a: expenses.find_claim(s, a, str(theirs["claim"])),
        lambda s, a: receivables.statement(s, a, world.c2, MONTH_AGO, TODAY),
        lambda s, a: receivables.customer_balance(s, a, world.c2),
        lambda s, a: sales_print.quote_for_print(s, a, theirs["quote_number"]),
        lambda s, a: sales_print.order_for_print(s, a, theirs["order_number"]),
        lambda s, a: sales_print.delivery_for_print(s, a, theirs["out_number"]),
        lambda s, a: sales_print.statement_for_print(s, a, "K002", MONTH_AGO, TODAY),
    ]
    from crm_tui.core.errors import NotFound

    for call in calls:
        with rd(world.li) as s:
            with pytest.raises((PermissionDenied, NotFound)):
                call(s, world.li)
        with rd(world.zhao) as s:
            assert call(s, world.zhao) is not None  # the same call works for the customer's salesperson


def test_own_documents_print_for_their_salesperson(world, books, rd):
    mine = books[world.c1]
    with rd(world.li) as s:
        assert sales_print.order_for_print(s, world.li, f"REF-{world.c1}").number == mine["order_number"]
        assert sales_print.delivery_for_print(s, world.li, mine["out_number"]).lines[0].quantity == 2
        assert sales_print.statement_for_print(s, world.li, "K001", MONTH_AGO, TODAY).party.code == "K001"


def test_shared_customers_become_visible(world, books, tx, rd):
    from crm_tui.db.models.customers import CustomerShare

    with tx() as s:
        s.add(CustomerShare(customer_id=world.c2, user_id=world.li.id, shared_by_id=world.admin.id))
    seen = _customers_seen(rd, world.li)
    assert seen["orders"] == {"K001", "K002"} and seen["receivables"] == {"K001", "K002"}
    assert seen["expenses"] == {"K001"}  # claims follow their claimant, not the customer


def test_approval_queue_is_the_managers_people_only(world, books, rd):
    with rd(world.manager) as s:
        assert {a.requested_by for a in approvals.queue(s, world.manager)} == {"李业务"}
    with rd(world.admin) as s:
        assert {a.requested_by for a in approvals.queue(s, world.admin)} == {"李业务", "赵业务"}


def test_a_customer_one_may_not_see_is_answered_as_a_missing_one(world, tx, rd):
    """Every path that takes a customer id answers 'No such customer' for a colleague's customer, as for an
    id nobody has: the answer does not tell that the customer exists (nor its code)."""
    from crm_tui.core.errors import NotFound

    calls = [
        lambda s, a, c: expenses.create_claim(s, a, "50", "交通费", TODAY, customer_id=c),
        lambda s, a, c: receivables.statement(s, a, c, MONTH_AGO, TODAY),
        lambda s, a, c: receivables.customer_balance(s, a, c),
        lambda s, a, c: orders.create_order(s, a, c, [LineInput(world.p1, 1)]),
        lambda s, a, c: quotes.create_quote(s, a, c, [LineInput(world.p1, 1)]),
    ]
    nobody = 999_999
    for call in calls:
        answers = []
        for customer in (world.c2, nobody):
            with pytest.raises(NotFound) as err, tx(world.li) as s:
                call(s, world.li, customer)
            answers.append(str(err.value).replace(str(customer), "?"))
        assert answers == ["No such customer: ?"] * 2
