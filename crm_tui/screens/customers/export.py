"""Export the current customer list (its filter and search) to an Excel workbook."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Input, ProgressBar

from crm_tui.core import clock
from crm_tui.i18n import _, n_
from crm_tui.services.customers import search as cs
from crm_tui.widgets.forms import Field, FormDialog
from crm_tui.widgets.work import start_work


def default_path() -> str:
    return str(Path.cwd() / f"客户_{clock.today():%Y%m%d}.xlsx")


class ExportDialog(FormDialog):
    """The file name to write; an existing file is replaced only after a yes (Enter) in a confirmation."""

    AUTO_FOCUS = "#path"

    def __init__(self, f: cs.CustomerFilter, total: int):
        super().__init__()
        self.filter = f
        self.total = total
        self.title_text = n_("Export {n} customer to Excel", "Export {n} customers to Excel", total).format(n=f"{total:,}")

    def fields(self) -> ComposeResult:
        yield Field(_("File"), Input(default_path(), id="path"), required=True)
        yield ProgressBar(total=max(self.total, 1), show_eta=False, id="export-progress")

    def collect(self) -> dict:
        path = self.value("path")
        if not path.lower().endswith(".xlsx"):
            raise ValueError(_("The file name must end in .xlsx"))
        if not Path(path).expanduser().parent.is_dir():
            raise ValueError(_("No such folder: {path}").format(path=str(Path(path).expanduser().parent)))
        return {"path": str(Path(path).expanduser())}

    def on_mount(self) -> None:
        from crm_tui.screens.base import translate_select_menus

        translate_select_menus(self)

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
        from crm_tui.services.customers.export import export_customers

        f, bar = self.filter, self.query_one("#export-progress", ProgressBar)

        def write(job):
            return job.run(lambda session: export_customers(session, job.actor, values["path"], f,
                                                            progress=lambda done, total: job.progress(done, total)))

        start_work(self, write, done=lambda n: self._written(n, values["path"]),
                   on_error=lambda exc: self.show_error(self.app._describe(exc)),
                   on_progress=lambda done, _total, _stage: bar.update(progress=done), group="export")

    def _written(self, n: int, path: str) -> None:
        self.app.notify(n_("{n} customer written to {path}", "{n} customers written to {path}", n).format(n=n, path=path))
        self.finish(path)
