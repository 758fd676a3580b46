"""The stock area (库存管理): overview with below-safety highlight, stock documents, stocktaking, alarms,
warehouses. Every read and write goes through the services in a worker."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, Select, Static, TabbedContent, TabPane

from crm_tui.core.money import format_money
from crm_tui.i18n import _
from crm_tui.screens.base import ConfirmDialog, Translated, run_service
from crm_tui.screens.main import AreaPane
from crm_tui.screens.stock.count import CountPanel
from crm_tui.screens.stock.document import StockDocumentForm
from crm_tui.services.stock import alarms as stock_alarms
from crm_tui.services.stock import analysis as stock_analysis
from crm_tui.services.stock import documents as sd
from crm_tui.services.stock import loans as stock_loans
from crm_tui.services.stock import warehouses as stock_warehouses
from crm_tui.widgets.forms import Field, FormDialog
from crm_tui.widgets.tables import SizedTable

PAGE = 500


def slow_days() -> int:
    from crm_tui.config import get_settings

    return int(get_settings().get("stock", {}).get("slow_mover_days", 90))


def qty_text(d) -> str:
    return "" if d is None else format(d.normalize(), "f")


class StockPane(AreaPane):
    BINDINGS = [
        Binding("f2", "new", "New", id="stock.new"),
        Binding("f3", "find", "Find", id="stock.find"),
        Binding("slash,ideographic_comma", "find", "Find", id="stock.find2", show=False),
        Binding("ctrl+right", "next_page", "Next page", id="stock.next_page", show=False),
        Binding("ctrl+left", "previous_page", "Previous page", id="stock.previous_page", show=False),
        Binding("f9,ctrl+e", "export_list", "Export to Excel", id="stock.export_list"),
    ]
    DEFAULT_CSS = """
    StockPane .filter-bar { height: auto; }
    StockPane .filter-bar Select { width: 26; }
    StockPane .filter-bar Input { width: 1fr; }
    StockPane .page-info { height: 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        with TabbedContent(id="stock-tabs"):
            with TabPane(_("Overview"), id="tab-overview"):
                with Horizontal(classes="filter-bar"):
                    yield Select([], id="ov-warehouse", prompt=_("all warehouses"), compact=True)
                    yield Select([], id="ov-category", prompt=_("all categories"), compact=True)
                    yield Input(placeholder=_("find: code, name, spec, barcode, pinyin"), id="ov-search",
                                compact=True)
                yield Label("", id="ov-info", classes="page-info")
                table = SizedTable(id="overview", cursor_type="row", zebra_stripes=True, fixed_columns=3)
                table.add_columns(_("Warehouse"), _("Code"), _("Product"), _("Spec"), _("Unit"), _("Category"),
                                  _("Quantity"), _("Unit cost"), _("Stock value"))
                yield table
            with TabPane(_("Documents"), id="tab-documents"):
                table = SizedTable(id="documents", cursor_type="row", zebra_stripes=True)
                table.add_columns(_("Number"), _("Document kind"), _("Status"), _("Warehouse"), _("Date"), _("Lines"),
                                  _("Quantity"))
                yield table
            with TabPane(_("Stock count"), id="tab-count"):
                yield CountPanel(id="count-panel")
            with TabPane(_("Alarms"), id="tab-alarms"):
                table = SizedTable(id="alarms", cursor_type="row", zebra_stripes=True, fixed_columns=3)
                table.add_columns(_("Warehouse"), _("Code"), _("Product"), _("Spec"), _("Safety stock"), _("On hand"),
                                  _("Short"))
                yield table
            with TabPane(_("Analysis"), id="tab-analysis"):
                yield Label(_("Slow movers: stock with no out-move in {days} days").format(days=slow_days()),
                            classes="page-info")
                table = SizedTable(id="slow", cursor_type="row", zebra_stripes=True, fixed_columns=3)
                table.add_columns(_("Warehouse"), _("Code"), _("Product"), _("Quantity"), _("Stock value"), _("Last out"))
                yield table
                yield Label(_("Out on loan, by customer"), classes="page-info")
                table = SizedTable(id="loans", cursor_type="row", zebra_stripes=True, fixed_columns=3)
                table.add_columns(_("Customer"), _("Code"), _("Product"), _("Quantity"), _("Stock value"))
                yield table
            with TabPane(_("Warehouses"), id="tab-warehouses"):
                table = SizedTable(id="warehouses", cursor_type="row", zebra_stripes=True, fixed_columns=2)
                table.add_columns(_("Code"), _("Warehouse name"), _("Keeper"), _("Address"), _("Active"),
                                  _("Products held"), _("Stock value"))
                yield table

    def on_mount(self) -> None:
        super().on_mount()
        self.page_offset = 0
        self.warehouses: list[stock_warehouses.WarehouseRow] = []
        self.documents: list[sd.DocumentRow] = []

    @property
    def tab(self) -> str:
        return self.query_one("#stock-tabs", TabbedContent).active

    def action_export_list(self) -> None:
        """The documents tab writes the stock documents; the other tabs the stock ledger (of the overview's
        warehouse when one is chosen)."""
        from crm_tui.screens.exports.dialog import ListExportDialog
        from crm_tui.services.exports.registry import ExportFilters

        if self.tab == "tab-documents":
            self.app.push_screen(ListExportDialog("stock-documents", ExportFilters(), _("Stock documents")))
            return
        f = ExportFilters(warehouse_id=self.filters()["warehouse_id"])
        self.app.push_screen(ListExportDialog("stock-ledger", f, _("Stock ledger")))

    # --- loading --------------------------------------------------------------------------------

    def filters(self) -> dict:
        def choice(widget_id):
            value = self.query_one(widget_id, Select).value
            return None if value is Select.NULL else value

        return {"warehouse_id": choice("#ov-warehouse"), "category": choice("#ov-category"),
                "search": self.query_one("#ov-search", Input).value.strip() or None}

    def refresh_data(self) -> None:
        if not self.query("#overview"):
            self.call_after_refresh(self.refresh_data)
            return
        filters, offset = self.filters(), self.page_offset

        def load(session):
            from crm_tui.services.stock.products import categories

            warehouses = stock_warehouses.list_warehouses(session)
            return {
                "warehouses": warehouses,
                "values": {v.warehouse_id: v for v in stock_analysis.value_by_warehouse(session)},
                "categories": categories(session),
                "rows": stock_analysis.onhand(session, limit=PAGE, offset=offset, **filters),
                "count": stock_analysis.onhand_count(session, **filters),
                "alarms": stock_alarms.alarms(session),
                "documents": sd.list_documents(session, limit=300),
                "slow": stock_analysis.slow_movers(session),
                "loans": stock_loans.outstanding_report(session),
            }

        run_service(self, load, self._show, group="stock-load")

    def _show(self, data: dict) -> None:
        self.warehouses = data["warehouses"]
        self.documents = data["documents"]
        self._fill_filters(data)
        short = {(a.warehouse_id, a.product_id) for a in data["alarms"]}
        table = self.query_one("#overview", DataTable)
        table.clear()
        for r in data["rows"]:
            low = (r.warehouse_id, r.product_id) in short
            style = "bold red" if low else ""
            table.add_row(r.warehouse_code, r.product_code, Text(r.product_name, style=style), r.spec or "",
                          r.unit or "", r.category or "", Text(("▼ " if low else "") + qty_text(r.quantity),
                                                               style=style, justify="right"),
                          Text(f"{r.unit_cost:.4f}", justify="right"), Text(format_money(r.value), justify="right"),
                          key=f"{r.warehouse_id}:{r.product_id}")
        n, total = data["count"]
        shown = len(data["rows"])
        self.query_one("#ov-info", Label).update(
            _("Rows {first}–{last} of {n} (ctrl+→ next page); value {total}; ▼ below safety stock").format(
                first=self.page_offset + 1 if shown else 0, last=self.page_offset + shown, n=n, total=format_money(total)))
        self.total_rows = n
        alarms = self.query_one("#alarms", DataTable)
        alarms.clear()
        for a in data["alarms"]:
            alarms.add_row(a.warehouse_code, a.product_code, a.product_name, a.spec or "", qty_text(a.safety_stock),
                           qty_text(a.quantity), Text(qty_text(a.shortage), style="bold red"))
        documents = self.query_one("#documents", DataTable)
        documents.clear()
        for d in self.documents:
            documents.add_row(d.number or _("(draft)"), _(sd.KIND_LABELS[d.kind]), _(d.status), d.warehouse_code,
                              d.doc_date.isoformat(), str(d.lines), qty_text(d.quantity), key=str(d.id))
        slow = self.query_one("#slow", DataTable)
        slow.clear()
        for m in data["slow"]:
            slow.add_row(m.warehouse_code, m.product_code, m.product_name, qty_text(m.quantity), format_money(m.value),
                         m.last_out_at.date().isoformat() if m.last_out_at else _("never"))
        loans = self.query_one("#loans", DataTable)
        loans.clear()
        for r in data["loans"]:
            loans.add_row(r.customer_name, r.product_code, r.product_name, qty_text(r.quantity), format_money(r.value))
        warehouses = self.query_one("#warehouses", DataTable)
        warehouses.clear()
        for w in self.warehouses:
            v = data["values"].get(w.id)
            warehouses.add_row(w.code, w.name, w.keeper or "", w.address or "", _("yes") if w.active else _("no"),
                               str(v.products if v else 0), format_money(v.value if v else 0), key=str(w.id))
        self.query_one(CountPanel).set_warehouses(self.warehouses)
        if hasattr(self.screen, "refresh_status"):
            self.screen.refresh_status()  # the alarm count may have changed

    def _fill_filters(self, data: dict) -> None:
        for widget_id, options in (("#ov-warehouse", [(f"{w.code} {w.name}", w.id) for w in data["warehouses"]]),
                                   ("#ov-category", [(c, c) for c in data["categories"]])):
            select = self.query_one(widget_id, Select)
            if [o for o in options] != getattr(select, "_crm_options", None):
                current = select.value
                with select.prevent(Select.Changed):
                    select.set_options(options)
                    if current is not Select.NULL and any(v == current for _l, v in options):
                        select.value = current
                select._crm_options = options

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id in ("ov-warehouse", "ov-category"):
            self.page_offset = 0
            self.refresh_data()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "ov-search":
            self.page_offset = 0
            self.refresh_data()

    def action_next_page(self) -> None:
        if self.page_offset + PAGE < getattr(self, "total_rows", 0):
            self.page_offset += PAGE
            self.refresh_data()

    def action_previous_page(self) -> None:
        if self.page_offset:
            self.page_offset = max(0, self.page_offset - PAGE)
            self.refresh_data()

    def action_find(self) -> None:
        self.query_one("#stock-tabs", TabbedContent).active = "tab-overview"
        self.query_one("#ov-search", Input).focus()

    # --- actions --------------------------------------------------------------------------------

    def action_new(self) -> None:
        if self.tab == "tab-warehouses":
            self.action_new_warehouse()
        elif self.tab == "tab-count":
            self.query_one(CountPanel).action_new_sheet()
        else:
            self.action_new_document()

    def action_new_document(self, kind: str = "stock_out") -> None:
        if not any(w.active for w in self.warehouses):
            self.app.notify(_("Add a warehouse first."), severity="warning")
            return
        self.query_one("#stock-tabs", TabbedContent).active = "tab-documents"
        self.app.push_screen(StockDocumentForm(self.warehouses, kind), self._after_document)

    def action_new_transfer(self) -> None:
        self.action_new_document("transfer")

    def action_new_stock_in(self) -> None:
        self.action_new_document("stock_in")

    def action_stocktaking(self) -> None:
        self.query_one("#stock-tabs", TabbedContent).active = "tab-count"

    def _after_document(self, result) -> None:
        if result == "draft":
            self.app.notify(_("Draft saved."))
        elif result:
            self.app.notify(_("Document {number} confirmed.").format(number=result))
        self.refresh_data()

    def action_new_warehouse(self) -> None:
        self.query_one("#stock-tabs", TabbedContent).active = "tab-warehouses"
        self.app.push_screen(WarehouseForm(), lambda ok: ok and self.refresh_data())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "documents" and event.row_key is not None:
            self.app.push_screen(DocumentDialog(int(event.row_key.value), self.warehouses),
                                 lambda _r: self.refresh_data())


class WarehouseForm(FormDialog):
    title_text = ""

    def __init__(self):
        super().__init__()
        self.title_text = _("New warehouse")

    def fields(self) -> ComposeResult:
        yield Field(_("Code"), Input(id="code"), required=True)
        yield Field(_("Warehouse name"), Input(id="name"), required=True)
        yield Field(_("Address"), Input(id="address"))
        yield Field(_("Keeper"), Input(id="keeper"))

    def collect(self) -> dict:
        values = {k: self.value(k) for k in ("code", "name", "address", "keeper")}
        if not values["code"] or not values["name"]:
            raise ValueError(_("A warehouse needs a code and a name."))
        return values

    def save(self, values: dict) -> None:
        actor = self.app.actor
        run_service(self, lambda s: stock_warehouses.add_warehouse(
            s, actor, values["code"], values["name"], address=values["address"] or None,
            keeper=values["keeper"] or None), lambda _r: self.finish(True), write=True)


class DocumentDialog(Translated, ModalScreen[None]):
    """One stock document: its lines; F10 confirms a draft, F4 edits it, F8 deletes it or cancels
    (reverses) a confirmed one."""

    BINDINGS = [
        Binding("f10", "confirm", "Confirm", id="stockview.confirm"),
        Binding("f4", "edit", "Edit", id="stockview.edit"),
        Binding("f8", "cancel_document", "Cancel document", id="stockview.cancel"),
        Binding("escape", "close", "Close", id="stockview.close"),
    ]
    DEFAULT_CSS = "DocumentDialog .dialog { width: 110; } DocumentDialog DataTable { height: 14; }"

    def __init__(self, doc_id: int, warehouses):
        super().__init__()
        self.doc_id = doc_id
        self.warehouses = warehouses
        self.view: sd.DocumentView | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("", id="doc-title", classes="dialog-title")
            table = SizedTable(id="doc-lines", cursor_type="row", zebra_stripes=True)
            table.styles.height = 14  # app.tcss makes tables 1fr: this one sits in a dialog
            table.add_columns("#", _("Code"), _("Product"), _("Spec"), _("Unit"), _("Quantity"), _("Unit cost"))
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        run_service(self, lambda s: sd.get_document(s, self.doc_id), self._show, group="doc-view")

    def _show(self, view: sd.DocumentView) -> None:
        self.view = view
        where = view.warehouse_code + (f" → {view.to_warehouse_code}" if view.to_warehouse_code else "")
        self.query_one("#doc-title", Static).update(
            f"{_(sd.KIND_LABELS[view.kind])}  {view.number or _('(draft)')}  {_(view.status)}  {where}  "
            f"{view.doc_date.isoformat()}" + (f"  {view.recipient}" if view.recipient else ""))
        table = self.query_one("#doc-lines", DataTable)
        table.clear()
        for ln in view.lines:
            qty = ln.counted_quantity - ln.book_quantity if view.kind == "stocktake" and ln.counted_quantity \
                is not None else ln.quantity
            table.add_row(str(ln.line_no), ln.product_code, ln.product_name, ln.spec or "", ln.unit or "",
                          qty_text(qty), "" if ln.unit_cost is None else str(ln.unit_cost))

    def action_confirm(self) -> None:
        if self.view is None or self.view.status != "draft":
            return
        actor = self.app.actor
        run_service(self, lambda s: sd.confirm(s, actor, self.doc_id),
                    lambda number: (self.app.notify(_("Document {number} confirmed.").format(number=number)),
                                    self.load()), write=True)

    def action_edit(self) -> None:
        if self.view is None or self.view.status != "draft" or self.view.kind == "stocktake":
            return
        self.app.push_screen(StockDocumentForm(self.warehouses, draft=self.view), lambda _r: self.dismiss(None))

    def action_cancel_document(self) -> None:
        if self.view is None or self.view.status == "cancelled":
            return
        view, actor = self.view, self.app.actor
        draft = view.status == "draft"
        question = (_("Delete this draft?") if draft else
                    _("Cancel {number}? Its stock moves are reversed; the document stays, marked cancelled.")
                    .format(number=view.number))

        def answered(yes: bool) -> None:
            if not yes:
                return
            if draft:
                run_service(self, lambda s: sd.delete_draft(s, actor, view.id), lambda _r: self.dismiss(None),
                            write=True)
            else:
                run_service(self, lambda s: sd.cancel(s, actor, view.id), lambda _r: self.load(), write=True)

        self.app.push_screen(ConfirmDialog(question), answered)

    def action_close(self) -> None:
        self.dismiss(None)
