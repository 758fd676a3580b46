"""Inquiries (询价单) on screen: ask several suppliers for products, record their quotes, compare them, and
make a purchase order from the chosen supplier's quotes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from crm_tui.core.money import format_money, parse_money
from crm_tui.i18n import _
from crm_tui.screens.base import MessageLine, Translated, run_service
from crm_tui.screens.stock.document import parse_quantity
from crm_tui.services.purchasing import inquiries as inq
from crm_tui.widgets.forms import Field, FormBase, FormDialog
from crm_tui.widgets.picker import ProductPicker
from crm_tui.widgets.tables import SizedTable


class InquiryForm(FormBase, Translated, ModalScreen[int | None]):
    """A new inquiry: tick the suppliers to ask, add products and quantities; ctrl+s saves and sends it."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save and send", id="inquiry.save"),
        Binding("escape", "cancel", "Cancel", id="inquiry.cancel"),
    ]
    DEFAULT_CSS = """
    InquiryForm .dialog { width: 100; }
    InquiryForm SelectionList { height: 6; }
    InquiryForm #iq-entry { height: auto; }
    InquiryForm #iq-qty { width: 14; }
    InquiryForm #product-picker { width: 1fr; }
    """

    def __init__(self, suppliers):
        super().__init__()
        self.suppliers = suppliers
        self.lines: list[tuple] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(_("New inquiry"), classes="dialog-title")
            yield Label(_("Suppliers to ask (space ticks)"))
            yield SelectionList(*[Selection(f"{s.code} {s.name}", s.id) for s in self.suppliers if s.active],
                                id="iq-suppliers")
            with Horizontal(id="iq-entry"):
                yield ProductPicker(id="product-picker", input_id="product-search")
                yield Input(placeholder=_("quantity"), id="iq-qty", compact=True)
            table = SizedTable(id="iq-lines", cursor_type="row")
            table.styles.height = 6  # app.tcss makes tables 1fr: this one sits in a dialog
            table.add_columns(_("Code"), _("Product"), _("Quantity"))
            yield table
            yield MessageLine("", id="form-message")
        yield Footer()

    def on_picker_chosen(self, _event) -> None:
        self.query_one("#iq-qty", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "iq-qty":
            return
        picker = self.query_one(ProductPicker)
        try:
            if picker.chosen is None:
                raise ValueError(_("Choose a product first."))
            qty = parse_quantity(event.value)
        except ValueError as exc:
            self.query_one("#form-message", MessageLine).show_error(str(exc))
            return
        self.lines.append((picker.chosen, qty))
        self.query_one("#iq-lines", DataTable).add_row(picker.chosen.code, picker.chosen.name,
                                                       format(qty.normalize(), "f"))
        picker.reset()
        event.input.value = ""
        self.query_one("#form-message", MessageLine).show_error("")
        picker.input.focus()

    def form_state(self) -> dict:
        suppliers = sorted(self.query_one("#iq-suppliers", SelectionList).selected)
        return {**super().form_state(), "suppliers": suppliers, "lines": [(p.id, qty) for p, qty in self.lines]}

    def action_save(self) -> None:
        suppliers = list(self.query_one("#iq-suppliers", SelectionList).selected)
        if not suppliers or not self.lines:
            self.query_one("#form-message", MessageLine).show_error(
                _("Tick at least one supplier and add at least one product."))
            return
        actor, lines = self.app.actor, [(p.id, q) for p, q in self.lines]

        def work(session):
            inquiry_id = inq.create_inquiry(session, actor, lines, suppliers)
            inq.send(session, actor, inquiry_id)
            return inquiry_id

        run_service(self, work, self.close_saved, write=True)


class InquiryDialog(Translated, ModalScreen[None]):
    """An inquiry's quotes, cheapest first per product; F6 records a quote, F10 orders from the supplier of the
    highlighted quote."""

    BINDINGS = [
        Binding("f6", "quote", "Record quote", id="inquiryview.quote"),
        Binding("f10", "order", "Order from this supplier", id="inquiryview.order"),
        Binding("escape", "close", "Close", id="inquiryview.close"),
    ]
    DEFAULT_CSS = "InquiryDialog .dialog { width: 100; }"

    def __init__(self, inquiry_id: int, warehouse_id: int | None):
        super().__init__()
        self.inquiry_id, self.warehouse_id = inquiry_id, warehouse_id
        self.view: inq.InquiryView | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("", id="iq-title", classes="dialog-title")
            table = SizedTable(id="iq-quotes", cursor_type="row", zebra_stripes=True)
            table.styles.height = 12  # app.tcss makes tables 1fr: this one sits in a dialog
            table.add_columns(_("Code"), _("Product"), _("Quantity"), _("Supplier"), _("Price"), _("Gross price"), "")
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        run_service(self, lambda s: inq.get_inquiry(s, self.inquiry_id), self._show, group="inquiry-view")

    def _show(self, view: inq.InquiryView) -> None:
        self.view = view
        asked = ", ".join(name for _i, _c, name in view.suppliers)
        self.query_one("#iq-title", Static).update(
            f"{_('Inquiry')} {view.number or _('(draft)')}  {_(view.status)}  {view.doc_date.isoformat()}  {asked}")
        table = self.query_one("#iq-quotes", DataTable)
        table.clear()
        for qr in view.quotes:
            table.add_row(qr.product_code, qr.product_name, format(qr.quantity.normalize(), "f"), qr.supplier_name,
                          format_money(qr.price), format_money(qr.price_gross), "★" if qr.best else "",
                          key=f"{qr.supplier_id}:{qr.product_id}")

    def action_quote(self) -> None:
        if self.view is not None and self.view.status == "sent":
            self.app.push_screen(QuoteForm(self.view), lambda ok: ok and self.load())

    def action_order(self) -> None:
        table = self.query_one("#iq-quotes", DataTable)
        if self.view is None or not self.view.quotes or table.cursor_row < 0:
            return
        supplier_id = self.view.quotes[table.cursor_row].supplier_id
        actor, warehouse = self.app.actor, self.warehouse_id

        def done(order_id):
            self.app.notify(_("Draft purchase order made; open it in the orders list to submit it."))
            self.dismiss(None)

        run_service(self, lambda s: inq.order_from_inquiry(s, actor, self.inquiry_id, supplier_id,
                                                           warehouse_id=warehouse), done, write=True)

    def action_close(self) -> None:
        self.dismiss(None)


class QuoteForm(FormDialog):
    def __init__(self, view: inq.InquiryView):
        super().__init__()
        self.view = view
        self.title_text = _("Quote for inquiry {number}").format(number=view.number)

    def fields(self) -> ComposeResult:
        from textual.widgets import Select

        yield Field(_("Supplier"), Select([(f"{c} {n}", i) for i, c, n in self.view.suppliers], id="supplier"),
                    required=True)
        yield Field(_("Product"), Select([(f"{c} {n}", i) for i, c, n, _q in self.view.lines], id="product"),
                    required=True)
        yield Field(_("Price"), Input(id="price", placeholder=_("net of tax")))
        yield Field(_("Gross price"), Input(id="gross", placeholder=_("or including tax")))

    def collect(self) -> dict:
        supplier, product = self.choice("supplier"), self.choice("product")
        if supplier is None or product is None:
            raise ValueError(_("Choose the supplier and the product."))
        try:
            price = parse_money(self.value("price")) if self.value("price") else None
            gross = parse_money(self.value("gross")) if self.value("gross") else None
        except ValueError as exc:
            raise ValueError(str(exc)) from None
        if price is None and gross is None:
            raise ValueError(_("Give a price."))
        return {"supplier_id": supplier, "product_id": product, "price": price, "price_gross": gross}

    def save(self, values: dict) -> None:
        actor, iid = self.app.actor, self.view.id
        supplier_id, product_id = values.pop("supplier_id"), values.pop("product_id")
        run_service(self, lambda s: inq.record_quote(s, actor, iid, supplier_id, product_id, **values),
                    lambda _r: self.finish(True), write=True)
