"""The print model's own arithmetic and formatting, and what importing the print code costs."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from print_samples import CUSTOMER, make_lines

from crm_tui.io.print_model import PrintDocument, PrintLine, StatementDocument, StatementEntry, Totals

ROOT = Path(__file__).resolve().parents[2]


def test_totals_are_the_sum_of_rounded_lines():
    lines = make_lines(9)
    doc = PrintDocument("quote", "QT-1", date(2026, 1, 1), CUSTOMER, lines)
    assert doc.totals.gross == sum(ln.amount for ln in lines)
    assert doc.totals.net + doc.totals.tax == doc.totals.gross
    assert doc.totals.quantity == sum(ln.quantity for ln in lines)
    given = Totals(D("1.00"), D("0.13"), D("1.13"))
    assert PrintDocument("quote", "QT-2", date(2026, 1, 1), CUSTOMER, lines, totals=given).totals is given


def test_gross_in_words():
    line = PrintLine("茶叶", D(1), amount=D("12345.67"), net_amount=D("10925.37"), tax_amount=D("1420.30"))
    doc = PrintDocument("order", "SO-1", date(2026, 1, 1), CUSTOMER, [line])
    assert doc.gross_in_words == "人民币壹万贰仟叁佰肆拾伍元陆角柒分"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="receipt"):
        PrintDocument("receipt", "SK-1", date(2026, 1, 1), CUSTOMER, [])


def test_statement_running_balance():
    entries = [StatementEntry(date(2026, 3, 1), "销售出库", "CK1", debit=D("100.00")),
               StatementEntry(date(2026, 3, 2), "收款", "SK1", credit=D("250.00")),
               StatementEntry(date(2026, 3, 3), "销售出库", "CK2", debit=D("30.50"), balance=D("-119.50"))]
    st = StatementDocument(CUSTOMER, date(2026, 3, 1), date(2026, 3, 31), D("1.00"), entries)
    assert [e.balance for e in entries] == [D("101.00"), D("-149.00"), D("-119.50")]
    assert st.closing_balance == D("-118.50")  # computed from the movements, not the given running figure
    assert st.closing_in_words == "人民币负壹佰壹拾捌元伍角"
    assert st.date == date.today()


def test_cell_formatting():
    from crm_tui.io.pdf.layout import fmt_money, fmt_price, fmt_quantity, fmt_rate, format_cell

    assert fmt_money(D("1234567.5")) == "1,234,567.50"
    assert fmt_money(D("0"), blank_zero=True) == ""
    assert fmt_price(D("12.5")) == "12.50" and fmt_price(D("0.0125")) == "0.0125"
    assert fmt_price(D("3.123456")) == "3.1235"
    assert fmt_quantity(D("1200.0000")) == "1,200" and fmt_quantity(D("2.5000")) == "2.5"
    assert fmt_rate(D("0.13")) == "13%" and fmt_rate(D("0.065")) == "6.5%" and fmt_rate(D("0")) == "0%"
    assert format_cell("delivery_date", date(2026, 5, 1), "%Y年%m月%d日") == "2026年05月01日"
    assert format_cell("credit", D("0"), "%Y") == ""


def test_importing_print_code_stays_light():
    """Start-up must not pay for reportlab, openpyxl or textual just because printing is wired in."""
    code = ("import sys, crm_tui.io.pdf, crm_tui.io.templates, crm_tui.io.print_model, crm_tui.services.printing.documents, "
            "crm_tui.services.printing.batch, crm_tui.cli.printing; "
            "print(sorted(m for m in ('reportlab', 'openpyxl', 'textual') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"


def _messages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return found


def test_every_printing_message_has_chinese():
    from crm_tui.i18n import catalog

    files = [*ROOT.glob("crm_tui/io/pdf/*.py"), ROOT / "crm_tui/io/templates.py", ROOT / "crm_tui/io/doc_xlsx.py",
             ROOT / "crm_tui/services/printing/documents.py", ROOT / "crm_tui/services/printing/batch.py",
             ROOT / "crm_tui/cli/printing.py"]
    zh = catalog("zh_CN")
    missing = sorted(m for f in files for m in _messages(f) if m not in zh)
    assert not missing
