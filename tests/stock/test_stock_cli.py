"""``crm stock …``, ``crm warehouses …``, ``crm products …``: the pinned contracts and bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crm_tui.cli import cli


@pytest.fixture
def crm(db_url, admin, monkeypatch):
    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")
    runner = CliRunner()

    def run(*args, ok: bool = True):
        result = runner.invoke(cli, ["--db", db_url, "--lang", "en", *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


@pytest.fixture
def stocked(crm):
    crm("warehouses", "add", "WH1", "主仓")
    crm("warehouses", "add", "WH2", "分仓")
    crm("products", "add", "P001", "青岛啤酒", "--spec", "500ml*12", "--unit", "箱", "--safety-stock", "5")
    crm("products", "add", "P002", "茅台飞天", "--purchase-price", "1,499.00")
    return crm


def test_in_out_transfer_and_onhand_json(stocked):
    crm = stocked
    out = crm("stock", "in", "--warehouse", "WH1", "--product", "P001", "--qty", "10", "--cost", "40").output
    assert "RK" in out and "on hand 10" in out
    crm("stock", "in", "--warehouse", "主仓", "--product", "青岛啤酒", "--qty", "5", "--cost", "¥43.30")
    crm("stock", "out", "--warehouse", "WH1", "--product", "P001", "--qty", "4")
    out = crm("stock", "transfer", "--from", "WH1", "--to", "WH2", "--product", "P001", "--qty", "3").output
    assert "DB" in out and "now 8 and 3" in out
    rows = json.loads(crm("stock", "onhand", "--format", "json").output)
    assert rows == [
        {"warehouse": "WH1", "product_code": "P001", "quantity": "8.0000", "unit_cost": "41.100000",
         "value": "328.80"},
        {"warehouse": "WH2", "product_code": "P001", "quantity": "3.0000", "unit_cost": "41.100000",
         "value": "123.30"}]
    assert [r["warehouse"] for r in json.loads(crm("stock", "onhand", "--warehouse", "WH2", "--format",
                                                   "json").output)] == ["WH2"]
    assert json.loads(crm("stock", "onhand", "--product", "P002", "--format", "json").output) == []
    alarms = json.loads(crm("stock", "alarms", "--format", "json").output)
    assert [(a["warehouse"], a["product_code"], a["quantity"]) for a in alarms] == [("WH2", "P001", "3.0000")]
    assert "青岛啤酒" in crm("stock", "onhand").output
    check = crm("db", "check", "--format", "json")
    assert json.loads(check.output)["ok"] is True


def test_stock_in_without_cost_uses_the_purchase_price(stocked):
    stocked("stock", "in", "--warehouse", "WH1", "--product", "P002", "--qty", "2")
    [row] = json.loads(stocked("stock", "onhand", "--format", "json").output)
    assert row["value"] == "2998.00"


@pytest.mark.parametrize("args, message", [
    (("stock", "in", "--warehouse", "WH1", "--product", "P001", "--qty", "abc"), "--qty: not a number: abc"),
    (("stock", "in", "--warehouse", "WH1", "--product", "P001", "--qty", "0"), "--qty must be a number greater"),
    (("stock", "in", "--warehouse", "WH1", "--product", "P001", "--qty", "-2"), "--qty must be a number greater"),
    (("stock", "in", "--warehouse", "WH1", "--product", "P001", "--qty", "1", "--cost", "x"), "--cost: not a number"),
    (("stock", "in", "--warehouse", "WHX", "--product", "P001", "--qty", "1"), "No warehouse with code or name WHX"),
    (("stock", "out", "--warehouse", "WH1", "--product", "NOPE", "--qty", "1"), "No product with code"),
    (("stock", "out", "--warehouse", "WH1", "--product", "P001", "--qty", "1"), "Not enough stock of P001"),
    (("stock", "transfer", "--from", "WH1", "--to", "WH1", "--product", "P001", "--qty", "1"), "two different"),
    (("warehouses", "add", "WH1", "重复"), "already exists"),
    (("stock", "onhand", "--warehouse", "WHX"), "No warehouse"),
])
def test_bad_input_is_one_clear_line_and_exit_1(stocked, args, message):
    result = stocked(*args, ok=False)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert json.loads(stocked("stock", "onhand", "--format", "json").output) == []  # nothing written


def test_missing_option_is_a_usage_error(stocked):
    result = stocked("stock", "in", "--warehouse", "WH1", "--product", "P001", ok=False)
    assert result.exit_code == 2 and "--qty" in result.output


def test_warehouses_and_products_list(stocked):
    stocked("stock", "in", "--warehouse", "WH1", "--product", "P001", "--qty", "2", "--cost", "1.5")
    rows = json.loads(stocked("warehouses", "list", "--format", "json").output)
    assert [(r["code"], r["name"], r["value"]) for r in rows] == [("WH1", "主仓", "3.00"), ("WH2", "分仓", "0.00")]
    table = stocked("warehouses", "list").output
    assert "主仓" in table and "分仓" in table
    found = json.loads(stocked("products", "list", "--search", "mtft", "--format", "json").output)
    assert [p["code"] for p in found] == ["P002"]


def test_history_and_value(stocked):
    stocked("stock", "in", "--warehouse", "WH1", "--product", "P001", "--qty", "2", "--cost", "1.5")
    stocked("stock", "out", "--warehouse", "WH1", "--product", "P001", "--qty", "1")
    history = json.loads(stocked("stock", "history", "--product", "P001", "--format", "json").output)
    assert [(h["quantity"], h["balance"]) for h in history] == [("2.0000", "2.0000"), ("-1.0000", "1.0000")]
    value = json.loads(stocked("stock", "value", "--format", "json").output)
    assert value[0]["value"] == "1.50"
