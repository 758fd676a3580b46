"""Templates: shipped defaults, user copies that override them, and clear errors for bad ones."""

from __future__ import annotations

import pytest
from print_samples import make_doc, make_statement, pages_text, squash

from crm_tui.core.errors import ValidationError
from crm_tui.io.pdf.render import render_pdf
from crm_tui.io.templates import (
    TEMPLATE_KINDS,
    available_templates,
    install_templates,
    load_template,
    shipped_template_names,
    template_for,
    user_template_folder,
)


def _user_template(name: str, text: str):
    folder = user_template_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_template_loads():
    names = shipped_template_names()
    assert set(TEMPLATE_KINDS) <= set(names) and "delivery_a5" in names
    for name in names:
        tpl = load_template(name)
        assert tpl.columns and tpl.title
        assert tpl.kind in TEMPLATE_KINDS


def test_user_copy_overrides_title_and_columns():
    doc = make_doc("quote", 4)
    before = squash("".join(pages_text(render_pdf(doc))))
    assert "备注" in before and "报价单" in before
    _user_template("quote", '''
title = "产品报价表"
[labels]
number = "编号"
[[columns]]
key = "name"
title = "货品名称"
width = 30
[[columns]]
key = "quantity"
width = 8
[[columns]]
key = "amount"
title = "总价"
width = 12
''')
    tpl = template_for("quote")
    assert [c.key for c in tpl.columns] == ["name", "quantity", "amount"]
    assert tpl.labels["valid_until"] == "有效期至"  # labels not given keep the shipped ones
    assert len(tpl.terms) == 5 and tpl.terms[0].startswith("1. 以上报价")  # so do the terms
    after = squash("".join(pages_text(render_pdf(doc))))
    assert "产品报价表客户名称" in after and "报价单客户名称" in before  # the title, above the party
    assert "报价单号" not in after
    assert "货品名称" in after and "总价" in after and "编号：QT" in after
    assert "规格型号" not in after and "商品编码" not in after
    assert "P10001" not in after  # the code column is gone
    for line in doc.lines:
        assert squash(line.name) in after


def test_template_by_path_and_kind_check(tmp_path):
    path = tmp_path / "my_delivery.toml"
    path.write_text('kind = "delivery"\ntitle = "送 货 单"\n', encoding="utf-8")
    tpl = load_template(path)
    assert tpl.title == "送 货 单" and tpl.kind == "delivery" and tpl.columns  # columns from the shipped one
    text = squash("".join(pages_text(render_pdf(make_doc("delivery", 2), tpl))))
    assert "送货单" in text
    with pytest.raises(ValidationError, match="for delivery documents, not quote"):
        template_for("quote", str(path))


def test_unknown_template_names_what_exists():
    with pytest.raises(ValidationError) as err:
        load_template("fancy_quote")
    assert "fancy_quote" in err.value.message and "delivery_a5" in err.value.message


@pytest.mark.parametrize("text,field,fragment", [
    ('[[columns]]\nkey = "prce"\nwidth = 5\n', "columns[0].key", "prce"),
    ('[[columns]]\nkey = "name"\nwidth = 5\n[[columns]]\nkey = "quantity"\nwidth = 0\n', "columns[1].width", "0"),
    ('[[columns]]\nkey = "name"\nwidth = "wide"\n', "columns[0].width", "wide"),
    ('[[columns]]\nkey = "name"\nalign = "middle"\n', "columns[0].align", "middle"),
    ('[[columns]]\nkey = "name"\ncolour = "red"\n', "columns[0].colour", "colour"),
    ('[[columns]]\nkey = "name"\n[[columns]]\nkey = "name"\n', "columns[1].key", "name"),
    ('paper = "A7"\n', "paper", "A7"),
    ('orientation = "sideways"\n', "orientation", "sideways"),
    ('margins = [10, 10]\n', "margins", "10"),
    ('margins = [10, 10, 10, 99]\n', "margins[3]", "99"),
    ('font_size = 40\n', "font_size", "40"),
    ('show_logo = "yes"\n', "show_logo", "yes"),
    ('info_fields = ["number", "deadline"]\n', "info_fields[1]", "deadline"),
    ('party_fields = ["name", "wechat"]\n', "party_fields[1]", "wechat"),
    ('page_format = "第 {page} 页 / 共 {total} 页"\n', "page_format", "total"),
    ('date_format = "YYYY-MM-DD"\n', "date_format", "YYYY"),
    ('titel = "报价"\n', "titel", "titel"),
    ('[labels]\nnumbr = "编号"\n', "labels.numbr", "numbr"),
    ('terms = [1, 2]\n', "terms", "1"),
    ('kind = "receipt"\n', "kind", "receipt"),
])
def test_broken_template_names_the_file_and_field(text, field, fragment):
    path = _user_template("quote", text)
    with pytest.raises(ValidationError) as err:
        template_for("quote")
    message = err.value.message
    assert str(path) in message, message
    assert field in message, message
    assert fragment in message, message
    assert err.value.field == field


def test_statement_template_refuses_line_columns():
    _user_template("statement", '[[columns]]\nkey = "unit_price"\n')
    with pytest.raises(ValidationError, match=r"columns\[0\]\.key"):
        template_for("statement")


def test_not_toml_is_reported_with_the_file():
    path = _user_template("order", 'title = "销售合同\n')
    with pytest.raises(ValidationError, match="not valid TOML") as err:
        template_for("order")
    assert str(path) in err.value.message


def test_install_templates_copies_and_keeps_edits():
    written = install_templates()
    folder = user_template_folder()
    assert {p.name for p in written} == {f"{n}.toml" for n in shipped_template_names()}
    quote = folder / "quote.toml"
    quote.write_text(quote.read_text(encoding="utf-8").replace('title = "报 价 单"', 'title = "报价确认单"'),
                     encoding="utf-8")
    assert install_templates() == []  # an edited copy is never overwritten silently
    assert template_for("quote").title == "报价确认单"
    assert "quote" in available_templates()
    install_templates(overwrite=True)
    assert template_for("quote").title == "报 价 单"


def test_statement_template_changes_the_output():
    doc = make_statement(3)
    _user_template("statement", 'title = "往来对账函"\nshow_signatures = false\n')
    text = squash("".join(pages_text(render_pdf(doc))))
    assert "往来对账函" in text and "客户确认" not in text
