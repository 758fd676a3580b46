"""One opportunity: its head (customer, stage and probability, amounts, next step, quote and order), its product
lines and its stage history, with the next steps on F-keys: edit, move, make a quote, win, lose."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

from crm_tui.core.money import format_money
from crm_tui.i18n import _
from crm_tui.screens.base import ConfirmDialog, CrmScreen, run_service
from crm_tui.widgets.tables import SizedTable


class OpportunityDetail(CrmScreen):
    DEFAULT_CSS = """
    OpportunityDetail #opp-head { height: auto; padding: 0 1; }
    OpportunityDetail #opp-lines { height: 1fr; min-height: 4; }
    OpportunityDetail .opp-title { height: 1; padding: 0 1; text-style: bold; }
    OpportunityDetail #opp-history { height: 1fr; min-height: 4; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="opportunity.back"),
        Binding("f4", "edit", "Edit", id="opportunity.edit"),
        Binding("f6", "move", "Move stage", id="opportunity.move"),
        Binding("f7", "quote", "Make quote", id="opportunity.quote"),
        Binding("f10", "win", "Won", id="opportunity.win"),
        Binding("f8", "lose", "Lost", id="opportunity.lose"),
        Binding("f5", "reload", "Refresh", id="opportunity.refresh", show=False),
    ]

    def __init__(self, opp_id: int, owners: list[tuple[int, str]] | None = None):
        super().__init__()
        self.opp_id = opp_id
        self.owners = owners or []
        self.view = None
        self.stages = []
        self.reasons: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("", id="opp-head")
            lines = SizedTable(id="opp-lines", cursor_type="row", zebra_stripes=True)
            lines.add_columns("#", _("Code"), _("Product"), _("Quantity"), _("Price"), _("Amount"))
            yield lines
            yield Static(_("Stage history"), classes="opp-title")
            history = SizedTable(id="opp-history", cursor_type="row")
            history.add_columns(_("When"), _("From"), _("To"), _("By"), _("Note"))
            yield history
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        from crm_tui.services.opportunities import records
        from crm_tui.services.opportunities import stages as st

        actor, opp_id = self.app.actor, self.opp_id

        def work(session):
            return records.get_opportunity(session, actor, opp_id), st.list_stages(session), st.lost_reasons()

        run_service(self, work, self._show)

    def _show(self, result) -> None:
        self.view, self.stages, self.reasons = result
        v = self.view
        state = v.stage.name + (f" ({v.stage.probability:.0%})" if v.stage.is_open else "")
        head = [f"[b]{_('Opportunity')} {v.number}[/b]  {v.title}  ·  {state}",
                f"{_('Customer')}: {v.customer_code} {v.customer_name}   {_('Contact')}: {v.contact_name or ''}   "
                f"{_('Salesperson')}: {v.owner_name or ''}   {_('Source')}: {v.source or ''}",
                f"{_('Expected amount')}: {format_money(v.expected_amount)}   {_('Weighted')}: "
                f"{format_money(v.weighted)}   {_('Expected close')}: {v.expected_close or ''}",
                f"{_('Next step')}: {v.next_step or ''} {v.next_step_date or ''}   "
                f"{_('Quote')}: {v.quote_number or ''}   {_('Order')}: {v.order_number or ''}"]
        if v.lost_reason:
            head.append(f"{_('Lost reason')}: {v.lost_reason}  {v.lost_note or ''}  ({v.closed_on})")
        self.query_one("#opp-head", Static).update("\n".join(head))
        table = self.query_one("#opp-lines", DataTable)
        table.clear()
        for ln in v.lines:
            table.add_row(str(ln.line_no), ln.product_code, ln.product_name, format(ln.quantity.normalize(), "f"),
                          format_money(ln.expected_price), format_money(ln.amount))
        table = self.query_one("#opp-history", DataTable)
        table.clear()
        for h in v.history:
            table.add_row(_local(h.at), h.from_stage or "", h.to_stage, h.by or "", h.note or "")

    # --- actions ---------------------------------------------------------------------------------------

    def _open(self) -> bool:
        if self.view is None:
            return False
        if not self.view.stage.is_open:
            self.app.notify(_("Opportunity {number} is closed; it cannot be changed.").format(number=self.view.number),
                            severity="warning")
            return False
        return True

    def _after(self, result) -> None:
        if result:
            self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_edit(self) -> None:
        if self._open():
            from crm_tui.screens.opportunities.forms import OpportunityForm

            self.app.push_screen(OpportunityForm(self.owners, self.view), self._after)

    def action_move(self) -> None:
        if self._open():
            from crm_tui.screens.opportunities.forms import MoveDialog

            self.app.push_screen(MoveDialog(self.view.id, self.view.number, self.stages, self.view.stage.id),
                                 self._after)

    def action_lose(self) -> None:
        if self._open():
            from crm_tui.screens.opportunities.forms import LoseDialog

            self.app.push_screen(LoseDialog(self.view.id, self.view.number, self.reasons), self._after)

    def action_quote(self) -> None:
        if not self._open():
            return
        from crm_tui.services.opportunities import records

        actor, opp_id = self.app.actor, self.view.id

        def done(qid) -> None:
            self.app.notify(_("Quote #{id} (draft) made from opportunity {number}.").format(
                id=qid, number=self.view.number))
            self.action_reload()

        run_service(self, lambda s: records.make_quote(s, actor, opp_id), done, write=True)

    def action_win(self) -> None:
        if not self._open():
            return
        question = _("Mark {number} won? An order is made from quote {quote}.").format(
            number=self.view.number, quote=self.view.quote_number or _("(none)"))
        self.app.push_screen(ConfirmDialog(question, _("Won")), self._win)

    def _win(self, yes: bool | None) -> None:
        if not yes:
            return
        from crm_tui.services.opportunities import records

        actor, opp_id, number = self.app.actor, self.view.id, self.view.number

        def done(result) -> None:
            self.app.notify(_("Opportunity {number} won: order {order} made from quote {quote}.").format(
                number=number, order=result.order_label, quote=result.quote_number))
            self.action_reload()

        run_service(self, lambda s: records.win(s, actor, opp_id), done, write=True)


def _local(at) -> str:
    """A UTC time of the history as the user's local time."""
    from datetime import UTC

    return at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
