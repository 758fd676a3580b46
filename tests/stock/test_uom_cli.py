"""``crm products units|unit-add|unit-remove`` and ``--unit`` on ``crm stock in|out|transfer``."""

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

    run("warehouses", "add", "WH1", "主仓")
    run("products", "add", "B1", "景芝白干", "--unit", "瓶", "--purchase-price", "6")
    return run


def test_units_added_listed_used_and_not_removed_while_used(crm):
    assert "1 箱 = 12 瓶" in crm("products", "unit-add", "B1", "--unit", "箱", "--factor", "12",
                                "--barcode", "6900000000012").output
    rows = json.loads(crm("products", "units", "B1", "--format", "json").output)
    assert rows == [{"unit": "瓶", "factor": "1", "barcode": None, "base": True},
                    {"unit": "箱", "factor": "12.000000", "barcode": "6900000000012", "base": False}]
    assert "12 瓶" in crm("products", "units", "B1").output
    by_case_barcode = crm("products", "units", "6900000000012").output  # found by the case's barcode
    assert by_case_barcode == crm("products", "units", "B1").output
    out = crm("stock", "in", "--warehouse", "WH1", "--product", "B1", "--qty", "3", "--unit", "箱",
              "--cost", "72").output
    assert "+3箱" in out and "on hand 36" in out
    out = crm("stock", "out", "--warehouse", "WH1", "--product", "B1", "--qty", "1", "--unit", "箱").output
    assert "on hand 24" in out
    bad = crm("stock", "out", "--warehouse", "WH1", "--product", "B1", "--qty", "1", "--unit", "桶", ok=False)
    assert bad.exit_code != 0 and "no unit 桶" in bad.output and "瓶, 箱" in bad.output
    refused = crm("products", "unit-remove", "B1", "--unit", "箱", ok=False)
    assert refused.exit_code != 0 and "cannot be removed" in refused.output
    crm("products", "unit-add", "B1", "--unit", "件", "--factor", "6")
    assert "removed" in crm("products", "unit-remove", "B1", "--unit", "件").output
    bad = crm("products", "unit-add", "B1", "--unit", "盒", "--factor", "0", ok=False)
    assert bad.exit_code != 0 and "greater than zero" in bad.output
