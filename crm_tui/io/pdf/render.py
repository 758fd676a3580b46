"""Write documents as PDF: one document to a file or bytes, or many into one file (``PdfWriter``)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from crm_tui.io.pdf.fonts import FontChoice, choose_font
from crm_tui.io.pdf.layout import document_story
from crm_tui.io.pdf.pages import DocumentPages, new_canvas
from crm_tui.io.print_model import Company, PrintDocument, StatementDocument
from crm_tui.io.templates import Template, template_for

Document = PrintDocument | StatementDocument


class PdfWriter:
    """Draws documents one after another onto one PDF; each keeps its own "第 N 页 / 共 M 页".

    Only the document being drawn is held as flowables; the finished pages are already PDF content, so a
    batch of hundreds stays small in memory. Use as a context manager, or call ``close()`` to write the file.
    """

    def __init__(self, target: str | Path | BinaryIO, title: str = "", author: str = ""):
        self._target = str(target) if isinstance(target, Path) else target
        self._title, self._author = title, author
        self._canvas = None
        self.pages = 0
        self.documents = 0
        self._company: Company | None = None

    def add(self, doc: Document, template: Template | None = None, font: FontChoice | None = None) -> int:
        """Draw ``doc`` (with its kind's template unless one is given); returns its page count."""
        tpl = template or template_for(doc.kind)
        if tpl.kind != doc.kind:
            from crm_tui.core.errors import ValidationError
            from crm_tui.i18n import _

            raise ValidationError(_("{file}: this template is for {found} documents, not {kind}.").format(
                file=tpl.source, found=tpl.kind, kind=doc.kind), field="kind")
        font = font or choose_font(tpl.font, tpl.font_index, tpl.source)
        company = doc.company or self._settings_company()
        title = doc.title or tpl.title
        running = "  ".join(p for p in (company.name, title.replace(" ", ""), doc.number) if p)
        running = f"{running}（{tpl.label('continued')}）"
        pages = DocumentPages(self._canvas_for(font.name), tpl, font.name, running_header=running)
        pages.build(document_story(doc, tpl, font.name, pages.width, company))
        count = pages.finish()
        self.pages += count
        self.documents += 1
        return count

    def _canvas_for(self, font: str):
        # Made on first use so its initial font is ours: no stray Helvetica in the page resources.
        if self._canvas is None:
            self._canvas = new_canvas(self._target, self._title, self._author, font)
        return self._canvas

    def _settings_company(self) -> Company:
        if self._company is None:
            self._company = Company.from_settings()
        return self._company

    def close(self) -> None:
        if self._canvas is None:
            self._canvas = new_canvas(self._target, self._title, self._author)
        if self.documents == 0:
            self._canvas.showPage()  # a PDF without pages is not valid for most viewers: one blank page
        self._canvas.save()

    def __enter__(self) -> PdfWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()


def render_pdf(doc: Document, template: Template | None = None, target: str | Path | BinaryIO | None = None,
               font: FontChoice | None = None) -> bytes | None:
    """Write one document as PDF to ``target``; with no target, return the PDF bytes."""
    buffer = io.BytesIO() if target is None else None
    title = f"{(doc.title or (template.title if template else '')).replace(' ', '')} {doc.number}".strip()
    with PdfWriter(buffer if buffer is not None else target, title=title) as writer:
        writer.add(doc, template, font)
    return buffer.getvalue() if buffer is not None else None
