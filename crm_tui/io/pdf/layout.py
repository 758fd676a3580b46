"""The flowables of a printed document: header, title, parties, line table, totals, terms, signatures.

Everything the page shows is decided by the template (``crm_tui/io/templates.py``) and the document
(``crm_tui/io/print_model.py``); this module only arranges it the way a Chinese company's forms look:
centred company header over a double rule, a spaced title, the party on the left and the document's
particulars on the right, a ruled table whose header repeats on every page, the totals and the amount in
capitals once at the end, then terms and the two seal blocks.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus import paragraph as _paragraph

from crm_tui.core.errors import ValidationError
from crm_tui.core.money import round_money
from crm_tui.i18n import _
from crm_tui.io.print_model import (
    Company,
    PrintDocument,
    StatementDocument,
    line_cell,
    statement_cell,
)
from crm_tui.io.templates import NUMERIC_COLUMNS, Template

HEADER_FILL = colors.HexColor("#E8EDF3")
TOTAL_FILL = colors.HexColor("#F6F6F6")
RULE = colors.HexColor("#1F3A5F")
CELL_PAD = 2.5  # points, left and right inside a table cell
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
GAP = "\u00a0" * 4  # between items on one line; reportlab collapses ordinary and ideographic spaces

# reportlab's line breaker keeps a character that "cannot start a line" at the end of the previous one, but its
# list is Japanese and misses the Chinese full-width ，；：？！ and closing brackets, which then start lines.
_CHINESE_CANNOT_START = "\uff0c\uff1b\uff1a\uff1f\uff01\uff09\u300b\u3009\u300d\u300f\u3011\u3015\u2019\u201d"
for _module in (_paragraph, _textsplit):  # both line breakers read the list from their own module
    if _CHINESE_CANNOT_START[0] not in _module.ALL_CANNOT_START:
        _module.ALL_CANNOT_START += _CHINESE_CANNOT_START


# --- formatting -----------------------------------------------------------------------------------------

def fmt_money(value: Decimal | None, blank_zero: bool = False) -> str:
    if value is None or (blank_zero and not value):
        return ""
    return f"{round_money(value):,.2f}"


def fmt_price(value: Decimal | None) -> str:
    """Unit prices keep up to four places (¥0.0125 per piece is common) but show at least two."""
    if value is None:
        return ""
    places = max(2, min(4, -value.normalize().as_tuple().exponent))
    return f"{round_money(value, places):,.{places}f}"


def fmt_quantity(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value.normalize():,f}"
    return text


def fmt_rate(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{(value * 100).normalize():f}%"


def format_cell(key: str, value: object, date_format: str) -> str:
    if value is None:
        return ""
    if key == "quantity":
        return fmt_quantity(value)
    if key in ("unit_price", "gross_price"):
        return fmt_price(value)
    if key == "tax_rate":
        return fmt_rate(value)
    if key in ("debit", "credit"):
        return fmt_money(value, blank_zero=True)
    if key in NUMERIC_COLUMNS:
        return fmt_money(value)
    if hasattr(value, "strftime"):
        return value.strftime(date_format)
    return str(value)


# --- styles ---------------------------------------------------------------------------------------------

class Styles:
    """Paragraph styles for one font and base size."""

    def __init__(self, font: str, size: float):
        self.font = font
        self.size = size
        lead = size * 1.35
        self.body = ParagraphStyle("body", fontName=font, fontSize=size, leading=lead, wordWrap="CJK")
        self.small = ParagraphStyle("small", parent=self.body, fontSize=size - 1, leading=(size - 1) * 1.35)
        self.company_line = ParagraphStyle("company_line", parent=self.small, alignment=TA_CENTER)
        # The right indent leaves room for punctuation that hangs past the line end (see above).
        self.cell = {a: ParagraphStyle(f"cell_{a}", parent=self.body, leading=size * 1.2, alignment=al,
                                       rightIndent=size * 0.5 if a == "left" else 0)
                     for a, al in _ALIGN.items()}
        self._fitted: dict[tuple[str, float], ParagraphStyle] = {}
        self.head = ParagraphStyle("head", parent=self.body, alignment=TA_CENTER, leading=size * 1.2)
        self.terms = ParagraphStyle("terms", parent=self.small, leftIndent=0)


    def fitted(self, align: str, size: float) -> ParagraphStyle:
        """A one-line cell style at a smaller size, for figures too wide for their column."""
        key = (align, size)
        if key not in self._fitted:
            self._fitted[key] = ParagraphStyle(f"fit_{align}_{size}", parent=self.cell[align], fontSize=size,
                                               leading=size * 1.2, rightIndent=0, wordWrap=None)
        return self._fitted[key]


@lru_cache(maxsize=8)
def styles_for(font: str, size: float) -> Styles:
    return Styles(font, size)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


class HeadingText(Flowable):
    """One centred line drawn heavier than the font (CJK TrueType fonts have no bold face).

    ``rules`` draws a double line under it, as Chinese forms do under the title.
    """

    def __init__(self, text: str, font: str, size: float, rules: bool = False, space_after: float = 0):
        super().__init__()
        self.text, self.font, self.size, self.rules = text, font, size, rules
        self.space_after = space_after

    def wrap(self, avail_width, avail_height):
        self.avail = avail_width
        self.height = self.size * 1.25 + (4 if self.rules else 0)
        return avail_width, self.height

    def draw(self):
        c = self.canv
        text_width = stringWidth(self.text, self.font, self.size)
        x = (self.avail - text_width) / 2
        base = self.height - self.size
        c.saveState()
        c.setFont(self.font, self.size)
        c.setLineWidth(self.size * 0.035)  # stroke + fill: a faux bold that any viewer renders
        t = c.beginText(x, base)
        t.setTextRenderMode(2)
        t.textOut(self.text)
        c.drawText(t)
        if self.rules:
            pad = self.size * 0.4
            c.setLineWidth(0.9)
            c.line(x - pad, base - 3.5, x + text_width + pad, base - 3.5)
            c.setLineWidth(0.4)
            c.line(x - pad, base - 5.5, x + text_width + pad, base - 5.5)
        c.restoreState()


class DoubleRule(Flowable):
    """The heavy-over-light rule under the company header."""

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, 4

    def draw(self):
        c = self.canv
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(1.4)
        c.line(0, 3.2, self.width, 3.2)
        c.setLineWidth(0.5)
        c.line(0, 0.8, self.width, 0.8)
        c.restoreState()


# --- blocks ---------------------------------------------------------------------------------------------

def _frame_style(st: Styles, valign: str, right_pad: float = 0, v_pad: float = 0) -> TableStyle:
    """A borderless table used only to place blocks side by side."""
    return TableStyle([("FONT", (0, 0), (-1, -1), st.font, st.size), ("VALIGN", (0, 0), (-1, -1), valign),
                       ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), right_pad),
                       ("TOPPADDING", (0, 0), (-1, -1), v_pad), ("BOTTOMPADDING", (0, 0), (-1, -1), v_pad)])


def company_header(company: Company, tpl: Template, st: Styles, width: float) -> list[Flowable]:
    if not (tpl.show_company and (company.name or company.logo)):
        return []
    parts = [(tpl.label("our_address"), company.address), (tpl.label("our_phone"), company.phone)]
    line1 = GAP.join(f"{k}：{v}" for k, v in parts if v)
    bank = [(tpl.label("our_tax_number"), company.tax_number), (tpl.label("our_bank"), company.bank),
            (tpl.label("our_account"), company.account)]
    line2 = GAP.join(f"{k}：{v}" for k, v in bank if v)
    if tpl.compact:  # half-sheet forms: the name and one line of address and phone
        line2 = ""
    inner: list[Flowable] = [HeadingText(company.name, st.font, st.size + (5 if tpl.compact else 7))]
    inner += [para(text, st.company_line) for text in (line1, line2) if text]
    logo = _logo(company, tpl)
    if logo is None:
        block: Flowable = Table([[inner]], colWidths=[width])
    else:
        side = logo.drawWidth + 2 * mm
        block = Table([[logo, inner, ""]], colWidths=[side, width - 2 * side, side])
    block.setStyle(_frame_style(st, "MIDDLE", v_pad=0.5))
    return [block, Spacer(1, 1 * mm if tpl.compact else 1.5 * mm), DoubleRule(),
            Spacer(1, 1.5 * mm if tpl.compact else 3 * mm)]


def _logo(company: Company, tpl: Template) -> Image | None:
    if not (tpl.show_logo and company.logo):
        return None
    from pathlib import Path

    path = Path(company.logo).expanduser()
    if not path.is_file():
        message = _("The logo file {path} (settings [company] logo) does not exist.")
        raise ValidationError(message.format(path=path), field="logo")
    reader = _image_reader(str(path))
    iw, ih = reader.getSize()
    height = 15 * mm
    width = min(height * iw / ih, 40 * mm)
    height = width * ih / iw
    return Image(str(path), width=width, height=height)


@lru_cache(maxsize=4)
def _image_reader(path: str):
    from reportlab.lib.utils import ImageReader

    return ImageReader(path)


def title_block(title: str, tpl: Template, st: Styles) -> list[Flowable]:
    if tpl.compact:
        return [HeadingText(title, st.font, st.size + 6, rules=True), Spacer(1, 2 * mm)]
    return [HeadingText(title, st.font, st.size + 9, rules=True), Spacer(1, 4 * mm)]


def _pairs_text(pairs: list[tuple[str, str]]) -> list[str]:
    return [f"{label}：{value}" for label, value in pairs]


def parties_block(left: list[tuple[str, str]], right: list[tuple[str, str]], st: Styles,
                  width: float) -> list[Flowable]:
    """The party's particulars on the left, the document's (number, dates …) on the right."""
    rows = []
    lefts, rights = _pairs_text(left), _pairs_text(right)
    for i in range(max(len(lefts), len(rights))):
        rows.append([para(lefts[i], st.body) if i < len(lefts) else "",
                     para(rights[i], st.body) if i < len(rights) else ""])
    if not rows:
        return []
    table = Table(rows, colWidths=[width * 0.6, width * 0.4])
    table.setStyle(_frame_style(st, "TOP", right_pad=4, v_pad=0.6))
    return [table, Spacer(1, 2.5 * mm)]


def column_widths(tpl: Template, width: float) -> list[float]:
    total = sum(c.width for c in tpl.columns)
    return [width * c.width / total for c in tpl.columns]


def _cell(text: str, col_width: float, col, st: Styles):
    """A plain string when it fits (cheap); else text wraps inside the cell, and figures and dates, which must
    not break, are set smaller until they fit."""
    if not text:
        return ""
    room = col_width - 2 * CELL_PAD
    width = stringWidth(text, st.font, st.size)
    if "\n" not in text and width <= room:
        return text
    if col.key in NUMERIC_COLUMNS or col.key in ("date", "delivery_date", "seq", "code", "number"):
        size = max(round(st.size * room / width * 4 - 0.5) / 4, 4.0)  # quarter points, rounded down
        if size * width / st.size <= room or col.key in NUMERIC_COLUMNS:
            return Paragraph(escape(text), st.fitted(col.align, size))
    return para(text, st.cell[col.align])


def _table_style(tpl: Template, st: Styles) -> list[tuple]:
    cmds = [
        ("FONT", (0, 0), (-1, -1), st.font, st.size),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.8),
    ]
    for i, col in enumerate(tpl.columns):  # down to the totals rows, which override where they span
        cmds.append(("ALIGN", (i, 1), (i, -1), col.align.upper()))
    return cmds


def _header_row(tpl: Template, st: Styles) -> list:
    return [para(c.title, st.head) for c in tpl.columns]


def _money_span_row(label: str, words: str, figure: str, ncols: int, st: Styles) -> tuple[list, list[tuple]]:
    """A row across the table: "label：words" on the left, "¥figure" in the last columns on the right."""
    split = ncols - 2 if ncols >= 4 else ncols
    row: list = [""] * ncols
    row[0] = para(f"{label}：{words}", st.cell["left"])
    cmds = [("SPAN", (0, -1), (split - 1, -1))]
    if split < ncols:
        row[split] = f"¥{figure}"
        cmds += [("SPAN", (split, -1), (-1, -1)), ("ALIGN", (split, -1), (-1, -1), "RIGHT")]
    return row, cmds


def _totals_row(tpl: Template, sums: dict[str, str], label: str, st: Styles,
                width: float) -> tuple[list, list[tuple]]:
    """合计 under the numeric columns; the label spans the columns before the first total."""
    keys = [c.key for c in tpl.columns]
    first = next((i for i, k in enumerate(keys) if k in sums), len(keys))
    row = [_cell(sums.get(c.key, ""), w, c, st) for c, w in zip(tpl.columns, column_widths(tpl, width), strict=True)]
    cmds: list[tuple] = []
    if first == 0:
        return row, cmds  # no room for the label: the figures speak for themselves
    row[0] = label
    if first > 1:
        cmds.append(("SPAN", (0, -1), (first - 1, -1)))
    cmds.append(("ALIGN", (0, -1), (0, -1), "CENTER"))
    return row, cmds


def _finish_table(rows: list, style: list[tuple], tail: list[tuple[list, list[tuple]]], tpl, width) -> Table:
    """Append the closing rows (their style commands address row -1, resolved here) and build the table."""
    for row, cmds in tail:
        rows.append(row)
        index = len(rows) - 1
        for cmd in cmds:
            name, (c0, _r0), (c1, _r1), *rest = cmd
            style.append((name, (c0, index), (c1, index), *rest))
        style.append(("BACKGROUND", (0, index), (-1, index), TOTAL_FILL))
    table = Table(rows, colWidths=column_widths(tpl, width), repeatRows=1, splitByRow=1)
    table.setStyle(TableStyle(style))
    return table


def line_table(doc: PrintDocument, tpl: Template, st: Styles, width: float) -> Table:
    widths = column_widths(tpl, width)
    rows: list[list] = [_header_row(tpl, st)]
    for seq, line in enumerate(doc.lines, 1):
        rows.append([_cell(format_cell(col.key, line_cell(line, col.key, seq), tpl.date_format), w, col, st)
                     for col, w in zip(tpl.columns, widths, strict=True)])
    style = _table_style(tpl, st)
    t = doc.totals
    sums = {"quantity": fmt_quantity(t.quantity), "net_amount": fmt_money(t.net), "tax_amount": fmt_money(t.tax),
            "amount": fmt_money(t.gross)}
    tail = [_totals_row(tpl, sums, tpl.label("total"), st, width)]
    ncols = len(tpl.columns)
    if tpl.show_tax_summary:
        text = GAP.join([f"{tpl.label('net_total')}：¥{fmt_money(t.net)}",
                           f"{tpl.label('tax_total')}：¥{fmt_money(t.tax)}",
                           f"{tpl.label('gross_total')}：¥{fmt_money(t.gross)}"])
        row: list = [""] * ncols
        row[0] = para(text, st.cell["right"])
        tail.append((row, [("SPAN", (0, -1), (-1, -1))]))
    if tpl.show_amount_in_words:
        tail.append(_money_span_row(tpl.label("in_words"), doc.gross_in_words, fmt_money(t.gross), ncols, st))
    return _finish_table(rows, style, tail, tpl, width)


def statement_table(doc: StatementDocument, tpl: Template, st: Styles, width: float) -> Table:
    widths = column_widths(tpl, width)
    keys = [c.key for c in tpl.columns]
    rows: list[list] = [_header_row(tpl, st)]
    opening = [""] * len(keys)
    _put_label(opening, keys, tpl.label("opening_balance"), ("kind", "remark", "number"))
    if "date" in keys:
        opening[keys.index("date")] = doc.date_from.strftime(tpl.date_format)
    if "balance" in keys:
        opening[keys.index("balance")] = fmt_money(doc.opening_balance)
    rows.append(opening)
    for seq, entry in enumerate(doc.entries, 1):
        rows.append([_cell(format_cell(col.key, statement_cell(entry, col.key, seq), tpl.date_format), w, col, st)
                     for col, w in zip(tpl.columns, widths, strict=True)])
    style = _table_style(tpl, st)
    sums = {"debit": fmt_money(doc.total_debit), "credit": fmt_money(doc.total_credit),
            "balance": fmt_money(doc.closing_balance)}
    tail = [_totals_row(tpl, sums, tpl.label("total"), st, width)]
    if tpl.show_amount_in_words:
        tail.append(_money_span_row(tpl.label("in_words"), doc.closing_in_words, fmt_money(doc.closing_balance),
                                    len(keys), st))
    return _finish_table(rows, style, tail, tpl, width)


def _put_label(row: list, keys: list[str], label: str, preferred: tuple[str, ...]) -> None:
    for key in preferred:
        if key in keys:
            row[keys.index(key)] = label
            return
    row[0] = label


def remarks_block(remarks: str, tpl: Template, st: Styles) -> list[Flowable]:
    if not remarks:
        return []
    return [Spacer(1, 2 * mm), para(f"{tpl.label('remarks')}：{remarks}", st.body)]


def terms_block(terms: list[str], tpl: Template, st: Styles) -> list[Flowable]:
    if not terms:
        return []
    out: list[Flowable] = [Spacer(1, 2.5 * mm)]
    if tpl.terms_title:
        out.append(para(tpl.terms_title, st.body))
    out += [para(term, st.terms) for term in terms]
    return out


def signature_block(our_name: str, party_name: str, our_signatory: str, party_signatory: str, tpl: Template,
                    st: Styles, width: float) -> list[Flowable]:
    """Both parties' seal blocks side by side, with ``seal_space`` mm above the lines for the seal."""
    if not tpl.show_signatures:
        return []

    blank = "\u00a0" * 28

    def side(seal: str, name: str, signatory: str) -> list[Flowable]:
        sign = f"{escape(tpl.label('signatory'))}：<u>\u00a0{escape(signatory)}{blank}</u>"
        day = escape(f"{tpl.label('sign_date')}：{GAP * 2}年{GAP}月{GAP}日")
        if tpl.compact:  # signature and date on one line
            return [para(f"{seal}：{name}", st.body), Spacer(1, tpl.seal_space * mm),
                    Paragraph(f"{sign}{GAP}{day}", st.body)]
        return [para(f"{seal}：{name}", st.body), Spacer(1, tpl.seal_space * mm), Paragraph(sign, st.body),
                Spacer(1, 1.5 * mm), Paragraph(day, st.body)]

    ours, theirs = side(tpl.our_seal, our_name, our_signatory), side(tpl.party_seal, party_name, party_signatory)
    table = Table([[ours, theirs]], colWidths=[width / 2, width / 2])
    table.setStyle(_frame_style(st, "TOP", right_pad=8, v_pad=3))
    return [Spacer(1, 2 * mm if tpl.compact else 4 * mm), table]


# --- whole documents -------------------------------------------------------------------------------------

def document_story(doc: PrintDocument | StatementDocument, tpl: Template, font: str, width: float,
                   company: Company) -> list[Flowable]:
    st = styles_for(font, tpl.font_size)
    story = company_header(company, tpl, st, width)
    story += title_block(doc.title or tpl.title, tpl, st)
    story += parties_block(tpl.party_pairs(doc), tpl.info_pairs(doc), st, width)
    if tpl.intro:
        story += [para(tpl.intro, st.body), Spacer(1, 1.5 * mm)]
    if isinstance(doc, StatementDocument):
        story.append(statement_table(doc, tpl, st, width))
    else:
        story.append(line_table(doc, tpl, st, width))
    story += remarks_block(doc.remarks, tpl, st)
    # Terms and seals go together: a page with seals but not the terms they accept would be signed blind.
    closing = terms_block(tpl.terms if doc.terms is None else doc.terms, tpl, st)
    closing += signature_block(company.name, doc.party.name, doc.our_signatory, doc.party_signatory, tpl, st,
                               width)
    if closing:
        story.append(KeepTogether(closing))
    return story
