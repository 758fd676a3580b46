"""A long order breaks across pages: header row on each page, "第 N 页 / 共 M 页", totals once at the end."""

from __future__ import annotations

import re

from print_samples import make_doc, pages_text, squash

from crm_tui.io.pdf.layout import fmt_money
from crm_tui.io.pdf.render import render_pdf
from crm_tui.io.templates import load_template


def test_200_line_order_spans_pages_with_headers_and_numbers():
    doc = make_doc("order", 200)
    tpl = load_template("order")
    pages = [squash(p) for p in pages_text(render_pdf(doc))]
    total = len(pages)
    assert total >= 4
    header = "".join(squash(c.title) for c in tpl.columns)
    for number, page in enumerate(pages, 1):
        assert header in page, f"table header missing on page {number}"
        assert f"第{number}页/共{total}页" in page
        assert len(re.findall(r"第\d+页/共\d+页", page)) == 1
    everything = "".join(pages)
    for line in doc.lines:  # no line lost or doubled at a page break
        assert everything.count(squash(line.name)) == 1, line.name
    words = doc.gross_in_words
    assert [i for i, p in enumerate(pages, 1) if words in p] == [total]
    assert everything.count(words) == 1
    assert everything.count(fmt_money(doc.totals.gross)) == 3  # 合计 row, tax summary, ¥ figure beside 大写
    assert all(fmt_money(doc.totals.gross) not in p for p in pages[:-1])
    # the running header names the document on later pages
    assert all(f"{doc.number}（续）" in p for p in pages[1:])
    assert f"{doc.number}（续）" not in pages[0]


def test_page_format_comes_from_the_template():
    tpl = load_template("quote")
    tpl.page_format = "Page {page} of {pages}"
    pages = pages_text(render_pdf(make_doc("quote", 60), tpl))
    assert len(pages) >= 2
    assert all(f"Page{i}of{len(pages)}" in squash(p) for i, p in enumerate(pages, 1))
