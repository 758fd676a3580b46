"""Every font path gives Chinese that any viewer shows and a text extractor reads back."""

from __future__ import annotations

import io

import pytest
from print_samples import make_doc, pages_text, squash

from crm_tui.core.errors import ValidationError
from crm_tui.io.pdf import fonts
from crm_tui.io.pdf.render import render_pdf
from crm_tui.io.templates import load_template


def _font_objects(pdf: bytes) -> list[dict]:
    from pypdf import PdfReader

    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            found.append({"base": str(font["/BaseFont"]), "descriptor": target.get("/FontDescriptor")})
    return found


def _is_embedded(entry: dict) -> bool:
    descriptor = entry["descriptor"]
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_embedded_truetype_from_the_template(wqy_font):
    tpl = load_template("quote")
    tpl.font = wqy_font
    doc = make_doc("quote", 4)
    pdf = render_pdf(doc, tpl)
    used = _font_objects(pdf)
    assert used and all(_is_embedded(f) for f in used)
    assert not any("STSong" in f["base"] for f in used)
    text = squash("".join(pages_text(pdf)))
    assert doc.party.name in text and doc.gross_in_words in text


def _no_system_font(monkeypatch):
    monkeypatch.setattr(fonts, "system_candidates", lambda: [])
    monkeypatch.setattr(fonts, "_auto_choice", None)


def _embedded_font_files(pdf: bytes) -> list[str]:
    """The embedded font file kind (FontFile2: TrueType) of every font of every page."""
    kinds = []
    for entry in _font_objects(pdf):
        descriptor = entry["descriptor"].get_object() if entry["descriptor"] is not None else {}
        kinds += [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor] or ["none"]
    return kinds


def test_the_bundled_font_is_embedded_when_the_system_has_none(monkeypatch):
    _no_system_font(monkeypatch)
    choice = fonts.choose_font()
    assert choice.embedded and choice.origin == "bundled" and choice.family == "WenQuanYi Micro Hei"
    assert choice.summary() == "WenQuanYi Micro Hei (bundled subset)"
    doc = make_doc("order", 4)
    pdf = render_pdf(doc)
    assert set(_embedded_font_files(pdf)) == {"/FontFile2"}
    assert not any("STSong" in f["base"] for f in _font_objects(pdf))
    text = squash("".join(pages_text(pdf, engine="pypdf")))
    assert doc.party.name in text and doc.gross_in_words in text and "\ufffd" not in text
    for line in doc.lines:
        assert squash(line.name) in text


def test_the_bundled_subset_covers_gb2312_and_the_padding_spaces():
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(fonts.register_truetype(fonts.bundled_font_path())).face
    hanzi = [bytes((row, cell)).decode("gb2312") for row in range(0xB0, 0xF8) for cell in range(0xA1, 0xFF)
             if (row, cell) not in {(0xD7, c) for c in range(0xFA, 0xFF)}]  # D7FA–D7FE are unassigned
    assert len(hanzi) == 6763 and all(ord(c) in face.charToGlyph for c in hanzi)
    assert all(face.charToGlyph.get(ord(c)) for c in "\u00a0\u3000￥¥，。：（）ＡＺａｚ０９×°")  # 0: .notdef
    assert fonts.bundled_font_path().stat().st_size < 3_000_000
    assert (fonts.bundled_font_path().parent / "LICENSE").read_text(encoding="utf-8").count("Apache License") >= 1


def test_nbsp_padding_extracts_without_replacement_characters(monkeypatch):
    """The signature line is padded with U+00A0: in the PDF it must be spaces, not boxes or U+FFFD."""
    _no_system_font(monkeypatch)
    doc = make_doc("order", 1)
    doc.remarks = "甲方\u00a0\u00a0\u00a0乙方\u3000丙方"
    pdf = render_pdf(doc)
    assert set(_embedded_font_files(pdf)) == {"/FontFile2"}  # drawn with the font's glyphs, not a viewer's
    text = "".join(pages_text(pdf, engine="pypdf"))
    assert "\ufffd" not in text and "甲方" in text and "丙方" in text


def test_cid_font_only_when_asked_for(monkeypatch):
    from crm_tui.config import update_settings

    _no_system_font(monkeypatch)
    assert fonts.choose_font().embedded  # nothing configured, no system font: still embedded
    update_settings("print", font="STSong-Light")
    assert not fonts.choose_font().embedded


def test_settings_font_and_explicit_cid(wqy_font):
    from crm_tui.config import update_settings

    update_settings("print", font=wqy_font, font_index=0)
    choice = fonts.choose_font()
    assert choice.embedded and choice.origin == "settings" and choice.path == wqy_font
    update_settings("print", font="STSong-Light")
    assert fonts.choose_font().name == "STSong-Light"


def test_a_cff_font_is_refused_naming_the_setting(tmp_path):
    from crm_tui.config import update_settings

    otf = tmp_path / "NotoSansCJKsc-Regular.otf"
    otf.write_bytes(b"OTTO" + b"\0" * 64)
    update_settings("print", font=str(otf))
    with pytest.raises(ValidationError) as err:
        fonts.choose_font()
    assert "settings [print] font" in err.value.message and "CFF" in err.value.message


def test_a_cff_subfont_in_a_collection_is_detected(tmp_path):
    import struct

    ttc = tmp_path / "mixed.ttc"
    # a collection of two fonts: TrueType at offset 20, CFF at offset 24
    ttc.write_bytes(b"ttcf" + struct.pack(">HHI", 1, 0, 2) + struct.pack(">II", 20, 24) + b"\0\1\0\0" + b"OTTO")
    assert fonts.outline_kind(ttc, 0) == "truetype"
    assert fonts.outline_kind(ttc, 1) == "cff"
    assert "out of range" in fonts.outline_kind(ttc, 5)


def test_a_missing_template_font_names_the_template(tmp_path):
    tpl = load_template("quote")
    tpl.font = str(tmp_path / "nowhere.ttf")
    with pytest.raises(ValidationError) as err:
        render_pdf(make_doc("quote", 1), tpl)
    assert "quote.toml: field font" in err.value.message and "nowhere.ttf" in err.value.message
