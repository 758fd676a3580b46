"""Every list to Excel: each registered kind on the demo company, read back with calamine; filters as the list
services take them; visibility (a salesperson's export holds only what they may see); headers in the interface
language; money as numbers with two decimals; the CLI ``crm export KIND OUT.xlsx``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied, ValidationError
from crm_tui.db.models.people import User
from crm_tui.db.session import read_session
from crm_tui.i18n import set_language
from crm_tui.services.exports.export import export, get_kind, names
from crm_tui.services.exports.registry import ExportFilters

pytestmark = pytest.mark.xdist_group("demo")

EXPECTED = {"orders", "quotes", "notices", "stock-outs", "receipts", "invoices", "expenses", "contact-logs",
            "approvals", "stock-documents", "stock-ledger", "purchase-orders"}


def read(path):
    book = CalamineWorkbook.from_path(str(path))
    return book.sheet_names, book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def actor_of(engine, login: str) -> Actor:
    with read_session(engine) as s:
        u = s.scalar(select(User).where(User.login == login))
        return Actor(u.id, u.login, u.display_name, u.role, u.department_id)


@pytest.fixture
def en():
    set_language("en")
    yield
    set_language("en")


def test_every_kind_exports_what_its_list_shows(demo, tmp_path, en):
    from crm_tui.services.exports.registry import rows_of

    assert EXPECTED <= set(names())
    with read_session(demo.engine, demo.admin) as s:
        for name in sorted(EXPECTED):
            kind = get_kind(name)
            listed = len(list(rows_of(s, demo.admin, kind, ExportFilters())))
            n = export(s, demo.admin, name, tmp_path / f"{name}.xlsx")
            _sheets, rows = read(tmp_path / f"{name}.xlsx")
            assert n == listed == len(rows) - 1 > 0, name
            assert rows[0] == [c.label() for c in kind.columns]


def test_orders_money_is_exact_numbers_and_headers_follow_the_language(demo, tmp_path):
    from crm_tui.services.sales.orders import list_orders

    set_language("zh_CN")
    try:
        with read_session(demo.engine, demo.admin) as s:
            export(s, demo.admin, "orders", tmp_path / "o.xlsx")
            first = list_orders(s, demo.admin, limit=1)[0]
    finally:
        set_language("en")
    sheets, rows = read(tmp_path / "o.xlsx")
    assert sheets == ["销售订单"] and rows[0][:3] == ["单号", "凭证号", "状态"] and "含税金额" in rows[0]
    assert rows[1][0] == first.number
    amount = rows[1][rows[0].index("含税金额")]
    assert isinstance(amount, float) and D(str(amount)) == first.gross_total
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "o.xlsx").active
    assert ws.cell(2, rows[0].index("含税金额") + 1).number_format == "#,##0.00"


def test_filters_narrow_like_the_list(demo, tmp_path, en):
    from crm_tui.services.sales.orders import list_orders

    f = ExportFilters(status="confirmed", date_from=date(2026, 11, 1), date_to=date(2026, 11, 30))
    with read_session(demo.engine, demo.admin) as s:
        n = export(s, demo.admin, "orders", tmp_path / "o.xlsx", f)
        expected = list_orders(s, demo.admin, status="confirmed", date_from=f.date_from, date_to=f.date_to,
                               limit=10_000)
    _sheets, rows = read(tmp_path / "o.xlsx")
    assert n == len(expected) > 0 and [r[0] for r in rows[1:]] == [o.number for o in expected]
    assert {r[2] for r in rows[1:]} == {"confirmed"}
    assert all(date(2026, 11, 1) <= r[3] <= date(2026, 11, 30) for r in rows[1:])


def test_a_filter_the_list_does_not_have_is_refused_and_nothing_is_written(demo, tmp_path, en):
    with read_session(demo.engine, demo.admin) as s:
        with pytest.raises(ValidationError, match="does not filter by text"):
            export(s, demo.admin, "notices", tmp_path / "n.xlsx", ExportFilters(text="x"))
        with pytest.raises(ValidationError, match="ends before it starts"):
            export(s, demo.admin, "orders", tmp_path / "n.xlsx",
                   ExportFilters(date_from=date(2026, 11, 2), date_to=date(2026, 11, 1)))
        with pytest.raises(NotFound, match="No such export"):
            export(s, demo.admin, "nonsense", tmp_path / "n.xlsx")
    assert not (tmp_path / "n.xlsx").exists()


def test_a_salesperson_exports_only_visible_documents(demo, tmp_path, en):
    from crm_tui.db.models.customers import Customer
    from crm_tui.services.customers.visibility import visible_customers_clause

    sunwei = actor_of(demo.engine, "sunwei")
    with read_session(demo.engine, sunwei) as s:
        visible = set(s.scalars(select(Customer.code).where(visible_customers_clause(s, sunwei))))
        for name in ("orders", "receipts", "contact-logs", "stock-outs"):
            export(s, sunwei, name, tmp_path / f"{name}.xlsx")
    with read_session(demo.engine, demo.admin) as s:
        export(s, demo.admin, "orders", tmp_path / "all.xlsx")
    _sheets, everything = read(tmp_path / "all.xlsx")
    for name in ("orders", "receipts", "contact-logs", "stock-outs"):
        _sheets, rows = read(tmp_path / f"{name}.xlsx")
        column = rows[0].index("Customer code")
        assert {r[column] for r in rows[1:]} <= visible, name
    _sheets, mine = read(tmp_path / "orders.xlsx")
    assert 0 < len(mine) < len(everything)


def test_stock_ledger_needs_a_stock_role(demo, tmp_path, en):
    sunwei = actor_of(demo.engine, "sunwei")
    hanlei = actor_of(demo.engine, "hanlei")  # warehouse
    with read_session(demo.engine, sunwei) as s, pytest.raises(PermissionDenied):
        export(s, sunwei, "stock-ledger", tmp_path / "l.xlsx")
    with read_session(demo.engine, hanlei) as s:
        assert export(s, hanlei, "stock-ledger", tmp_path / "l.xlsx") > 0


def test_cli_export_with_filters(demo, tmp_path, monkeypatch):
    from crm_tui.cli import cli

    monkeypatch.setenv("CRM_USER", "sunwei")
    monkeypatch.setenv("CRM_PASSWORD", "demo1234")
    out = tmp_path / "logs.xlsx"
    result = CliRunner().invoke(cli, ["--lang", "en", "--db", demo.url, "export", "contact-logs", str(out),
                                      "--owner", "sunwei", "--from", "2026-11-01", "--to", "2026-11-30"])
    assert result.exit_code == 0, result.output
    _sheets, rows = read(out)
    assert result.output.strip() == f"{len(rows) - 1} rows written to {out}"
    author = rows[0].index("Written by")
    assert len(rows) > 1 and {r[author] for r in rows[1:]} == {"孙伟"}
    bad = CliRunner().invoke(cli, ["--lang", "en", "--db", demo.url, "export", "orders", str(out),
                                   "--from", "yesterday"])
    assert bad.exit_code != 0 and "--from: not a date" in bad.output
