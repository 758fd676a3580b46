"""A product's units (计量单位): the base unit and its conversions; add one (ctrl+s) or remove the selected one
(delete). Opened from the product detail (ctrl+u)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Static

from crm_tui.i18n import _
from crm_tui.screens.base import Translated, run_service
from crm_tui.services.stock import units
from crm_tui.widgets.base import MessageLine
from crm_tui.widgets.forms import Field
from crm_tui.widgets.tables import SizedTable


def _plain(d) -> str:
    return format(d.normalize(), "f")


class UnitsDialog(Translated, ModalScreen[None]):
    BINDINGS = [
        Binding("ctrl+s", "add", "Add unit", id="units.add"),
        Binding("delete", "remove", "Remove unit", id="units.remove"),
        Binding("escape", "close", "Close", id="units.close"),
    ]
    AUTO_FOCUS = "#unit-name"
    DEFAULT_CSS = "UnitsDialog .dialog { width: 60; max-width: 100%; } UnitsDialog #units-table { height: 7; }"

    def __init__(self, product_id: int, title: str):
        super().__init__()
        self.product_id = product_id
        self.title_text = title
        self.rows: list[units.UnitRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Units of {product}").format(product=self.title_text), classes="dialog-title")
            table = SizedTable(id="units-table", cursor_type="row")
            table.add_columns(_("Unit"), _("Base units"), _("Barcode"))
            yield table
            yield Field(_("Unit"), Input(id="unit-name", placeholder=_("e.g. 箱")))
            yield Field(_("Base units"), Input(id="unit-factor", placeholder=_("e.g. 12 (1 箱 = 12 瓶)")))
            yield Field(_("Barcode"), Input(id="unit-barcode"))
            yield MessageLine("", id="form-message")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        pid = self.product_id
        run_service(self, lambda s: units.list_units(s, pid), self._show, group="units-load")

    def _show(self, rows: list[units.UnitRow]) -> None:
        self.rows = rows
        base = next((r.unit for r in rows if r.is_base), "")
        table = self.query_one("#units-table", DataTable)
        table.clear()
        for r in rows:
            table.add_row(r.unit, _("base unit") if r.is_base else f"{_plain(r.factor)} {base}", r.barcode or "",
                          key=r.unit)

    def action_add(self) -> None:
        name, factor, barcode = (self.query_one(f"#{i}", Input).value for i in ("unit-name", "unit-factor",
                                                                               "unit-barcode"))
        actor, pid = self.app.actor, self.product_id

        def done(_result) -> None:
            for i in ("unit-name", "unit-factor", "unit-barcode"):
                self.query_one(f"#{i}", Input).value = ""
            self.query_one(MessageLine).show_error("")
            self.load()

        run_service(self, lambda s: units.add_unit(s, actor, pid, name, factor, barcode or None), done, write=True)

    def action_remove(self) -> None:
        table = self.query_one("#units-table", DataTable)
        if not table.has_focus or not 0 <= table.cursor_row < len(self.rows):
            return
        row = self.rows[table.cursor_row]
        if row.is_base:
            self.query_one(MessageLine).show_error(_("The base unit is set on the product itself."))
            return
        actor, pid = self.app.actor, self.product_id
        run_service(self, lambda s: units.remove_unit(s, actor, pid, row.unit), lambda _r: self.load(), write=True)

    def action_close(self) -> None:
        self.dismiss(None)
