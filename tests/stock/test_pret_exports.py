"""The purchasing lists to Excel (purchase receipts, supplier payments, input invoices, purchase returns,
suppliers): each kind with its list's filters, read back with calamine, and the same from ``crm export``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from crm_tui.cli import cli
from crm_tui.core.errors import ValidationError
from crm_tui.services.exports.export import export, get_kind
from crm_tui.services.exports.registry import ExportFilters
from crm_tui.services.purchasing import orders as po
from crm_tui.services.purchasing import payables as pay
from crm_tui.services.purchasing import receipts as pr
from crm_tui.services.purchasing import returns as ret
from crm_tui.services.purchasing import suppliers as sup
from crm_tui.services.purchasing.orders import OrderLineInput

KINDS = ("purchase-receipts", "supplier-payments", "input-invoices", "purchase-returns", "suppliers")


def read(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)


@pytest.fixture
def books(tx, admin, world):
    """Two suppliers, each with a received order, a payment and an invoice; S001 also a return (3 of 10)."""
    ids = {}
    with tx() as s:
        for code, name, price, day in (("S001", "景芝酒业", "33.33", date(2026, 11, 3)),
                                       ("S002", "海天调味", "12", date(2026, 11, 20))):
            sid = ids[code] = sup.add_supplier(s, admin, code=code, name=name)
            oid = po.create_order(s, admin, sid, [OrderLineInput(world["p1"], D("10"), price=D(price))],
                                  warehouse_id=world["w1"])
            po.submit(s, admin, oid)
            ids[code + "-receipt"] = pr.receive(s, admin, oid)
            pay.record_payment(s, admin, sid, "100", day, order_id=oid, reference=f"BANK-{code}")
            pay.record_invoice(s, admin, sid, f"INV-{code}", amount_gross="113", tax_rate=D("0.13"),
                               invoice_date=day, order_id=oid)
        receipt = ret.find_receipt(s, ids["S001-receipt"])
        line = ret.returnable_lines(s, receipt.id)[0].receipt_line_id
        ids["return"] = ret.return_goods(s, admin, receipt.id, {line: "3"}, reason="破损")
    return ids


def test_each_kind_reads_back_with_its_filters(engine, admin, books, tmp_path):
    from crm_tui.db.session import read_session

    with read_session(engine, admin) as s:
        counts = {}
        for name in KINDS:
            n = export(s, admin, name, tmp_path / f"{name}.xlsx")
            rows = read(tmp_path / f"{name}.xlsx")
            assert rows[0] == [c.label() for c in get_kind(name).columns], name
            counts[name] = (n, len(rows) - 1)
        only_s1 = ExportFilters(supplier_id=books["S001"])
        export(s, admin, "supplier-payments", tmp_path / "p1.xlsx", only_s1)
        export(s, admin, "input-invoices", tmp_path / "i2.xlsx", ExportFilters(date_from=date(2026, 11, 10)))
        export(s, admin, "purchase-receipts", tmp_path / "r.xlsx", ExportFilters(text="S002"))
        export(s, admin, "suppliers", tmp_path / "s.xlsx", ExportFilters(text="海天"))
        with pytest.raises(ValidationError, match="does not filter by"):
            export(s, admin, "suppliers", tmp_path / "x.xlsx", only_s1)
    assert counts == {"purchase-receipts": (2, 2), "supplier-payments": (2, 2), "input-invoices": (2, 2),
                      "purchase-returns": (1, 1), "suppliers": (2, 2)}
    payments = read(tmp_path / "p1.xlsx")
    assert len(payments) == 2 and payments[1][payments[0].index("Reference")] == "BANK-S001"
    assert payments[1][payments[0].index("Amount")] == 100.0
    invoices = read(tmp_path / "i2.xlsx")
    assert [r[0] for r in invoices[1:]] == ["INV-S002"]
    assert [r[0] for r in read(tmp_path / "r.xlsx")[1:]] == [books["S002-receipt"]]
    assert [r[0] for r in read(tmp_path / "s.xlsx")[1:]] == ["S002"]
    returns = read(tmp_path / "purchase-returns.xlsx")
    row = dict(zip(returns[0], returns[1], strict=True))
    assert row["Number"] == books["return"] and row["Purchase receipt"] == books["S001-receipt"]
    assert D(str(row["Amount incl. tax"])) == D("112.99") and row["Reason"] == "破损"


def test_crm_export_with_filters(db_url, admin, books, tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")

    def crm(*args):
        result = CliRunner().invoke(cli, ["--db", db_url, "--lang", "en", *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert "1 row written" in crm("export", "purchase-returns", str(tmp_path / "r.xlsx"), "--supplier", "S001",
                                  "--status", "confirmed", "--from", "2026-01-01")
    assert "0 rows written" in crm("export", "purchase-returns", str(tmp_path / "none.xlsx"), "--status", "draft")
    assert "1 row written" in crm("export", "input-invoices", str(tmp_path / "i.xlsx"), "--search", "INV-S002")
    assert "1 row written" in crm("export", "purchase-receipts", str(tmp_path / "pr.xlsx"), "--supplier", "S002",
                                  "--warehouse", "WH1")
    assert "2 rows written" in crm("export", "supplier-payments", str(tmp_path / "p.xlsx"), "--to", "2026-12-31")
    assert read(tmp_path / "r.xlsx")[1][0].startswith("CT")
