"""An announcement in full (opening it records the reader's receipt); its author sees who has read it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from crm_tui.i18n import _
from crm_tui.screens.base import Translated, run_service


class AnnouncementView(Translated, ModalScreen[None]):
    DEFAULT_CSS = """
    AnnouncementView .announcement-body { height: auto; max-height: 16; }
    """
    BINDINGS = [Binding("escape,enter", "close", "Close", id="announcement.close")]

    def __init__(self, row, readers=None):
        super().__init__()
        self.row, self.readers = row, readers

    def compose(self) -> ComposeResult:
        row = self.row
        to = row.department or _("Everyone")
        with Vertical(classes="dialog"):
            yield Static(row.title, classes="dialog-title")
            yield Static(f"{row.author} · {row.posted_at:%Y-%m-%d %H:%M} · {_('Posted to')}: {to}", classes="dialog-text")
            with VerticalScroll(classes="announcement-body"):
                yield Static(row.body or "", classes="dialog-text")
                if self.readers is not None:
                    read = [r for r in self.readers if r.read_at]
                    lines = [_("Read by {n} of {total}:").format(n=len(read), total=len(self.readers))]
                    lines += [f"  {r.user}  {r.read_at:%Y-%m-%d %H:%M}" if r.read_at else f"  {r.user}  -"
                              for r in self.readers]
                    yield Static("\n".join(lines), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close"), variant="primary", id="close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def show_announcement(node, announcement_id: int, done=None) -> None:
    """Read the announcement (the receipt is written) and show it; with its receipts for its author or admins."""
    from crm_tui.core.errors import NotFound
    from crm_tui.services.today import announcements

    actor = node.app.actor

    def work(session):
        row = announcements.read(session, actor, announcement_id)
        try:
            readers = announcements.receipts(session, actor, announcement_id)
        except NotFound:
            readers = None
        return row, readers

    run_service(node, work, lambda got: node.app.push_screen(AnnouncementView(*got),
                                                             lambda _r: done() if done else None),
                write=True, group="announcement")
