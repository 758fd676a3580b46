"""The customer import wizard: pick a file, check it (mapped columns, first rows, every error), import.

Keys: F5 check the file (nothing is written) · ctrl+s import · ctrl+z undo the last import · Esc back. Checking reads and validates the whole
file and matches it against the database exactly as the import will; the errors list scrolls through every
bad row with its row number as Excel shows it, the column, the value and what was expected.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Checkbox,
    DataTable,
    DirectoryTree,
    Footer,
    Header,
    Input,
    ProgressBar,
    Select,
    Static,
)

from crm_tui.i18n import _, n_
from crm_tui.io.importing import RowError, display_value
from crm_tui.screens.base import CrmScreen
from crm_tui.widgets.forms import Field
from crm_tui.widgets.record_table import Column, ListSource, RecordTable
from crm_tui.widgets.tables import SizedTable, rebuild_table
from crm_tui.widgets.tickbox import TickBox
from crm_tui.widgets.work import start_work

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
PREVIEW_ROWS = 8


class SpreadsheetTree(DirectoryTree):
    def filter_paths(self, paths):
        return [p for p in paths if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in SUFFIXES)]


def error_records(errors: list[RowError]) -> list:
    return [(i, (str(e.row), e.column or "", display_value(e.value, 30), e.message)) for i, e in enumerate(errors)]


class ImportScreen(CrmScreen):
    DEFAULT_CSS = """
    ImportScreen #import-body { padding: 0 1; }
    ImportScreen #import-tree { height: 7; }
    ImportScreen .options { height: 1; }
    ImportScreen .options Select { width: 40; }
    ImportScreen #import-summary { height: auto; margin: 1 0 0 0; }
    ImportScreen #preview { height: auto; max-height: 10; }
    ImportScreen #import-errors { height: 1fr; min-height: 5; }
    ImportScreen .section { text-style: bold; color: $accent; height: 1; }
    """
    BINDINGS = [
        Binding("f5", "check", "Check file", id="import.check"),
        Binding("ctrl+s", "run_import", "Import", id="import.run"),
        Binding("escape", "back", "Back", id="import.back"),
        Binding("ctrl+z", "undo_last", "Undo last import", id="import.undo", priority=True),
    ]

    def __init__(self, folder: str | Path | None = None):
        super().__init__()
        self.folder = Path(folder or Path.cwd())
        self.checked_path: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import-body"):
            yield Static(_("Import customers from .xlsx, .xls or .csv. F5 checks the file without writing; "
                           "ctrl+s imports."), classes="dialog-text")
            yield Field(_("File"), Input(id="import-path", placeholder=_("path of the workbook")), required=True)
            yield SpreadsheetTree(self.folder, id="import-tree")
            with Horizontal(classes="options"):
                yield Select([(_("Existing customers: refuse the row"), "error"),
                              (_("Existing customers: skip the row"), "skip"),
                              (_("Existing customers: update them"), "update")],
                             value="error", allow_blank=False, id="on-duplicate", compact=True)
                yield TickBox(_("Import the good rows, list the bad ones"), False, id="skip-invalid",
                               compact=True)
            yield Static("", id="import-summary")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static(_("First rows"), classes="section")
            yield SizedTable(id="preview", zebra_stripes=True)
            yield Static(_("Problems (Enter shows one in full)"), classes="section")
            yield RecordTable([Column(_("Row"), 6, "right"), Column(_("Column"), 16), Column(_("Value"), 18),
                               Column(_("What is expected"), 0)], id="import-errors")
        yield Footer()

    def on_mount(self) -> None:
        from crm_tui.screens.base import translate_select_menus

        translate_select_menus(self)
        self.query_one("#import-progress").display = False
        self.query_one("#import-errors", RecordTable).set_source(ListSource([]))
        self.query_one("#import-path", Input).focus()

    # --- inputs -------------------------------------------------------------------------------------------

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#import-path", Input).value = str(event.path)
        self.action_check()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_check()

    def _path(self) -> str | None:
        text = self.query_one("#import-path", Input).value.strip()
        if not text:
            self._summary(_("Choose a file first."), error=True)
            return None
        path = Path(text).expanduser()
        if not path.is_file():
            self._summary(_("No such file: {path}").format(path=text), error=True)
            return None
        return str(path)

    def _summary(self, text: str, error: bool = False) -> None:
        widget = self.query_one("#import-summary", Static)
        widget.update(text)
        widget.set_class(error, "error")

    def _progress(self, phase: str, done: int, total: int) -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        labels = {"read": _("Reading"), "check": _("Checking"), "write": _("Writing")}
        bar.update(total=max(total, 1), progress=done)
        self.sub_title = f"{labels.get(phase, phase)} {done:,}/{total:,}"

    def _options(self) -> tuple[str, bool]:
        return self.query_one("#on-duplicate", Select).value, self.query_one("#skip-invalid", Checkbox).value

    # --- check --------------------------------------------------------------------------------------------

    def action_check(self) -> None:
        path = self._path()
        if path is None:
            return
        on_duplicate, _skip = self._options()

        def check(job):
            from crm_tui.services.customers.imports import plan_import, read_customer_file

            result = read_customer_file(path, progress=lambda d, t: job.progress(d, t, "read"))
            return job.run(lambda session: plan_import(session, job.actor, result, on_duplicate))

        self._summary(_("Checking {path} …").format(path=path))
        start_work(self, check, done=lambda plan: self._show_check(path, plan), on_error=self._file_failed,
                   on_progress=self._work_progress, group="import-check")

    def _work_progress(self, done: int, total: int | None, phase: str) -> None:
        self._progress(phase, done, total or 0)

    def _file_failed(self, exc: BaseException) -> None:
        """A file-level problem (unreadable, no header, the database said no): said on screen."""
        self._summary(self.app._describe(exc), True)

    def _show_check(self, path: str, plan) -> None:
        result = plan.result
        self.checked_path = path
        mapped = ", ".join(f"{written}" for written in result.columns.values())
        lines = [
            _("{file}, sheet {sheet}: {rows} data rows.").format(file=result.file, sheet=result.sheet,
                                                                rows=f"{len(result.rows):,}"),
            _("Columns used: {columns}").format(columns=mapped),
        ]
        if result.unknown_columns:
            lines.append(_("Columns ignored: {columns}").format(columns=", ".join(result.unknown_columns)))
        if result.passed_over:
            lines.append(_("Rows passed over, not customers: {rows}").format(rows=result.passed_over_text()))
        lines.append(n_("Would create {c}, update {u}, skip {s}; {r} row has problems.",
                        "Would create {c}, update {u}, skip {s}; {r} rows have problems.", len(plan.rejected)).format(
            c=f"{plan.count('create'):,}", u=f"{plan.count('update'):,}", s=f"{plan.count('skip'):,}",
            r=f"{len(plan.rejected):,}"))
        self._summary("\n".join(lines), error=bool(plan.rejected))
        self._preview(result)
        self._errors(plan.errors)
        self.sub_title = ""
        self.query_one("#import-progress").display = False

    def _preview(self, result) -> None:
        table = self.query_one("#preview", DataTable)
        headers = [str(h) if h is not None else "" for h in result.header.cells]
        rows = [([display_value(v, 24) for v in row.raw] + [""] * len(headers))[:len(headers)]
                for row in result.rows[:PREVIEW_ROWS]]
        rebuild_table(table, headers, rows)

    def _errors(self, errors: list[RowError]) -> None:
        self.error_list = list(errors)
        self.query_one("#import-errors", RecordTable).set_source(ListSource(error_records(self.error_list)))

    def on_record_table_row_activated(self, event: RecordTable.RowActivated) -> None:
        """A problem in full: the table cuts long values and messages to fit its columns."""
        from crm_tui.screens.base import ConfirmDialog

        errors = getattr(self, "error_list", [])
        if event.table.id != "import-errors" or not 0 <= event.key < len(errors):
            return
        e = errors[event.key]
        lines = [_("Sheet {sheet}, row {row}, column {column}").format(sheet=e.sheet, row=e.row, column=e.column or "-"),
                 f"{_('Value')}: {display_value(e.value, 200)}", "", e.message]
        self.app.push_screen(ConfirmDialog("\n".join(lines), _("Close")))

    # --- import -------------------------------------------------------------------------------------------

    def action_run_import(self) -> None:
        path = self._path()
        if path is None:
            return
        on_duplicate, skip_invalid = self._options()

        def run_import(job):
            from crm_tui.services.customers.imports import import_customers
            from crm_tui.services.customers.search_index import catch_up_later

            summary = import_customers(job.engine, job.actor, path, on_duplicate=on_duplicate,
                                       skip_invalid=skip_invalid,
                                       progress=lambda phase, d, t: job.progress(d, t, phase), on_wait=job.waiting)
            if summary.written:  # a large import's search rows wait for the index: indexed behind the screen
                catch_up_later(job.engine)
            return summary

        self._summary(_("Importing {path} …").format(path=path))
        start_work(self, run_import, done=self._show_result, on_error=self._file_failed,
                   on_progress=self._work_progress, group="import-run")

    def _show_result(self, summary) -> None:
        self.sub_title = ""
        if summary.written:
            text = _("Imported: created {c}, updated {u}, skipped {s}; {r} rows rejected.")
        else:
            text = _("Nothing written: {r} rows are bad (would create {c}, update {u}, skip {s}). Fix them, or "
                     "tick 'Import the good rows'.")
        text = text.format(c=f"{summary.created:,}", u=f"{summary.updated:,}", s=f"{summary.skipped:,}",
                           r=f"{summary.rejected:,}")
        if summary.passed_over:
            from crm_tui.io.importing import describe_passed_over

            text += "\n" + _("Rows passed over, not customers: {rows}").format(
                rows=describe_passed_over(summary.passed_over))
        if summary.error_file:
            text += "\n" + _("Rejected rows with reasons: {path}").format(path=summary.error_file)
        self._summary(text, error=not summary.written)
        self._errors(list(summary.errors))
        if summary.written:
            self.app.notify(text)

    def action_undo_last(self) -> None:
        from crm_tui.screens.base import ConfirmDialog, run_service
        from crm_tui.services.customers.imports_write import last_batch, undo_last_import

        actor = self.app.actor

        def label(session) -> str | None:  # plain text to the screen, not the ORM row
            batch = last_batch(session)
            return None if batch is None else f"{batch.file_name} ({batch.created_at:%Y-%m-%d %H:%M})"

        def ask(batch_label: str | None) -> None:
            if batch_label is None:
                self._summary(_("There is no import to undo."), error=True)
                return
            question = _("Undo the import of {file}?").format(file=batch_label)

            def answered(yes: bool) -> None:
                if yes:
                    run_service(self, lambda s: undo_last_import(s, actor), self._undone, write=True)

            self.app.push_screen(ConfirmDialog(question), answered)

        run_service(self, label, ask)

    def _undone(self, result) -> None:
        self._summary(n_("Import of {file} undone: {r} customer removed, {u} restored.",
                 "Import of {file} undone: {r} customers removed, {u} restored.", result.removed).format(
            file=result.file, r=result.removed, u=result.restored))

    def action_back(self) -> None:
        self.dismiss(None)
