"""Contact-log quota check (联系记录稽核): who is short of their role's quota this week or month, and by how many.

Opened from the contact logs area (ctrl+k, or ctrl+p "Contact logs: quota check"). F6 switches between week
and month; the day may be typed (the week or month around it is checked); F7 shows also those who met their
quota; F4 (administrators) sets the quotas per role."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static

from crm_tui.core import clock
from crm_tui.i18n import _
from crm_tui.screens.base import CrmScreen, MessageLine, run_service
from crm_tui.widgets.forms import Field, FormDialog
from crm_tui.widgets.tables import SizedTable
from crm_tui.widgets.work import run_use_case


class QuotaCheckScreen(CrmScreen):
    DEFAULT_CSS = """
    QuotaCheckScreen .period { height: 1; padding: 0 1; }
    QuotaCheckScreen .period Label { padding: 0 1; }
    QuotaCheckScreen .period Input { width: 14; }
    QuotaCheckScreen .period Select { width: 14; }
    QuotaCheckScreen #quota-summary { height: 1; padding: 0 1; color: $text-muted; }
    QuotaCheckScreen #quota-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="quota.back"),
        Binding("f5", "reload", "Refresh", id="quota.refresh"),
        Binding("f6", "toggle_period", "Week / month", id="quota.period"),
        Binding("f7", "toggle_all", "Show all", id="quota.all"),
        Binding("f4", "edit_quotas", "Set quotas", id="quota.edit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.include_met = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            with Horizontal(classes="period"):
                yield Label(_("Period"))
                yield Select([(_("Week"), "week"), (_("Month"), "month")], value="week", allow_blank=False,
                             compact=True, id="quota-period")
                yield Label(_("Day"))
                yield Input(clock.today().isoformat(), id="quota-day", compact=True)
            yield MessageLine("", id="quota-message")
            yield Static("", id="quota-summary")
            table = SizedTable(id="quota-table", cursor_type="row", zebra_stripes=True, fixed_columns=1)
            table.add_columns(_("Name"), _("Department"), _("Role"), _("Required"), _("Written"), _("Short by"))
            yield table
        yield Footer()

    def on_mount(self) -> None:
        from crm_tui.screens.base import translate_select_menus

        translate_select_menus(self)
        self.sub_title = _("Contact-log quota check")
        self.action_reload()
        self.query_one("#quota-table", DataTable).focus()

    def action_reload(self) -> None:
        from crm_tui.io import cells
        from crm_tui.services.customers import quotas

        message = self.query_one("#quota-message", MessageLine)
        text = self.query_one("#quota-day", Input).value.strip()
        try:
            day = cells.date(text)
        except ValueError as exc:
            message.show_error(f"{_('Day')}: {exc}")
            return
        message.show_error("")
        period = self.query_one("#quota-period", Select).value
        actor = self.app.actor
        run_service(self, lambda s: quotas.check(s, actor, period, day), self._show, group="quota-check")

    def _show(self, result) -> None:
        rows = result.rows if self.include_met else result.short_rows
        if not result.rows:
            summary = _("No quota is set for this period.")
        else:
            summary = _("{first} to {last}: {short} of {n} short").format(
                first=result.first, last=result.last, short=len(result.short_rows), n=len(result.rows))
        self.query_one("#quota-summary", Static).update(summary)
        table = self.query_one("#quota-table", DataTable)
        table.clear()
        for r in rows:
            table.add_row(r.name, r.department or "", _(r.role), Text(str(r.required), justify="right"),
                          Text(str(r.written), justify="right"), Text(str(r.short), justify="right"),
                          key=str(r.user_id))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.action_reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_reload()
        self.query_one("#quota-table", DataTable).focus()

    def action_toggle_period(self) -> None:
        select = self.query_one("#quota-period", Select)
        select.value = "month" if select.value == "week" else "week"

    def action_toggle_all(self) -> None:
        self.include_met = not self.include_met
        self.action_reload()

    def action_edit_quotas(self) -> None:
        from crm_tui.services.admin import permissions

        if not permissions.can(self.app.actor, "admin.customers"):
            self.app.notify(_("Only administrators set the quotas."), severity="warning")
            return
        self.app.push_screen(QuotaForm(), lambda saved: self.action_reload() if saved else None)

    def action_back(self) -> None:
        self.dismiss(None)


class QuotaForm(FormDialog):
    """One role's quota per week and per month (0: none)."""

    AUTO_FOCUS = "#quota-role"

    def __init__(self) -> None:
        super().__init__()
        self.title_text = _("Contact-log quotas")
        self.current: dict[str, tuple[int, int]] = {}

    def fields(self) -> ComposeResult:
        from crm_tui.services.customers.quotas import ROLES

        yield Field(_("Role"), Select([(_(r), r) for r in ROLES], value="salesperson", allow_blank=False,
                                      id="quota-role"), required=True)
        yield Field(_("Per week"), Input("0", id="quota-week"))
        yield Field(_("Per month"), Input("0", id="quota-month"))

    def on_mount(self) -> None:
        from crm_tui.services.customers import quotas

        run_service(self, quotas.list_quotas, self._loaded, group="quota-load")

    def _loaded(self, rows) -> None:
        self.current = {r.role: (r.week, r.month) for r in rows}
        self._fill(self.query_one("#quota-role", Select).value)
        self.call_after_refresh(self.mark_clean)  # the stored quotas are not a change

    def _fill(self, role) -> None:
        week, month = self.current.get(role, (0, 0))
        self.query_one("#quota-week", Input).value = str(week)
        self.query_one("#quota-month", Input).value = str(month)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "quota-role" and self.current:
            self._fill(event.value)

    def collect(self) -> dict:
        out = {"role": self.query_one("#quota-role", Select).value}
        for key in ("week", "month"):
            text = self.value(f"quota-{key}") or "0"
            if not text.isdigit():
                raise ValueError(_("Quota: expected a whole number of contact logs, got {value}.").format(value=text))
            out[key] = int(text)
        return out

    def save(self, values: dict) -> None:
        from crm_tui.services.customers import quotas

        actor = self.app.actor

        def write(session):
            quotas.set_quota(session, actor, values["role"], "week", values["week"])
            quotas.set_quota(session, actor, values["role"], "month", values["month"])

        run_use_case(self, write, lambda _r: self.finish(True), write=True,
                     on_error=lambda exc: self.show_error(self.app._describe(exc)), group="quota-save")
