"""Stocktaking adjusts exactly the differences; loans and returns track what each customer still has out."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from crm_tui.core.errors import StateError, ValidationError
from crm_tui.services.stock import documents as sd
from crm_tui.services.stock import loans as stock_loans
from crm_tui.services.stock import stocktake as stock_stocktake
from crm_tui.services.stock.documents import LineInput

from .helpers import assert_ledger_consistent, balances, qty


def stock_up(tx, admin, world):
    with tx() as s:
        sd.quick_document(s, admin, "stock_in", world["w1"], world["p1"], D("10"), unit_cost=D("4"))
        sd.quick_document(s, admin, "stock_in", world["w1"], world["p2"], D("3"), unit_cost=D("1000"))
        sd.quick_document(s, admin, "stock_in", world["w1"], world["p3"], D("8"), unit_cost=D("12.5"))
        sd.quick_document(s, admin, "stock_in", world["w2"], world["p1"], D("4"), unit_cost=D("4"))


def test_count_sheet_lists_the_warehouse_with_book_quantities(engine, admin, world, tx):
    stock_up(tx, admin, world)
    with tx() as s:
        doc = stock_stocktake.create_count_sheet(s, admin, world["w1"])
        view = sd.get_document(s, doc)
    assert view.kind == "stocktake" and view.status == "draft" and view.number is None
    assert [(ln.product_code, ln.book_quantity, ln.counted_quantity) for ln in view.lines] == [
        ("P001", D("10"), None), ("P002", D("3"), None), ("P003", D("8"), None)]


def test_posting_the_count_adjusts_exactly_the_differences(engine, admin, world, tx):
    stock_up(tx, admin, world)
    w = world["w1"]
    with tx() as s:
        doc = stock_stocktake.create_count_sheet(s, admin, w)
        stock_stocktake.set_counts(s, admin, doc, {world["p1"]: "8", world["p2"]: "3", world["p3"]: D("9")})
        diffs = stock_stocktake.differences(s, doc)
    assert [(d.product_code, d.difference) for d in diffs] == [("P001", D("-2")), ("P003", D("1"))]
    other_before = balances(engine)[(world["w2"], world["p1"])]
    with tx() as s:
        number = sd.confirm(s, admin, doc)
    assert number.startswith("PD")
    assert qty(engine, w, world["p1"]) == 8 and qty(engine, w, world["p2"]) == 3 and qty(engine, w, world["p3"]) == 9
    from .test_stock_ledger import moves_of

    moved = moves_of(engine, doc)
    assert sorted((m.product_id, m.quantity) for m in moved) == sorted([(world["p1"], D("-2")), (world["p3"], D("1"))])
    assert balances(engine)[(w, world["p1"])][1] == D("32.00")  # 2 of 10 at 4.00 out
    assert balances(engine)[(w, world["p3"])][1] == D("112.50")  # found one more at the average, 12.50
    assert balances(engine)[(world["w2"], world["p1"])] == other_before  # other warehouse untouched
    assert_ledger_consistent(engine)
    with tx() as s:
        sd.cancel(s, admin, doc)
    assert qty(engine, w, world["p1"]) == 10 and qty(engine, w, world["p3"]) == 8
    assert_ledger_consistent(engine)


def test_uncounted_lines_are_left_alone_and_a_found_product_is_added(engine, admin, world, tx):
    stock_up(tx, admin, world)
    with tx() as s:
        doc = stock_stocktake.create_count_sheet(s, admin, world["w2"])
        stock_stocktake.set_counts(s, admin, doc, {world["p3"]: "2"})  # not on the sheet: found in WH2
        assert stock_stocktake.uncounted(s, doc) == 1
        sd.confirm(s, admin, doc)
    assert qty(engine, world["w2"], world["p1"]) == 4
    assert qty(engine, world["w2"], world["p3"]) == 2
    assert_ledger_consistent(engine)


def test_count_to_zero_empties_the_value_too(engine, admin, world, tx):
    stock_up(tx, admin, world)
    with tx() as s:
        doc = stock_stocktake.create_count_sheet(s, admin, world["w1"])
        stock_stocktake.set_counts(s, admin, doc, {world["p2"]: "0"})
        sd.confirm(s, admin, doc)
    assert balances(engine)[(world["w1"], world["p2"])] == (D(0), D(0))


def test_stock_moving_after_the_sheet_was_made_refuses_the_count(engine, admin, world, tx):
    stock_up(tx, admin, world)
    with tx() as s:
        doc = stock_stocktake.create_count_sheet(s, admin, world["w1"])
        stock_stocktake.set_counts(s, admin, doc, {world["p1"]: "10"})
    with tx() as s:
        sd.quick_document(s, admin, "stock_out", world["w1"], world["p1"], D("1"))
    with pytest.raises(ValidationError, match="changed since the count sheet"), tx() as s:
        sd.confirm(s, admin, doc)
    with tx() as s:
        assert sd.refresh_book_quantities(s, admin, doc) == 1
        sd.confirm(s, admin, doc)
    assert qty(engine, world["w1"], world["p1"]) == 10


def test_count_sheet_exports_for_counting(engine, admin, world, tx, tmp_path):
    from openpyxl import load_workbook

    stock_up(tx, admin, world)
    with tx() as s:
        doc = stock_stocktake.create_count_sheet(s, admin, world["w1"])
        path = stock_stocktake.export_count_sheet(s, doc, tmp_path / "count.xlsx")
        blind = stock_stocktake.export_count_sheet(s, doc, tmp_path / "blind.xlsx", blind=True)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1][:6] == ("商品编码", "商品名称", "规格", "单位", "账面数量", "实盘数量")
    assert rows[2][0] == "P001" and rows[2][4] == 10 and rows[2][5] is None
    assert list(load_workbook(blind).active.iter_rows(values_only=True))[2][4] is None


def test_negative_count_is_refused(engine, admin, world, tx):
    stock_up(tx, admin, world)
    with pytest.raises(ValidationError), tx() as s:
        doc = stock_stocktake.create_count_sheet(s, admin, world["w1"])
        stock_stocktake.set_counts(s, admin, doc, {world["p1"]: "-1"})


# --- loans ------------------------------------------------------------------------------------------

def loan(tx, admin, world, kind, lines):
    with tx() as s:
        doc = sd.create_document(s, admin, kind, world["w1"], customer_id=world["c1"], lines=lines)
        sd.confirm(s, admin, doc)
    return doc


def out_on_loan(tx, world):
    with tx() as s:
        return {pid: (o.quantity, o.value) for pid, o in stock_loans.outstanding(s, world["c1"]).items()}


def test_loan_and_partial_returns_track_what_is_still_out(engine, admin, world, tx):
    stock_up(tx, admin, world)
    first = loan(tx, admin, world, "loan", [LineInput(world["p1"], D("3")), LineInput(world["p2"], D("1"))])
    assert out_on_loan(tx, world) == {world["p1"]: (D("3"), D("12.00")), world["p2"]: (D("1"), D("1000.00"))}
    loan(tx, admin, world, "loan_return", [LineInput(world["p1"], D("2"))])
    assert out_on_loan(tx, world) == {world["p1"]: (D("1"), D("4.00")), world["p2"]: (D("1"), D("1000.00"))}
    assert qty(engine, world["w1"], world["p1"]) == 9
    with pytest.raises(ValidationError, match="has 1 of P001 out on loan"):
        loan(tx, admin, world, "loan_return", [LineInput(world["p1"], D("2"))])
    with pytest.raises(ValidationError, match="out on loan"):
        loan(tx, admin, world, "loan_return", [LineInput(world["p3"], D("1"))])
    # cancelling a loan part of which came back is refused until the return is cancelled
    with pytest.raises(StateError, match="cancel the return"), tx() as s:
        sd.cancel(s, admin, first)
    with tx() as s:
        report = stock_loans.outstanding_report(s)
    assert [(r.customer_name, r.product_code, r.quantity) for r in report] == [
        ("临沂大酒店", "P001", D("1")), ("临沂大酒店", "P002", D("1"))]
    assert_ledger_consistent(engine)


def test_returns_come_back_at_the_value_they_left_with(engine, admin, world, tx):
    with tx() as s:
        sd.quick_document(s, admin, "stock_in", world["w1"], world["p1"], D("3"), unit_cost=D("10"))
    loan(tx, admin, world, "loan", [LineInput(world["p1"], D("3"))])  # 30.00 out
    with tx() as s:
        sd.quick_document(s, admin, "stock_in", world["w1"], world["p1"], D("1"), unit_cost=D("20"))
    loan(tx, admin, world, "loan_return", [LineInput(world["p1"], D("1"))])  # back at 10.00, not 20
    loan(tx, admin, world, "loan_return", [LineInput(world["p1"], D("2"))])  # the rest: 20.00
    assert balances(engine)[(world["w1"], world["p1"])] == (D("4"), D("50.00"))
    assert out_on_loan(tx, world) == {}
    assert_ledger_consistent(engine)


def test_sample_is_not_a_loan(engine, admin, world, tx):
    stock_up(tx, admin, world)
    loan(tx, admin, world, "sample", [LineInput(world["p3"], D("1"))])
    assert out_on_loan(tx, world) == {}
    assert qty(engine, world["w1"], world["p3"]) == 7


def test_counts_come_back_from_the_filled_in_sheet_through_the_cli(engine, admin, world, tx, db_url, tmp_path,
                                                                  monkeypatch):
    import json

    from click.testing import CliRunner
    from openpyxl import load_workbook

    from crm_tui.cli import cli

    stock_up(tx, admin, world)
    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")
    runner = CliRunner()

    def crm(*args):
        return runner.invoke(cli, ["--db", db_url, "--lang", "en", *args], catch_exceptions=False)

    sheet = tmp_path / "count.xlsx"
    out = crm("stock", "count", "start", "--warehouse", "WH1", "--out", str(sheet))
    assert out.exit_code == 0, out.output
    sheet_id = int(out.output.split()[2])
    wb = load_workbook(sheet)
    ws = wb.active
    ws["F3"], ws["F4"] = 9, 3  # P001 one short, P002 as booked; P003 left uncounted
    wb.save(sheet)
    bad = tmp_path / "bad.xlsx"
    ws["F5"] = -1
    wb.save(bad)
    result = crm("stock", "count", "load", str(sheet_id), str(bad))
    assert result.exit_code == 1 and "row 5, column 实盘数量" in result.output
    result = crm("stock", "count", "load", str(sheet_id), str(sheet))
    assert result.exit_code == 0 and "2 counts entered; 1 differences." in result.output
    assert "P001" in result.output and "(-1)" in result.output
    result = crm("stock", "count", "post", str(sheet_id))
    assert result.exit_code == 0 and "PD" in result.output
    rows = json.loads(crm("stock", "onhand", "--warehouse", "WH1", "--format", "json").output)
    assert {r["product_code"]: r["quantity"] for r in rows} == {"P001": "9.0000", "P002": "3.0000",
                                                               "P003": "8.0000"}
