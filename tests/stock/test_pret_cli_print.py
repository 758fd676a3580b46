"""``crm purchase-returns …`` and ``crm print purchase-return``: draft, confirm, list as JSON, the printed figures."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from click.testing import CliRunner

from crm_tui.cli import cli
from crm_tui.core.money import amount_in_words, format_money
from crm_tui.services.purchasing import orders as po
from crm_tui.services.purchasing import receipts as pr
from crm_tui.services.purchasing import suppliers as sup
from crm_tui.services.purchasing.orders import OrderLineInput


@pytest.fixture
def crm(db_url, admin, monkeypatch):
    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")
    runner = CliRunner()

    def run(*args, ok: bool = True):
        result = runner.invoke(cli, ["--db", db_url, "--lang", "en", *args])
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


@pytest.fixture
def receipt(tx, admin, world):
    """CR…: 10 × P001 at 33.33 and 2 × P002 at 1,326.55 net from S001, into WH1; returns its number."""
    with tx() as s:
        supplier = sup.add_supplier(s, admin, code="S001", name="山东景芝酒业股份有限公司")
        oid = po.create_order(s, admin, supplier, [OrderLineInput(world["p1"], D("10"), price=D("33.33")),
                                                   OrderLineInput(world["p2"], D("2"), price_gross=D("1499"))],
                              warehouse_id=world["w1"])
        po.submit(s, admin, oid)
        return pr.receive(s, admin, oid)


def test_create_confirm_list_show_cancel(crm, receipt):
    out = crm("purchase-returns", "create", "--receipt", receipt, "--line", "P001=3", "--reason", "破损",
              "--format", "json").output
    draft = json.loads(out)
    assert draft["status"] == "draft" and draft["number"] is None and draft["amount_gross"] == "112.99"
    assert [ln["product"] for ln in draft["lines"]] == ["P001"]
    listed = json.loads(crm("purchase-returns", "list", "--status", "draft", "--format", "json").output)
    assert len(listed) == 1 and listed[0]["receipt"] == receipt
    over = crm("purchase-returns", "create", "--receipt", receipt, "--line", "P001=11", ok=False)
    assert over.exit_code != 0 and "more than the 10" in over.output
    bad = crm("purchase-returns", "create", "--receipt", receipt, "--line", "P009=1", ok=False)
    assert "P009 is not on this receipt" in bad.output
    done = crm("purchase-returns", "confirm", "1").output  # a draft's key is its id until it has a number
    assert "confirmed" in done and "112.99" in done
    shown = json.loads(crm("purchase-returns", "show", done.split()[2], "--format", "json").output)
    assert shown["status"] == "confirmed" and shown["cost"] == "99.99" and shown["number"].startswith("CT")
    assert crm("purchase-returns", "list", "--supplier", "S001", "--search", "破损").output.count("CT") == 1
    crm("purchase-returns", "cancel", shown["number"])
    again = crm("purchase-returns", "cancel", shown["number"], ok=False)
    assert again.exit_code != 0 and "already cancelled" in again.output


def test_print_purchase_return_has_the_figures(crm, receipt, tmp_path):
    crm("purchase-returns", "create", "--receipt", receipt, "--line", "P001=3", "--line", "P002=1",
        "--reason", "质量问题")
    number = crm("purchase-returns", "confirm", "1").output.split()[2]
    shown = json.loads(crm("purchase-returns", "show", number, "--format", "json").output)
    out = tmp_path / "ret.pdf"
    crm("print", "purchase-return", number, "-o", str(out))
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(out).pages)
    flat = text.replace(" ", "").replace("\n", "")
    assert number in text and receipt in text and "山东景芝酒业股份有限公司" in flat
    assert "青岛啤酒" in flat and "茅台飞天" in flat and "质量问题" in flat
    gross = D(shown["amount_gross"])
    assert gross == D("112.99") + D("1499.00")  # 3 of 10 × 33.33 net, and half of 2 998.00 gross
    assert format_money(gross) in text and amount_in_words(gross) in flat
    assert "采购退货单" in flat
