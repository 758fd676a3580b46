"""Purchase return screens (采购退货): the return form opened from a purchase receipt (one quantity per line,
all that may still go back by default; ctrl+s asks, then confirms) and the return view (F8 cancels it after a
question, F9 prints it)."""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, Static

from crm_tui.core.money import format_money
from crm_tui.i18n import _
from crm_tui.screens.base import ConfirmDialog, MessageLine, Translated, run_service
from crm_tui.screens.stock.document import parse_quantity
from crm_tui.services.purchasing import returns as ret
from crm_tui.widgets.forms import Field, FormBase
from crm_tui.widgets.tables import SizedTable


def q(d: Decimal) -> str:
    return format(d.normalize(), "f")


class ReturnForm(FormBase, Translated, ModalScreen[str | None]):
    """Goods of a receipt back to the supplier: a quantity per line and a reason; ctrl+s asks, then confirms
    the return (stock out at the incoming cost, the supplier debited)."""

    BINDINGS = [
        Binding("ctrl+s", "return_goods", "Return goods", id="pret.save"),
        Binding("escape", "cancel", "Cancel", id="pret.cancel"),
    ]
    DEFAULT_CSS = """
    ReturnForm .dialog { width: 100; }
    ReturnForm .return-line { height: 1; }
    ReturnForm .return-line Label { width: 1fr; }
    ReturnForm .return-line Input { width: 14; }
    ReturnForm VerticalScroll { height: auto; max-height: 12; }
    """

    def __init__(self, data):
        super().__init__()
        self.receipt_id, self.receipt_number, self.supplier_name, lines = data
        self.lines = [ln for ln in lines if ln.returnable > 0]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(_("Return goods of {number} to {supplier}").format(number=self.receipt_number,
                                                                             supplier=self.supplier_name),
                         classes="dialog-title")
            with VerticalScroll():
                for ln in self.lines:
                    with Horizontal(classes="return-line"):
                        yield Label(f"{ln.product_code} {ln.product_name} — " + _(
                            "received {r}, returned {t}, may return {m}").format(
                            r=q(ln.received), t=q(ln.returned), m=q(ln.returnable)))
                        yield Input(q(ln.returnable), id=f"rt-{ln.receipt_line_id}", compact=True)
            yield Field(_("Reason"), Input(id="rt-reason", max_length=300))
            yield MessageLine("", id="form-message")
        yield Footer()

    def quantities(self) -> dict[int, Decimal]:
        out = {}
        for ln in self.lines:
            text = self.query_one(f"#rt-{ln.receipt_line_id}", Input).value.strip()
            value = parse_quantity(text, allow_zero=True) if text else Decimal(0)
            if value > ln.returnable:
                raise ValueError(_("{code}: {qty} is more than the {left} that may still be returned.").format(
                    code=ln.product_code, qty=q(value), left=q(ln.returnable)))
            if value:
                out[ln.receipt_line_id] = value
        if not out:
            raise ValueError(_("Nothing to return: every quantity is zero."))
        return out

    def on_input_changed(self, _event: Input.Changed) -> None:
        try:
            self.quantities()
        except ValueError as exc:
            self.query_one("#form-message", MessageLine).show_error(str(exc))
        else:
            self.query_one("#form-message", MessageLine).show_error("")

    def action_return_goods(self) -> None:
        try:
            quantities = self.quantities()
        except ValueError as exc:
            self.query_one("#form-message", MessageLine).show_error(str(exc))
            return
        reason = self.query_one("#rt-reason", Input).value.strip() or None
        actor, receipt_id = self.app.actor, self.receipt_id

        def done(number):
            self.app.notify(_("Purchase return {number} confirmed.").format(number=number))
            self.close_saved(number)

        def answered(yes: bool) -> None:
            if yes:
                run_service(self, lambda s: ret.return_goods(s, actor, receipt_id, quantities, reason=reason), done,
                            write=True)

        count = len(quantities)
        self.app.push_screen(ConfirmDialog(_("Return {n} line(s) of {number} to the supplier? The goods leave the "
                                             "stock and the payable drops.").format(n=count,
                                                                                    number=self.receipt_number),
                                           _("Return goods")), answered)

    def action_save(self) -> None:  # the form base's Save (in the 保存/放弃/继续编辑 question)
        self.action_return_goods()


class ReturnDialog(Translated, ModalScreen[None]):
    """A purchase return: its lines, amounts and the stock value it took out; F8 cancels, F9 prints."""

    BINDINGS = [
        Binding("f8", "cancel_return", "Cancel return", id="pretview.cancel"),
        Binding("f9", "print", "Print", id="pretview.print"),
        Binding("escape", "close", "Close", id="pretview.close"),
    ]
    DEFAULT_CSS = "ReturnDialog .dialog { width: 110; }"

    def __init__(self, return_id: int):
        super().__init__()
        self.return_id = return_id
        self.view: ret.ReturnView | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("", id="pret-title", classes="dialog-title")
            table = SizedTable(id="pret-lines", cursor_type="row", zebra_stripes=True)
            table.styles.height = 8
            table.add_columns(_("Code"), _("Product"), _("Quantity"), _("Unit"), _("Price"), _("Amount incl. tax"),
                              _("Stock value"))
            yield table
            yield Static("", id="pret-money")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        rid = self.return_id
        run_service(self, lambda s: ret.get_return(s, rid), self._show, group="pret-view")

    def _show(self, view: ret.ReturnView) -> None:
        self.view = v = view
        self.query_one("#pret-title", Static).update(
            f"{_('Purchase return')} {v.number or _('(draft)')}  {_(v.status)}  {v.supplier_code} {v.supplier_name}"
            f"  {v.doc_date.isoformat()}")
        table = self.query_one("#pret-lines", DataTable)
        table.clear()
        for ln in v.lines:
            table.add_row(ln.product_code, ln.product_name, q(ln.quantity), ln.unit or "",
                          format_money(ln.unit_price), format_money(ln.amount_gross), format_money(ln.cost))
        self.query_one("#pret-money", Static).update(
            f"{_('Purchase receipt')}: {v.receipt_number or ''}   {_('Reason')}: {v.reason or ''}\n"
            f"{_('Amount incl. tax')}: {format_money(v.amount_gross)}   {_('Tax')}: {format_money(v.tax)}   "
            f"{_('Stock value')}: {format_money(v.cost)}")

    def action_cancel_return(self) -> None:
        if self.view is None or self.view.status == "cancelled":
            return
        view, actor = self.view, self.app.actor

        def answered(yes: bool) -> None:
            if yes:
                run_service(self, lambda s: ret.cancel_return(s, actor, view.id), lambda _r: self.load(), write=True)

        self.app.push_screen(ConfirmDialog(_("Cancel purchase return {number}? The goods come back into stock and "
                                             "the payable rises again.").format(number=view.number or f"#{view.id}")),
                             answered)

    def action_print(self) -> None:
        from crm_tui.screens.sales.dialogs import PrintDialog

        if self.view is not None and self.view.number:
            self.app.push_screen(PrintDialog("purchase-return", self.view.number))

    def action_close(self) -> None:
        self.dismiss(None)
