"""Purchase order screens: the order form (lines with the product picker), the order view with its
receiving and money state, the receiving dialog (partial receipts), payments and input invoices."""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from crm_tui.core.money import format_money, parse_money
from crm_tui.i18n import _
from crm_tui.screens.base import ConfirmDialog, MessageLine, Translated, run_service
from crm_tui.screens.stock.document import parse_quantity
from crm_tui.services.purchasing import orders as po
from crm_tui.services.purchasing import payables as pay
from crm_tui.services.purchasing import receipts as pr
from crm_tui.widgets.forms import Field, FormBase, FormDialog
from crm_tui.widgets.picker import ProductPicker, SupplierPicker, WarehousePicker
from crm_tui.widgets.tables import SizedTable


def q(d: Decimal) -> str:
    return format(d.normalize(), "f")


class OrderForm(FormBase, Translated, ModalScreen[str | None]):
    """A new purchase order: supplier, warehouse, lines (product, quantity, net price); ctrl+s keeps the
    draft, F10 submits it (confirmed, or waiting for approval above the approval amount)."""

    recovery_kind = "purchase-order"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save draft", id="poform.save"),
        Binding("f10", "submit", "Submit", id="poform.submit"),
        Binding("f8", "delete_line", "Delete line", id="poform.delete_line"),
        Binding("escape", "cancel", "Cancel", id="poform.cancel"),
    ]
    DEFAULT_CSS = """
    OrderForm .dialog { width: 110; }
    OrderForm #po-lines { height: 10; }
    OrderForm #po-entry { height: auto; }
    OrderForm #po-entry Input { width: 14; }
    OrderForm #product-picker { width: 1fr; }
    """

    def __init__(self, suppliers, warehouses):
        super().__init__()
        self.suppliers, self.warehouses = suppliers, warehouses
        self.lines: list[tuple] = []  # (ProductRow, quantity, price or None)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(_("New purchase order"), classes="dialog-title")
            yield Field(_("Supplier"), SupplierPicker(id="po-supplier"), required=True)
            yield Field(_("Warehouse"), WarehousePicker(id="po-warehouse"))
            with Horizontal(id="po-entry"):
                yield ProductPicker(id="product-picker", input_id="product-search")
                yield Input(placeholder=_("quantity"), id="po-qty", compact=True)
                yield Input(placeholder=_("net price"), id="po-price", compact=True)
            table = SizedTable(id="po-lines", cursor_type="row", zebra_stripes=True)
            table.styles.height = 10  # app.tcss makes tables 1fr: this one sits in a dialog
            table.add_columns("#", _("Code"), _("Product"), _("Spec"), _("Quantity"), _("Price"))
            yield table
            yield MessageLine("", id="form-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Submit") + " (F10)", variant="primary", id="submit")
                yield Button(_("Save draft") + " (ctrl+s)", id="save")
                yield Button(_("Cancel") + " (Esc)", id="cancel")
        yield Footer()

    def on_picker_chosen(self, event) -> None:
        after = {"po-supplier": "#po-warehouse", "po-warehouse": "#product-picker"}.get(event.picker.id, "#po-qty")
        self.query_one(after).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "po-qty":
            self.query_one("#po-price", Input).focus()
        elif event.input.id == "po-price":
            self.add_line()

    def add_line(self) -> None:
        picker = self.query_one(ProductPicker)
        if picker.chosen is None:
            self.show_error(_("Choose a product first."))
            return
        try:
            qty = parse_quantity(self.query_one("#po-qty", Input).value)
            text = self.query_one("#po-price", Input).value.strip()
            price = parse_money(text) if text else None  # empty: the last price paid to this supplier
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.lines.append((picker.chosen, qty, price))
        self._show_lines()
        picker.reset()
        self.query_one("#po-qty", Input).value = ""
        self.query_one("#po-price", Input).value = ""
        self.show_error("")
        picker.input.focus()
        self.state_changed()

    def _show_lines(self) -> None:
        table = self.query_one("#po-lines", DataTable)
        table.clear()
        for n, (p, qty, price) in enumerate(self.lines, start=1):
            table.add_row(str(n), p.code, p.name, p.spec or "", q(qty),
                          format_money(price) if price is not None else _("(last price)"))

    def form_state(self) -> dict:
        return {**super().form_state(), "lines": [
            {"product": {k: getattr(p, k, None) for k in ("id", "code", "name", "spec", "unit")},
             "quantity": qty, "price": price} for p, qty, price in self.lines]}

    def restore_state(self, state: dict) -> None:
        from types import SimpleNamespace

        super().restore_state(state)
        self.lines = [(SimpleNamespace(**ln["product"]), Decimal(ln["quantity"]),
                       None if ln["price"] is None else Decimal(ln["price"])) for ln in state.get("lines", [])]
        self._show_lines()

    def action_delete_line(self) -> None:
        table = self.query_one("#po-lines", DataTable)
        if self.lines and 0 <= table.cursor_row < len(self.lines):
            del self.lines[table.cursor_row]
            self._show_lines()
            self.state_changed()

    def _save(self, submit: bool) -> None:
        supplier = self.query_one("#po-supplier", SupplierPicker).value
        warehouse_id = self.query_one("#po-warehouse", WarehousePicker).value
        if supplier is None:
            self.show_error(_("Choose the supplier."))
            return
        if not self.lines:
            self.show_error(_("Add at least one line: product, quantity, price, Enter."))
            return
        lines = [po.OrderLineInput(p.id, qty, price=price) for p, qty, price in self.lines]
        actor = self.app.actor

        def work(session):
            return po.save_order(session, actor, supplier, lines, warehouse_id=warehouse_id, then_submit=submit)

        run_service(self, work, self.close_saved, write=True, group="po-save")

    def action_save(self) -> None:
        self._save(False)

    def action_submit(self) -> None:
        self._save(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"submit": self.action_submit, "save": self.action_save, "cancel": self.action_cancel}[event.button.id]()


class OrderDialog(Translated, ModalScreen[None]):
    """A purchase order: lines with what is received and still to receive, money state and payments; F10
    submits or approves, F6 receives goods, F7 records a payment, F4 cancels the payment under the cursor,
    F11 records an input invoice, F8 cancels or closes."""

    BINDINGS = [
        Binding("f10", "submit", "Submit/approve", id="poview.submit"),
        Binding("f6", "receive", "Receive", id="poview.receive"),
        Binding("f7", "payment", "Payment", id="poview.payment"),
        Binding("f4", "cancel_payment", "Cancel payment", id="poview.cancel_payment"),
        Binding("f11", "invoice", "Invoice", id="poview.invoice"),
        Binding("f8", "cancel_order", "Cancel/close", id="poview.cancel"),
        Binding("f9", "print", "Print", id="poview.print"),
        Binding("escape", "close", "Close", id="poview.close"),
    ]
    DEFAULT_CSS = "OrderDialog .dialog { width: 116; } OrderDialog DataTable { height: 12; }"
    PAYMENT_ROWS = 4

    def __init__(self, order_id: int, warehouses):
        super().__init__()
        self.order_id = order_id
        self.warehouses = warehouses
        self.view: po.OrderView | None = None
        self.payments: list[pay.PaymentRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("", id="po-title", classes="dialog-title")
            table = SizedTable(id="po-view-lines", cursor_type="row", zebra_stripes=True)
            table.styles.height = 12  # app.tcss makes tables 1fr: this one sits in a dialog
            table.add_columns("#", _("Code"), _("Product"), _("Spec"), _("Quantity"), _("Received"), _("To receive"),
                              _("Price"), _("Gross price"), _("Total amount"))
            yield table
            yield Static("", id="po-money")
            payments = SizedTable(id="po-payments", cursor_type="row", zebra_stripes=True)
            payments.styles.height = self.PAYMENT_ROWS + 1
            payments.add_columns(_("Paid on"), _("Amount"), _("Method"), _("Reference"), _("Status"))
            yield payments
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def action_print(self) -> None:
        """F9: the purchase order as PDF or Excel (format, template, destination asked)."""
        from crm_tui.screens.sales.dialogs import PrintDialog

        if self.view is not None and self.view.number:
            self.app.push_screen(PrintDialog("purchase-order", self.view.number))
        elif self.view is not None:
            self.app.notify(_("Only a confirmed purchase order has a number to print."), severity="warning")

    def load(self) -> None:
        oid = self.order_id
        run_service(self, lambda s: (po.get_order(s, oid), pay.order_money(s, oid), pay.order_payments(s, oid)),
                    self._show, group="po-view")

    def _show(self, data) -> None:
        self.view, money, self.payments = data
        v = self.view
        self.query_one("#po-title", Static).update(
            f"{_('Purchase order')} {v.number or _('(draft)')}  {_(v.status)}  {v.supplier_code} {v.supplier_name}  "
            f"{v.doc_date.isoformat()}  {_(v.receiving_state)}")
        table = self.query_one("#po-view-lines", DataTable)
        table.clear()
        for ln in v.lines:
            table.add_row(str(ln.line_no), ln.product_code, ln.product_name, ln.spec or "", q(ln.quantity),
                          q(ln.received), q(ln.remaining), format_money(ln.price),
                          format_money(ln.price_gross), format_money(ln.amount_gross))
        self.query_one("#po-money", Static).update(
            f"{_('Ordered')}: {format_money(money.ordered)}   {_('Received')}: {format_money(money.received)}   "
            f"{_('Invoiced')}: {format_money(money.invoiced)} ({_(money.invoice_state)})   "
            f"{_('Paid')}: {format_money(money.paid)} ({_(money.payment_state)})   "
            f"{_('Owed for goods received')}: {format_money(money.balance)}")
        payments = self.query_one("#po-payments", DataTable)
        payments.clear()
        for p in self.payments:
            payments.add_row(p.paid_on.isoformat(), format_money(p.amount), p.method or "", p.reference or "",
                             _(p.status), key=str(p.id))

    def action_submit(self) -> None:
        if self.view is None:
            return
        actor, oid, status = self.app.actor, self.order_id, self.view.status
        if status == "draft":
            run_service(self, lambda s: po.submit(s, actor, oid),
                        lambda st: (self.app.notify(_("Purchase order: {status}").format(status=_(st))), self.load()),
                        write=True)
        elif status == "pending_approval":
            run_service(self, lambda s: po.approve(s, actor, oid),
                        lambda n: (self.app.notify(_("Approved: {number}").format(number=n)), self.load()), write=True)

    def action_receive(self) -> None:
        if self.view is not None and self.view.status == "confirmed":
            self.app.push_screen(ReceiveDialog(self.view, self.warehouses), lambda _r: self.load())

    def action_payment(self) -> None:
        if self.view is not None:
            self.app.push_screen(PaymentForm(self.view), lambda _r: self.load())

    def action_invoice(self) -> None:
        if self.view is not None:
            self.app.push_screen(InvoiceForm(self.view), lambda _r: self.load())

    def action_cancel_payment(self) -> None:
        """F4: cancel the payment under the cursor of the payments list, after asking."""
        table = self.query_one("#po-payments", DataTable)
        if not self.payments or not 0 <= table.cursor_row < len(self.payments):
            return
        payment, actor = self.payments[table.cursor_row], self.app.actor
        if payment.status != "active":
            self.app.notify(_("The payment is already cancelled."), severity="warning")
            return

        def answered(yes: bool) -> None:
            if yes:
                run_service(self, lambda s: pay.cancel_payment(s, actor, payment.id), lambda _r: self.load(),
                            write=True)

        self.app.push_screen(ConfirmDialog(_("Cancel the payment of {amount} made on {day}?").format(
            amount=format_money(payment.amount), day=payment.paid_on.isoformat())), answered)

    def action_cancel_order(self) -> None:
        if self.view is None or self.view.status in ("cancelled", "done"):
            return
        view, actor = self.view, self.app.actor
        close = view.receiving_state == "partial"
        question = (_("Close {number}? What has not arrived will not be expected any more.") if close else
                    _("Cancel purchase order {number}?")).format(number=view.number or f"#{view.id}")

        def answered(yes: bool) -> None:
            if yes:
                work = (lambda s: po.close(s, actor, view.id)) if close else (lambda s: po.cancel(s, actor, view.id))
                run_service(self, work, lambda _r: self.load(), write=True)

        self.app.push_screen(ConfirmDialog(question), answered)

    def action_close(self) -> None:
        self.dismiss(None)


class ReceiveDialog(FormBase, Translated, ModalScreen[str | None]):
    """Receive goods of an order into a warehouse: one quantity per line (the rest to come by default);
    ctrl+s receives (a numbered receipt, stock moves, what is still to receive goes down)."""

    BINDINGS = [
        Binding("ctrl+s", "receive", "Receive", id="receive.save"),
        Binding("escape", "cancel", "Cancel", id="receive.cancel"),
    ]
    DEFAULT_CSS = """
    ReceiveDialog .dialog { width: 100; }
    ReceiveDialog .receive-line { height: 1; }
    ReceiveDialog .receive-line Label { width: 1fr; }
    ReceiveDialog .receive-line Input { width: 14; }
    ReceiveDialog VerticalScroll { height: auto; max-height: 16; }
    """

    def __init__(self, view: po.OrderView, warehouses):
        super().__init__()
        self.view, self.warehouses = view, warehouses

    def compose(self) -> ComposeResult:
        v = self.view
        with Vertical(classes="dialog form"):
            yield Static(_("Receive goods of {number} from {supplier}").format(number=v.number,
                                                                                 supplier=v.supplier_name),
                         classes="dialog-title")
            options = [(f"{w.code} {w.name}", w.id) for w in self.warehouses if w.active]
            yield Field(_("Warehouse"), Select(options, value=v.warehouse_id or (options[0][1] if options else
                                                                                  Select.NULL),
                                               allow_blank=False, id="rc-warehouse"))
            with VerticalScroll():
                for ln in v.lines:
                    if ln.remaining <= 0:
                        continue
                    with Horizontal(classes="receive-line"):
                        yield Label(f"{ln.product_code} {ln.product_name} {ln.spec or ''} — "
                                    + _("ordered {o}, received {r}, to receive {t}").format(
                                        o=q(ln.quantity), r=q(ln.received), t=q(ln.remaining)))
                        yield Input(q(ln.remaining), id=f"rc-{ln.id}", compact=True)
            yield MessageLine("", id="form-message")
        yield Footer()

    def quantities(self) -> dict[int, Decimal]:
        out = {}
        for ln in self.view.lines:
            if ln.remaining <= 0:
                continue
            text = self.query_one(f"#rc-{ln.id}", Input).value.strip()
            if not text:
                continue
            value = parse_quantity(text, allow_zero=True)
            if value > ln.remaining:
                raise ValueError(_("{code}: {qty} is more than the {remaining} still to receive.").format(
                    code=ln.product_code, qty=q(value), remaining=q(ln.remaining)))
            if value:
                out[ln.id] = value
        if not out:
            raise ValueError(_("Nothing to receive: every quantity is zero."))
        return out

    def on_input_changed(self, _event: Input.Changed) -> None:
        try:
            self.quantities()
        except ValueError as exc:
            self.query_one("#form-message", MessageLine).show_error(str(exc))
        else:
            self.query_one("#form-message", MessageLine).show_error("")

    def action_receive(self) -> None:
        try:
            quantities = self.quantities()
        except ValueError as exc:
            self.query_one("#form-message", MessageLine).show_error(str(exc))
            return
        warehouse = self.query_one("#rc-warehouse", Select).value
        actor, oid = self.app.actor, self.view.id

        def done(number):
            self.app.notify(_("Received: {number}").format(number=number))
            self.close_saved(number)

        run_service(self, lambda s: pr.receive(s, actor, oid, quantities, warehouse_id=warehouse), done, write=True)

    def action_save(self) -> None:  # the form base's Save (in the 保存/放弃/继续编辑 question)
        self.action_receive()


class PaymentForm(FormDialog):
    def __init__(self, view: po.OrderView):
        super().__init__()
        self.view = view
        self.title_text = _("Payment to {supplier} for {number}").format(supplier=view.supplier_name,
                                                                         number=view.number or "")

    def fields(self) -> ComposeResult:
        yield Field(_("Amount"), Input(id="amount", placeholder="1,234.50"), required=True)
        yield Field(_("Method"), Input("银行转账", id="method"))
        yield Field(_("Account"), Input(id="account"))
        yield Field(_("Reference"), Input(id="reference"))

    def collect(self) -> dict:
        try:
            amount = parse_money(self.value("amount"))
        except ValueError:
            raise ValueError(_("Amount: type an amount such as 1,234.50")) from None
        if amount <= 0:
            raise ValueError(_("{field} must be greater than zero.").format(field=_("Amount")))
        return {"amount": amount, "method": self.value("method") or None, "account": self.value("account") or None,
                "reference": self.value("reference") or None}

    def save(self, values: dict) -> None:
        actor, v = self.app.actor, self.view
        order_id = v.id if v.status in ("confirmed", "done") else None
        amount = values.pop("amount")
        run_service(self, lambda s: pay.record_payment(s, actor, v.supplier_id, amount, order_id=order_id, **values),
                    lambda _r: self.finish(True), write=True)


class InvoiceForm(FormDialog):
    def __init__(self, view: po.OrderView):
        super().__init__()
        self.view = view
        self.title_text = _("Input invoice from {supplier}").format(supplier=view.supplier_name)

    def fields(self) -> ComposeResult:
        yield Field(_("Invoice number"), Input(id="number"), required=True)
        yield Field(_("Invoice type"), Select([(_("special"), "special"), (_("ordinary"), "ordinary")],
                                              value="special", allow_blank=False, id="type"))
        yield Field(_("Total amount"), Input(id="gross", placeholder="1,130.00"), required=True)
        yield Field(_("Tax rate"), Input("13%", id="rate"))

    def collect(self) -> dict:
        from crm_tui.core.money import parse_rate

        if not self.value("number"):
            raise ValueError(_("An invoice number of 1 to 40 characters is required."))
        try:
            gross = parse_money(self.value("gross"))
            rate = parse_rate(self.value("rate") or "13%")
        except ValueError as exc:
            raise ValueError(str(exc)) from None
        return {"invoice_number": self.value("number"), "invoice_type": self.choice("type"), "amount_gross": gross,
                "tax_rate": rate}

    def save(self, values: dict) -> None:
        actor, v = self.app.actor, self.view
        order_id = v.id if v.status in ("confirmed", "done") else None
        invoice_number = values.pop("invoice_number")
        run_service(self, lambda s: pay.record_invoice(s, actor, v.supplier_id, invoice_number, order_id=order_id,
                                                       **values),
                    lambda _r: self.finish(True), write=True)
