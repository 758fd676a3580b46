"""``crm returns …``, ``crm invoices red`` and printing returns and invoices (read back with pypdf)."""

import json
import re
from decimal import Decimal as D

from crm_tui.core.money import amount_in_words
from crm_tui.services.sales import orders
from crm_tui.services.sales.actions import ship
from crm_tui.services.sales.pricing import LineInput


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "".join("".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def _shipped(tx, world):
    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 10, "113", "gross"),
                                                             LineInput(world.p2, 5)])
        orders.confirm_order(s, world.clerk, oid)
        number = ship(s, world.clerk, world.w1, order_ids=[oid], tracking=[("顺丰速运", "SF7788")])
        return orders.get_order(s, world.clerk, oid).number, number


def test_return_from_the_command_line_then_print_it(crm, world, tx, tmp_path, sales_adapters):
    order_no, out_no = _shipped(tx, world)
    r = crm("returns", "create", "--stock-out", out_no, "--line", "P1=4", "--reason", "破损")
    assert "#" in r.output
    crm("returns", "create", "--stock-out", out_no, "--line", "P1=7", ok=False)  # still fits: a draft
    refused = crm("returns", "create", "--stock-out", out_no, "--line", "P1=11", ok=False)
    assert refused.exit_code != 0 and "P1" in refused.output
    drafts = json.loads(crm("returns", "list", "--status", "draft", "--format", "json").output)
    first = min(drafts, key=lambda d: d["gross_total"])
    assert first["gross_total"] == "452.00" and first["stock_out"] == out_no
    done = crm("returns", "confirm", re.search(r"#\d+", r.output).group())
    number = done.output.split()[2]
    shown = json.loads(crm("returns", "show", number, "--format", "json").output)
    assert shown["status"] == "confirmed" and shown["lines"][0]["quantity"] == "4"
    assert shown["lines"][0]["cost_amount"] == "240.00" and shown["gross_total"] == "452.00"
    listed = crm("returns", "list", user="li")
    assert number in listed.output
    assert number not in crm("returns", "list", user="zhao").output  # another salesperson's customer
    crm("print", "sales-return", number, "-o", tmp_path / "r.pdf")
    text = _pdf_text(tmp_path / "r.pdf")
    assert "销售退货单" in text and "临沂大酒店" in text and "青岛啤酒" in text and out_no in text
    assert "452.00" in text and "".join(amount_in_words(D("452.00")).split()) in text and "破损" in text
    crm("print", "statement", "--customer", "K001", "--from", "2026-01-01", "--to", "2099-12-31",
        "-o", tmp_path / "s.pdf")
    text = _pdf_text(tmp_path / "s.pdf")
    assert "销售退货" in text and number in text and "452.00" in text
    crm("returns", "cancel", number, "--reason", "录错")
    assert json.loads(crm("returns", "show", number, "--format", "json").output)["status"] == "cancelled"


def test_red_invoice_from_the_command_line_and_both_invoices_printed(crm, world, tx, tmp_path, sales_adapters):
    order_no, out_no = _shipped(tx, world)
    crm("invoices", "add", "--order", order_no, "--number", "No.4401", "--amount", "1180.00", "--rate", "13%")
    refused = crm("invoices", "red", "--invoice", "No.4401", "--amount", "1180.01", "--reason", "退货", ok=False)
    assert refused.exit_code != 0 and "1,180.00" in refused.output
    red = json.loads(crm("invoices", "red", "--invoice", "No.4401", "--amount", "452", "--reason", "退货",
                         "--format", "json").output)
    assert red["gross_amount"] == "-452.00" and red["net_amount"] == "-400.00" and red["number"].startswith("HZ")
    crm("print", "invoice", "No.4401", "-o", tmp_path / "i.pdf")
    text = _pdf_text(tmp_path / "i.pdf")
    assert "No.4401" in text and "1,180.00" in text and "SF7788" in text and order_no in text
    crm("print", "invoice", red["number"], "-o", tmp_path / "red.pdf")
    text = _pdf_text(tmp_path / "red.pdf")
    assert "红字发票" in text and "-452.00" in text and "退货" in text and "No.4401" in text
    delivery = crm("print", "delivery", out_no, "-o", tmp_path / "d.pdf")
    assert delivery.exit_code == 0 and "SF7788" in _pdf_text(tmp_path / "d.pdf")


def test_returns_export_to_excel(crm, world, tx, tmp_path):
    from openpyxl import load_workbook

    _order_no, out_no = _shipped(tx, world)
    crm("returns", "create", "--stock-out", out_no, "--line", "P2=2", "--reason", "过期", "--confirm")
    crm("export", "returns", tmp_path / "r.xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx").active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(out_no in row and "过期" in row and 22.6 in row for row in rows), rows
