"""The service area (服务): after-sales tickets, overdue ones marked.

F6 switches the list (the line above it says which, with its counts): open tickets (overdue first), overdue only, assigned to me, all. Enter opens a ticket
(its follow-ups and actions), F2 opens a new one, F5 refreshes.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.screens.main import AreaPane
from crm_tui.screens.service.texts import OVERDUE_STYLE, when
from crm_tui.services.tickets import records as tickets
from crm_tui.services.tickets import states
from crm_tui.widgets.tables import SizedTable, cut

SCOPES = ("open", "overdue", "mine", "all")
SCOPE_LABELS = {"open": "Open tickets", "overdue": "Overdue tickets", "mine": "Assigned to me",
                "all": "All tickets"}
CUSTOMER_WIDTH = 20
SUBJECT_WIDTH = 30


def load_rows(session, actor, scope: str) -> list[tickets.TicketRow]:
    if scope == "overdue":
        return tickets.list_tickets(session, actor, overdue=True)
    if scope == "mine":
        return tickets.list_tickets(session, actor, assignee_id=actor.id, open_only=True)
    if scope == "open":
        rows = tickets.list_tickets(session, actor, open_only=True)
        return sorted(rows, key=lambda r: (not r.overdue, r.due_at))  # overdue first, then what is due next
    return tickets.list_tickets(session, actor)


def ticket_cells(r: tickets.TicketRow) -> list:
    status = states.status_label(r.status)
    due = when(r.due_at)
    if r.overdue:
        return [Text(r.number, style=OVERDUE_STYLE), cut(r.customer_name, CUSTOMER_WIDTH), states.kind_label(r.kind),
                states.priority_label(r.priority), Text(f"{status} · {_('overdue')}", style=OVERDUE_STYLE),
                r.assignee or "", Text(due, style=OVERDUE_STYLE), cut(r.subject, SUBJECT_WIDTH)]
    return [r.number, cut(r.customer_name, CUSTOMER_WIDTH), states.kind_label(r.kind),
            states.priority_label(r.priority), status, r.assignee or "", due, cut(r.subject, SUBJECT_WIDTH)]


class ServicePane(AreaPane):
    DEFAULT_CSS = """
    ServicePane #ticket-scope { height: 1; padding: 0 1; color: $accent; text-style: bold; }
    ServicePane #tickets { height: 1fr; }
    """
    BINDINGS = [
        Binding("f2", "new_ticket", "New ticket", id="service.new"),
        Binding("f6", "next_scope", "Next list", id="service.scope"),
    ]
    focus_when_mounted = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = "open"
        self.rows: list[tickets.TicketRow] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="ticket-scope")
        table = SizedTable(id="tickets", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("Ticket"), _("Customer"), _("Kind"), _("Priority"), _("Status"), _("Assignee"), _("Due by"),
                          _("Subject"))
        yield table

    def refresh_data(self) -> None:
        actor, scope = self.app.actor, self.scope
        run_service(self, lambda s: load_rows(s, actor, scope), self._show, group="ticket-list")

    def _show(self, rows: list[tickets.TicketRow]) -> None:
        self.rows = rows
        overdue = sum(1 for r in rows if r.overdue)
        self.query_one("#ticket-scope", Static).update(Text(
            _("{scope}: {n} · overdue {m}").format(
                scope=_(SCOPE_LABELS[self.scope]), n=len(rows), m=overdue)))
        table = self.query_one("#tickets", DataTable)
        cursor = table.cursor_row
        table.clear()
        for r in rows:
            table.add_row(*ticket_cells(r), key=str(r.id))
        if rows:
            table.move_cursor(row=min(max(cursor, 0), len(rows) - 1))

    def focus_first(self) -> None:
        self.query_one("#tickets", DataTable).focus()

    def current(self) -> tickets.TicketRow | None:
        table = self.query_one("#tickets", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.rows):
            self.open_ticket(self.rows[event.cursor_row].id)

    def open_ticket(self, ticket_id: int) -> None:
        from crm_tui.screens.service.detail import TicketScreen

        self.app.push_screen(TicketScreen(ticket_id), lambda _r: self.refresh_data())

    def action_new_ticket(self) -> None:
        from crm_tui.screens.service.forms import TicketForm

        self.app.push_screen(TicketForm(), self._created)

    def _created(self, row) -> None:
        if row:
            self.app.notify(_("Ticket {number} opened; due {due}.").format(number=row.number, due=when(row.due_at)))
            self.refresh_data()

    def action_next_scope(self) -> None:
        self.scope = SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)]
        self.refresh_data()

    def action_show_overdue(self) -> None:
        self.scope = "overdue"
        self.refresh_data()

    def action_show_mine(self) -> None:
        self.scope = "mine"
        self.refresh_data()
