"""The opportunities area (机会): the list with its filters (stage, salesperson, open/won/lost, search) and the
funnel (per stage, forecast by close month, conversion, days in each stage, lost reasons). Enter opens an
opportunity, F2 adds one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TabPane

from crm_tui.core.money import format_money
from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.screens.main import AreaPane
from crm_tui.widgets.tables import SizedTable, cut

STATUSES = (("Still open", "open"), ("Won", "won"), ("Lost", "lost"), ("Won or lost", "closed"))


class OpportunitiesPane(AreaPane):
    DEFAULT_CSS = """
    OpportunitiesPane #opp-filters { height: 1; }
    OpportunitiesPane #opp-filters Select { width: 16; }
    OpportunitiesPane #opp-filters Input { width: 1fr; }
    OpportunitiesPane #opp-table { height: 1fr; }
    OpportunitiesPane #opp-total { height: 1; padding: 0 1; }
    OpportunitiesPane .funnel-title { height: 1; padding: 0 1; text-style: bold; margin-top: 1; }
    OpportunitiesPane #funnel-box SizedTable { height: 2; }
    """
    BINDINGS = [
        Binding("f2", "new", "New opportunity", id="opportunities.new"),
        Binding("f3", "find", "Find", id="opportunities.find"),
        Binding("ctrl+u", "funnel", "Funnel", id="opportunities.funnel"),
    ]

    def compose(self) -> ComposeResult:
        with TabbedContent(id="opp-tabs"):
            with TabPane(_("Opportunities"), id="tab-opps"):
                with Horizontal(id="opp-filters"):
                    yield Select([(_(label), value) for label, value in STATUSES], value="open", compact=True,
                                 prompt=_("All"), id="opp-status")
                    yield Select([], compact=True, prompt=_("Any stage"), id="opp-stage")
                    yield Select([], compact=True, prompt=_("Anyone"), id="opp-owner")
                    yield Input(placeholder=_("Number, title or customer"), compact=True, id="opp-search")
                table = SizedTable(id="opp-table", cursor_type="row", zebra_stripes=True)
                table.add_columns(_("Number"), _("Title"), _("Stage"), _("Amount"), _("Customer"), _("Expected close"),
                                  _("Salesperson"), _("Next step"))
                yield table
                yield Static("", id="opp-total")
            with TabPane(_("Funnel"), id="tab-funnel"):
                with VerticalScroll(id="funnel-box"):
                    stages = SizedTable(id="funnel-stages", cursor_type="row")
                    stages.add_columns(_("Stage"), _("Probability"), _("Count"), _("Amount"), _("Weighted"))
                    yield stages
                    yield Static(_("Weighted forecast by expected close month"), classes="funnel-title")
                    forecast = SizedTable(id="funnel-forecast", cursor_type="row")
                    forecast.add_columns(_("Month"), _("Count"), _("Amount"), _("Weighted"))
                    yield forecast
                    yield Static(_("Conversion and days in each stage"), classes="funnel-title")
                    conv = SizedTable(id="funnel-conversion", cursor_type="row")
                    conv.add_columns(_("From"), _("To"), _("Reached"), _("Moved on"), _("Rate"))
                    yield conv
                    days = SizedTable(id="funnel-days", cursor_type="row")
                    days.add_columns(_("Stage"), _("Average days"), _("Samples"))
                    yield days
                    yield Static(_("Lost reasons"), classes="funnel-title")
                    lost = SizedTable(id="funnel-lost", cursor_type="row")
                    lost.add_columns(_("Reason"), _("Count"), _("Amount"))
                    yield lost

    def on_mount(self) -> None:
        super().on_mount()
        self.stages = []
        self.owners = []
        self._filters_loaded = False

    def _filters(self) -> dict:
        def choice(selector: str):
            value = self.query_one(selector, Select).value
            return None if value is Select.NULL else value

        return {"status": choice("#opp-status"), "stage_id": choice("#opp-stage"),
                "owner_id": choice("#opp-owner"), "text": self.query_one("#opp-search", Input).value.strip()}

    def refresh_data(self) -> None:
        from crm_tui.services.opportunities import funnel, records
        from crm_tui.services.opportunities import stages as st

        actor = self.app.actor
        filters = self._filters() if self.query("#opp-status") else {"status": "open"}

        def load(session):
            return (records.list_opportunities(session, actor, **filters), funnel.funnel(session, actor),
                    st.list_stages(session) or st.default_stage_views(), records.owner_choices(session, actor))

        run_service(self, load, self._show, group="opportunities-load")

    def _show(self, data) -> None:
        if not self.query("#opp-table"):
            self.call_after_refresh(self._show, data)
            return
        rows, f, self.stages, self.owners = data
        if not self._filters_loaded:
            self._filters_loaded = True
            with self.prevent(Select.Changed):
                self.query_one("#opp-stage", Select).set_options([(s.name, s.id) for s in self.stages if s.id])
                self.query_one("#opp-owner", Select).set_options([(name, uid) for uid, name in self.owners])
        table = self.query_one("#opp-table", DataTable)
        table.clear()
        total = 0
        for r in rows:
            table.add_row(r.number, cut(r.title, 16), r.stage, format_money(r.expected_amount), cut(r.customer_name, 20),
                          r.expected_close.isoformat() if r.expected_close else "", r.owner_name or "",
                          cut(r.next_step or "", 20), key=str(r.id))
            total += r.expected_amount
        weighted = sum((r.weighted for r in rows if r.outcome == "open"), 0)
        self.query_one("#opp-total", Static).update(
            _("{n} opportunities, {amount} in all, {weighted} weighted (open ones)").format(
                n=len(rows), amount=format_money(total), weighted=format_money(weighted)))
        self._show_funnel(f)

    def _show_funnel(self, f) -> None:
        t = self.query_one("#funnel-stages", DataTable)
        t.clear()
        for r in f.stages:
            t.add_row(r.name, f"{r.probability:.0%}", str(r.count), format_money(r.amount), format_money(r.weighted))
        t = self.query_one("#funnel-forecast", DataTable)
        t.clear()
        for m in f.forecast:
            t.add_row(m.month or _("(no date)"), str(m.count), format_money(m.amount), format_money(m.weighted))
        t = self.query_one("#funnel-conversion", DataTable)
        t.clear()
        for c in f.conversion:
            t.add_row(c.from_stage, c.to_stage, str(c.reached), str(c.moved_on),
                      "" if c.rate is None else f"{c.rate:.1%}")
        t = self.query_one("#funnel-days", DataTable)
        t.clear()
        for d in f.days:
            t.add_row(d.stage, "" if d.average_days is None else str(d.average_days), str(d.samples))
        t = self.query_one("#funnel-lost", DataTable)
        t.clear()
        for r in f.lost:
            t.add_row(r.reason or _("(none)"), str(r.count), format_money(r.amount))
        for table in self.query("#funnel-box SizedTable").results(DataTable):
            table.styles.height = table.row_count + 1  # every row in view; the tab scrolls as a whole

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id and event.select.id.startswith("opp-"):
            self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "opp-search":
            self.refresh_data()
            self.query_one("#opp-table", DataTable).focus()

    def action_find(self) -> None:
        self.query_one("#opp-tabs", TabbedContent).active = "tab-opps"
        self.query_one("#opp-search", Input).focus()

    def action_funnel(self) -> None:
        self.query_one("#opp-tabs", TabbedContent).active = "tab-funnel"
        self.query_one("#funnel-stages", DataTable).focus()

    def action_new(self) -> None:
        from crm_tui.screens.opportunities.forms import OpportunityForm

        self.query_one("#opp-tabs", TabbedContent).active = "tab-opps"
        self.app.push_screen(OpportunityForm(self.owners), self._after_save)

    def _after_save(self, result) -> None:
        self.refresh_data()
        if result:
            self.open_detail(result)

    def open_detail(self, opp_id: int) -> None:
        from crm_tui.screens.opportunities.detail import OpportunityDetail

        self.app.push_screen(OpportunityDetail(opp_id, self.owners), lambda _r: self.refresh_data())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "opp-table" and event.row_key is not None:
            self.open_detail(int(event.row_key.value))
