"""The export registry: ``register(ExportKind(...))`` adds a kind (tickets and opportunities register theirs
from their own modules); ``export.export(session, actor, name, path, filters)`` writes the workbook.

Rows stream into openpyxl's write-only mode (``io/workbook.py``): a kind reads its rows page by page (``page``)
or as one streamed query (``stream``), so a 100,000-row export holds one page at a time. Headers are in the
interface language; money is written as exact numbers with two decimals; statuses and kinds are translated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _

if TYPE_CHECKING:  # the CLI lists the kinds at start without SQLAlchemy
    from sqlalchemy.orm import Session

PAGE = 2000
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportFilters:
    """The filters of the list screens; a kind says which of them it takes (``ExportKind.filters``)."""

    status: str | None = None
    customer_id: int | None = None
    owner_id: int | None = None  # salesperson / author / claimant
    supplier_id: int | None = None
    warehouse_id: int | None = None
    product_id: int | None = None
    kind: str | None = None  # a document kind within the list (stock documents, approvals)
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""

    def given(self) -> set[str]:
        return {f.name for f in fields(self) if getattr(self, f.name) not in (None, "")}


@dataclass(frozen=True)
class ExportColumn:
    label: Callable[[], str]  # the header, translated when the export runs
    kind: str  # io/workbook.py column kinds: text, money, decimal, rate, integer, date, datetime
    value: Callable[[Any], Any]


def col(label: Callable[[], str], attr: str | Callable[[Any], Any], kind: str = "text") -> ExportColumn:
    getter = attr if callable(attr) else (lambda row, _a=attr: getattr(row, _a))
    return ExportColumn(label, kind, getter)


def translated(attr: str) -> Callable[[Any], Any]:
    """A status or kind code shown in the interface language (as the list screens show it)."""
    def get(row):
        value = getattr(row, attr)
        return _(value) if value else value
    return get


@dataclass(frozen=True)
class ExportKind:
    name: str  # the CLI word: crm export NAME OUT.xlsx
    sheet: Callable[[], str]  # the sheet name, translated
    columns: tuple[ExportColumn, ...]
    filters: frozenset[str]  # the ExportFilters fields this kind takes
    page: Callable[[Session, Actor, ExportFilters, int, int], list] | None = None  # (limit, offset) -> rows
    stream: Callable[[Session, Actor, ExportFilters], Iterable] | None = None
    allowed: Callable[[Actor], bool] = field(default=lambda actor: True)
    help: str = ""


KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    if kind.page is None and kind.stream is None:
        raise ValueError(f"export kind {kind.name} reads no rows")
    KINDS[kind.name] = kind
    return kind


def check_filters(kind: ExportKind, f: ExportFilters) -> None:
    extra = sorted(f.given() - kind.filters)
    if extra:
        raise ValidationError(_("The {kind} export does not filter by {filters}; it filters by {allowed}.").format(
            kind=kind.name, filters=", ".join(extra), allowed=", ".join(sorted(kind.filters)) or "-"))
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise ValidationError(_("The date range ends before it starts: {start} to {end}.").format(
            start=f.date_from.isoformat(), end=f.date_to.isoformat()))


def rows_of(session: Session, actor: Actor, kind: ExportKind, f: ExportFilters) -> Iterator:
    if kind.stream is not None:
        yield from kind.stream(session, actor, f)
        return
    offset = 0
    while True:
        page = kind.page(session, actor, f, PAGE, offset)
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


def can_manage_any(*actions: str) -> Callable[[Actor], bool]:
    def allowed(actor: Actor) -> bool:
        from crm_tui.services.admin import permissions

        return any(permissions.can(actor, a) for a in actions)
    return allowed
