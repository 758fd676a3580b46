"""The pinned command-line contracts of the sales flow, and printing its documents end to end."""

import json
from datetime import date
from decimal import Decimal as D

import pytest

from crm_tui.services.sales import orders, quotes, receipts
from crm_tui.services.sales import stock_outs as outs
from crm_tui.services.sales.pricing import LineInput


@pytest.fixture
def booked(world, tx):
    """An order of c1 (3 × 113.00 + 2 × 11.30 = 361.60), half shipped with a tracking number, part paid in USD."""
    with tx(world.clerk) as s:
        qid = quotes.create_quote(s, world.clerk, world.c1, [LineInput(world.p1, 3), LineInput(world.p2, 2)])
        qnum = quotes.confirm_quote(s, world.clerk, qid)
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 3), LineInput(world.p2, 2)],
                                  external_ref="KH-2026-77", payment_terms="月结30天")
        orders.confirm_order(s, world.clerk, oid)
        line = orders.get_order(s, world.clerk, oid).lines[0].id
        out = outs.create_stock_out(s, world.clerk, world.c1, world.w1, [outs.OutLineInput(line, 2)])
        onum = outs.confirm_stock_out(s, world.clerk, out, tracking=[("顺丰速运", "SF1122334455")])
        receipts.record_receipt(s, world.clerk, world.c1, "10.00", currency="USD", rate="7.1", order_id=oid)
        number = orders.get_order(s, world.clerk, oid).number
    return {"order": number, "quote": qnum, "out": onum, "order_id": oid}


def test_report_receivables_json_contract(crm, booked):
    rows = json.loads(crm("report", "receivables", "--format", "json").output)
    assert rows == [
        {"customer_code": "K001", "customer_name": "临沂大酒店", "opening": "0.00", "billed": "361.60",
         "received": "71.00", "balance": "290.60"},
        {"customer_code": "K003", "customer_name": "兰山超市", "opening": "1000.00", "billed": "0.00",
         "received": "0.00", "balance": "1000.00"}]
    # as of a day before anything happened: only the opening balance
    rows = json.loads(crm("report", "receivables", "--as-of", "2026-01-02", "--format", "json").output)
    assert [r["customer_code"] for r in rows] == ["K003"]
    # zhao sees none of these customers
    assert json.loads(crm("report", "receivables", "--format", "json", user="zhao").output) == []
    assert "兰山超市" in crm("report", "receivables").output
    aging = json.loads(crm("report", "aging", "--format", "json").output)
    assert aging[0]["days_0-30"] == "290.60"


def test_report_unshipped_sales_expenses_invoices(crm, booked):
    unshipped = json.loads(crm("report", "unshipped", "--format", "json").output)
    assert [(r["product_code"], r["ordered"], r["shipped"], r["unshipped"]) for r in unshipped] == [
        ("P1", "3", "2", "1"), ("P2", "2", "0", "2")]
    sales = json.loads(crm("report", "sales", "--by", "salesperson", "--format", "json").output)
    (li,) = sales
    assert li["name"] == "李业务" and li["gross"] == "361.60" and li["received"] == "71.00"
    assert li["shipped_net"] == "200.00" and li["cost"] == "120.00" and li["margin"] == "80.00"
    by_product = json.loads(crm("report", "sales", "--by", "product", "--format", "json").output)
    assert {r["key"]: r["quantity"] for r in by_product} == {"P1": "3", "P2": "2"}
    crm("expenses", "add", "--amount", "88", "--category", "招待费", "--date", date.today().isoformat(),
        "--customer", "K001", "--submit", user="li")
    expenses = json.loads(crm("report", "expenses", "--by", "category", "--format", "json", user="wang").output)
    assert expenses == [{"key": "招待费", "name": "招待费", "claims": 1, "approved": "0.00", "pending": "88.00",
                         "rejected": "0.00"}]
    invoices = json.loads(crm("report", "invoices", "--format", "json").output)
    assert invoices[0]["uninvoiced"] == "361.60"


def test_orders_list_show_confirm_cancel(crm, booked, world):
    listed = json.loads(crm("orders", "list", "--format", "json").output)
    assert listed[0]["number"] == booked["order"] and listed[0]["paid"] == "71.00"
    shown = json.loads(crm("orders", "show", booked["order"], "--format", "json").output)
    assert shown["shipped"] == "226.00" and [d["kind"] for d in shown["documents"]] == ["stock_out", "tracking",
                                                                                       "receipt"]
    assert "SF1122334455" in crm("orders", "show", "KH-2026-77").output
    assert crm("orders", "show", booked["order"], user="zhao", ok=False).exit_code == 1
    # a draft is confirmed by #id
    with_draft = crm("quotes", "to-order", booked["quote"]).output
    assert "(draft)" in with_draft
    draft_id = with_draft.split("#")[1].split()[0]
    out = crm("orders", "confirm", f"#{draft_id}").output
    assert "confirmed" in out and "SO" in out
    again = crm("orders", "confirm", f"#{draft_id}", ok=False)
    assert again.exit_code == 1 and len(again.output.strip().splitlines()) == 1
    cancelled = crm("orders", "cancel", booked["order"], "--reason", "客户取消").output
    assert "reversed" in cancelled and "advance again" in cancelled
    assert json.loads(crm("orders", "list", "--status", "cancelled", "--format", "json").output)[0]["number"] == \
        booked["order"]


def test_quotes_copy(crm, booked):
    out = crm("quotes", "copy", booked["quote"]).output
    assert "copied to draft #" in out
    out = crm("quotes", "copy", booked["quote"], "--confirm").output
    assert out.strip().endswith(".") and "QT" in out.split("copied to")[1]
    rows = json.loads(crm("quotes", "list", "--format", "json").output)
    assert len(rows) == 3 and {r["gross_total"] for r in rows} == {"361.60"}
    missing = crm("quotes", "copy", "QT-NOPE", ok=False)
    assert missing.exit_code == 1 and "No such quote" in missing.output


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _squash(text: str) -> str:
    return "".join(text.split())


def test_print_quote_order_delivery_and_statement(crm, booked, tmp_path, sales_adapters):
    from crm_tui.core.money import amount_in_words

    crm("print", "quote", booked["quote"], "-o", tmp_path / "q.pdf")
    crm("print", "order", "KH-2026-77", "-o", tmp_path / "o.pdf")  # by the external reference
    crm("print", "delivery", booked["out"], "-o", tmp_path / "d.pdf")
    crm("print", "statement", "--customer", "K001", "--from", "2026-01-01", "--to", date.today().isoformat(),
        "-o", tmp_path / "s.pdf")
    for name, gross in (("q", "361.60"), ("o", "361.60"), ("d", "226.00")):
        text = _squash(_pdf_text(tmp_path / f"{name}.pdf"))
        assert "临沂大酒店" in text and "青岛啤酒" in text, name
        assert gross in text.replace(",", ""), name
        assert _squash(amount_in_words(D(gross))) in text, name
    order_text = _squash(_pdf_text(tmp_path / "o.pdf"))
    assert "海天酱油" in order_text and "KH-2026-77" in order_text and "月结30天" in order_text
    delivery_text = _squash(_pdf_text(tmp_path / "d.pdf"))
    assert "海天酱油" not in delivery_text and "SF1122334455" in delivery_text and booked["order"] in delivery_text
    statement_text = _squash(_pdf_text(tmp_path / "s.pdf"))
    assert booked["order"] in statement_text and "361.60" in statement_text and "290.60" in statement_text
    assert _squash(amount_in_words(D("290.60"))) in statement_text
    # the salesperson of another customer cannot print it: one line, non-zero exit
    refused = crm("print", "order", booked["order"], "-o", tmp_path / "x.pdf", user="zhao", ok=False)
    assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1
    # Excel carries the same totals
    crm("print", "order", booked["order"], "--format", "xlsx", "-o", tmp_path / "o.xlsx")
    from openpyxl import load_workbook

    values = [c.value for row in load_workbook(tmp_path / "o.xlsx").active.iter_rows() for c in row]
    assert 361.6 in values or D("361.60") in values


def test_reports_as_excel(crm, booked, tmp_path):
    from openpyxl import load_workbook

    result = crm("report", "receivables", "--format", "json", "--xlsx", tmp_path / "r.xlsx")
    assert json.loads(result.stdout)[0]["balance"] == "290.60"  # the JSON stays clean on stdout
    sheet = load_workbook(tmp_path / "r.xlsx").active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["客户编号", "客户名称"] and rows[1][0] == "K001" and rows[1][-1] == 290.6
    assert sheet.cell(2, 7).number_format == "#,##0.00"
    for args in (("unshipped",), ("sales", "--by", "product"), ("expenses",), ("invoices",), ("aging",)):
        crm("report", *args, "--xlsx", tmp_path / f"{args[0]}.xlsx")
        assert load_workbook(tmp_path / f"{args[0]}.xlsx").active.max_row >= 1


def test_every_report_table(world, booked, rd):
    from crm_tui.services.sales.report_tables import REPORTS, report_table

    with rd() as s:
        for name in REPORTS:
            table = report_table(s, world.admin, name, date(2026, 1, 1), date.today())
            assert all(len(r) == len(table.columns) for r in table.rows), name
        assert report_table(s, world.zhao, "unshipped", date(2026, 1, 1), date.today()).rows == []
