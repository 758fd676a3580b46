"""Every kind of document as PDF: the text read back holds what the document says."""

from __future__ import annotations

import io

import pytest
from print_samples import COMPANY, make_doc, make_statement, pages_text, squash

from crm_tui.io.pdf.layout import fmt_money
from crm_tui.io.pdf.render import render_pdf
from crm_tui.io.templates import load_template


@pytest.mark.parametrize("kind,template", [("quote", None), ("order", None), ("delivery", None),
                                           ("delivery", "delivery_a5"), ("purchase_order", None)])
def test_line_document_text(kind, template):
    doc = make_doc(kind, 14)
    pdf = render_pdf(doc, load_template(template) if template else None)
    assert pdf.startswith(b"%PDF")
    text = squash("".join(pages_text(pdf)))
    assert COMPANY.name in text
    assert doc.party.name in text
    for line in doc.lines:
        assert squash(line.name) in text, line.name
    totals = doc.totals
    assert totals.gross == sum(line.amount for line in doc.lines)
    assert fmt_money(totals.gross) in text
    if load_template(template or kind).show_tax_summary:
        assert fmt_money(totals.net) in text
        assert fmt_money(totals.tax) in text
    assert doc.gross_in_words.startswith("人民币") and doc.gross_in_words in text
    assert doc.number in text


def test_quote_shows_the_document_particulars_and_terms():
    doc = make_doc("quote", 3)
    text = squash("".join(pages_text(render_pdf(doc))))
    tpl = load_template("quote")
    for label, value in tpl.info_pairs(doc):
        assert squash(f"{label}：{value}") in text
    assert squash(tpl.title) in text
    for term in tpl.terms:
        assert squash(term) in text
    assert squash(tpl.our_seal) in text and squash(tpl.party_seal) in text
    assert "价格含运费" in text  # remarks


def test_statement_text():
    doc = make_statement(12)
    text = squash("".join(pages_text(render_pdf(doc))))
    assert COMPANY.name in text and doc.party.name in text
    assert "期初余额" in text and fmt_money(doc.opening_balance) in text
    for entry in doc.entries:
        assert entry.number in text
        assert fmt_money(entry.balance) in text
    assert fmt_money(doc.total_debit) in text
    assert fmt_money(doc.total_credit) in text
    assert doc.closing_balance == doc.opening_balance + doc.total_debit - doc.total_credit
    assert doc.closing_in_words in text
    assert "2026-10-01~2026-10-31" in text


def test_pypdf_reads_the_same_text():
    """Where poppler is missing the tests fall back to pypdf; it must read the Chinese too."""
    doc = make_doc("quote", 5)
    text = squash("".join(pages_text(render_pdf(doc), engine="pypdf")))
    assert doc.party.name in text and doc.gross_in_words in text
    for line in doc.lines:
        assert squash(line.name) in text


def test_render_to_a_file_and_a_stream(tmp_path):
    doc = make_doc("delivery", 2)
    path = tmp_path / "out.pdf"
    assert render_pdf(doc, target=path) is None
    stream = io.BytesIO()
    render_pdf(doc, target=stream)
    assert path.read_bytes()[:5] == stream.getvalue()[:5] == b"%PDF-"
    assert doc.party.name in squash("".join(pages_text(path.read_bytes())))


def test_a5_landscape_page_size():
    from pypdf import PdfReader

    pdf = render_pdf(make_doc("delivery", 4), load_template("delivery_a5"))
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210 and round(float(box.height) / 72 * 25.4) == 148
    assert len(pages_text(pdf)) == 1  # a short delivery note fits its half sheet


def test_company_from_settings_and_logo(tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    from crm_tui.config import update_settings

    logo = tmp_path / "logo.png"
    Image.new("RGB", (240, 120), (200, 30, 30)).save(logo)
    update_settings("company", name="杭州西湖茶叶有限公司", address="杭州市西湖区龙井路1号", logo=str(logo))
    pdf = render_pdf(make_doc("quote", 2, company=None))
    text = squash("".join(pages_text(pdf)))
    assert "杭州西湖茶叶有限公司" in text and "杭州市西湖区龙井路1号" in text
    assert list(PdfReader(io.BytesIO(pdf)).pages[0].images), "the logo is drawn"

    no_logo = load_template("quote")
    no_logo.show_logo = False
    assert not list(PdfReader(io.BytesIO(render_pdf(make_doc("quote", 2, company=None), no_logo))).pages[0].images)


def test_missing_logo_is_a_clear_error(tmp_path):
    from crm_tui.config import update_settings
    from crm_tui.core.errors import ValidationError

    update_settings("company", name="某公司", logo=str(tmp_path / "nope.png"))
    with pytest.raises(ValidationError, match="nope.png"):
        render_pdf(make_doc("quote", 1, company=None))


def test_long_names_wrap_inside_their_cell():
    """A name far wider than its column is wrapped, not cut: every character comes back."""
    long_name = "超长品名测试：" + "耐高温耐腐蚀食品级硅胶密封圈" * 4
    doc = make_doc("quote", 2)
    doc.lines[0].name = long_name
    text = squash("".join(pages_text(render_pdf(doc))))
    assert squash(long_name) in text


def test_huge_amounts_shrink_to_fit_rather_than_break():
    from reportlab.platypus import Paragraph

    from crm_tui.io.pdf.fonts import auto_font
    from crm_tui.io.pdf.layout import Styles, _cell
    from crm_tui.io.templates import Column

    st = Styles(auto_font().name, 9)
    col = Column("amount", "金额", 8, "right")
    assert _cell("1.00", 60, col, st) == "1.00"
    fitted = _cell("123,456,789,012.34", 40, col, st)
    assert isinstance(fitted, Paragraph) and fitted.style.fontSize < 9
    fitted.wrap(40, 100)
    assert len(fitted.blPara.lines) == 1


def test_a_very_large_total_is_printed_whole():
    from decimal import Decimal

    from print_samples import make_lines

    lines = make_lines(2)
    lines[0].quantity, lines[0].amount = Decimal(1), Decimal("9876543210.12")
    doc = make_doc("order", 0, lines=lines)
    text = squash("".join(pages_text(render_pdf(doc))))
    assert fmt_money(doc.totals.gross) in text and "9,876,543,210.12" in text
    assert doc.gross_in_words in text
