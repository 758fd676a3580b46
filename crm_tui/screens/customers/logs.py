"""Contact logs (联系记录): my follow-ups, the review queue of a manager, the latest logs I may see.

Enter on a queued log opens the review form (批复); on another log it shows the log in full. F5 refreshes;
ctrl+g opens the log's customer.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, TabbedContent, TabPane

from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.screens.main import AreaPane
from crm_tui.services.admin import permissions
from crm_tui.services.customers import contact_logs
from crm_tui.widgets.held_tabs import HeldTabs
from crm_tui.widgets.tables import SizedTable, cut

TEXT_WIDTH = 30  # cells of a summary, next step or review in the list (Enter shows it whole): 批复 stays in view

RECENT = 200


@dataclass(frozen=True)
class LogLists:
    follow_ups: list[contact_logs.LogRow]
    queue: list[contact_logs.LogRow] | None  # None: the user does not review
    recent: list[contact_logs.LogRow]


def load_lists(session, actor) -> LogLists:
    queue = contact_logs.review_queue(session, actor) if permissions.can(actor, "records.review") else None
    return LogLists(contact_logs.open_follow_ups(session, actor), queue,
                    contact_logs.list_logs(session, actor, limit=RECENT))


class ContactLogsPane(HeldTabs, AreaPane):
    BINDINGS = [Binding("ctrl+g", "open_customer", "Customer", id="logs.customer"),
                Binding("f9,ctrl+e", "export_list", "Export to Excel", id="logs.export_list"),
                Binding("ctrl+k", "quota_check", "Quota check", id="logs.quota_check")]

    def action_export_list(self) -> None:
        """Every contact log the user may see, to Excel (the tabs show the latest ones)."""
        from crm_tui.screens.exports.dialog import ListExportDialog

        self.app.push_screen(ListExportDialog("contact-logs", title=_("Contact logs")))

    def action_quota_check(self) -> None:
        from crm_tui.screens.customers.quotas import QuotaCheckScreen

        self.app.push_screen(QuotaCheckScreen())

    def compose(self) -> ComposeResult:
        with TabbedContent(id="log-tabs"):
            for tab, title in (("follow-ups", _("My follow-ups")), ("queue", _("Review queue")),
                               ("recent", _("Latest logs"))):
                with TabPane(title, id=f"tab-{tab}"):
                    table = SizedTable(id=f"logs-{tab}", cursor_type="row", zebra_stripes=True, fixed_columns=2)
                    table.add_columns(_("Time"), _("Customer"), _("Contact kind"), _("By"), _("Summary"), _("Follow-up"),
                                      _("Review"))
                    yield table

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lists: LogLists | None = None

    def refresh_data(self) -> None:
        actor = self.app.actor
        run_service(self, lambda s: load_lists(s, actor), self._show, group="log-lists")

    def _show(self, lists: LogLists) -> None:
        if not self.query("#logs-recent"):
            self.call_after_refresh(self._show, lists)
            return
        self.lists = lists
        for tab, rows in (("follow-ups", lists.follow_ups), ("queue", lists.queue or []), ("recent", lists.recent)):
            table = self.query_one(f"#logs-{tab}", DataTable)
            table.clear()
            for lg in rows:
                table.add_row(lg.at.strftime("%Y-%m-%d %H:%M"), lg.customer_name,
                              _(contact_logs.KIND_LABELS.get(lg.kind, lg.kind)), lg.author, cut(lg.summary, TEXT_WIDTH),
                              cut(f"{lg.next_follow_up or ''} {lg.next_step or ''}".strip(), TEXT_WIDTH),
                              cut(f"{lg.reviewer}: {lg.review_comment}" if lg.review_comment else "", TEXT_WIDTH),
                              key=str(lg.id))
        self.query_one("#tab-queue", TabPane).disabled = lists.queue is None
        self._restore_held_tab()  # enabling the queue tab may have moved the tabs

    def _rows(self, table_id: str) -> list[contact_logs.LogRow]:
        if self.lists is None:
            return []
        return {"logs-follow-ups": self.lists.follow_ups, "logs-queue": self.lists.queue or [],
                "logs-recent": self.lists.recent}[table_id]

    def _current(self) -> tuple[str, contact_logs.LogRow | None]:
        active = self.query_one("#log-tabs", TabbedContent).active.removeprefix("tab-")
        if not active:
            return "", None
        table = self.query_one(f"#logs-{active}", DataTable)
        rows = self._rows(table.id)
        row = rows[table.cursor_row] if rows and 0 <= table.cursor_row < len(rows) else None
        return active, row

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from crm_tui.screens.customers.detail import LogView
        from crm_tui.screens.customers.forms import ReviewForm

        rows = self._rows(event.data_table.id)
        if not rows or event.cursor_row >= len(rows):
            return
        log = rows[event.cursor_row]
        if event.data_table.id == "logs-queue":
            self.app.push_screen(ReviewForm(log), self._reviewed)
        else:
            self.app.push_screen(LogView(log))

    def _reviewed(self, result) -> None:
        if result:
            self.app.notify(_("Review saved; the author will see it."))
            self.refresh_data()

    def action_open_customer(self) -> None:
        from crm_tui.screens.customers.detail import CustomerScreen

        _tab, log = self._current()
        if log is not None:
            self.app.push_screen(CustomerScreen(log.customer_id), lambda _r: self.refresh_data())

    def focus_first(self) -> None:
        active = self.query_one("#log-tabs", TabbedContent).active.removeprefix("tab-")
        if not active or not self.query(f"#logs-{active}"):  # the tabs mount a moment after the pane
            self.set_timer(0.05, self.focus_first)
            return
        self.query_one(f"#logs-{active}", DataTable).focus()

    def action_review_queue(self) -> None:
        self.hold_tab("tab-queue")

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.undo_stray_tab(event)
