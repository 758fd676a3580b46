"""Stocktaking (盘点) on screen: make a count sheet for a warehouse, enter what was counted line by line,
see the differences, export the sheet for counting on paper, and post the differences (F10)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select

from crm_tui.i18n import _
from crm_tui.screens.base import ConfirmDialog, MessageLine, Translated, run_service
from crm_tui.screens.stock.document import parse_quantity
from crm_tui.services.stock import documents as sd
from crm_tui.services.stock import stocktake as stock_stocktake
from crm_tui.widgets.tables import SizedTable


def _n(d) -> str:
    return "" if d is None else format(d.normalize(), "f")


class CountPanel(Translated, Vertical):
    BINDINGS = [
        Binding("f2", "new_sheet", "New count sheet", id="count.new"),
        Binding("f9", "export", "Export sheet", id="count.export"),
        Binding("f10", "post", "Post differences", id="count.post"),
    ]
    DEFAULT_CSS = """
    CountPanel #count-bar { height: auto; }
    CountPanel #count-bar Select { width: 30; }
    CountPanel #count-input { width: 16; }
    CountPanel #count-summary { height: 1; color: $text-muted; }
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sheet: sd.DocumentView | None = None
        self.warehouses = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="count-bar"):
            yield Select([], id="count-warehouse", prompt=_("warehouse to count"), compact=True)
            yield Input(placeholder=_("counted quantity, Enter"), id="count-input", compact=True)
        yield Label("", id="count-summary")
        table = SizedTable(id="count-lines", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("Code"), _("Product"), _("Spec"), _("Unit"), _("Book"), _("Counted"), _("Difference"))
        yield table
        yield MessageLine("", id="count-message")

    def set_warehouses(self, warehouses) -> None:
        self.warehouses = warehouses
        select = self.query_one("#count-warehouse", Select)
        current = select.value
        select.set_options([(f"{w.code} {w.name}", w.id) for w in warehouses if w.active])
        if current is not Select.NULL:
            select.value = current

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "count-warehouse" and event.value is not Select.NULL:
            self._open_draft(event.value)

    def _open_draft(self, warehouse_id: int) -> None:
        """Reopen the warehouse's open count sheet, if it has one."""
        def work(session):
            return stock_stocktake.open_count_sheet(session, warehouse_id)

        run_service(self, work, self._show, group="count-load")

    def _show(self, sheet: sd.DocumentView | None) -> None:
        self.sheet = sheet
        table = self.query_one("#count-lines", DataTable)
        keep = table.cursor_row
        table.clear()
        if sheet is None:
            self.query_one("#count-summary", Label).update(_("No open count sheet for this warehouse: F2 makes one."))
            return
        differences = 0
        for ln in sheet.lines:
            diff = None if ln.counted_quantity is None else ln.counted_quantity - ln.book_quantity
            differences += bool(diff)
            table.add_row(ln.product_code, ln.product_name, ln.spec or "", ln.unit or "", _n(ln.book_quantity),
                          _n(ln.counted_quantity), "" if diff is None else f"{diff:+f}".rstrip("0").rstrip("."),
                          key=str(ln.product_id))
        counted = sum(ln.counted_quantity is not None for ln in sheet.lines)
        self.query_one("#count-summary", Label).update(
            _("Sheet of {warehouse}: {lines} lines, {counted} counted, {differences} differences.").format(
                warehouse=sheet.warehouse_code, lines=len(sheet.lines), counted=counted, differences=differences))
        if sheet.lines:
            table.move_cursor(row=min(max(keep, 0), len(sheet.lines) - 1))

    def _warehouse(self):
        value = self.query_one("#count-warehouse", Select).value
        return None if value is Select.NULL else value

    def action_new_sheet(self) -> None:
        warehouse = self._warehouse()
        if warehouse is None:
            self.app.notify(_("Choose the warehouse to count first."), severity="warning")
            return
        if self.sheet is not None:
            self.app.notify(_("This warehouse already has an open count sheet."), severity="warning")
            return
        actor = self.app.actor

        def work(session):
            return sd.get_document(session, stock_stocktake.create_count_sheet(session, actor, warehouse))

        run_service(self, work, self._show, write=True, group="count-new")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter the count of the highlighted line, then move to the next one."""
        if event.input.id != "count-input" or self.sheet is None:
            return
        event.stop()
        table = self.query_one("#count-lines", DataTable)
        if not self.sheet.lines or table.cursor_row < 0:
            return
        line = self.sheet.lines[table.cursor_row]
        try:
            counted = parse_quantity(event.value, allow_zero=True)
        except ValueError as exc:
            self.query_one("#count-message", MessageLine).show_error(str(exc))
            return
        self.query_one("#count-message", MessageLine).show_error("")
        actor, doc_id = self.app.actor, self.sheet.id

        def work(session):
            stock_stocktake.set_counts(session, actor, doc_id, {line.product_id: counted})
            return sd.get_document(session, doc_id)

        def done(sheet):
            self._show(sheet)
            table.move_cursor(row=min(table.cursor_row + 1, len(sheet.lines) - 1))
            event.input.value = ""

        run_service(self, work, done, write=True, group="count-set")

    def action_export(self) -> None:
        if self.sheet is None:
            return
        doc_id = self.sheet.id

        def work(session):
            from crm_tui.paths import ensure_dir, get_paths

            folder = ensure_dir(get_paths().data / "exports")
            return stock_stocktake.export_count_sheet(session, doc_id, folder / f"count-sheet-{doc_id}.xlsx")

        run_service(self, work, lambda path: self.app.notify(_("Count sheet written to {path}").format(path=path)))

    def action_post(self) -> None:
        if self.sheet is None:
            return
        sheet, actor = self.sheet, self.app.actor

        def answered(yes: bool) -> None:
            if not yes:
                return

            def work(session):
                return sd.confirm(session, actor, sheet.id)

            def done(number):
                self.app.notify(_("Stocktaking {number} posted.").format(number=number))
                self._open_draft(sheet.warehouse_id)

            run_service(self, work, done, write=True, group="count-post")

        self.app.push_screen(ConfirmDialog(_("Post the differences of this count sheet to the stock?"),
                                           _("Post")), answered)
