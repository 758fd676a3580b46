"""The attachments of a record (附件), as a dialog over its page (the customer detail: ctrl+t).

Keys: Enter opens the file under the cursor with the system's viewer · ctrl+o attaches the file whose path is
typed below · F9 copies the file under the cursor to the folder typed below · F8 deletes it (asks first) ·
F5 refresh · Esc close. For a customer the list holds the attachments of its quotes, orders and logs too.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Static

from crm_tui.i18n import _
from crm_tui.screens.base import ConfirmDialog, Translated, run_service
from crm_tui.services.docs import attachments as att
from crm_tui.widgets.base import MessageLine
from crm_tui.widgets.tables import SizedTable, cut


class AttachmentsDialog(Translated, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="attachments.close"),
        Binding("ctrl+o", "attach", "Attach file", id="attachments.attach"),
        Binding("f9", "export", "Export", id="attachments.export"),
        Binding("f8", "delete", "Delete", id="attachments.delete"),
        Binding("f5", "reload", "Refresh", id="attachments.refresh", show=False),
    ]
    DEFAULT_CSS = """
    AttachmentsDialog .dialog { width: 110; height: 90%; }
    AttachmentsDialog #att-list { height: 1fr; }
    AttachmentsDialog Input { margin: 0 0; }
    """
    AUTO_FOCUS = "#att-list"

    def __init__(self, kind: str, owner_id: int, title: str):
        super().__init__()
        self.kind = kind
        self.owner_id = owner_id
        self.title_text = title
        self.rows: list[att.AttachmentRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            table = SizedTable(id="att-list", cursor_type="row", zebra_stripes=True, fixed_columns=1)
            table.add_columns(_("File"), _("Record"), _("Size"), _("Uploaded by"), _("Uploaded at"), _("Note"))
            yield table
            yield Input(placeholder=_("path of a file to attach (ctrl+o)"), id="att-path", compact=True)
            yield Input(placeholder=_("note for the file (optional)"), id="att-note", compact=True)
            yield Input(placeholder=_("folder to export to (F9)"), id="att-export",
                        compact=True)
            yield MessageLine("", id="att-message")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        actor, kind, oid = self.app.actor, self.kind, self.owner_id
        run_service(self, lambda s: att.for_record(s, actor, kind, oid), self._show, group="attachments")

    def _show(self, rows: list[att.AttachmentRow]) -> None:
        self.rows = rows
        table = self.query_one("#att-list", DataTable)
        table.clear()
        for r in rows:
            record = att.kind_label(r.owner_kind) + ("" if r.owner_kind == self.kind else f" #{r.owner_id}")
            table.add_row(cut(r.file_name, 30), record, att.size_text(r.size), r.uploaded_by,
                          r.uploaded_at.strftime("%Y-%m-%d %H:%M"), cut(r.note or "", 24), key=str(r.id))
        if not rows:
            self.say(_("No attachments yet: type a file's path below and press ctrl+o."))

    def say(self, text: str, error: bool = False) -> None:
        line = self.query_one("#att-message", MessageLine)
        (line.show_error if error else line.show_info)(text)

    def selected(self) -> att.AttachmentRow | None:
        table = self.query_one("#att-list", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("att-path", "att-note"):
            self.action_attach()
        elif event.input.id == "att-export":
            self.action_export()

    def action_attach(self) -> None:
        text = self.query_one("#att-path", Input).value.strip()
        if not text:
            self.say(_("Type the path of the file to attach first."), error=True)
            self.query_one("#att-path", Input).focus()
            return
        path = Path(text).expanduser()
        note = self.query_one("#att-note", Input).value
        actor, kind, oid = self.app.actor, self.kind, self.owner_id

        def done(_aid) -> None:
            self.query_one("#att-path", Input).value = ""
            self.query_one("#att-note", Input).value = ""
            self.say(_("Attached {name}.").format(name=path.name))
            self.action_reload()

        run_service(self, lambda s: att.attach(s, actor, kind, oid, path, note=note), done, write=True,
                    group="attachments-write")

    def action_export(self) -> None:
        row = self.selected()
        if row is None:
            return
        text = self.query_one("#att-export", Input).value.strip()
        if not text:
            self.say(_("Type the folder to export to first."), error=True)
            self.query_one("#att-export", Input).focus()
            return
        folder = Path(text).expanduser()
        actor = self.app.actor
        run_service(self, lambda s: att.export(s, actor, row.id, folder),
                    lambda target: self.say(_("Written to {path}").format(path=target)), group="attachments-export")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.selected()
        if row is None:
            return
        actor = self.app.actor

        def opened(path) -> None:
            try:
                att.open_with_system(path)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                self.app.report_error(exc)
                return
            self.say(_("Opened {name}.").format(name=row.file_name))

        run_service(self, lambda s: att.open_copy(s, actor, row.id), opened, group="attachments-open")

    def action_delete(self) -> None:
        row = self.selected()
        if row is None:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            actor = self.app.actor
            run_service(self, lambda s: att.delete(s, actor, row.id),
                        lambda _r: (self.say(_("Deleted {name}.").format(name=row.file_name)), self.action_reload()),
                        write=True, group="attachments-write")

        self.app.push_screen(ConfirmDialog(_("Delete the attachment {name}? It stays in the audit log and in "
                                             "backups.").format(name=row.file_name), _("Delete")), answer)

    def action_close(self) -> None:
        self.dismiss(None)
