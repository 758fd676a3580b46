"""Printable documents as Excel workbooks (openpyxl): the same content as the PDF, ready to print from a
spreadsheet program.

One sheet: merged company header and title, the party and the document's particulars, the line table with
typed cells (numbers with ``#,##0.00``, rates as ``0%``, real dates), totals, the amount in capitals, terms and
seal blocks. Print setup: the template's paper and orientation, fit to one page wide, the table header
repeated on every printed page, "第 N 页 / 共 M 页" in the footer.
"""

from __future__ import annotations

import io
import math
import unicodedata
from pathlib import Path
from typing import BinaryIO

from crm_tui.io.print_model import PrintDocument, StatementDocument, line_cell, statement_cell
from crm_tui.io.templates import NUMERIC_COLUMNS, Template, template_for

MONEY_FORMAT = "#,##0.00"
PRICE_FORMAT = "#,##0.00##"
RATE_FORMAT = "0%"
DATE_FORMAT = "yyyy-mm-dd"
FONT_NAME = "宋体"
WIDTH_FACTOR = 1.6  # template widths are in Chinese-ish characters; Excel counts narrow ones
PAPER_CODES = {"A3": 8, "A4": 9, "A5": 11, "B5": 13, "LETTER": 1}

Document = PrintDocument | StatementDocument


def display_width(text: str) -> int:
    """Cells a text takes, counting Chinese (wide) characters as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _Sheet:
    """Writes rows top-down, merging across the table's columns where a row is a single line of text."""

    def __init__(self, ws, ncols: int):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.ws = ws
        self.ncols = ncols
        self.row = 0
        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.Font, self.Alignment, self.PatternFill = Font, Alignment, PatternFill
        self.body_font = Font(name=FONT_NAME, size=10)
        self.header_fill = PatternFill("solid", fgColor="E8EDF3")
        self.total_fill = PatternFill("solid", fgColor="F6F6F6")

    def next(self, height: float | None = None) -> int:
        self.row += 1
        if height:
            self.ws.row_dimensions[self.row].height = height
        return self.row

    def merged(self, text: str, first: int = 1, last: int | None = None, size: float = 10, bold: bool = False,
               align: str = "left", row: int | None = None, wrap: bool = False):
        r = row or self.row
        last = last or self.ncols
        cell = self.ws.cell(row=r, column=first, value=text)
        cell.font = self.Font(name=FONT_NAME, size=size, bold=bold)
        cell.alignment = self.Alignment(horizontal=align, vertical="center", wrap_text=wrap)
        if last > first:
            self.ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
        return cell

    def line(self, text: str, size: float = 10, bold: bool = False, align: str = "left",
             height: float | None = None, wrap: bool = False) -> None:
        self.next(height)
        self.merged(text, size=size, bold=bold, align=align, wrap=wrap)


def _split_point(ncols: int) -> int:
    """The last column of the left half of a two-part row (party | particulars, our seal | theirs)."""
    return max(1, math.ceil(ncols * 0.55))


def _pairs_rows(sh: _Sheet, left: list[tuple[str, str]], right: list[tuple[str, str]]) -> None:
    split = _split_point(sh.ncols)
    for i in range(max(len(left), len(right))):
        sh.next(16)
        if i < len(left):
            sh.merged(f"{left[i][0]}：{left[i][1]}", 1, split)
        if i < len(right) and split < sh.ncols:
            sh.merged(f"{right[i][0]}：{right[i][1]}", split + 1, sh.ncols)


def _header(sh: _Sheet, doc: Document, tpl: Template, company) -> None:
    if tpl.show_company and company.name:
        sh.line(company.name, size=16, bold=True, align="center", height=26)
        first = "    ".join(f"{tpl.label(k)}：{v}" for k, v in
                           (("our_address", company.address), ("our_phone", company.phone)) if v)
        second = "    ".join(f"{tpl.label(k)}：{v}" for k, v in (("our_tax_number", company.tax_number),
                                                             ("our_bank", company.bank),
                                                             ("our_account", company.account)) if v)
        for text in (first, "" if tpl.compact else second):
            if text:
                sh.line(text, size=9, align="center")
    sh.next(8)
    sh.line(doc.title or tpl.title, size=18, bold=True, align="center", height=30)
    sh.next(6)
    _pairs_rows(sh, tpl.party_pairs(doc), tpl.info_pairs(doc))
    if tpl.intro:
        sh.line(tpl.intro)


def _number_format(key: str) -> str | None:
    if key == "tax_rate":
        return RATE_FORMAT
    if key in ("unit_price", "gross_price"):
        return PRICE_FORMAT
    if key == "quantity":
        return "#,##0.####"
    if key in NUMERIC_COLUMNS:
        return MONEY_FORMAT
    return None


def _table(sh: _Sheet, tpl: Template, rows: list[list[object]]) -> int:
    """The header row and the body rows; returns the header's row number."""
    ws = sh.ws
    header_row = sh.next(22)
    for i, col in enumerate(tpl.columns, 1):
        cell = ws.cell(row=header_row, column=i, value=col.title)
        cell.font = sh.Font(name=FONT_NAME, size=10, bold=True)
        cell.fill = sh.header_fill
        cell.border = sh.border
        cell.alignment = sh.Alignment(horizontal="center", vertical="center", wrap_text=True)
    formats = [_number_format(col.key) for col in tpl.columns]
    aligns = [sh.Alignment(horizontal=col.align, vertical="center", wrap_text=col.key not in NUMERIC_COLUMNS)
              for col in tpl.columns]
    widths = [col.width * WIDTH_FACTOR for col in tpl.columns]
    for values in rows:
        r = sh.next()
        lines = 1
        for i, value in enumerate(values):
            cell = ws.cell(row=r, column=i + 1, value=value)
            cell.font = sh.body_font
            cell.border = sh.border
            cell.alignment = aligns[i]
            if formats[i]:
                cell.number_format = formats[i]
            elif hasattr(value, "year"):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, str):
                lines = max(lines, math.ceil(display_width(value) / max(widths[i] - 1, 1)))
        if lines > 1:  # Excel does not grow rows for wrapped text written by a program
            ws.row_dimensions[r].height = 14 * lines + 2
    return header_row


def _total_cells(sh: _Sheet, tpl: Template, sums: dict[str, object], label: str) -> None:
    keys = [c.key for c in tpl.columns]
    r = sh.next(18)
    first = next((i for i, k in enumerate(keys) if k in sums), len(keys))
    for i, key in enumerate(keys, 1):
        cell = sh.ws.cell(row=r, column=i, value=sums.get(key))
        cell.border, cell.fill = sh.border, sh.total_fill
        cell.font = sh.Font(name=FONT_NAME, size=10, bold=True)
        if key in sums:
            cell.number_format = _number_format(key) or MONEY_FORMAT
            cell.alignment = sh.Alignment(horizontal="right", vertical="center")
    if first > 0:
        sh.merged(label, 1, first, bold=True, align="center")


def _boxed_merged(sh: _Sheet, text: object, first: int, last: int, align: str, number_format: str | None = None):
    cell = sh.merged(text, first, last, align=align)  # type: ignore[arg-type]
    if number_format:
        cell.number_format = number_format
    for c in range(first, last + 1):
        sh.ws.cell(row=sh.row, column=c).border = sh.border
        sh.ws.cell(row=sh.row, column=c).fill = sh.total_fill
    return cell


def _words_row(sh: _Sheet, label: str, words: str, figure) -> None:
    sh.next(18)
    ncols = sh.ncols
    split = ncols - 2 if ncols >= 4 else ncols
    _boxed_merged(sh, f"{label}：{words}", 1, split, "left")
    if split < ncols:
        _boxed_merged(sh, figure, split + 1, ncols, "right", '"¥"#,##0.00')


def _closing(sh: _Sheet, doc: Document, tpl: Template, company) -> None:
    if doc.remarks:
        sh.line(f"{tpl.label('remarks')}：{doc.remarks}", wrap=True)
    terms = tpl.terms if doc.terms is None else doc.terms
    if terms:
        sh.next(6)
        if tpl.terms_title:
            sh.line(tpl.terms_title)
        for term in terms:
            total_width = sum(c.width * WIDTH_FACTOR for c in tpl.columns)
            lines = math.ceil(display_width(term) / max(total_width, 1))
            sh.line(term, size=9, wrap=True, height=13 * lines + 2 if lines > 1 else None)
    if tpl.show_signatures:
        split = _split_point(sh.ncols)
        sh.next(8)
        sh.next(20)
        sh.merged(f"{tpl.our_seal}：{company.name}", 1, split)
        if split < sh.ncols:
            sh.merged(f"{tpl.party_seal}：{doc.party.name}", split + 1, sh.ncols)
        sh.next(max(tpl.seal_space * 2.8, 10))  # points ≈ mm × 2.83
        sh.next(18)
        sh.merged(f"{tpl.label('signatory')}：{doc.our_signatory}", 1, split)
        if split < sh.ncols:
            sh.merged(f"{tpl.label('signatory')}：{doc.party_signatory}", split + 1, sh.ncols)
        sh.next(18)
        day = f"{tpl.label('sign_date')}：        年    月    日"
        sh.merged(day, 1, split)
        if split < sh.ncols:
            sh.merged(day, split + 1, sh.ncols)


def _print_setup(ws, tpl: Template, header_row: int) -> None:
    ws.page_setup.paperSize = PAPER_CODES[tpl.paper.upper()]
    ws.page_setup.orientation = tpl.orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    top, right, bottom, left = (m / 25.4 for m in tpl.margins)
    ws.page_margins.top, ws.page_margins.right, ws.page_margins.bottom, ws.page_margins.left = (
        top, right, bottom + 0.25, left)
    ws.page_margins.footer = max(bottom / 2, 0.1)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    page = tpl.page_format.replace("{page}", "&P").replace("{pages}", "&N")
    ws.oddFooter.center.text = page
    ws.oddFooter.center.size = 9
    if tpl.footer:
        ws.oddFooter.left.text = tpl.footer
        ws.oddFooter.left.size = 8


def build_workbook(doc: Document, template: Template | None = None):
    """An openpyxl Workbook holding ``doc``."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from crm_tui.io.print_model import Company

    tpl = template or template_for(doc.kind)
    company = doc.company or Company.from_settings()
    wb = Workbook()
    ws = wb.active
    ws.title = (doc.number or tpl.title.replace(" ", ""))[:31].replace("/", "-") or "Sheet1"
    sh = _Sheet(ws, len(tpl.columns))
    for i, col in enumerate(tpl.columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = col.width * WIDTH_FACTOR
    _header(sh, doc, tpl, company)
    if isinstance(doc, StatementDocument):
        header_row = _statement_body(sh, doc, tpl)
    else:
        header_row = _lines_body(sh, doc, tpl)
    _closing(sh, doc, tpl, company)
    _print_setup(ws, tpl, header_row)
    ws.print_area = f"A1:{get_column_letter(len(tpl.columns))}{sh.row}"
    return wb


def _lines_body(sh: _Sheet, doc: PrintDocument, tpl: Template) -> int:
    rows = [[line_cell(line, col.key, seq) for col in tpl.columns] for seq, line in enumerate(doc.lines, 1)]
    header_row = _table(sh, tpl, rows)
    t = doc.totals
    _total_cells(sh, tpl, {"quantity": t.quantity, "net_amount": t.net, "tax_amount": t.tax, "amount": t.gross},
                 tpl.label("total"))
    if tpl.show_tax_summary:
        sh.next(18)
        text = "    ".join([f"{tpl.label('net_total')}：¥{t.net:,.2f}", f"{tpl.label('tax_total')}：¥{t.tax:,.2f}",
                            f"{tpl.label('gross_total')}：¥{t.gross:,.2f}"])
        _boxed_merged(sh, text, 1, sh.ncols, "right")
    if tpl.show_amount_in_words:
        _words_row(sh, tpl.label("in_words"), doc.gross_in_words, t.gross)
    return header_row


def _statement_body(sh: _Sheet, doc: StatementDocument, tpl: Template) -> int:
    keys = [c.key for c in tpl.columns]
    opening: list[object] = [None] * len(keys)
    label_at = next((keys.index(k) for k in ("kind", "remark", "number") if k in keys), 0)
    opening[label_at] = tpl.label("opening_balance")
    if "date" in keys:
        opening[keys.index("date")] = doc.date_from
    if "balance" in keys:
        opening[keys.index("balance")] = doc.opening_balance
    rows = [opening]
    for seq, entry in enumerate(doc.entries, 1):
        row = [statement_cell(entry, key, seq) for key in keys]
        for i, key in enumerate(keys):  # a statement shows a blank, not 0.00, on the side that did not move
            if key in ("debit", "credit") and not row[i]:
                row[i] = None
        rows.append(row)
    header_row = _table(sh, tpl, rows)
    _total_cells(sh, tpl, {"debit": doc.total_debit, "credit": doc.total_credit, "balance": doc.closing_balance},
                 tpl.label("total"))
    if tpl.show_amount_in_words:
        _words_row(sh, tpl.label("in_words"), doc.closing_in_words, doc.closing_balance)
    return header_row


def render_xlsx(doc: Document, template: Template | None = None,
                target: str | Path | BinaryIO | None = None) -> bytes | None:
    """Write ``doc`` as an .xlsx workbook to ``target``; with no target, return the bytes."""
    wb = build_workbook(doc, template)
    if target is None:
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()
    wb.save(str(target) if isinstance(target, Path) else target)
    return None
