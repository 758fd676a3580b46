"""The customer page (客户360): one customer with a tab and a count for each area's records (contacts, logs,
quotes and orders, stock-outs, receipts, invoices, receivables and aging, visits, and what other areas
register). Esc back · Enter opens the row's record · F4 the customer's details (contacts and logs are edited
there, with its keys) · F2 a reminder on this customer · F5 refresh."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent

from crm_tui.i18n import _
from crm_tui.screens.base import CrmScreen, run_service
from crm_tui.screens.today.links import open_link
from crm_tui.screens.today.pages import fill_tabs, row_link


class CustomerPageScreen(CrmScreen):
    DEFAULT_CSS = """
    CustomerPageScreen #page-head { height: auto; padding: 0 1; border: round $primary; }
    CustomerPageScreen .page-summary { height: 1; padding: 0 1; color: $accent; }
    CustomerPageScreen TabbedContent { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="customer_page.back"),
        Binding("f4", "details", "Details", id="customer_page.details"),
        Binding("f2", "reminder", "Reminder", id="customer_page.reminder"),
        Binding("f5", "reload", "Refresh", id="customer_page.refresh"),
    ]

    def __init__(self, customer_id: int):
        super().__init__()
        self.customer_id = customer_id
        self.page = None
        self.links: dict[str, list[str | None]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(_("Loading…"), id="page-head")
            yield TabbedContent(id="page-tabs")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        from crm_tui.services.today.customer_page import load_page

        actor, cid = self.app.actor, self.customer_id
        run_service(self, lambda s: load_page(s, actor, cid), self._show, group="customer-page")

    def _show(self, page) -> None:
        self.call_later(self._fill, page)  # the tabs are replaced awaiting their removal: on the UI loop

    async def _fill(self, page) -> None:
        self.page = page
        self.sub_title = f"{page.code} {page.name}"
        owner = page.owner or _("(pool)")
        self.query_one("#page-head", Static).update(
            f"{page.code}  {page.name}    {_('Salesperson')}: {owner}")
        await fill_tabs(self.query_one("#page-tabs", TabbedContent), page.tabs, self.links)
        tables = self.query("#page-tabs DataTable")
        if tables and (not self.focused or self.focused is self):
            tables.first().focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        link = row_link(self.query_one("#page-tabs", TabbedContent), self.links, event.data_table)
        if link and link != f"customer:{self.customer_id}":
            open_link(self, link, self.action_reload)
        else:
            self.action_details()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_details(self) -> None:
        from crm_tui.screens.customers.detail import CustomerScreen

        self.app.push_screen(CustomerScreen(self.customer_id), lambda _r: self.action_reload())

    def action_reminder(self) -> None:
        from crm_tui.screens.today.forms import ReminderForm

        about = f"{self.page.code} {self.page.name}" if self.page else ""
        self.app.push_screen(ReminderForm("customer", self.customer_id, about),
                             lambda saved: self.app.notify(_("Saved.")) if saved else None)
