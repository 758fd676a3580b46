"""``crm report churn|reorder|… [--format json] [--xlsx OUT]`` and ``crm targets set``: the pinned JSON keys, the
workbook with its chart (read back with openpyxl and python-calamine), errors as one line."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from crm_tui.core import clock


@pytest.fixture
def crm(db_url, history, monkeypatch):
    from click.testing import CliRunner

    from crm_tui.cli import cli

    def run(*args, user="admin", ok=True):
        monkeypatch.setenv("CRM_USER", user)
        monkeypatch.setenv("CRM_PASSWORD", "admin-pass" if user == "admin" else "pass-1234")
        with clock.frozen(datetime(2026, 6, 30, 9, 30)):
            result = CliRunner().invoke(cli, ["--db", db_url, "--lang", "en", *map(str, args)])
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


def test_churn_json_contract(crm):
    rows = json.loads(crm("report", "churn", "--format", "json").output)
    assert [r["customer_code"] for r in rows] == ["C3", "C1"]
    for row in rows:
        assert {"customer_code", "customer_name", "owner", "last_order_date", "amount_12m"} <= set(row)
    assert rows[1]["amount_12m"] == "3000.00" and rows[1]["last_order_date"] == "2026-03-12"
    mine = json.loads(crm("report", "churn", "--format", "json", user="wang").output)
    assert [r["customer_code"] for r in mine] == ["C1"]


def test_reorder_json_contract(crm):
    rows = json.loads(crm("report", "reorder", "--to", "2026-06-30", "--format", "json").output)
    assert rows == [{**rows[0], "customer_code": "C1", "median_interval_days": "30.5", "days_since_last": 110,
                     "expected_date": "2026-04-12"}]


def test_each_pinned_report_runs_as_table_and_json(crm):
    for name in ("churn", "reorder", "prices", "by-region", "by-industry", "cohort", "abc", "targets", "dashboard"):
        crm("report", name, "--from", "2026-06-01", "--to", "2026-06-30")
        data = json.loads(crm("report", name, "--from", "2026-06-01", "--to", "2026-06-30", "--format", "json").output)
        assert isinstance(data, dict if name == "dashboard" else list), name
    region = json.loads(crm("report", "by-region", "--from", "2026-06-01", "--to", "2026-06-30", "--format",
                            "json").output)
    assert region[0] == {"key": "南坊片区", "amount": "2500.00", "amount_last_year": "0.00", "yoy": None,
                         "amount_previous": "500.00", "mom": "4.0000"}


def test_xlsx_has_a_native_chart(crm, tmp_path):
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    out = tmp_path / "churn.xlsx"
    crm("report", "churn", "--xlsx", out)
    book = load_workbook(out)
    ws = book.worksheets[0]
    assert len(ws._charts) == 1
    assert ws["A1"].value == "Customer code" and ws["A2"].value == "C3"
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert rows[0][:2] == ["Customer code", "Customer name"]
    assert [r[0] for r in rows[1:3]] == ["C3", "C1"]
    assert rows[1][5] == 4000.0
    import zipfile

    with zipfile.ZipFile(out) as z:  # the chart part itself is in the package
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())


def test_targets_set_from_the_command_line(crm):
    done = crm("targets", "set", "--staff", "wang", "--month", "2026-06", "--amount", "3000", user="boss")
    assert "2026-06" in done.output
    rows = json.loads(crm("report", "targets", "--from", "2026-06-01", "--to", "2026-06-30", "--format",
                          "json").output)
    assert rows == [{"month": "2026-06", "staff": "王业务", "target": "3000.00", "actual": "2500.00",
                     "achieved": "0.8333"}]
    bad = crm("targets", "set", "--staff", "wang", "--month", "2026-13", "--amount", "1", ok=False)
    assert bad.exit_code != 0 and "--month" in bad.output and "Traceback" not in bad.output
    denied = crm("targets", "set", "--staff", "wang", "--month", "2026-06", "--amount", "1", user="wang", ok=False)
    assert denied.exit_code != 0


def test_abc_write_flag(crm):
    out = crm("report", "abc", "--from", "2025-07-01", "--to", "2026-06-30", "--write")
    assert "4" in out.output
    assert crm("report", "abc", "--write", user="wang", ok=False).exit_code != 0


def test_stacked_chart_in_excel(crm, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "margin.xlsx"
    crm("report", "margin-product", "--from", "2026-06-01", "--to", "2026-06-30", "--xlsx", out)
    chart = load_workbook(out).worksheets[0]._charts[0]
    assert chart.grouping == "stacked" and len(chart.series) == 2
