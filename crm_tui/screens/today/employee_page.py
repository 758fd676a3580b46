"""The employee page: one person over a month — contact logs, visits, weekly plans and their reviews, orders,
receipts, expense claims (and what other areas register). For the person and those above them. Esc back ·
F7 / F8 previous / next month · Enter opens the row's record · F5 refresh."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.core import clock
from crm_tui.i18n import _
from crm_tui.screens.base import Translated, run_service
from crm_tui.screens.today.links import open_link
from crm_tui.screens.today.pages import TabbedPage


def month_of(day: date, delta: int = 0) -> tuple[date, date]:
    index = day.year * 12 + day.month - 1 + delta
    year, month = divmod(index, 12)
    first = date(year, month + 1, 1)
    nxt = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return first, date.fromordinal(nxt.toordinal() - 1)


class EmployeeScreen(TabbedPage):
    BINDINGS = [
        Binding("escape", "back", "Back", id="employee.back"),
        Binding("f7", "month(-1)", "Previous month", id="employee.previous"),
        Binding("f8", "month(1)", "Next month", id="employee.next"),
        Binding("f5", "reload", "Refresh", id="employee.refresh"),
    ]

    def __init__(self, user_id: int, start: date | None = None, end: date | None = None):
        super().__init__()
        self.user_id = user_id
        first, last = month_of(clock.today())
        self.start, self.end = start or first, end or last

    def action_reload(self) -> None:
        from crm_tui.services.today.employee_page import load_page

        actor, uid, start, end = self.app.actor, self.user_id, self.start, self.end
        run_service(self, lambda s: load_page(s, actor, uid, start, end), self.show, group="employee-page")

    async def _fill(self, page) -> None:
        self.sub_title = page.name
        await self.fill_page(_("{name}: {start} to {end}  (F7/F8 month)").format(
            name=page.name, start=page.start.isoformat(), end=page.end.isoformat()), page.sections)

    def action_month(self, delta: int) -> None:
        self.start, self.end = month_of(self.start, delta)
        self.action_reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        link = self.link_of(event.data_table)
        if link:
            open_link(self, link, self.action_reload)


class PeopleDialog(Translated, ModalScreen[int | None]):
    """Choose whose page to open: myself and the people below me (everyone for administrators)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="people.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Whose page?"), classes="dialog-title")
            yield OptionList(id="people")

    def on_mount(self) -> None:
        from crm_tui.services.today.employee_page import people

        actor = self.app.actor
        run_service(self, lambda s: people(s, actor), self._show, group="people")

    def _show(self, rows) -> None:
        options = self.query_one("#people", OptionList)
        options.clear_options()
        options.add_options([Option(name, id=str(uid)) for uid, name in rows])
        options.highlighted = 0 if rows else None
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
