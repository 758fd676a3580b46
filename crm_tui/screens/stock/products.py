"""The products area (商品中心): list with search by code, name, spec, barcode and pinyin; add and edit with
net or tax-inclusive sale price; detail with stock per warehouse and images opened in the system viewer."""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.core.money import format_money, parse_money, parse_rate
from crm_tui.i18n import _
from crm_tui.screens.base import Translated, run_service
from crm_tui.screens.main import AreaPane
from crm_tui.services.stock import analysis as stock_analysis
from crm_tui.services.stock import products, units
from crm_tui.widgets.forms import Field, FieldError, FormDialog
from crm_tui.widgets.tables import SizedTable

LIMIT = 500


class ProductsPane(AreaPane):
    BINDINGS = [
        Binding("f2", "new", "New", id="products.new"),
        Binding("f3", "find", "Find", id="products.find"),
        Binding("slash,ideographic_comma", "find", "Find", id="products.find2", show=False),
        Binding("f4", "edit", "Edit", id="products.edit"),
    ]

    def compose(self) -> ComposeResult:
        yield Input(placeholder=_("find: code, name, spec, barcode, pinyin (qdpj)"), id="product-find", compact=True)
        yield Label("", id="product-info", classes="page-info")
        table = SizedTable(id="products", cursor_type="row", zebra_stripes=True, fixed_columns=2)
        table.add_columns(_("Code"), _("Product"), _("Spec"), _("Unit"), _("Category"), _("Barcode"), _("Tax rate"),
                          _("Price"), _("Gross price"), _("Purchase price"), _("Safety stock"))
        yield table

    def on_mount(self) -> None:
        super().on_mount()
        self.rows: list[products.ProductRow] = []

    def refresh_data(self) -> None:
        text = self.query_one("#product-find", Input).value

        def load(session):
            return products.search_products(session, text, limit=LIMIT, active_only=False), \
                products.count_products(session, text)

        run_service(self, load, self._show, group="products-load")

    def _show(self, result) -> None:
        self.rows, total = result
        table = self.query_one("#products", DataTable)
        table.clear()
        for p in self.rows:
            table.add_row(p.code, p.name if p.active else f"{p.name} ({_('inactive')})", p.spec or "", p.unit or "",
                          p.category or "", p.barcode or "", f"{(p.tax_rate * 100).normalize():f}%",
                          format_money(p.sale_price), format_money(p.sale_price_gross), format_money(p.purchase_price),
                          format(p.safety_stock.normalize(), "f"), key=str(p.id))
        self.query_one("#product-info", Label).update(
            _("{shown} of {total} products").format(shown=len(self.rows), total=total))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "product-find":
            self.refresh_data()

    def action_find(self) -> None:
        self.query_one("#product-find", Input).focus()

    def selected(self) -> products.ProductRow | None:
        table = self.query_one("#products", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_new(self) -> None:
        self.app.push_screen(ProductForm(None), self._after)

    def action_edit(self) -> None:
        row = self.selected()
        if row:
            self.app.push_screen(ProductForm(row), self._after)

    def _after(self, result) -> None:
        if result:
            self.app.notify(_("Saved."))
            self.refresh_data()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "products" and event.row_key is not None:
            self.app.push_screen(ProductDetail(int(event.row_key.value)))


def _decimal_or_none(text: str, label: str, parse=parse_money, field_id: str = "") -> Decimal | None:
    """A typed amount or None; a ``FieldError`` naming ``field_id`` when it is not one."""
    text = text.strip()
    if not text:
        return None
    try:
        value = parse(text)
    except (ValueError, ArithmeticError):
        raise FieldError(field_id, _("{field}: not a number: {value}").format(field=label, value=text)) from None
    if value < 0:
        raise FieldError(field_id, _("{field} cannot be negative.").format(field=label))
    return value


class ProductForm(FormDialog):
    def __init__(self, row: products.ProductRow | None):
        super().__init__()
        self.row = row
        self.title_text = _("Edit product {code}").format(code=row.code) if row else _("New product")

    def fields(self) -> ComposeResult:
        r = self.row

        def text(v) -> str:
            return "" if v is None else str(v)

        yield Field(_("Product code"), Input(r.code if r else "", id="code", placeholder=_("empty: next number")))
        yield Field(_("Product name"), Input(r.name if r else "", id="name"), required=True)
        yield Field(_("Specification"), Input(text(r and r.spec), id="spec", placeholder="500ml*12"))
        yield Field(_("Unit"), Input(text(r and r.unit), id="unit", placeholder="箱"))
        yield Field(_("Category"), Input(text(r and r.category), id="category"))
        yield Field(_("Barcode"), Input(text(r and r.barcode), id="barcode"))
        yield Field(_("Tax rate"), Input(f"{(r.tax_rate * 100).normalize():f}%" if r else "13%", id="tax_rate"))
        yield Field(_("Sale price"), Input(text(r and r.sale_price), id="sale_price",
                                           placeholder=_("net of tax; or fill the gross price")))
        yield Field(_("Gross sale price"), Input(text(r and r.sale_price_gross), id="sale_price_gross",
                                                 placeholder=_("including tax")))
        yield Field(_("Purchase price"), Input(text(r and r.purchase_price), id="purchase_price"))
        yield Field(_("Safety stock"), Input(format(r.safety_stock.normalize(), "f") if r else "0", id="safety_stock"))
        yield Field(_("Remarks"), Input(text(r and r.remarks), id="remarks"))

    def on_input_changed(self, event: Input.Changed) -> None:
        """Show the other sale price as it is typed (net ⇄ gross at the tax rate)."""
        if event.input.id not in ("sale_price", "sale_price_gross", "tax_rate"):
            return
        try:
            rate = parse_rate(self.value("tax_rate") or "13%")
            net = _decimal_or_none(self.value("sale_price"), _("Sale price"))
            gross = _decimal_or_none(self.value("sale_price_gross"), _("Gross sale price"))
        except ValueError as exc:
            self.show_error(str(exc))
            return
        from crm_tui.core.money import gross_from_net, net_from_gross

        if event.input.id == "sale_price" and net is not None:
            self.show_error(_("Gross sale price: {v}").format(v=gross_from_net(net, rate)))
        elif event.input.id == "sale_price_gross" and gross is not None:
            self.show_error(_("Sale price net of tax: {v}").format(v=net_from_gross(gross, rate)))
        else:
            self.show_error("")
        self.query_one("#form-message").set_class(False, "error")

    def collect(self) -> dict:
        values = {k: self.value(k) or None for k in ("code", "name", "spec", "unit", "category", "barcode",
                                                       "remarks")}
        if not values["name"]:
            raise FieldError("name", _("{field} is required.").format(field=_("Product name")))
        try:
            values["tax_rate"] = parse_rate(self.value("tax_rate") or "13%")
        except ValueError as exc:
            raise FieldError("tax_rate", str(exc)) from None
        net = _decimal_or_none(self.value("sale_price"), _("Sale price"), field_id="sale_price")
        gross = _decimal_or_none(self.value("sale_price_gross"), _("Gross sale price"), field_id="sale_price_gross")
        if self.row is not None and net is not None and gross is not None:
            # both shown: keep the one the user changed; the service derives the other
            if gross != self.row.sale_price_gross:
                net = None
            else:
                gross = None
        values["sale_price"], values["sale_price_gross"] = net, gross
        values["purchase_price"] = _decimal_or_none(self.value("purchase_price"), _("Purchase price"),
                                                    field_id="purchase_price")
        values["safety_stock"] = _decimal_or_none(self.value("safety_stock"), _("Safety stock"),
                                                  parse=lambda t: Decimal(t.replace(",", "")),
                                                  field_id="safety_stock") or Decimal(0)
        return values

    def save(self, values: dict) -> None:
        actor, row = self.app.actor, self.row
        if row is not None and not values.get("code"):
            values.pop("code")

        def work(session):
            if row is None:
                return products.add_product(session, actor, **values)
            return products.update_product(session, actor, row.id, row.version, **values)

        run_service(self, work, lambda _r: self.finish(True), write=True)


class ProductDetail(Translated, ModalScreen[None]):
    """A product: its fields, stock per warehouse, and images (Enter opens one in the system viewer)."""

    BINDINGS = [
        Binding("ctrl+o", "add_image", "Add image", id="productview.add_image"),
        Binding("ctrl+u", "units", "Units", id="productview.units"),
        Binding("escape", "close", "Close", id="productview.close"),
    ]
    DEFAULT_CSS = "ProductDetail .dialog { width: 100; } ProductDetail OptionList { height: 4; }"

    def __init__(self, product_id: int):
        super().__init__()
        self.product_id = product_id
        self.images = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("", id="pd-title", classes="dialog-title")
            yield Static("", id="pd-fields")
            table = SizedTable(id="pd-stock", cursor_type="row")
            table.styles.height = 8  # app.tcss makes tables 1fr: this one sits in a dialog
            table.add_columns(_("Warehouse"), _("Quantity"), _("Unit cost"), _("Stock value"))
            yield table
            yield Label(_("Movement history (latest last)"))
            history = SizedTable(id="pd-history", cursor_type="row", zebra_stripes=True)
            history.styles.height = 8  # app.tcss makes tables 1fr: this one sits in a dialog
            history.add_columns(_("Time"), _("Warehouse"), _("Document"), _("Quantity"), _("Amount"), _("Balance"))
            yield history
            yield Label(_("Images (Enter opens; ctrl+o adds one from a file path below)"))
            yield OptionList(id="pd-images")
            yield Input(placeholder=_("path of an image file to add"), id="pd-image-path", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        pid = self.product_id

        def work(session):
            return (products.get_product(session, pid), stock_analysis.onhand(session, product_id=pid),
                    products.list_images(session, pid), stock_analysis.movement_history(session, pid)[-200:],
                    units.list_units(session, pid))

        run_service(self, work, self._show, group="product-detail")

    def _show(self, data) -> None:
        p, stock, self.images, history, unit_rows = data
        self.title_text = f"{p.code} {p.name}"
        self.query_one("#pd-title", Static).update(f"{p.code}  {p.name}  {p.spec or ''}")
        self.query_one("#pd-fields", Static).update(
            f"{_('Unit')}: {p.unit or ''}{units_text(unit_rows)}   {_('Category')}: {p.category or ''}   {_('Barcode')}: {p.barcode or ''}\n"
            f"{_('Sale price')}: {format_money(p.sale_price)}   {_('Gross sale price')}: "
            f"{format_money(p.sale_price_gross)}   {_('Tax rate')}: {(p.tax_rate * 100).normalize():f}%\n"
            f"{_('Purchase price')}: {format_money(p.purchase_price)}   {_('Safety stock')}: "
            f"{p.safety_stock.normalize():f}\n{p.remarks or ''}")
        table = self.query_one("#pd-stock", DataTable)
        table.clear()
        for r in stock:
            table.add_row(r.warehouse_code, format(r.quantity.normalize(), "f"), f"{r.unit_cost:.4f}",
                          format_money(r.value))
        table = self.query_one("#pd-history", DataTable)
        table.clear()
        for m in history:
            table.add_row(m.moved_at.strftime("%Y-%m-%d %H:%M"), m.warehouse_code, m.doc_number or "",
                          format(m.quantity.normalize(), "f"), format_money(m.amount), format(m.balance.normalize(), "f"))
        if history:
            table.move_cursor(row=len(history) - 1)
        self.query_one("#pd-images", OptionList).set_options([Option(name, id=str(i)) for i, name, _p in self.images])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        path = next((p for i, _n, p in self.images if str(i) == event.option.id), None)
        if path is not None:
            try:
                products.open_with_viewer(path)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                self.app.report_error(exc)

    def action_add_image(self) -> None:
        from pathlib import Path

        path = self.query_one("#pd-image-path", Input).value.strip()
        if not path:
            self.query_one("#pd-image-path", Input).focus()
            return
        actor, pid = self.app.actor, self.product_id
        run_service(self, lambda s: products.attach_image(s, actor, pid, Path(path).expanduser()),
                    lambda _r: self.load(), write=True)

    def action_units(self) -> None:
        from crm_tui.screens.stock.units import UnitsDialog

        self.app.push_screen(UnitsDialog(self.product_id, getattr(self, "title_text", "")), lambda _r: self.load())

    def action_close(self) -> None:
        self.dismiss(None)


def units_text(rows) -> str:
    """`` (1箱=12瓶, 1件=6瓶)`` after the base unit, or nothing."""
    base = next((r.unit for r in rows if r.is_base), "")
    extra = [f"1{r.unit}={format(r.factor.normalize(), 'f')}{base}" for r in rows if not r.is_base]
    return f" ({', '.join(extra)})" if extra else ""
