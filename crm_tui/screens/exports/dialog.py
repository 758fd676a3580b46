"""Write the list on screen, with its current filters, to an Excel workbook (services/exports).

Lists open it with F9 where F9 is free, and with ctrl+e everywhere (the sales lists keep F9 for printing).
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Input, Label

from crm_tui.core import clock
from crm_tui.i18n import _, n_
from crm_tui.services.exports.registry import ExportFilters
from crm_tui.widgets.forms import Field, FormDialog
from crm_tui.widgets.work import start_work


def default_path(title: str) -> str:
    safe = "".join(ch for ch in title if ch.isalnum() or ch in "-_") or "export"
    return str(Path.cwd() / f"{safe}_{clock.today():%Y%m%d}.xlsx")


class ListExportDialog(FormDialog):
    """The file to write; an existing file is replaced only after a yes. Rows stream from the database."""

    AUTO_FOCUS = "#path"

    def __init__(self, kind: str, filters: ExportFilters = ExportFilters(), title: str = ""):
        super().__init__()
        self.kind, self.filters, self.list_title = kind, filters, title or kind
        self.title_text = _("Export {list} to Excel").format(list=self.list_title)

    def fields(self) -> ComposeResult:
        yield Field(_("File"), Input(default_path(self.list_title), id="path"), required=True)
        yield Label("", id="export-count")

    def collect(self) -> dict:
        path = self.value("path")
        if not path.lower().endswith(".xlsx"):
            raise ValueError(_("The file name must end in .xlsx"))
        if not Path(path).expanduser().parent.is_dir():
            raise ValueError(_("No such folder: {path}").format(path=str(Path(path).expanduser().parent)))
        return {"path": str(Path(path).expanduser())}

    def save(self, values: dict) -> None:
        from crm_tui.screens.base import ConfirmDialog

        path = Path(values["path"])
        if path.exists():
            self.app.push_screen(
                ConfirmDialog(_("{path} exists. Replace it?").format(path=str(path)), _("Replace")),
                lambda yes: self._write(values) if yes else self.query_one("#path", Input).focus())
            return
        self._write(values)

    def _write(self, values: dict) -> None:
        from crm_tui.services.exports.export import export

        kind, f, counter = self.kind, self.filters, self.query_one("#export-count", Label)

        def write(job):
            return job.run(lambda session: export(session, job.actor, kind, values["path"], f,
                                                  progress=lambda done: job.progress(done)))

        start_work(self, write, done=lambda n: self._written(n, values["path"]),
                   on_error=lambda exc: self.show_error(self.app._describe(exc)),
                   on_progress=lambda done, _total, _stage: counter.update(
                       n_("{n} row written …", "{n} rows written …", done).format(n=f"{done:,}")),
                   group="export")

    def _written(self, n: int, path: str) -> None:
        self.app.notify(n_("{n} row written to {path}", "{n} rows written to {path}", n).format(n=n, path=path))
        self.finish(path)
