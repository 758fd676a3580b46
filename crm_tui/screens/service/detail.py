"""One ticket: its details, follow-ups and the actions its status allows.

Keys: Esc back · F6 follow-up · F4 assign · F7 resolve · F10 close (with the customer's score) · F11 reopen ·
F5 refresh. The footer shows only the keys the status allows (all of them do not fit 80 columns); a key the status
does not allow still says what is possible instead.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Static

from crm_tui.core.errors import StateError
from crm_tui.i18n import _
from crm_tui.screens.base import CrmScreen, run_service
from crm_tui.screens.service.texts import OVERDUE_STYLE, when
from crm_tui.services.tickets import records as tickets
from crm_tui.services.tickets import states
from crm_tui.widgets.tables import SizedTable


def info_columns(t: tickets.TicketRow) -> tuple[Text, Text]:
    left = [(_("Ticket"), t.number), (_("Customer"), f"{t.customer_code} {t.customer_name}"),
            (_("Contact"), t.contact), (_("Kind"), states.kind_label(t.kind)),
            (_("Priority"), states.priority_label(t.priority)), (_("Status"), states.status_label(t.status)),
            (_("Assignee"), t.assignee or _("(none)"))]
    right = [(_("Opened"), when(t.opened_at)), (_("Due by"), when(t.due_at)), (_("Sales order"), t.order_number),
             (_("Product"), t.product), (_("Resolution"), t.resolution),
             (_("Satisfaction"), f"{t.satisfaction}/5" if t.satisfaction else None)]

    def text(pairs) -> Text:
        out = Text()
        for key, value in pairs:
            if value in (None, ""):
                continue
            if out:
                out.append("\n")
            out.append(f"{key}: ")
            overdue = key == _("Due by") and t.overdue
            out.append(str(value) + (f" · {_('overdue')}" if overdue else ""), style=OVERDUE_STYLE if overdue else "")
        return out

    return text(left), text(right)


STATUS_MOVES = {"resolve": "resolve", "close_ticket": "close", "reopen": "reopen"}
KEY_OF_ACTION = {"log": "f6", "assign": "f4", "resolve": "f7", "close_ticket": "f10", "reopen": "f11"}
ACTION_OF_KEY = {key: action for action, key in KEY_OF_ACTION.items()}


class TicketScreen(CrmScreen):
    DEFAULT_CSS = """
    TicketScreen #ticket-info { height: auto; max-height: 9; padding: 0 1; border: round $primary; }
    TicketScreen #ticket-info Static { width: 1fr; }
    TicketScreen #ticket-text { height: auto; max-height: 4; padding: 0 1; }
    TicketScreen .section { text-style: bold; color: $accent; padding: 0 1; height: 1; }
    TicketScreen #ticket-logs { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="ticket.back"),
        Binding("f6", "log", "Follow-up", id="ticket.log"),
        Binding("f4", "assign", "Assign", id="ticket.assign"),
        Binding("f7", "resolve", "Resolve", id="ticket.resolve"),
        Binding("f10", "close_ticket", "Close ticket", id="ticket.close"),
        Binding("f11", "reopen", "Reopen", id="ticket.reopen"),
        Binding("f5", "reload", "Refresh", id="ticket.refresh", show=False),
    ]

    def __init__(self, ticket_id: int):
        super().__init__()
        self.ticket_id = ticket_id
        self.detail: tickets.TicketDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            with Horizontal(id="ticket-info"):
                yield Static(_("Loading…"), id="ticket-left")
                yield Static("", id="ticket-right")
            yield Static("", id="ticket-text")
            yield Static(_("Follow-ups"), classes="section")
            logs = SizedTable(id="ticket-logs", cursor_type="row", zebra_stripes=True)
            logs.add_columns(_("Time"), _("By"), _("Action"), _("Follow-up"))
            yield logs
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def _allowed(self, action: str) -> bool:
        t = self.detail.ticket if self.detail is not None else None
        if t is None:
            return True
        if action == "log":
            return t.status != "closed"
        if action == "assign":
            return t.status in states.OPEN
        return STATUS_MOVES[action] in states.allowed_actions(t.status)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._allowed(action) if action in KEY_OF_ACTION else True

    def on_key(self, event) -> None:
        """A key hidden by the status still answers: with what is possible instead."""
        action = ACTION_OF_KEY.get(event.key)
        if action is not None and not self._allowed(action):
            event.stop()
            getattr(self, f"action_{action}")()

    def action_reload(self) -> None:
        actor, tid = self.app.actor, self.ticket_id
        run_service(self, lambda s: tickets.get_ticket(s, actor, tid), self._show, group="ticket-view")

    def _show(self, detail: tickets.TicketDetail) -> None:
        self.detail = detail
        t = detail.ticket
        self.sub_title = f"{t.number} {t.subject}"
        left, right = info_columns(t)
        self.query_one("#ticket-left", Static).update(left)
        self.query_one("#ticket-right", Static).update(right)
        body = Text(t.subject, style="bold")
        if t.description:
            body.append("\n" + t.description)
        self.query_one("#ticket-text", Static).update(body)
        self.refresh_bindings()
        table = self.query_one("#ticket-logs", DataTable)
        table.clear()
        for lg in detail.logs:
            table.add_row(when(lg.at), lg.author or "", states.log_action_label(lg.action), lg.text, key=str(lg.id))

    def action_back(self) -> None:
        self.dismiss(None)

    def _can(self, action: str) -> bool:
        """Whether the status allows ``action``; if not, say what is possible (the service would refuse too)."""
        if self.detail is None:
            return False
        t = self.detail.ticket
        try:
            states.move(t.number, t.status, action)
        except StateError as exc:
            self.app.notify(str(exc), severity="warning")
            return False
        return True

    def _open(self, form_class, action: str | None = None) -> None:
        if self.detail is None or (action is not None and not self._can(action)):
            return
        self.app.push_screen(form_class(self.detail.ticket), self._done)

    def _done(self, saved) -> None:
        if saved:
            self.action_reload()

    def action_log(self) -> None:
        from crm_tui.screens.service.forms import LogForm

        if self.detail is not None and self.detail.ticket.status == "closed":
            self.app.notify(_("Ticket {number} is closed; reopen it to add a follow-up.").format(
                number=self.detail.ticket.number), severity="warning")
            return
        self._open(LogForm)

    def action_assign(self) -> None:
        from crm_tui.screens.service.forms import AssignForm

        if self.detail is not None and self.detail.ticket.status not in states.OPEN:
            self.app.notify(_("Ticket {number} is {status}: only an open ticket can be assigned.").format(
                number=self.detail.ticket.number, status=states.status_label(self.detail.ticket.status)),
                severity="warning")
            return
        self._open(AssignForm)

    def action_resolve(self) -> None:
        from crm_tui.screens.service.forms import ResolveForm

        self._open(ResolveForm, "resolve")

    def action_close_ticket(self) -> None:
        from crm_tui.screens.service.forms import CloseForm

        self._open(CloseForm, "close")

    def action_reopen(self) -> None:
        from crm_tui.screens.service.forms import ReopenForm

        self._open(ReopenForm, "reopen")
