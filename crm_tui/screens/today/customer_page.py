"""The customer page (客户360): one customer with a tab and a count for each area's records (contacts, logs,
quotes and orders, stock-outs, receipts, invoices, receivables and aging, visits, and what other areas
register). Esc back · Enter opens the row's record · F4 the customer's details (contacts and logs are edited
there, with its keys) · F2 a reminder on this customer · F5 refresh."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable

from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.screens.today.links import open_link
from crm_tui.screens.today.pages import TabbedPage


class CustomerPageScreen(TabbedPage):
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

    def action_reload(self) -> None:
        from crm_tui.services.today.customer_page import load_page

        actor, cid = self.app.actor, self.customer_id
        run_service(self, lambda s: load_page(s, actor, cid), self.show, group="customer-page")

    async def _fill(self, page) -> None:
        self.page = page
        self.sub_title = f"{page.code} {page.name}"
        owner = page.owner or _("(pool)")
        await self.fill_page(f"{page.code}  {page.name}    {_('Salesperson')}: {owner}", page.tabs)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        link = self.link_of(event.data_table)
        if link and link != f"customer:{self.customer_id}":
            open_link(self, link, self.action_reload)
        else:
            self.action_details()

    def action_details(self) -> None:
        from crm_tui.screens.customers.detail import CustomerScreen

        self.app.push_screen(CustomerScreen(self.customer_id), lambda _r: self.action_reload())

    def action_reminder(self) -> None:
        from crm_tui.screens.today.forms import ReminderForm

        about = f"{self.page.code} {self.page.name}" if self.page else ""
        self.app.push_screen(ReminderForm("customer", self.customer_id, about),
                             lambda saved: self.app.notify(_("Saved.")) if saved else None)
