"""What product and supplier imports share: the options, the outcome, and how a validated file is planned
against the database and written.

Rules (the same as every import): the whole file is validated first; by default nothing is written when any
row is bad; ``skip_invalid`` writes the good rows and the bad ones go to an error workbook; ``dry_run``
reports what would happen and writes nothing. A row matching an existing record is an error by default
(``on_duplicate="error"``), or is skipped, or updates the record — then only the columns present in the file
and filled in the row change; an empty cell leaves the field as it is. The write is one transaction, and
re-importing the same file creates no duplicates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _

ON_DUPLICATE = ("error", "skip", "update")


@dataclass
class ImportOutcome:
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0
    written: bool = False
    errors: list[str] = field(default_factory=list)  # one line per problem: file, sheet, row, column, what
    error_workbook: Path | None = None
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        text = _("{file}: {rows} rows; {created} new, {updated} updated, {skipped} skipped, {rejected} rejected.")\
            .format(file=self.file, rows=self.rows, created=self.created, updated=self.updated,
                    skipped=self.skipped, rejected=self.rejected)
        if not self.written:
            text += " " + _("Nothing was written.")
        return text


def check_on_duplicate(value: str) -> str:
    if value not in ON_DUPLICATE:
        raise ValidationError(_("--on-duplicate must be one of: {choices}").format(choices=", ".join(ON_DUPLICATE)))
    return value


def default_error_path(file: Path) -> Path:
    return file.with_name(f"{file.stem}-errors.xlsx")


def finish(outcome: ImportOutcome, result, source: Path, *, skip_invalid: bool, errors_path: Path | None) -> bool:
    """Record the problems found (the rejected rows go to an error workbook next to ``source`` unless
    ``errors_path`` says where); returns True when the good rows may be written."""
    outcome.rows = len(result.rows)
    outcome.unknown_columns = result.unknown_columns
    outcome.errors = result.error_lines()
    outcome.rejected = len(result.bad_rows)
    if result.bad_rows and (skip_invalid or errors_path):
        outcome.error_workbook = result.write_error_workbook(errors_path or default_error_path(source))
    return result.ok or skip_invalid


Progress = Callable[[int, int], None]
