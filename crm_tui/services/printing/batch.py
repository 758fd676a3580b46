"""Print many documents into one PDF: all delivery notes of a day, the statements of chosen customers.

Documents are taken from an iterable one at a time (a generator that loads each from the database keeps
memory flat), drawn, and dropped; each keeps its own "第 N 页 / 共 M 页". ``progress(done, total)`` is
called after each document; ``cancel`` (a ``threading.Event`` or a callable returning True) stops the run
between documents, and then no file is left behind. The file appears whole or not at all.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from crm_tui.core.errors import CrmError
from crm_tui.i18n import _
from crm_tui.io.print_model import PrintDocument, StatementDocument

Document = PrintDocument | StatementDocument
Progress = Callable[[int, int | None], None]


@dataclass
class BatchResult:
    path: Path | None  # None when cancelled
    documents: int
    pages: int
    cancelled: bool = False


def _is_cancelled(cancel: threading.Event | Callable[[], bool] | None) -> bool:
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event):
        return cancel.is_set()
    return bool(cancel())


def print_batch(documents: Iterable[Document], target: str | Path, *, total: int | None = None,
                templates: dict[str, str] | None = None, progress: Progress | None = None,
                cancel: threading.Event | Callable[[], bool] | None = None, title: str = "") -> BatchResult:
    """Draw ``documents`` into one PDF at ``target``.

    ``templates`` maps a kind to a template name (default: the kind's own); ``total`` is passed on to
    ``progress`` (taken from ``len(documents)`` when it has one).
    """
    from crm_tui.io.pdf.fonts import choose_font
    from crm_tui.io.pdf.render import PdfWriter
    from crm_tui.io.templates import template_for

    target = Path(target).expanduser()
    if total is None and hasattr(documents, "__len__"):
        total = len(documents)  # type: ignore[arg-type]
    folder = target.parent
    if not folder.is_dir():
        reason = _("the folder does not exist")
        raise CrmError(_("Cannot write {path}: {reason}").format(path=target, reason=reason))
    chosen: dict[str, tuple] = {}  # kind -> (template, font), loaded once per run
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".crm-batch-", suffix=".pdf", dir=folder)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CrmError(_("Cannot write {path}: {reason}").format(path=target, reason=reason)) from exc
    tmp = Path(tmp_name)
    done = pages = 0
    cancelled = False
    try:
        with os.fdopen(fd, "wb") as fh:
            writer = PdfWriter(fh, title=title)
            for doc in documents:
                if _is_cancelled(cancel):
                    cancelled = True
                    break
                if doc.kind not in chosen:
                    tpl = template_for(doc.kind, (templates or {}).get(doc.kind))
                    chosen[doc.kind] = (tpl, choose_font(tpl.font, tpl.font_index, tpl.source))
                tpl, font = chosen[doc.kind]
                pages += writer.add(doc, tpl, font)
                done += 1
                if progress is not None:
                    progress(done, total)
            if not cancelled:
                writer.close()
        if cancelled:
            tmp.unlink(missing_ok=True)
            return BatchResult(None, done, pages, cancelled=True)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BatchResult(target, done, pages)


def documents_by_number(engine, actor, kind: str, numbers: Iterable[str]) -> Iterator[PrintDocument]:
    """Load documents one at a time through the kind's adapter, each in its own short read session."""
    from crm_tui.db.session import read_session
    from crm_tui.services.printing import documents as printing

    for number in numbers:
        with read_session(engine) as session:
            yield printing.load_document(session, actor, kind, number)


def statements_for(engine, actor, customers: Iterable[str], date_from: date,
                   date_to: date) -> Iterator[StatementDocument]:
    """The statements of ``customers`` (codes) for one period, loaded one at a time."""
    from crm_tui.db.session import read_session
    from crm_tui.services.printing import documents as printing

    for code in customers:
        with read_session(engine) as session:
            yield printing.load_statement(session, actor, code, date_from, date_to)
