"""The sales area: lists per document kind (orders, quotes, delivery notices, stock-outs, receipts, invoices,
expense claims), the approval queue and receivables with aging. F2 new, Enter open, F3 find, F9 print, F10
confirm/approve, F8 cancel/reject; on quotes ctrl+d copies and ctrl+o turns one into an order. Everything runs
through the services in workers and shows only what the user may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Select, TabbedContent, TabPane

from crm_tui.core import clock
from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.screens.main import AreaPane
from crm_tui.screens.sales.entry import fmt
from crm_tui.widgets.held_tabs import HeldTabs
from crm_tui.widgets.tables import SizedTable, rebuild_table


def _d(value) -> str:
    return "" if value is None else str(value)


def _q(value) -> str:
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class Tab:
    id: str
    title: str  # msgid
    columns: tuple[str, ...]  # msgids
    load: Callable[[Any, Any, str], list]  # (session, actor, search text) -> rows
    cells: Callable[[Any], tuple]  # row -> the cells shown
    fixed: int = 2  # the leading columns that stay when the table scrolls right: the number and the customer


def _tabs() -> list[Tab]:
    from crm_tui.services.sales import approvals, deliveries, expenses, invoices, orders, quotes, receipts
    from crm_tui.services.sales import stock_outs as outs
    from crm_tui.services.sales.receivables import receivables

    return [
        Tab("orders", "Orders", ("Number", "Customer", "Status", "Date", "Total", "Shipped", "Invoiced",
                                 "Collected", "Salesperson", "Order ref."),
            lambda s, a, t: orders.list_orders(s, a, text=t),
            lambda r: (r.number or f"#{r.id}", r.customer_name, _(r.status), _d(r.order_date), fmt(r.gross_total),
                       fmt(r.shipped), fmt(r.invoiced), fmt(r.paid), r.owner_name or "", r.external_ref or "")),
        Tab("quotes", "Quotes", ("Number", "Customer", "Status", "Date", "Valid until", "Total", "Salesperson"),
            lambda s, a, t: quotes.list_quotes(s, a, text=t),
            lambda r: (r.number or f"#{r.id}", r.customer_name, _(r.status), _d(r.quote_date), _d(r.valid_until),
                       fmt(r.gross_total), r.owner_name or "")),
        Tab("notices", "Delivery notices", ("Number", "Customer", "Status", "Date", "Ship by", "Lines", "Quantity",
                                            "Shipped"),
            lambda s, a, t: deliveries.list_notices(s, a),
            lambda r: (r.number or f"#{r.id}", r.customer_name, _(r.status), _d(r.notice_date), _d(r.ship_by),
                       r.lines, _q(r.quantity), _q(r.shipped))),
        Tab("outs", "Stock-outs", ("Number", "Customer", "Status", "Date", "Warehouse", "Goods value", "Tracking no."),
            lambda s, a, t: outs.list_stock_outs(s, a, text=t),
            lambda r: (r.number or f"#{r.id}", r.customer_name, _(r.status), _d(r.out_date), r.warehouse_code,
                       fmt(r.gross_total), r.tracking)),
        Tab("receipts", "Receipts", ("Number", "Customer", "Status", "Date", "Currency", "Amount", "RMB", "Applied",
                                     "Advance", "Receipt account", "Received by"),
            lambda s, a, t: receipts.list_receipts(s, a, text=t),
            lambda r: (r.number, r.customer_name, _(r.status), _d(r.received_on), r.currency, fmt(r.amount),
                       fmt(r.amount_cny), fmt(r.applied), fmt(r.unapplied), r.account or "", r.method or "")),
        Tab("invoices", "Invoices", ("Invoice no.", "Customer", "Type", "Status", "Date", "Order", "Net", "Tax",
                                     "Gross"),
            lambda s, a, t: invoices.list_invoices(s, a, text=t),
            lambda r: (r.invoice_no, r.customer_name, _(r.kind), _(r.status), _d(r.invoice_date),
                       r.order_number or "", fmt(r.net_amount), fmt(r.tax_amount), fmt(r.gross_amount))),
        Tab("expenses", "Expenses", ("Number", "Status", "Claimant", "Category", "Amount", "Date", "Customer",
                                     "Approval comment"),
            lambda s, a, t: expenses.list_claims(s, a),
            lambda r: (r.number or f"#{r.id}", _(r.status), r.claimant, r.category, fmt(r.amount), _d(r.spent_on),
                       r.customer_name or "", r.decision_comment or ""), fixed=1),
        Tab("approvals", "Approvals", ("Document", "Customer", "Amount", "Discount", "Requested by", "Request",
                                       "Asked"),
            lambda s, a, t: approvals.queue(s, a),
            lambda r: (r.document, r.customer_name or "", fmt(r.amount) if r.amount is not None else "",
                       f"{r.discount:.2%}" if r.discount is not None else "", r.requested_by or "", r.summary,
                       r.requested_at.strftime("%Y-%m-%d %H:%M"))),
        Tab("receivables", "Receivables", ("Code", "Customer", "Receivable balance", "0-30", "31-60", "61-90", ">90",
                                           "Salesperson", "Opening", "Billed", "Received (RMB)"),
            lambda s, a, t: [r for r in receivables(s, a) if not t or t in r.customer_name or t in r.customer_code],
            # the balance and its ageing first: what a clerk chasing money reads; the make-up of it after
            lambda r: (r.customer_code, r.customer_name, fmt(r.balance), *(fmt(x) for x in r.aging),
                       r.salesperson or "", fmt(r.opening), fmt(r.billed), fmt(r.received))),
    ]


def approval_details(row) -> list[tuple[str, str]]:
    """What an approver decides on: the document, its customer, amount and discount, and the request."""
    what = _("Order") if row.kind in ("order_discount", "order_credit") else _("Expense claim")
    details = [(what, row.document), (_("Customer"), row.customer_name or "")]
    if row.amount is not None:
        details.append((_("Amount"), fmt(row.amount)))
    if row.discount is not None:
        details.append((_("Discount"), f"{row.discount:.2%}"))
    return [*details, (_("Requested by"), row.requested_by or ""), (_("Request"), row.summary)]


class SalesPane(HeldTabs, AreaPane):
    DEFAULT_CSS = """
    SalesPane .sales-find { height: 1; margin: 0 0 0 0; }
    SalesPane DataTable { height: 1fr; }
    SalesPane .report-bar { height: 1; }
    SalesPane .report-bar Select { width: 30; }
    SalesPane .report-bar Input { width: 14; }
    SalesPane .report-bar Label { padding: 0 1; }
    """
    BINDINGS = [
        Binding("f2", "new", "New", id="sales.new"),
        Binding("f3,slash,ideographic_comma", "find", "Find", id="sales.find"),
        Binding("f7", "print", "Print", id="sales.print"),
        Binding("f10", "confirm", "Confirm / approve", id="sales.confirm"),
        Binding("f8", "cancel_doc", "Cancel / reject", id="sales.cancel"),
        Binding("ctrl+d", "copy_quote", "Copy quote", id="sales.copy_quote"),
        Binding("ctrl+o", "quote_to_order", "Quote → order", id="sales.quote_to_order"),
        Binding("f4", "tracking", "Tracking no.", id="sales.tracking"),
        # F9 exports the list on screen as on every list (ctrl+e too); F7 prints the selected document
        Binding("f9,ctrl+e", "export_list", "Export to Excel", id="sales.export_list"),
        # stock-outs tab: return the selected one's goods (退货); invoices tab: a red-letter invoice (红字发票) against
        # the selected one; elsewhere: the returns list
        Binding("ctrl+r", "returns", "Returns", id="sales.returns", show=False),
    ]

    # tab -> the export registry's kind (services/exports); receivables and reports have their own exports
    EXPORTS = {"orders": "orders", "quotes": "quotes", "notices": "notices", "outs": "stock-outs",
               "receipts": "receipts", "invoices": "invoices", "expenses": "expenses", "approvals": "approvals"}

    def compose(self) -> ComposeResult:
        self.tabs = _tabs()
        self.rows: dict[str, list] = {}
        with TabbedContent(id="sales-tabs"):
            for tab in self.tabs:
                with TabPane(_(tab.title), id=f"tab-{tab.id}"):
                    yield Input(placeholder=_("Find (F3): number, customer …"), id=f"find-{tab.id}",
                                classes="sales-find", compact=True)
                    table = SizedTable(id=f"table-{tab.id}", cursor_type="row", zebra_stripes=True,
                                       fixed_columns=tab.fixed)
                    table.add_columns(*[_(c) for c in tab.columns])
                    yield table
            with TabPane(_("Reports"), id="tab-reports"):

                from crm_tui.services.sales.report_tables import REPORTS

                with Horizontal(classes="report-bar"):
                    yield Select([(_(title), key) for key, title in REPORTS.items()], value="receivables",
                                 allow_blank=False, compact=True, id="report-kind")
                    yield Label(_("From"))
                    yield Input(clock.today().replace(day=1).isoformat(), id="report-from", compact=True)
                    yield Label(_("To / as of"))
                    yield Input(clock.today().isoformat(), id="report-to", compact=True)
                yield SizedTable(id="table-reports", cursor_type="row", zebra_stripes=True)

    # --- which tab, which row ---------------------------------------------------------------------------

    @property
    def current_id(self) -> str:
        return (self.query_one("#sales-tabs", TabbedContent).active or "tab-orders").removeprefix("tab-")

    @property
    def current(self) -> Tab | None:
        return next((t for t in self.tabs if t.id == self.current_id), None)

    def show_tab(self, tab_id: str) -> None:
        if not self.hold_tab(f"tab-{tab_id}"):
            self.refresh_data()  # already shown: no TabActivated will load it

    def selected(self) -> Any:
        tab_id = self.current_id
        rows = self.rows.get(tab_id, [])
        tables = self.query(f"#table-{tab_id}")
        if not rows or not tables:
            return None
        index = tables.first(DataTable).cursor_row
        return rows[index] if 0 <= index < len(rows) else None

    def focus_first(self) -> None:
        tables = self.query(f"#table-{self.current_id}")
        if tables:
            tables.first().focus()

    # --- loading ------------------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        if not getattr(self, "tabs", None):
            return
        if self.current_id == "reports":
            self._load_report()
            return
        tab = self.current
        finds = self.query(f"#find-{tab.id}")
        text = finds.first(Input).value.strip() if finds else ""
        actor = self.app.actor
        run_service(self, lambda s: tab.load(s, actor, text), lambda rows: self._show(tab, rows),
                    group="sales-load")

    def _show(self, tab: Tab, rows: list) -> None:
        tables = self.query(f"#table-{tab.id}")
        if not tables:
            self.call_after_refresh(self._show, tab, rows)
            return
        self.rows[tab.id] = rows
        table = tables.first(DataTable)
        keep = table.cursor_row
        table.clear()
        for row in rows:
            table.add_row(*tab.cells(row))
        if rows:
            table.move_cursor(row=min(max(keep, 0), len(rows) - 1))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if not self.undo_stray_tab(event):
            self.refresh_data()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("find-"):
            self.refresh_data()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "report-kind":
            self._load_report()

    # --- reports ------------------------------------------------------------------------------------------

    def _report_args(self):
        from crm_tui.io.cells import CellError
        from crm_tui.io.cells import date as parse_date

        try:
            start = parse_date(self.query_one("#report-from", Input).value.strip())
            end = parse_date(self.query_one("#report-to", Input).value.strip())
        except CellError:
            raise ValueError(_("Type the dates as 2026-11-03.")) from None
        return self.query_one("#report-kind", Select).value, start, end

    def _load_report(self) -> None:
        from crm_tui.services.sales.report_tables import report_table

        try:
            name, start, end = self._report_args()
        except ValueError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        actor = self.app.actor
        run_service(self, lambda s: report_table(s, actor, name, start, end), self._show_report, group="sales-load")

    def _show_report(self, table) -> None:
        from crm_tui.screens.sales.entry import fmt, percent


        def cell(value, kind):
            if value is None:
                return ""
            if kind == "money":
                return fmt(value)
            if kind == "rate":
                return percent(value)
            if kind == "decimal":
                return format(value.normalize(), "f")
            return str(value)

        rebuild_table(self.query_one("#table-reports", DataTable), [h for h, _k in table.columns],
                      ([cell(v, k) for v, (_h, k) in zip(row, table.columns, strict=True)] for row in table.rows))
        self.rows["reports"] = table.rows
        self.report = table

    def _export_report(self) -> None:

        from crm_tui.screens.sales.dialogs import _target
        from crm_tui.services.sales.report_tables import report_table, write_xlsx

        try:
            name, start, end = self._report_args()
        except ValueError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        actor = self.app.actor
        target = _target("", f"report-{name}-{clock.today():%Y%m%d}.xlsx")

        def work(session):
            return write_xlsx(report_table(session, actor, name, start, end), target)

        run_service(self, work, lambda path: self.app.notify(_("Written: {path}").format(path=path), timeout=10))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id and event.input.id.startswith("find-"):
            self.focus_first()
        elif event.input.id in ("report-from", "report-to"):
            self._load_report()

    def action_find(self) -> None:
        found = self.query(f"#find-{self.current_id}")
        if found:
            found.first(Input).focus()

    # --- opening ------------------------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.selected()
        tab = self.current_id
        if row is None:
            return
        if tab == "orders":
            self.open_order(row.id)
        elif tab == "quotes" and row.status == "draft":
            self._entry("quote", row.id)
        elif tab == "receivables":
            from crm_tui.screens.sales.detail import StatementScreen

            self.app.push_screen(StatementScreen(row.customer_id, row.customer_code))
        elif tab == "approvals" and row.kind in ("order_discount", "order_credit"):
            self.open_order(row.doc_id)

    def open_order(self, order_id: int) -> None:
        from crm_tui.screens.sales.detail import OrderDetail

        self.app.push_screen(OrderDetail(order_id), lambda _r: self.refresh_data())

    def _entry(self, kind: str, doc_id: int | None = None) -> None:
        from crm_tui.screens.sales.entry import DocumentEntry

        def done(result) -> None:
            self.refresh_data()
            if result and kind == "order":
                self.open_order(result)

        self.app.push_screen(DocumentEntry(kind, doc_id), done)

    # --- actions ------------------------------------------------------------------------------------------

    def action_new(self) -> None:
        tab = self.current_id
        if tab == "quotes":
            self.action_new_quote()
        elif tab == "expenses":
            self.action_new_expense()
        else:
            self.action_new_order()

    def action_new_order(self) -> None:
        self._entry("order")

    def action_new_quote(self) -> None:
        self.show_tab("quotes")
        self._entry("quote")

    def action_new_expense(self) -> None:
        from crm_tui.screens.sales.dialogs import ExpenseDialog

        self.show_tab("expenses")
        self.app.push_screen(ExpenseDialog(), self._done(_("Claim {result} submitted for approval.")))

    def action_approvals(self) -> None:
        self.show_tab("approvals")

    def action_receivables(self) -> None:
        self.show_tab("receivables")

    def action_orders(self) -> None:
        self.show_tab("orders")

    def action_reports(self) -> None:
        self.show_tab("reports")

    def action_print_delivery_day(self) -> None:
        from crm_tui.screens.sales.dialogs import BatchPrintDialog

        self.app.push_screen(BatchPrintDialog("delivery"))

    def action_print_statements(self) -> None:
        """The statements of the customers listed on the receivables tab (filtered by its find box)."""
        from crm_tui.screens.sales.dialogs import BatchPrintDialog

        if self.current_id != "receivables":
            self.show_tab("receivables")
        codes = [r.customer_code for r in self.rows.get("receivables", [])]
        self.app.push_screen(BatchPrintDialog("statement", codes))

    def _done(self, message: str):
        def done(result) -> None:
            if result:
                self.app.notify(message.format(result=result))
            self.refresh_data()

        return done

    def _run(self, work, message: str) -> None:
        run_service(self, work, self._done(message), write=True)

    def action_export_list(self) -> None:
        """The list on screen to Excel, with its find box (and the approval queue's 'pending') as filters."""
        from crm_tui.screens.exports.dialog import ListExportDialog
        from crm_tui.services.exports.export import get_kind
        from crm_tui.services.exports.registry import ExportFilters

        tab = self.current
        if self.current_id == "reports":
            self._export_report()
            return
        if tab is None or tab.id not in self.EXPORTS:
            self.app.notify(_("This list has no Excel export."), severity="warning")
            return
        kind = self.EXPORTS[tab.id]
        finds = self.query(f"#find-{tab.id}")
        text = finds.first(Input).value.strip() if finds else ""
        f = ExportFilters(text=text if "text" in get_kind(kind).filters else "",
                          status="pending" if tab.id == "approvals" else None)
        self.app.push_screen(ListExportDialog(kind, f, _(tab.title)))

    def action_print(self) -> None:
        from crm_tui.screens.sales.dialogs import PrintDialog

        if self.current_id == "reports":
            self._export_report()
            return
        row, tab = self.selected(), self.current_id
        if row is None:
            return
        kind = {"orders": "order", "quotes": "quote", "outs": "delivery", "invoices": "invoice"}.get(tab)
        if kind:
            self.app.push_screen(PrintDialog(kind, row.number or f"#{row.id}"))
        elif tab == "receivables":
            from datetime import timedelta

            self.app.push_screen(PrintDialog("statement", "", customer=row.customer_code,
                                             period=(clock.today() - timedelta(days=90), clock.today())))

    def action_confirm(self) -> None:
        from crm_tui.services.sales import approvals
        from crm_tui.services.sales.actions import confirm_document

        row, tab, actor = self.selected(), self.current_id, self.app.actor
        if row is None:
            return
        if tab == "quotes" and row.status == "draft":
            self._run(lambda s: confirm_document(s, actor, "quote", row.id).number, _("Confirmed: {result}"))
        elif tab == "orders" and row.status == "draft":
            self._run(lambda s: confirm_document(s, actor, "order", row.id).status, _("Order: {result}"))
        elif tab == "outs" and row.status == "draft":
            self._confirm_stock_out(row)
        elif tab == "approvals":
            from crm_tui.screens.sales.dialogs import CommentDialog

            def answered(comment) -> None:
                if comment is not None:
                    self._run(lambda s: approvals.approve(s, actor, row.id, comment), _("Approved: {result}"))

            self.app.push_screen(CommentDialog(_("Approve"), _("Your comment"), approval_details(row)), answered)

    def _confirm_stock_out(self, row) -> None:
        from crm_tui.screens.base import ConfirmDialog
        from crm_tui.services.sales.stock_outs import confirm_stock_out

        actor = self.app.actor

        def answered(yes: bool) -> None:
            if yes:
                self._run(lambda s: confirm_stock_out(s, actor, row.id), _("Confirmed: {result}"))

        self.app.push_screen(ConfirmDialog(_("Confirm this stock-out? The goods leave the stock now."),
                                           _("Confirm stock-out")), answered)

    def _delete_draft_out(self, row) -> None:
        from crm_tui.screens.base import ConfirmDialog
        from crm_tui.services.sales.stock_outs import delete_draft

        actor = self.app.actor

        def work(session) -> bool:
            delete_draft(session, actor, row.id)
            return True

        def answered(yes: bool) -> None:
            if yes:
                self._run(work, _("Deleted."))

        self.app.push_screen(ConfirmDialog(_("Delete the draft stock-out #{id}? No stock has moved.").format(
            id=row.id), _("Delete")), answered)

    def action_tracking(self) -> None:
        """F4 on a stock-out: its courier and tracking number, also after it shipped."""
        from crm_tui.screens.sales.dialogs import TrackingDialog
        from crm_tui.services.sales.stock_outs import get_stock_out

        row, actor = self.selected(), self.app.actor
        if self.current_id != "outs" or row is None:
            return

        def opened(view) -> None:
            courier, number = view.tracking[0] if view.tracking else ("", "")
            self.app.push_screen(TrackingDialog(row.id, row.number or f"#{row.id}", courier, number),
                                 lambda saved: self.refresh_data() if saved else None)

        run_service(self, lambda s: get_stock_out(s, actor, row.id), opened)

    def action_cancel_doc(self) -> None:
        from crm_tui.screens.sales.dialogs import CommentDialog
        from crm_tui.services.sales import approvals, deliveries, expenses, invoices, orders, quotes, receipts
        from crm_tui.services.sales import stock_outs as outs

        row, tab, actor = self.selected(), self.current_id, self.app.actor
        if row is None:
            return
        if tab == "approvals":
            def rejected(comment) -> None:
                if comment is not None:
                    self._run(lambda s: approvals.reject(s, actor, row.id, comment), _("Rejected."))

            self.app.push_screen(CommentDialog(_("Reject"), _("Why"), approval_details(row)), rejected)
            return
        if tab == "outs" and row.status == "draft":
            self._delete_draft_out(row)
            return
        cancel = {"orders": orders.cancel_order, "quotes": quotes.cancel_quote, "notices": deliveries.cancel_notice,
                  "outs": outs.cancel_stock_out, "receipts": receipts.cancel_receipt,
                  "invoices": invoices.cancel_invoice, "expenses": expenses.cancel_claim}.get(tab)
        if cancel is None:
            return
        label = getattr(row, "number", None) or getattr(row, "invoice_no", None) or f"#{row.id}"

        def answered(reason) -> None:
            if reason is not None:
                def work(session) -> bool:
                    cancel(session, actor, row.id, reason)
                    return True

                self._run(work, _("Cancelled."))

        self.app.push_screen(CommentDialog(_("Cancel {what}").format(what=label), _("Reason")), answered)

    def action_copy_quote(self) -> None:
        from crm_tui.services.sales import quotes

        row, actor = self.selected(), self.app.actor
        if self.current_id == "quotes" and row is not None:
            self._run(lambda s: quotes.copy_quote(s, actor, row.id), _("Copied to draft #{result}."))

    def action_quote_to_order(self) -> None:
        from crm_tui.services.sales import quotes

        row, actor = self.selected(), self.app.actor
        if self.current_id != "quotes" or row is None:
            return

        def done(order_id) -> None:
            self.refresh_data()
            self.open_order(order_id)

        run_service(self, lambda s: quotes.quote_to_order(s, actor, row.id), done, write=True)

    def action_returns(self) -> None:
        from crm_tui.screens.sales.returns import ReturnsScreen, open_red_invoice_dialog, open_return_dialog

        row = self.selected()
        if self.current_id == "outs" and row is not None and row.status == "confirmed":
            open_return_dialog(self, row.id, done=self._done(_("Sales return: {result}")))
        elif self.current_id == "invoices" and row is not None:
            open_red_invoice_dialog(self, row.id, self._done(_("Red-letter invoice {result} recorded.")))
        else:
            self.app.push_screen(ReturnsScreen(), lambda _r: self.refresh_data())
