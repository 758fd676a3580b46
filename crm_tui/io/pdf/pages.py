"""Pages of one document: paper, frame, footer, running header and "第 N 页 / 共 M 页" numbering.

The total page count is unknown while pages are drawn. Each page therefore draws a named form (PDF XObject)
where its number goes, and the forms are filled in once the document is finished (PDF allows a form to be
defined after it is used). That is a single pass that keeps nothing per page, and it works the same for one
document or for hundreds sharing one canvas in a batch, each numbered on its own.
"""

from __future__ import annotations

import itertools

from reportlab.lib.sequencer import Sequencer
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from crm_tui.io.templates import Template

FOOTER_GAP = 6 * mm  # from the bottom of the frame down to the footer baseline
_serial = itertools.count(1)


class DocumentPages(BaseDocTemplate):
    """Lays out one document's flowables onto ``canvas`` (which may already hold other documents)."""

    def __init__(self, canvas: Canvas, template: Template, font: str, running_header: str = ""):
        width_mm, height_mm = template.page_size_mm
        top, right, bottom, left = (m * mm for m in template.margins)
        pagesize = (width_mm * mm, height_mm * mm)
        super().__init__("", pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=top,
                         bottomMargin=bottom + FOOTER_GAP)
        self._shared_canvas = canvas
        self._doSave = 0  # the caller saves the canvas once everything is drawn
        self.tpl = template
        self.font = font
        self.running_header = running_header
        self.serial = next(_serial)
        self.pages_drawn = 0
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        page = PageTemplate(id="page", frames=[frame], onPage=self._decorate, pagesize=pagesize)
        self.addPageTemplates([page])

    def _makeCanvas(self, filename=None, canvasmaker=None):  # noqa: N802 (reportlab's name)
        self.seq = Sequencer()
        return self._shared_canvas

    def _form_name(self, page: int) -> str:
        return f"pageno{self.serial}x{page}"

    def _decorate(self, canv: Canvas, doc) -> None:
        self.pages_drawn += 1
        width, _height = self.pagesize
        tpl = self.tpl
        y = self.bottomMargin - FOOTER_GAP
        canv.saveState()
        canv.translate(width / 2, y)
        canv.doForm(self._form_name(self.pages_drawn))
        canv.restoreState()
        small = max(tpl.font_size - 1.5, 6)
        canv.saveState()
        canv.setFont(self.font, small)
        canv.setFillGray(0.35)
        if tpl.footer:
            canv.drawString(self.leftMargin, y, tpl.footer)
        if self.pages_drawn > 1 and self.running_header:
            top = self.pagesize[1] - self.topMargin + 2.5 * mm
            canv.drawRightString(width - self.rightMargin, top, self.running_header)
            canv.setLineWidth(0.3)
            canv.setStrokeGray(0.5)
            canv.line(self.leftMargin, top - 1.5 * mm, width - self.rightMargin, top - 1.5 * mm)
        canv.restoreState()

    def finish(self) -> int:
        """Fill in the page-number forms now that the total is known; returns the number of pages."""
        canv = self._shared_canvas
        total = self.pages_drawn
        size = self.tpl.font_size - 0.5
        for page in range(1, total + 1):
            canv.beginForm(self._form_name(page), lowerx=-200, lowery=-10, upperx=200, uppery=30)
            canv.setFont(self.font, size)
            canv.drawCentredString(0, 0, self.tpl.page_format.format(page=page, pages=total))
            canv.endForm()
        return total


def new_canvas(target, title: str = "", author: str = "", font: str | None = None) -> Canvas:
    """A canvas writing to ``target`` (a path or a binary file object)."""
    extra = {"initialFontName": font, "initialFontSize": 9} if font else {}
    canv = Canvas(target, pageCompression=1, invariant=0, **extra)
    canv.setCreator("crm-tui")
    if title:
        canv.setTitle(title)
    if author:
        canv.setAuthor(author)
    return canv
