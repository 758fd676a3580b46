"""Excel versions: the same data, typed and formatted, read back by openpyxl and python-calamine."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from print_samples import COMPANY, make_doc, make_statement

from crm_tui.io.doc_xlsx import render_xlsx
from crm_tui.io.templates import load_template, template_for, user_template_folder


def _calamine_rows(data: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def _openpyxl_sheet(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data)).active


def _row_starting(rows: list[list], text: str) -> list:
    """The one row whose first cell is ``text`` (or, for a label ending in ）, starts with it)."""
    found = [r for r in rows if isinstance(r[0], str) and (r[0] == text or text.endswith("）") and r[0].startswith(text))]
    assert len(found) == 1, f"{text!r}: {len(found)} rows"
    return found[0]


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.mark.parametrize("kind", ["quote", "order", "delivery", "purchase_order"])
def test_line_document_reads_back_with_the_same_totals(kind):
    doc = make_doc(kind, 25)
    tpl = load_template(kind)
    data = render_xlsx(doc)
    keys = [c.key for c in tpl.columns]
    amount_col = keys.index("amount")
    for rows in (_calamine_rows(data), [list(r) for r in _openpyxl_sheet(data).iter_rows(values_only=True)]):
        flat = [str(v) for r in rows for v in r if v not in (None, "")]
        assert COMPANY.name in flat and tpl.title in flat
        header_at = next(i for i, r in enumerate(rows) if r[0] == tpl.columns[0].title)
        assert [r for r in rows[header_at]][: len(keys)] == [c.title for c in tpl.columns]
        body = rows[header_at + 1: header_at + 1 + len(doc.lines)]
        name_col = keys.index("name")
        assert [r[name_col] for r in body] == [ln.name for ln in doc.lines]
        assert sum(_money(r[amount_col]) for r in body) == doc.totals.gross
        total = _row_starting(rows, "合计")
        assert _money(total[amount_col]) == doc.totals.gross
        assert Decimal(str(total[keys.index("quantity")])) == doc.totals.quantity
        words = _row_starting(rows, "合计金额（大写）")
        assert doc.gross_in_words in words[0]
        assert _money(words[-2 if len(keys) >= 4 else 0]) == doc.totals.gross


def test_number_formats_print_setup_and_merged_title():
    doc = make_doc("quote", 60)
    tpl = template_for("quote")
    ws = _openpyxl_sheet(render_xlsx(doc))
    header_row = next(r[0].row for r in ws.iter_rows() if r[0].value == "序号")
    first = header_row + 1
    keys = [c.key for c in tpl.columns]
    col = {k: i + 1 for i, k in enumerate(keys)}
    assert ws.cell(first, col["amount"]).number_format == "#,##0.00"
    assert ws.cell(first, col["tax_rate"]).number_format == "0%"
    assert ws.cell(first, col["tax_rate"]).value == pytest.approx(0.13)
    assert ws.cell(first, col["quantity"]).data_type == "n"
    assert ws.print_title_rows.replace("$", "") == f"{header_row}:{header_row}"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    merged = {str(r) for r in ws.merged_cells.ranges}
    last = chr(ord("A") + len(keys) - 1)
    assert f"A1:{last}1" in merged  # company name across the table
    title_row = next(r[0].row for r in ws.iter_rows() if r[0].value == tpl.title)
    assert f"A{title_row}:{last}{title_row}" in merged
    assert ws.cell(1, 1).font.b and ws.cell(title_row, 1).font.sz >= 16


def test_a5_template_sets_landscape_paper():
    ws = _openpyxl_sheet(render_xlsx(make_doc("delivery", 3), load_template("delivery_a5")))
    assert ws.page_setup.paperSize == 11 and ws.page_setup.orientation == "landscape"


def test_statement_reads_back():
    doc = make_statement(9)
    rows = _calamine_rows(render_xlsx(doc))
    keys = [c.key for c in load_template("statement").columns]
    opening = next(r for r in rows if "期初余额" in r)
    assert _money(opening[keys.index("balance")]) == doc.opening_balance
    total = _row_starting(rows, "合计")
    assert _money(total[keys.index("debit")]) == doc.total_debit
    assert _money(total[keys.index("credit")]) == doc.total_credit
    assert _money(total[keys.index("balance")]) == doc.closing_balance
    assert doc.closing_in_words in _row_starting(rows, "期末余额（大写）")[0]
    numbers = [r[keys.index("number")] for r in rows if str(r[keys.index("number")]).startswith(("CK", "SK"))]
    assert numbers == [e.number for e in doc.entries]


def test_changed_template_changes_the_workbook():
    folder = user_template_folder()
    folder.mkdir(parents=True)
    (folder / "order.toml").write_text(
        'title = "订 货 确 认 书"\n[[columns]]\nkey = "name"\nwidth = 20\n[[columns]]\nkey = "amount"\nwidth = 10\n',
        encoding="utf-8")
    doc = make_doc("order", 3)
    rows = _calamine_rows(render_xlsx(doc))
    flat = [v for r in rows for v in r]
    assert "订 货 确 认 书" in flat and "销 售 合 同" not in flat
    assert all(len(r) == 2 for r in rows)  # two columns only
    assert "品名" in flat and "规格型号" not in flat
