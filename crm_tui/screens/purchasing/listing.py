"""The purchasing area (采购管理): purchase orders (Enter opens one: receive, pay, invoice), payables per
supplier, suppliers, purchase receipts (F6 or Enter: return goods, 退货) and purchase returns."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, TabbedContent, TabPane

from crm_tui.core.money import format_money
from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.screens.main import AreaPane
from crm_tui.screens.purchasing.order import OrderDialog, OrderForm
from crm_tui.services.purchasing import inquiries as inq
from crm_tui.services.purchasing import orders as po
from crm_tui.services.purchasing import payables as pay
from crm_tui.services.purchasing import suppliers as sup
from crm_tui.services.stock import warehouses as stock_warehouses
from crm_tui.widgets.forms import Field, FormDialog
from crm_tui.widgets.tables import SizedTable


class PurchasingPane(AreaPane):
    BINDINGS = [
        Binding("f2", "new", "New", id="purchasing.new"),
        Binding("f9,ctrl+e", "export_list", "Export to Excel", id="purchasing.export_list"),
        Binding("f6", "return_goods", "Return goods", id="purchasing.return_goods"),
    ]
    # The list each tab exports; the others (inquiries, payables) export the purchase orders.
    TAB_EXPORTS = {"tab-receipts": ("purchase-receipts", "Purchase receipts"),
                   "tab-returns": ("purchase-returns", "Purchase returns"), "tab-suppliers": ("suppliers", "Suppliers")}

    def action_export_list(self) -> None:
        """The open tab's list to Excel (the purchase orders from the tabs without an export of their own)."""
        from crm_tui.screens.exports.dialog import ListExportDialog

        kind, title = self.TAB_EXPORTS.get(self.tab, ("purchase-orders", "Purchase orders"))
        self.app.push_screen(ListExportDialog(kind, title=_(title)))

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "return_goods":
            return self.is_mounted and bool(self.query("#purchasing-tabs")) and self.tab == "tab-receipts"
        return True

    def on_tabbed_content_tab_activated(self, _event) -> None:
        self.refresh_bindings()

    def action_return_goods(self) -> None:
        """F6 on a confirmed receipt: the return form (all that may still go back, to edit)."""
        from crm_tui.screens.purchasing.returns import ReturnForm
        from crm_tui.services.purchasing.returns import receipt_for_return

        table = self.query_one("#receipts", DataTable)
        if not self.receipts or not 0 <= table.cursor_row < len(self.receipts):
            return
        receipt = self.receipts[table.cursor_row]
        if receipt.status != "confirmed":
            self.app.notify(_("Only a confirmed receipt can be returned."), severity="warning")
            return
        run_service(self, lambda s: receipt_for_return(s, receipt.id),
                    lambda data: self.app.push_screen(ReturnForm(data), lambda _r: self.refresh_data()))

    def compose(self) -> ComposeResult:
        with TabbedContent(id="purchasing-tabs"):
            with TabPane(_("Purchase orders"), id="tab-orders"):
                table = SizedTable(id="orders", cursor_type="row", zebra_stripes=True)
                table.add_columns(_("Number"), _("Status"), _("Supplier"), _("Date"), _("Total amount"),
                                  _("Receiving"))
                yield table
            with TabPane(_("Inquiries"), id="tab-inquiries"):
                table = SizedTable(id="inquiries", cursor_type="row", zebra_stripes=True)
                table.add_columns(_("Number"), _("Status"), _("Date"))
                yield table
            with TabPane(_("Payables"), id="tab-payables"):
                table = SizedTable(id="payables", cursor_type="row", zebra_stripes=True, fixed_columns=2)
                table.add_columns(_("Supplier"), _("Supplier name"), _("Opening payable"), _("Ordered"), _("Received"),
                                  _("Invoiced"), _("Paid"), _("Balance due"))
                yield table
            with TabPane(_("Suppliers"), id="tab-suppliers"):
                table = SizedTable(id="suppliers", cursor_type="row", zebra_stripes=True, fixed_columns=2)
                table.add_columns(_("Code"), _("Supplier name"), _("Short name"), _("Contact"), _("Mobile"),
                                  _("Phone"), _("Address"))
                yield table
            yield from _return_tabs()

    def on_mount(self) -> None:
        super().on_mount()
        self.suppliers, self.warehouses, self.orders = [], [], []
        self.receipts, self.returns = [], []

    def refresh_data(self) -> None:
        def load(session):
            inquiries = [(i.id, i.number, i.status, i.doc_date) for i in inq.list_inquiries(session)]
            return (po.list_orders(session), pay.payables(session, include_zero=True),
                    sup.search_suppliers(session, limit=10_000), stock_warehouses.list_warehouses(session), inquiries,
                    _load_returns(session))

        run_service(self, load, self._show, group="purchasing-load")

    def _show(self, data) -> None:
        if not self.query("#orders"):
            self.call_after_refresh(self._show, data)
            return
        self.orders, payables, self.suppliers, self.warehouses, inquiries, (self.receipts, self.returns) = data
        _show_returns(self, self.receipts, self.returns)
        table = self.query_one("#inquiries", DataTable)
        table.clear()
        for iid, number, status, day in inquiries:
            table.add_row(number or _("(draft)"), _(status), day.isoformat(), key=str(iid))
        table = self.query_one("#orders", DataTable)
        table.clear()
        for o in self.orders:
            table.add_row(o.number or _("(draft)"), _(o.status), f"{o.supplier_code} {o.supplier_name}",
                          o.doc_date.isoformat(), format_money(o.amount_gross), _(o.receiving_state), key=str(o.id))
        table = self.query_one("#payables", DataTable)
        table.clear()
        for p in payables:
            table.add_row(p.supplier_code, p.supplier_name, *(format_money(x) for x in (
                p.opening, p.ordered, p.received, p.invoiced, p.paid, p.balance)))
        table = self.query_one("#suppliers", DataTable)
        table.clear()
        for s in self.suppliers:
            table.add_row(s.code, s.name, s.short_name or "", s.primary_contact or "", s.primary_mobile or "",
                          s.phone or "", s.address or "", key=str(s.id))

    @property
    def tab(self) -> str:
        return self.query_one("#purchasing-tabs", TabbedContent).active

    def action_new(self) -> None:
        if self.tab == "tab-suppliers":
            self.action_new_supplier()
        elif self.tab == "tab-inquiries":
            self.action_new_inquiry()
        else:
            self.action_new_order()

    def action_new_order(self) -> None:
        self.query_one("#purchasing-tabs", TabbedContent).active = "tab-orders"
        self.app.push_screen(OrderForm(self.suppliers, self.warehouses), self._after_order)

    def _after_order(self, result) -> None:
        if result:
            self.app.notify(_("Purchase order: {status}").format(status=_(result)))
        self.refresh_data()

    def action_new_supplier(self) -> None:
        self.query_one("#purchasing-tabs", TabbedContent).active = "tab-suppliers"
        self.app.push_screen(SupplierForm(), lambda ok: ok and self.refresh_data())

    def action_new_inquiry(self) -> None:
        from crm_tui.screens.purchasing.inquiry import InquiryForm

        self.query_one("#purchasing-tabs", TabbedContent).active = "tab-inquiries"
        self.app.push_screen(InquiryForm(self.suppliers), lambda _r: self.refresh_data())

    def action_payables(self) -> None:
        self.query_one("#purchasing-tabs", TabbedContent).active = "tab-payables"

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "orders" and event.row_key is not None:
            self.app.push_screen(OrderDialog(int(event.row_key.value), self.warehouses),
                                 lambda _r: self.refresh_data())
        elif event.data_table.id == "inquiries" and event.row_key is not None:
            from crm_tui.screens.purchasing.inquiry import InquiryDialog

            warehouse = next((w.id for w in self.warehouses if w.active), None)
            self.app.push_screen(InquiryDialog(int(event.row_key.value), warehouse), lambda _r: self.refresh_data())
        elif event.data_table.id == "receipts" and event.row_key is not None:
            self.action_return_goods()
        elif event.data_table.id == "purchase-returns" and event.row_key is not None:
            from crm_tui.screens.purchasing.returns import ReturnDialog

            self.app.push_screen(ReturnDialog(int(event.row_key.value)), lambda _r: self.refresh_data())


def _return_tabs() -> ComposeResult:
    """The receipts (F6: return goods) and the purchase returns tabs."""
    with TabPane(_("Goods in"), id="tab-receipts"):
        table = SizedTable(id="receipts", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("Number"), _("Status"), _("Supplier"), _("Purchase order"), _("Warehouse"), _("Date"),
                          _("Total amount"))
        yield table
    with TabPane(_("Goods returned"), id="tab-returns"):
        table = SizedTable(id="purchase-returns", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("Number"), _("Status"), _("Supplier"), _("Purchase receipt"), _("Date"),
                          _("Total amount"), _("Reason"))
        yield table


def _load_returns(session):
    from crm_tui.services.purchasing.lists import list_receipts
    from crm_tui.services.purchasing.returns import list_returns

    return list_receipts(session), list_returns(session)


def _show_returns(pane, receipts, returns) -> None:
    table = pane.query_one("#receipts", DataTable)
    table.clear()
    for r in receipts:
        table.add_row(r.number or _("(draft)"), _(r.status), f"{r.supplier_code} {r.supplier_name}",
                      r.order_number or "", r.warehouse_code, r.doc_date.isoformat(), format_money(r.amount_gross),
                      key=str(r.id))
    table = pane.query_one("#purchase-returns", DataTable)
    table.clear()
    for r in returns:
        table.add_row(r.number or _("(draft)"), _(r.status), f"{r.supplier_code} {r.supplier_name}",
                      r.receipt_number or "", r.doc_date.isoformat(), format_money(r.amount_gross), r.reason or "",
                      key=str(r.id))


class SupplierForm(FormDialog):
    def __init__(self):
        super().__init__()
        self.title_text = _("New supplier")

    def fields(self) -> ComposeResult:
        yield Field(_("Supplier code"), Input(id="code", placeholder=_("empty: next number")))
        yield Field(_("Supplier name"), Input(id="name"), required=True)
        yield Field(_("Short name"), Input(id="short_name"))
        yield Field(_("Phone"), Input(id="phone"))
        yield Field(_("Address"), Input(id="address"))
        yield Field(_("Contact"), Input(id="contact"))
        yield Field(_("Mobile"), Input(id="mobile"))

    def collect(self) -> dict:
        values = {k: self.value(k) or None for k in ("code", "name", "short_name", "phone", "address", "contact",
                                                       "mobile")}
        if not values["name"]:
            raise ValueError(_("{field} is required.").format(field=_("Supplier name")))
        return values

    def save(self, values: dict) -> None:
        actor = self.app.actor
        contact, mobile = values.pop("contact"), values.pop("mobile")
        contacts = [{"name": contact, "mobile": mobile}] if contact else []
        run_service(self, lambda s: sup.add_supplier(s, actor, contacts=contacts, **values),
                    lambda _r: self.finish(True), write=True)
