"""PDF output of printable documents (reportlab). Import ``crm_tui.io.pdf.render`` to use it.

``fonts`` chooses and registers a Chinese font, ``pages`` handles paper, footer and page numbers,
``layout`` builds the flowables, ``render`` writes one document or many into one PDF. This package file
imports nothing heavy so that importing ``crm_tui.io.pdf`` stays cheap.
"""


def render_pdf(*args, **kwargs):
    """See ``crm_tui.io.pdf.render.render_pdf``."""
    from crm_tui.io.pdf.render import render_pdf as _render

    return _render(*args, **kwargs)
