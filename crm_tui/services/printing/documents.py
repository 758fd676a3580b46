"""Printing documents: the adapter registry and writing one document as PDF or Excel.

An *adapter* turns a stored document into the plain print model (``crm_tui/io/print_model.py``). Each area
writes its own; the composition root (``crm_tui/bootstrap.py``) registers them once, at start-up:

    def quote_for_print(session, actor, number) -> PrintDocument: ...
    printing.register_adapter("quote", quote_for_print)
    printing.register_statement_adapter(statement_for_print)   # (session, actor, customer, date_from, date_to)

An adapter finds the document by its number (or the external reference an order was imported with), checks
that ``actor`` may see it (the visibility rules apply to printing like any read), and raises ``NotFound``
or ``PermissionDenied`` otherwise. With no adapter for a kind, printing it is a clear error, never a blank page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from crm_tui.core.errors import CrmError, ValidationError
from crm_tui.i18n import _
from crm_tui.io.print_model import LINE_KINDS, PrintDocument, StatementDocument
from crm_tui.services.common.plugins import resolve

Document = PrintDocument | StatementDocument
LineAdapter = Callable[[Any, Any, str], PrintDocument]
StatementAdapter = Callable[[Any, Any, str, date, date], StatementDocument]
# An adapter, or where it lives ("package.module:function"), imported when first used.
LineAdapterRef = LineAdapter | str
StatementAdapterRef = StatementAdapter | str

# The names used on the command line and in the TUI, and the print model's kind for each.
CLI_KINDS = {"quote": "quote", "order": "order", "delivery": "delivery", "purchase-order": "purchase_order",
             "statement": "statement"}
CLI_KINDS.update({"sales-return": "sales_return", "invoice": "invoice"})
CLI_KINDS["purchase-return"] = "purchase_return"
FORMATS = ("pdf", "xlsx")

_adapters: dict[str, LineAdapterRef] = {}
_statement_adapter: list[StatementAdapterRef] = []


def register_adapter(kind: str, adapter: LineAdapterRef) -> None:
    """Make ``kind`` (quote, order, delivery, purchase_order) printable with ``adapter(session, actor, number)``."""
    if kind not in LINE_KINDS:
        raise ValueError(f"unknown document kind {kind!r} (expected one of {', '.join(LINE_KINDS)})")
    _adapters[kind] = adapter


def register_statement_adapter(adapter: StatementAdapterRef) -> None:
    """Make statements printable with ``adapter(session, actor, customer_code, date_from, date_to)``."""
    _statement_adapter[:] = [adapter]


def registered_kinds() -> list[str]:
    return sorted(_adapters) + (["statement"] if _statement_adapter else [])


def model_kind(name: str) -> str:
    """``purchase-order`` / ``purchase_order`` -> ``purchase_order``; an unknown kind is a ValidationError."""
    kind = CLI_KINDS.get(name) or (name if name in CLI_KINDS.values() else None)
    if kind is None:
        raise ValidationError(_("Unknown document kind {kind}: expected one of {kinds}.").format(
            kind=name, kinds=", ".join(CLI_KINDS)), field="kind")
    return kind


def _not_available(kind: str) -> CrmError:
    return CrmError(_("Printing {kind} documents is not available: nothing provides them yet.").format(kind=kind))


def require_adapter(kind: str) -> None:
    """Fail with one clear line when nothing provides documents of ``kind`` yet."""
    kind = model_kind(kind)
    if not (_statement_adapter if kind == "statement" else kind in _adapters):
        raise _not_available(kind)


def load_document(session, actor, kind: str, number: str) -> PrintDocument:
    kind = model_kind(kind)
    if kind == "statement":
        raise ValidationError(_("A statement is printed by customer and period, not by number."), field="kind")
    adapter = _adapters.get(kind)
    if adapter is None:
        raise _not_available(kind)
    return _with_company(session, resolve(adapter)(session, actor, number))


def load_statement(session, actor, customer: str, date_from: date, date_to: date) -> StatementDocument:
    if not _statement_adapter:
        raise _not_available("statement")
    if date_to < date_from:
        raise ValidationError(_("The period ends ({end}) before it starts ({start}).").format(
            start=date_from, end=date_to), field="to")
    return _with_company(session, resolve(_statement_adapter[0])(session, actor, customer, date_from, date_to))


def _with_company(session, doc):
    """Every print's header: the company details stored in the database (settings.toml until they are)."""
    if doc.company is None:
        from crm_tui.services.admin.company import company_for_print

        doc.company = company_for_print(session)
    return doc


# --- writing ------------------------------------------------------------------------------------------------

def default_format() -> str:
    from crm_tui.config import get_settings

    fmt = str(get_settings().get("print", {}).get("format", "pdf")).lower()
    return fmt if fmt in FORMATS else "pdf"


def default_filename(doc: Document, fmt: str) -> str:
    """``quote-QT202611-0001.pdf``; ``statement-K00012-20261001-20261031.xlsx``."""
    if isinstance(doc, StatementDocument):
        stem = f"statement-{doc.party.code or doc.party.name}-{doc.date_from:%Y%m%d}-{doc.date_to:%Y%m%d}"
    else:
        stem = f"{doc.kind.replace('_', '-')}-{doc.number}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", stem) + f".{fmt}"


def output_path(doc: Document, fmt: str, path: str | Path | None) -> Path:
    """Where to write: ``path`` (a file, or a folder for the default name), else the settings' folder or cwd."""
    if path:
        target = Path(path).expanduser()
        return target / default_filename(doc, fmt) if target.is_dir() else target
    from crm_tui.config import get_settings

    folder = str(get_settings().get("print", {}).get("folder", "") or "")
    return Path(folder).expanduser() / default_filename(doc, fmt) if folder else Path(default_filename(doc, fmt))


def render(doc: Document, fmt: str, template_name: str | None = None) -> bytes:
    """The document as PDF or .xlsx bytes, with the named template (default: its kind's)."""
    from crm_tui.io.templates import template_for

    if fmt not in FORMATS:
        raise ValidationError(_("Unknown format {fmt}: expected pdf or xlsx.").format(fmt=fmt), field="format")
    template = template_for(doc.kind, template_name)
    if fmt == "xlsx":
        from crm_tui.io.doc_xlsx import render_xlsx

        return render_xlsx(doc, template)  # type: ignore[return-value]
    from crm_tui.io.pdf.render import render_pdf

    return render_pdf(doc, template)  # type: ignore[return-value]


def write_file(data: bytes, target: Path) -> Path:
    """Write ``data`` to ``target`` whole or not at all (a temporary file renamed into place)."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        if not folder.is_dir():
            raise FileNotFoundError(f"folder {folder} does not exist")
        fd, tmp = tempfile.mkstemp(prefix=".crm-print-", suffix=target.suffix, dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CrmError(_("Cannot write {path}: {reason}").format(path=target, reason=reason)) from exc
    return target


def write_document(doc: Document, fmt: str | None = None, path: str | Path | None = None,
                   template_name: str | None = None) -> Path:
    """Render ``doc`` and write it; returns the file's path."""
    fmt = (fmt or default_format()).lower()
    target = output_path(doc, fmt, path)
    return write_file(render(doc, fmt, template_name), target)


def pdf_font(doc: Document, template_name: str | None = None) -> str:
    """Which font a PDF of ``doc`` embeds and where it came from, in one line (``crm print`` says it)."""
    from crm_tui.io.pdf.fonts import choose_font
    from crm_tui.io.templates import template_for

    template = template_for(doc.kind, template_name)
    return choose_font(template.font, template.font_index, template.source).summary()


def open_if_wanted(path: Path) -> bool:
    """After printing from the interface: open the file when settings ``[print] open_after`` says so."""
    from crm_tui.config import get_settings

    if not get_settings().get("print", {}).get("open_after", True):
        return False
    return open_with_viewer(path)


def open_with_viewer(path: Path) -> bool:
    """Open ``path`` with the system's viewer when there is one; False when there is none."""
    try:
        if sys.platform == "win32":
            os.startfile(str(path))  # type: ignore[attr-defined]
            return True
        opener = "open" if sys.platform == "darwin" else shutil.which("xdg-open")
        if not opener or (sys.platform != "darwin" and not os.environ.get("DISPLAY")
                          and not os.environ.get("WAYLAND_DISPLAY")):
            return False
        subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
        return True
    except OSError:
        return False
