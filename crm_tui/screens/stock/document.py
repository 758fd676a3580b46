"""The stock document form: header (kind, warehouses, customer or recipient), lines entered with the product
picker, quantities validated as you type; ctrl+s keeps a draft, F10 confirms (number and stock moves)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from crm_tui.i18n import _
from crm_tui.screens.base import MessageLine, Translated, run_service
from crm_tui.screens.conflicts import conflict_in_form
from crm_tui.services.customers.search import lookup_customers
from crm_tui.services.stock import documents as sd
from crm_tui.services.stock import ledger as stock_ledger
from crm_tui.widgets.forms import Field, FormBase
from crm_tui.widgets.picker import CustomerPicker, ProductPicker
from crm_tui.widgets.tables import SizedTable
from crm_tui.widgets.work import run_use_case

EDITABLE_KINDS = ("stock_in", "stock_out", "requisition", "transfer", "sample", "loan", "loan_return")
CUSTOMER_KINDS = ("sample", "loan", "loan_return")


@dataclass
class DraftLine:
    product_id: int
    code: str
    name: str
    spec: str
    unit: str
    quantity: Decimal
    unit_cost: Decimal | None = None


def parse_quantity(text: str, allow_zero: bool = False) -> Decimal:
    """What a clerk types as a quantity; ValueError with a message in words when it is not one."""
    try:
        q = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("Quantity: type a number, e.g. 12 or 2.5")) from None
    if not q.is_finite() or q < 0 or (q == 0 and not allow_zero):
        raise ValueError(_("Quantity must be greater than zero.") if not allow_zero
                         else _("A count cannot be negative."))
    if q != q.quantize(Decimal("0.0001")):
        raise ValueError(_("Quantity has at most 4 decimal places."))
    return q


class StockDocumentForm(FormBase, Translated, ModalScreen[str | None]):
    """New stock document (or a draft reopened). Dismisses with the number when confirmed, "draft" when
    kept as a draft, None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save draft", id="stockdoc.save"),
        Binding("f10", "confirm", "Confirm", id="stockdoc.confirm"),
        Binding("f8", "delete_line", "Delete line", id="stockdoc.delete_line"),
        Binding("escape", "cancel", "Cancel", id="stockdoc.cancel"),
    ]
    DEFAULT_CSS = """
    StockDocumentForm .dialog { width: 110; }
    StockDocumentForm #lines { height: 10; }
    StockDocumentForm #line-entry { height: auto; }
    StockDocumentForm #line-entry Input { width: 14; }
    StockDocumentForm #product-picker { width: 1fr; }
    StockDocumentForm #on-hand { color: $text-muted; height: 1; }
    """

    def __init__(self, warehouses, kind: str = "stock_out", draft: sd.DocumentView | None = None):
        super().__init__()
        self.warehouses = warehouses  # WarehouseRow list
        self.kind = draft.kind if draft else kind
        self.draft = draft
        self.lines: list[DraftLine] = []
        if draft:
            self.lines = [DraftLine(ln.product_id, ln.product_code, ln.product_name, ln.spec or "", ln.unit or "",
                                    ln.quantity, ln.unit_cost) for ln in draft.lines]
        self.on_hand: Decimal | None = None
        self.recovery_kind = None if draft else "stock-document"

    def compose(self) -> ComposeResult:
        d = self.draft
        active = [(f"{w.code} {w.name}", w.id) for w in self.warehouses if w.active]
        with Vertical(classes="dialog form"):
            yield Static(_("Stock document"), classes="dialog-title")
            yield Field(_("Document kind"), Select([(_(sd.KIND_LABELS[k]), k) for k in EDITABLE_KINDS], value=self.kind,
                                          allow_blank=False, id="kind", disabled=d is not None))
            yield Field(_("Warehouse"), Select(active, value=d.warehouse_id if d else active[0][1] if active
                                               else Select.NULL, allow_blank=False, id="warehouse"))
            yield Field(_("To warehouse"), Select(active, value=d.to_warehouse_id if d and d.to_warehouse_id
                                                  else Select.NULL, id="to_warehouse"))
            yield Field(_("Customer"), CustomerPicker(partial(lookup_customers, handled_by="stock.manage"),
                                                      id="customer-picker", input_id="customer"))
            yield Field(_("Recipient"), Input(d.recipient or "" if d else "", id="recipient",
                                              placeholder=_("who or which department takes it")))
            yield Field(_("Remarks"), Input(d.remarks or "" if d else "", id="remarks"))
            with Horizontal(id="line-entry"):
                yield ProductPicker(id="product-picker", input_id="product-search")
                yield Input(placeholder=_("quantity"), id="qty", compact=True)
                yield Input(placeholder=_("unit cost"), id="cost", compact=True)
            yield Label("", id="on-hand")
            table = SizedTable(id="lines", cursor_type="row", zebra_stripes=True)
            table.styles.height = 10  # app.tcss makes tables 1fr: this one sits in a dialog
            table.add_columns("#", _("Code"), _("Product"), _("Spec"), _("Unit"), _("Quantity"), _("Unit cost"))
            yield table
            yield MessageLine("", id="form-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Confirm") + " (F10)", variant="primary", id="confirm")
                yield Button(_("Save draft") + " (ctrl+s)", id="save")
                yield Button(_("Cancel") + " (Esc)", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self._kind_changed()
        self._show_lines()
        self.query_one("#product-search", Input).focus()

    # --- header ---------------------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "kind":
            self.kind = event.value
            self._kind_changed()
        elif event.select.id == "warehouse":
            self._load_on_hand()

    def _kind_changed(self) -> None:
        self.query_one("#to_warehouse").parent.display = self.kind == "transfer"
        self.query_one("#customer-picker").parent.display = self.kind in CUSTOMER_KINDS
        self.query_one("#recipient").parent.display = self.kind == "requisition"
        self.query_one("#cost").display = self.kind == "stock_in"

    def _choice(self, widget_id: str):
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else value

    # --- lines ----------------------------------------------------------------------------------

    def on_picker_chosen(self, event: ProductPicker.Chosen) -> None:
        self.query_one("#qty", Input).focus()
        self._load_on_hand()

    def _load_on_hand(self) -> None:
        picker = self.query_one(ProductPicker)
        warehouse = self._choice("warehouse")
        if picker.chosen is None or warehouse is None:
            self.query_one("#on-hand", Label).update("")
            return
        product = picker.chosen

        def show(q):
            if picker.chosen is not product or self._choice("warehouse") != warehouse:
                return  # the clerk moved on meanwhile
            self.on_hand = q
            self.query_one("#on-hand", Label).update(
                _("On hand in this warehouse: {q} {unit}").format(q=format(q.normalize(), "f"), unit=product.unit or ""))

        run_service(self, lambda s: stock_ledger.on_hand(s, warehouse, product.id), show, group="on-hand")

    def on_input_changed(self, event: Input.Changed) -> None:
        """Validate the quantity as it is typed, and warn before the stock runs out."""
        if event.input.id != "qty" or not event.value.strip():
            if event.input.id == "qty":
                self.show_error("")
            return
        try:
            q = parse_quantity(event.value)
        except ValueError as exc:
            self.show_error(str(exc))
            return
        taking = self.kind not in ("stock_in", "loan_return")
        if taking and self.on_hand is not None and q > self.on_hand:
            self.show_error(_("Only {q} on hand: confirming will be refused.").format(
                q=format(self.on_hand.normalize(), "f")))
        else:
            self.show_error("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "qty" and self.kind == "stock_in":
            self.query_one("#cost", Input).focus()
        elif event.input.id in ("qty", "cost"):
            self.add_line()

    def add_line(self) -> None:
        picker = self.query_one(ProductPicker)
        if picker.chosen is None:
            self.show_error(_("Choose a product first."))
            picker.input.focus()
            return
        try:
            qty = parse_quantity(self.query_one("#qty", Input).value)
            cost_text = self.query_one("#cost", Input).value.strip()
            cost = None
            if self.kind == "stock_in" and cost_text:
                from crm_tui.core.money import parse_money

                cost = parse_money(cost_text)
                if cost < 0:
                    raise ValueError(_("The unit cost cannot be negative."))
        except ValueError as exc:
            self.show_error(str(exc))
            return
        p = picker.chosen
        self.lines.append(DraftLine(p.id, p.code, p.name, p.spec or "", p.unit or "", qty, cost))
        self._show_lines()
        picker.reset()
        self.query_one("#qty", Input).value = ""
        self.query_one("#cost", Input).value = ""
        self.query_one("#on-hand", Label).update("")
        self.on_hand = None
        self.show_error("")
        picker.input.focus()
        self.state_changed()

    def _show_lines(self) -> None:
        table = self.query_one("#lines", DataTable)
        table.clear()
        for n, ln in enumerate(self.lines, start=1):
            table.add_row(str(n), ln.code, ln.name, ln.spec, ln.unit, format(ln.quantity.normalize(), "f"),
                          "" if ln.unit_cost is None else str(ln.unit_cost), key=str(n))

    def action_delete_line(self) -> None:
        table = self.query_one("#lines", DataTable)
        if self.lines and 0 <= table.cursor_row < len(self.lines):
            del self.lines[table.cursor_row]
            self._show_lines()
            self.state_changed()

    # --- what was entered (dirty check, recovery file) ----------------------------------------------

    def form_state(self) -> dict:
        return {**super().form_state(), "lines": [vars(ln).copy() for ln in self.lines]}

    def restore_state(self, state: dict) -> None:
        super().restore_state(state)
        if state.get("kind") in EDITABLE_KINDS:
            self.kind = state["kind"]
            self._kind_changed()
        self.lines = [DraftLine(**{**ln, "quantity": Decimal(ln["quantity"]),
                                   "unit_cost": None if ln["unit_cost"] is None else Decimal(ln["unit_cost"])})
                      for ln in state.get("lines", [])]
        self._show_lines()

    # --- saving ---------------------------------------------------------------------------------

    def _header(self) -> dict:
        values = {"warehouse_id": self._choice("warehouse"), "remarks": self.query_one("#remarks", Input).value
                  .strip() or None}
        if self.kind == "transfer":
            values["to_warehouse_id"] = self._choice("to_warehouse")
        if self.kind == "requisition":
            values["recipient"] = self.query_one("#recipient", Input).value.strip() or None
        return values

    def _save(self, confirm: bool) -> None:
        if not self.lines:
            self.show_error(_("Add at least one line: product, quantity, Enter."))
            return
        header = self._header()
        chosen = self.query_one("#customer-picker", CustomerPicker).chosen
        customer = chosen.code if chosen is not None else self.query_one("#customer", Input).value.strip()
        if self.kind in CUSTOMER_KINDS and not customer:
            self.show_error(_("Give the customer (code or name)."))
            return
        lines = [sd.LineInput(ln.product_id, ln.quantity, unit_cost=ln.unit_cost, unit=ln.unit or None)
                 for ln in self.lines]  # a draft's line keeps the unit it was written in
        actor, kind, draft_id = self.app.actor, self.kind, self.draft.id if self.draft else None
        version = self.draft.version if self.draft else None  # a stale save is refused, shown in the form

        def work(session):
            return sd.save_document(session, actor, kind, header, lines, customer=customer, draft_id=draft_id,
                                    version=version, then_confirm=confirm)

        run_use_case(self, work, self.close_saved, write=True, group="stockdoc-save",
                     on_error=conflict_in_form(self, self.show_error))

    def action_save(self) -> None:
        self._save(confirm=False)

    def action_confirm(self) -> None:
        self._save(confirm=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"confirm": self.action_confirm, "save": self.action_save, "cancel": self.action_cancel}[event.button.id]()
