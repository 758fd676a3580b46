"""Both font paths give Chinese that any viewer shows and pdftotext reads back."""

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


def test_cid_fallback_when_no_system_font(monkeypatch):
    monkeypatch.setattr(fonts, "system_candidates", lambda: [])
    monkeypatch.setattr(fonts, "_auto_choice", None)
    choice = fonts.choose_font()
    assert choice.name == "STSong-Light" and not choice.embedded
    doc = make_doc("order", 4)
    pdf = render_pdf(doc)
    used = _font_objects(pdf)
    assert used and all("STSong-Light" in f["base"] and not _is_embedded(f) for f in used)
    text = squash("".join(pages_text(pdf)))
    assert doc.party.name in text and doc.gross_in_words in text
    for line in doc.lines:
        assert squash(line.name) in text


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
