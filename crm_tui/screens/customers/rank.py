"""Customer ranking (客户排名): visible customers by sales in a period, or by contacts when there are no sales.

Opened from the customer list (ctrl+r, or ctrl+p "Customers: ranking"). Enter opens a customer; the period
is typed as dates, as the importer reads them (2026-11-01, 2026/11/1, 2026年11月1日)."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from crm_tui.core import clock
from crm_tui.core.money import format_money
from crm_tui.i18n import _, n_
from crm_tui.screens.base import CrmScreen, MessageLine, run_service
from crm_tui.services.customers import search as cs
from crm_tui.widgets.tables import SizedTable

LIMIT = 100


def default_start(today: date) -> date:
    """The first day of last month: the period is then last month and this one (early in a month, this month
    alone has hardly anything to rank)."""
    last_month = today.replace(day=1) - timedelta(days=1)
    return last_month.replace(day=1)


class RankingScreen(CrmScreen):
    DEFAULT_CSS = """
    RankingScreen .period { height: 1; padding: 0 1; }
    RankingScreen .period Label { padding: 0 1; }
    RankingScreen .period Input { width: 16; }
    RankingScreen #rank-basis { height: 1; padding: 0 1; color: $text-muted; }
    RankingScreen #ranking { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="ranking.back"),
        Binding("f5", "reload", "Refresh", id="ranking.refresh"),
    ]

    def compose(self) -> ComposeResult:
        today = clock.today()
        yield Header()
        with Vertical():
            with Horizontal(classes="period"):
                yield Label(_("Period"))
                yield Input(default_start(today).isoformat(), id="rank-from", compact=True)
                yield Label("～")
                yield Input(today.isoformat(), id="rank-to", compact=True)
            yield MessageLine("", id="rank-message")
            yield Static("", id="rank-basis")
            table = SizedTable(id="ranking", cursor_type="row", zebra_stripes=True)
            table.add_columns(_("Rank"), _("No."), _("Customer name"), _("Owner"), _("Sales"), _("Contact count"))
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = _("Customer ranking")
        self.action_reload()
        self.query_one("#ranking", DataTable).focus()

    def _period(self) -> tuple[date, date] | None:
        from crm_tui.io import cells

        message = self.query_one("#rank-message", MessageLine)
        found = []
        for widget_id, label in (("rank-from", _("From")), ("rank-to", _("To"))):
            text = self.query_one(f"#{widget_id}", Input).value.strip()
            try:
                found.append(cells.date(text))
            except ValueError as exc:
                message.show_error(f"{label}: {exc}")
                return None
        if found[1] < found[0]:
            message.show_error(_("The period ends ({end}) before it starts ({start}).").format(
                start=found[0], end=found[1]))
            return None
        message.show_error("")
        return found[0], found[1]

    def action_reload(self) -> None:
        period = self._period()
        if period is None:
            return
        actor = self.app.actor
        run_service(self, lambda s: cs.rank_customers(s, actor, *period, limit=LIMIT), self._show,
                    group="customer-ranking")

    def _show(self, ranking: cs.Ranking) -> None:
        basis = _("by sales (confirmed orders, tax included)") if ranking.by == "sales" else \
            _("by number of contacts (no sales in the period)")
        self.query_one("#rank-basis", Static).update(
            n_("{n} customer ranked {basis}", "{n} customers ranked {basis}", len(ranking.rows)).format(
                n=len(ranking.rows), basis=basis))
        table = self.query_one("#ranking", DataTable)
        table.clear()
        for r in ranking.rows:
            sales = format_money(r.sales) if r.sales is not None else ""
            table.add_row(Text(str(r.rank), justify="right"), r.code, r.name, r.owner or _("(pool)"),
                          Text(sales, justify="right"), Text(str(r.contacts), justify="right"), key=str(r.customer_id))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from crm_tui.screens.customers.detail import CustomerScreen

        self.app.push_screen(CustomerScreen(int(event.row_key.value)))

    def action_back(self) -> None:
        self.dismiss(None)
