"""Many documents into one PDF: progress, cancel, each document numbered on its own."""

from __future__ import annotations

import threading

import pytest
from print_samples import make_doc, make_statement, pages_text, squash

from crm_tui.core.errors import CrmError
from crm_tui.services.printing.batch import print_batch


def _notes(n: int, lines: int = 3):
    for i in range(n):
        yield make_doc("delivery", lines, number=f"CK202611-{i + 1:04d}")


def test_batch_of_delivery_notes(tmp_path):
    seen = []
    target = tmp_path / "day.pdf"
    docs = list(_notes(12))
    docs[5] = make_doc("delivery", 70, number="CK202611-0006")  # one long note among short ones
    result = print_batch(docs, target, progress=lambda done, total: seen.append((done, total)))
    assert result.path == target and result.documents == 12 and not result.cancelled
    assert seen == [(i, 12) for i in range(1, 13)]
    pages = [squash(p) for p in pages_text(target.read_bytes())]
    assert len(pages) == result.pages
    long_pages = result.pages - 11
    assert long_pages >= 2
    for i in range(1, 13):
        number = f"CK202611-{i:04d}"
        own = [p for p in pages if f"出货单号：{number}" in p or f"{number}（续）" in p]
        expected = long_pages if i == 6 else 1
        assert len(own) == expected, number
        for n, page in enumerate(own, 1):
            assert f"第{n}页/共{expected}页" in page
    assert not list(tmp_path.glob(".crm-batch-*"))


def test_mixed_kinds_and_templates(tmp_path):
    docs = [make_doc("delivery", 2), make_statement(3), make_doc("delivery", 2, number="CK-2")]
    result = print_batch(iter(docs), tmp_path / "mixed.pdf", templates={"delivery": "delivery_a5"})
    assert result.documents == 3
    from pypdf import PdfReader

    heights = [round(float(p.mediabox.height)) for p in PdfReader(result.path).pages]
    assert heights[0] == heights[-1] == 420 and heights[1] == 842  # A5 landscape, A4 portrait, A5 landscape


def test_cancel_leaves_no_file(tmp_path):
    stop = threading.Event()
    target = tmp_path / "cancelled.pdf"

    def progress(done, total):
        assert total is None  # a generator has no length
        if done == 3:
            stop.set()

    result = print_batch(_notes(10), target, progress=progress, cancel=stop)
    assert result.cancelled and result.documents == 3 and result.path is None
    assert not target.exists() and not list(tmp_path.iterdir())


def test_cancel_by_callable_and_existing_file_untouched(tmp_path):
    target = tmp_path / "keep.pdf"
    target.write_bytes(b"old")
    result = print_batch(_notes(5), target, cancel=lambda: True)
    assert result.cancelled and result.documents == 0
    assert target.read_bytes() == b"old"


def test_error_midway_leaves_no_file(tmp_path):
    def docs():
        yield make_doc("delivery", 2)
        raise CrmError("数据库连接中断")

    with pytest.raises(CrmError):
        print_batch(docs(), tmp_path / "broken.pdf")
    assert not list(tmp_path.iterdir())


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CrmError, match="does not exist"):
        print_batch(_notes(1), tmp_path / "no" / "such" / "x.pdf")


def test_empty_batch_is_still_a_valid_pdf(tmp_path):
    result = print_batch([], tmp_path / "empty.pdf")
    assert result.documents == 0 and result.path.read_bytes().startswith(b"%PDF")
