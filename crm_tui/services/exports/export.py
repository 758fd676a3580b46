"""Exporting a list (services/exports): find a kind in the registry, check the filters and the user's right,
and stream its rows into an ``.xlsx`` (openpyxl write-only through ``io/workbook.py``). Importing this module
registers the built-in kinds (``kinds.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied
from crm_tui.i18n import _
from crm_tui.services.exports import kinds  # noqa: F401  registers the built-in kinds
from crm_tui.services.exports.registry import (
    KINDS,
    ExportFilters,
    ExportKind,
    Progress,
    check_filters,
    rows_of,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def get_kind(name: str) -> ExportKind:
    try:
        return KINDS[name]
    except KeyError:
        raise NotFound(_("No such export: {name}; choose one of {names}").format(
            name=name, names=", ".join(sorted(KINDS)))) from None


def names() -> list[str]:
    return sorted(KINDS)


def export(session: Session, actor: Actor, name: str, path: str | Path, f: ExportFilters = ExportFilters(),
           progress: Progress | None = None) -> int:
    """Write the ``name`` list, filtered by ``f`` and as ``actor`` may see it, to ``path``; returns the rows."""
    from crm_tui.io.workbook import Column, Sheet, write_workbook

    kind = get_kind(name)
    if not kind.allowed(actor):
        raise PermissionDenied(_("You may not export {kind}.").format(kind=kind.sheet()))
    check_filters(kind, f)
    written = 0
    getters = [c.value for c in kind.columns]

    def body() -> Iterator[list]:
        nonlocal written
        for row in rows_of(session, actor, kind, f):
            written += 1
            if progress and written % 1000 == 0:
                progress(written)
            yield [get(row) for get in getters]

    columns = [Column(c.label(), c.kind) for c in kind.columns]
    write_workbook(path, [Sheet(kind.sheet(), columns, body())])
    if progress:
        progress(written)
    return written
