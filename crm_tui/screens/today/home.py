"""The today view, the home screen after login: per role, the things to act on, one section per registered
source (services/today/registry.py). Enter opens the line's record; ctrl+d closes a reminder (done) or marks a
notification read; F2 sets a reminder; F6 posts an announcement (administrators and managers); F7 opens my page
(the employee page), F8 another person's; F5 refreshes. The counts show in the status line."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.screens.main import AreaPane
from crm_tui.screens.today.links import open_link
from crm_tui.widgets.tables import SizedTable, cut

TEXT_WIDTH = 70  # cells of a line's text (Enter opens the record)
STATUS_EVERY = 60.0  # seconds between status line refreshes: a reminder shows there when it falls due


class TodayPane(AreaPane):
    DEFAULT_CSS = """
    TodayPane #today-head { height: auto; padding: 0 1; color: $text-muted; }
    TodayPane #today-list { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+d", "done", "Done / read", id="today.done"),
        Binding("f2", "new_reminder", "Reminder", id="today.reminder"),
        Binding("f6", "announce", "Announce", id="today.announce"),
        Binding("f7", "my_page", "My page", id="today.my_page"),
        Binding("f8", "people", "People", id="today.people"),
    ]
    focus_when_mounted = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.links: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield Static(_("Loading…"), id="today-head")
        table = SizedTable(id="today-list", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("When"), _("Item"))
        yield table

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(STATUS_EVERY, self._refresh_status)

    def _refresh_status(self) -> None:
        refresh = getattr(self.screen, "refresh_status", None)
        if refresh is not None:
            refresh()

    def refresh_data(self) -> None:
        from crm_tui.services.today.home import today_view

        actor = self.app.actor
        run_service(self, lambda s: today_view(s, actor), self._show, group="today-view")

    def _show(self, sections) -> None:
        table = self.query_one("#today-list", DataTable)
        row = table.cursor_row
        table.clear()
        self.links = []
        for section in sections:  # a title row, then its lines: two columns leave the text room at 80 columns
            table.add_row("", Text(f"{section.title} ({len(section.lines)})", style="bold"))
            self.links.append(None)
            for line in section.lines:
                table.add_row(line.when, cut(line.text, TEXT_WIDTH))
                self.links.append(line.link)
        total = sum(len(s.lines) for s in sections)
        head = self.query_one("#today-head", Static)
        if total:
            head.update(_("{name}, {n} things to act on today. Enter opens one.").format(
                name=self.app.actor.display_name, n=total))
        else:
            head.update(_("Nothing to act on today."))
        if self.links:  # the first line rather than the first title
            table.move_cursor(row=min(max(row, 1), len(self.links) - 1))

    def _changed(self, *_args) -> None:
        """Something was done, read or added: the list and the status line's counts follow."""
        self.refresh_data()
        self._refresh_status()

    def _link(self) -> str | None:
        table = self.query_one("#today-list", DataTable)
        if not self.links or table.cursor_row < 0 or table.cursor_row >= len(self.links):
            return None
        return self.links[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        open_link(self, self._link(), self._changed)

    def action_done(self) -> None:
        link = self._link() or ""
        kind, _colon, rest = link.partition(":")
        ident = rest.partition("|")[0]
        actor = self.app.actor
        if kind == "reminder":
            from crm_tui.services.today import reminders

            run_service(self, lambda s: reminders.close_reminder(s, actor, int(ident)), self._changed,
                        write=True, group="today-done")
        elif kind == "notification":
            from crm_tui.services.notices import notifications

            run_service(self, lambda s: notifications.mark_read(s, actor, int(ident)), self._changed,
                        write=True, group="today-done")
        else:
            self.app.notify(_("Only a reminder or a notification is marked done here."), severity="warning")

    def action_new_reminder(self) -> None:
        from crm_tui.screens.today.forms import ReminderForm

        self.app.push_screen(ReminderForm(), lambda saved: self._changed() if saved else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F6 shows only to those who may post (a salesperson never sees a key that refuses)."""
        if action == "announce":
            from crm_tui.services.today.announcements import POSTER_ROLES

            return getattr(self.app.actor, "role", None) in POSTER_ROLES
        return True

    def action_announce(self) -> None:
        from crm_tui.screens.today.forms import AnnouncementForm
        from crm_tui.services.today.announcements import POSTER_ROLES

        if self.app.actor.role not in POSTER_ROLES:
            self.app.notify(_("Only administrators and managers post announcements."), severity="warning")
            return
        from crm_tui.services.admin.departments import department_paths

        def ask(paths: dict[int, str]) -> None:
            self.app.push_screen(AnnouncementForm(paths), lambda saved: self._changed() if saved else None)

        run_service(self, department_paths, ask, group="today-departments")

    def action_my_page(self) -> None:
        open_link(self, f"user:{self.app.actor.id}")

    def action_people(self) -> None:
        from crm_tui.screens.today.employee_page import PeopleDialog

        self.app.push_screen(PeopleDialog(), lambda uid: open_link(self, f"user:{uid}") if uid else None)
