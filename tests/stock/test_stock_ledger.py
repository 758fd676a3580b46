"""The stock ledger: every kind of document, moving-average costing, cancellation by exact reversal,
negative stock, double confirmation and transfers that move everything or nothing."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from crm_tui.core.errors import StateError, ValidationError
from crm_tui.db.models.stock import StockDocument, StockMove
from crm_tui.services.stock import documents as sd
from crm_tui.services.stock.documents import LineInput

from .helpers import assert_ledger_consistent, balances, ledger_sums, qty, value


def receive(tx, admin, w, p, q, cost):
    with tx() as s:
        return sd.quick_document(s, admin, "stock_in", w, p, D(q), unit_cost=D(cost))


def make(tx, admin, kind, w, lines, **kw):
    with tx() as s:
        return sd.create_document(s, admin, kind, w, lines=lines, **kw)


def confirm(tx, admin, doc_id):
    with tx() as s:
        return sd.confirm(s, admin, doc_id)


def cancel(tx, admin, doc_id):
    with tx() as s:
        sd.cancel(s, admin, doc_id, "test")


def moves_of(engine, doc_id):
    from crm_tui.db.session import read_session

    with read_session(engine) as s:
        return s.execute(select(StockMove.warehouse_id, StockMove.product_id, StockMove.quantity, StockMove.amount,
                                StockMove.is_reversal).where(StockMove.doc_id == doc_id)
                         .order_by(StockMove.id)).all()


def test_stock_in_numbers_and_values_the_move(engine, admin, world, tx):
    number = receive(tx, admin, world["w1"], world["p1"], "10", "3.333")
    assert number.startswith("RK") and number.endswith("-0001")
    assert qty(engine, world["w1"], world["p1"]) == D("10")
    assert value(engine, world["w1"], world["p1"]) == D("33.33")  # 33.330 rounded half-up to the fen
    assert_ledger_consistent(engine)


def test_moving_average_and_last_unit_takes_the_rest(engine, admin, world, tx):
    w, p = world["w1"], world["p1"]
    receive(tx, admin, w, p, "3", "10")     # 30.00
    receive(tx, admin, w, p, "3", "10.01")  # 30.03 -> 6 for 60.03, average 10.005
    with tx() as s:
        sd.quick_document(s, admin, "stock_out", w, p, D("1"))
    assert value(engine, w, p) == D("60.03") - D("10.01")  # round(60.03 / 6) = 10.005 -> 10.01
    for _ in range(5):
        with tx() as s:
            sd.quick_document(s, admin, "stock_out", w, p, D("1"))
    # Six units out took exactly the 60.03 that came in: nothing is left over on zero stock.
    assert balances(engine)[(w, p)] == (D(0), D(0))
    outs = [m for m in ledger_sums(engine).values()]
    assert outs == [(D(0), D(0))]
    assert_ledger_consistent(engine)


def test_stock_in_without_cost_uses_average_then_purchase_price(engine, admin, world, tx):
    with tx() as s:
        sd.quick_document(s, admin, "stock_in", world["w1"], world["p1"], D("2"))  # purchase price 40
    assert value(engine, world["w1"], world["p1"]) == D("80.00")
    receive(tx, admin, world["w1"], world["p1"], "2", "50")
    with tx() as s:
        sd.quick_document(s, admin, "stock_in", world["w1"], world["p1"], D("1"))  # at the average, 45
    assert value(engine, world["w1"], world["p1"]) == D("225.00")


@pytest.mark.parametrize("kind", ["stock_out", "requisition", "sample", "loan"])
def test_out_kinds_take_stock_and_cancel_reverses_exactly(engine, admin, world, tx, kind):
    w, p = world["w1"], world["p1"]
    receive(tx, admin, w, p, "7", "3")
    receive(tx, admin, w, p, "2", "4.5")  # 30.00 for 9
    extra = {"customer_id": world["c1"]} if kind in ("sample", "loan") else {"recipient": "生产部"}
    doc = make(tx, admin, kind, w, [LineInput(p, D("4"))], **extra)
    before = balances(engine)
    number = confirm(tx, admin, doc)
    assert number[:2] in ("CK", "LL", "YP", "JC")
    assert qty(engine, w, p) == D("5")
    assert value(engine, w, p) == D("30.00") - D("13.33")  # 30 * 4 / 9 = 13.333.. -> 13.33
    assert_ledger_consistent(engine)
    cancel(tx, admin, doc)
    assert balances(engine) == before
    moves = moves_of(engine, doc)
    assert [(m.quantity, m.amount, m.is_reversal) for m in moves] == [
        (D("-4"), D("-13.33"), False), (D("4"), D("13.33"), True)]
    assert_ledger_consistent(engine)


def test_cancelled_document_keeps_its_number_and_cannot_be_cancelled_twice(engine, admin, world, tx):
    doc = make(tx, admin, "stock_in", world["w1"], [LineInput(world["p1"], D("1"), unit_cost=D("1"))])
    number = confirm(tx, admin, doc)
    cancel(tx, admin, doc)
    with tx() as s:
        d = s.get(StockDocument, doc)
        assert (d.status, d.number) == ("cancelled", number)
    with pytest.raises(StateError):
        cancel(tx, admin, doc)
    with pytest.raises(StateError):
        confirm(tx, admin, doc)


def test_confirmed_document_cannot_be_edited_or_deleted(engine, admin, world, tx):
    doc = make(tx, admin, "stock_in", world["w1"], [LineInput(world["p1"], D("1"), unit_cost=D("1"))])
    confirm(tx, admin, doc)
    with pytest.raises(StateError), tx() as s:
        sd.set_lines(s, admin, doc, [LineInput(world["p1"], D("5"))])
    with pytest.raises(StateError), tx() as s:
        sd.delete_draft(s, admin, doc)


def test_double_confirmation_moves_stock_once(engine, admin, world, tx):
    doc = make(tx, admin, "stock_in", world["w1"], [LineInput(world["p1"], D("5"), unit_cost=D("2"))])
    confirm(tx, admin, doc)
    with pytest.raises(StateError, match="already confirmed"):
        confirm(tx, admin, doc)
    assert qty(engine, world["w1"], world["p1"]) == D("5")
    assert len(moves_of(engine, doc)) == 1


def test_negative_stock_is_refused_and_nothing_is_written(engine, admin, world, tx):
    w = world["w1"]
    receive(tx, admin, w, world["p1"], "5", "1")
    receive(tx, admin, w, world["p2"], "1", "100")
    before = balances(engine)
    doc = make(tx, admin, "stock_out", w, [LineInput(world["p2"], D("1")), LineInput(world["p1"], D("6"))])
    with pytest.raises(ValidationError, match=r"P001 in warehouse WH1: 5 on hand, 6 needed"):
        confirm(tx, admin, doc)
    assert balances(engine) == before  # the first line (which had stock) did not move either
    with tx() as s:
        d = s.get(StockDocument, doc)
        assert (d.status, d.number) == ("draft", None)
    assert moves_of(engine, doc) == []


def test_same_product_twice_in_one_document_is_checked_cumulatively(engine, admin, world, tx):
    receive(tx, admin, world["w1"], world["p1"], "5", "1")
    doc = make(tx, admin, "stock_out", world["w1"], [LineInput(world["p1"], D("3")), LineInput(world["p1"], D("3"))])
    with pytest.raises(ValidationError, match="5 on hand, 6 needed"):
        confirm(tx, admin, doc)


def test_negative_stock_allowed_by_setting(engine, admin, world, tx):
    from crm_tui.config import update_settings

    update_settings("stock", allow_negative=True)
    receive(tx, admin, world["w1"], world["p1"], "2", "10")
    with tx() as s:
        sd.quick_document(s, admin, "stock_out", world["w1"], world["p1"], D("5"))
    assert balances(engine)[(world["w1"], world["p1"])] == (D("-3"), D("-30.00"))
    receive(tx, admin, world["w1"], world["p1"], "3", "10")
    assert balances(engine)[(world["w1"], world["p1"])] == (D("0"), D("0"))
    assert_ledger_consistent(engine)


def test_cancelling_a_stock_in_whose_goods_are_gone_is_refused(engine, admin, world, tx):
    doc = make(tx, admin, "stock_in", world["w1"], [LineInput(world["p1"], D("3"), unit_cost=D("1"))])
    confirm(tx, admin, doc)
    with tx() as s:
        sd.quick_document(s, admin, "stock_out", world["w1"], world["p1"], D("2"))
    with pytest.raises(ValidationError, match="Not enough stock"):
        cancel(tx, admin, doc)
    with tx() as s:
        assert s.get(StockDocument, doc).status == "confirmed"


def test_reversal_leaving_value_on_zero_stock_is_revalued(engine, admin, world, tx):
    w, p = world["w1"], world["p1"]
    first = make(tx, admin, "stock_in", w, [LineInput(p, D("10"), unit_cost=D("1"))])
    confirm(tx, admin, first)
    second = make(tx, admin, "stock_in", w, [LineInput(p, D("10"), unit_cost=D("3"))])
    confirm(tx, admin, second)  # 20 for 40.00
    with tx() as s:
        sd.quick_document(s, admin, "stock_out", w, p, D("10"))  # takes 20.00; 10 left worth 20.00
    cancel(tx, admin, second)  # -10 and -30.00: zero stock with -10.00 value -> revalued to zero
    assert balances(engine)[(w, p)] == (D(0), D(0))
    reversal = moves_of(engine, second)
    assert [(m.quantity, m.amount) for m in reversal] == [(D("10"), D("30.00")), (D("-10"), D("-30.00")),
                                                          (D("0"), D("10.00"))]
    assert_ledger_consistent(engine)


def test_transfer_moves_quantity_and_value_between_warehouses(engine, admin, world, tx):
    receive(tx, admin, world["w1"], world["p1"], "3", "10")
    with tx() as s:
        number = sd.quick_document(s, admin, "transfer", world["w1"], world["p1"], D("1"),
                                   to_warehouse_id=world["w2"])
    assert number.startswith("DB")
    assert balances(engine)[(world["w1"], world["p1"])] == (D("2"), D("20.00"))
    assert balances(engine)[(world["w2"], world["p1"])] == (D("1"), D("10.00"))
    assert_ledger_consistent(engine)


def test_transfer_is_all_or_nothing(engine, admin, world, tx):
    receive(tx, admin, world["w1"], world["p1"], "5", "1")
    receive(tx, admin, world["w1"], world["p2"], "1", "1")
    before = balances(engine)
    doc = make(tx, admin, "transfer", world["w1"], [LineInput(world["p1"], D("5")), LineInput(world["p2"], D("2"))],
               to_warehouse_id=world["w2"])
    with pytest.raises(ValidationError):
        confirm(tx, admin, doc)
    assert balances(engine) == before  # not even the empty balance rows of WH2 remain
    assert qty(engine, world["w2"], world["p1"]) == 0
    assert moves_of(engine, doc) == []
    # a transfer cancelled later puts both warehouses back
    doc2 = make(tx, admin, "transfer", world["w1"], [LineInput(world["p1"], D("5"))], to_warehouse_id=world["w2"])
    confirm(tx, admin, doc2)
    cancel(tx, admin, doc2)
    assert qty(engine, world["w1"], world["p1"]) == 5 and qty(engine, world["w2"], world["p1"]) == 0
    assert_ledger_consistent(engine)


def test_transfer_needs_two_different_warehouses(engine, admin, world, tx):
    with pytest.raises(ValidationError, match="two different"), tx() as s:
        sd.create_document(s, admin, "transfer", world["w1"], to_warehouse_id=world["w1"])
    with pytest.raises(ValidationError, match="destination"), tx() as s:
        sd.create_document(s, admin, "transfer", world["w1"])


@pytest.mark.parametrize("bad", ["0", "-1", "abc"])
def test_bad_line_quantity_is_refused(engine, admin, world, tx, bad):
    with pytest.raises(ValidationError, match="Line 1"), tx() as s:
        sd.create_document(s, admin, "stock_in", world["w1"], lines=[LineInput(world["p1"], bad)])


def test_empty_document_cannot_be_confirmed(engine, admin, world, tx):
    doc = make(tx, admin, "stock_out", world["w1"], [])
    with pytest.raises(ValidationError, match="no lines"):
        confirm(tx, admin, doc)


def test_samples_and_loans_need_a_customer(engine, admin, world, tx):
    with pytest.raises(ValidationError, match="customer"), tx() as s:
        sd.create_document(s, admin, "loan", world["w1"])


def test_warehouse_role_may_post_but_salesperson_may_not(engine, admin, world, tx, make_user):
    from crm_tui.core.errors import PermissionDenied

    keeper = make_user("hanlei", "warehouse")
    seller = make_user("sunwei", "salesperson")
    with tx(keeper) as s:
        sd.quick_document(s, keeper, "stock_in", world["w1"], world["p1"], D("1"), unit_cost=D("1"))
    with pytest.raises(PermissionDenied), tx(seller) as s:
        sd.quick_document(s, seller, "stock_in", world["w1"], world["p1"], D("1"), unit_cost=D("1"))


def test_moves_record_user_document_and_time(engine, admin, world, tx):
    doc = make(tx, admin, "stock_in", world["w1"], [LineInput(world["p1"], D("2"), unit_cost=D("1.5"))])
    number = confirm(tx, admin, doc)
    from crm_tui.db.session import read_session

    with read_session(engine) as s:
        m = s.scalar(select(StockMove).where(StockMove.doc_id == doc))
    assert (m.doc_type, m.doc_number, m.user_id, m.unit_cost, m.amount) == ("stock_in", number, admin.id,
                                                                           D("1.5"), D("3.00"))
    assert m.moved_at is not None and m.line_id is not None


def test_db_check_catches_a_tampered_balance(engine, admin, world, tx):
    from sqlalchemy import text

    from crm_tui.services.common.checks import run_checks

    receive(tx, admin, world["w1"], world["p1"], "2", "1")
    with engine.begin() as conn:
        conn.execute(text("UPDATE stock_balances SET quantity = quantity + 10000"))
    problems = run_checks(engine)["stock balances equal the sum of their moves"]
    assert len(problems) == 1 and "moves sum to" in problems[0]


def test_document_list_and_view(engine, admin, world, tx):
    doc = make(tx, admin, "requisition", world["w1"], [LineInput(world["p3"], D("1"))], recipient="餐饮部")
    with tx() as s:
        view = sd.get_document(s, doc)
        rows = sd.list_documents(s, kind="requisition")
    assert view.recipient == "餐饮部" and view.lines[0].product_code == "P003"
    assert [(r.id, r.status, r.lines, r.quantity) for r in rows] == [(doc, "draft", 1, D("1"))]


def test_reversal_is_exact_when_negative_stock_is_allowed(engine, admin, world, tx):
    from crm_tui.config import update_settings

    update_settings("stock", allow_negative=True)
    w, p = world["w1"], world["p1"]
    receive(tx, admin, w, p, "1", "10")
    with tx() as s:
        sd.quick_document(s, admin, "stock_out", w, p, D("4"))  # -3 on hand, valued at the last cost
    before = balances(engine)[(w, p)]
    assert before == (D("-3"), D("-30.00"))
    doc = make(tx, admin, "stock_in", w, [LineInput(p, D("3"), unit_cost=D("12"))])
    confirm(tx, admin, doc)  # back to zero: the 6.00 difference is cleared by a revaluation
    assert balances(engine)[(w, p)] == (D(0), D(0))
    cancel(tx, admin, doc)
    assert balances(engine)[(w, p)] == before
    assert_ledger_consistent(engine)
