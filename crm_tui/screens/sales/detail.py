"""An order's detail (its lines with what shipped, its notices, stock-outs with tracking numbers, receipts and
invoices, and the next steps on F-keys) and a customer's statement of account (the receivables drill-down)."""

from __future__ import annotations

from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

from crm_tui.core import clock
from crm_tui.i18n import _
from crm_tui.screens.base import ConfirmDialog, CrmScreen, run_service
from crm_tui.screens.sales.entry import fmt, percent, price_text
from crm_tui.widgets.tables import SizedTable

RELATED_KINDS = {"delivery_notice": "Delivery notice", "stock_out": "Sales stock-out", "receipt": "Receipt",
                 "invoice": "Invoice", "tracking": "Tracking no."}


class OrderDetail(CrmScreen):
    DEFAULT_CSS = """
    OrderDetail #order-head { height: auto; padding: 0 1; }
    OrderDetail #order-lines { height: 1fr; }
    OrderDetail #order-progress { height: 1; padding: 0 1; text-style: bold; }
    OrderDetail #order-related { height: 12; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="order.back"),
        Binding("f4", "edit", "Edit draft", id="order.edit"),
        Binding("f10", "confirm", "Confirm", id="order.confirm"),
        Binding("f6", "notice", "Delivery notice", id="order.notice"),
        Binding("f7", "ship", "Ship", id="order.ship"),
        Binding("f11", "receipt", "Receipt", id="order.receipt"),
        Binding("ctrl+f", "invoice", "Invoice", id="order.invoice"),
        Binding("f9", "print", "Print", id="order.print"),
        Binding("f8", "cancel_order", "Cancel order", id="order.cancel"),
        Binding("f5", "reload", "Refresh", id="order.refresh"),
    ]

    def __init__(self, order_id: int):
        super().__init__()
        self.order_id = order_id
        self.view = None
        self.warehouses: list[tuple[str, int]] = []
        self.accounts: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("", id="order-head")
            lines = SizedTable(id="order-lines", cursor_type="row", zebra_stripes=True)
            lines.add_columns("#", _("Code"), _("Product"), _("Qty"), _("Shipped"), _("Net price"), _("Gross price"),
                              _("Disc."), _("Tax rate"), _("Net"), _("Tax"), _("Gross"))
            yield lines
            yield Static("", id="order-progress")
            related = SizedTable(id="order-related", cursor_type="row")
            related.add_columns(_("Document"), _("Number"), _("Date"), _("Status"), _("Amount"), _("Remark"))
            yield related
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        from crm_tui.services.sales import orders, receipts
        from crm_tui.services.stock import warehouses as stock_warehouses

        actor, order_id = self.app.actor, self.order_id

        def work(session):
            warehouses = [(f"{w.code} {w.name}", w.id) for w in stock_warehouses.list_warehouses(session)
                          if w.active]
            accounts = [(a.name, a.id) for a in receipts.list_accounts(session)]
            return orders.get_order(session, actor, order_id), warehouses, accounts

        run_service(self, work, self._show)

    def _show(self, result) -> None:
        self.view, self.warehouses, self.accounts = result
        v = self.view
        head = [f"[b]{_('Sales order')} {v.number or '#' + str(v.id)}[/b]  {_(v.status)}"
                + (f"  ({_('closed by hand')})" if v.done_reason == "closed" else ""),
                f"{_('Customer')}: {v.customer_code} {v.customer_name}   {_('Salesperson')}: {v.owner_name or ''}",
                f"{_('Date')}: {v.order_date}   {_('Delivery')}: {v.delivery_date or ''}   "
                f"{_('Order ref.')}: {v.external_ref or ''}   {_('Quote')}: {v.quote_number or ''}   "
                f"{_('Payment')}: {v.payment_terms or ''}"]
        if v.rejection:
            head.append(v.rejection)
        self.query_one("#order-head", Static).update("\n".join(head))
        lines = self.query_one("#order-lines", DataTable)
        lines.clear()
        for ln in v.lines:
            lines.add_row(ln.line_no, ln.product_code, ln.product_name, _qty(ln.quantity), _qty(ln.shipped),
                          price_text(ln.net_price), price_text(ln.gross_price),
                          percent(ln.discount) if ln.discount else "", percent(ln.tax_rate),
                          fmt(ln.net_amount), fmt(ln.tax_amount), fmt(ln.gross_amount))
        p = v.progress
        self.query_one("#order-progress", Static).update(_(
            "Total {gross} (net {net} + tax {tax})   shipped {shipped}   invoiced {invoiced}   paid {paid}   "
            "unpaid {unpaid}").format(gross=fmt(v.gross_total), net=fmt(v.net_total), tax=fmt(v.tax_total),
                                      shipped=fmt(p.shipped), invoiced=fmt(p.invoiced), paid=fmt(p.paid),
                                      unpaid=fmt(p.unpaid)))
        related = self.query_one("#order-related", DataTable)
        related.clear()
        for r in v.related:
            related.add_row(_(RELATED_KINDS[r.kind]), r.number or f"#{r.id}", str(r.day), _(r.status),
                            fmt(r.amount) if r.amount is not None else "", r.text)

    # --- actions ------------------------------------------------------------------------------------------

    def _after(self, message: str):
        def done(result) -> None:
            if result:
                self.app.notify(message.format(result=result))
                self.action_reload()

        return done

    def action_back(self) -> None:
        self.dismiss(None)

    def action_edit(self) -> None:
        if self.view and self.view.status == "draft":
            from crm_tui.screens.sales.entry import DocumentEntry

            self.app.push_screen(DocumentEntry("order", self.order_id), lambda _r: self.action_reload())

    def action_confirm(self) -> None:
        from crm_tui.services.sales.actions import confirm_document

        actor, order_id = self.app.actor, self.order_id

        def done(status: str) -> None:
            if status == "pending_approval":
                self.app.notify(_("The discount is beyond your limit: the order waits for a manager's approval."),
                                severity="warning")
            self.action_reload()

        run_service(self, lambda s: confirm_document(s, actor, "order", order_id).status, done, write=True)

    def _open_notice(self) -> int | None:
        return next((r.id for r in self.view.related if r.kind == "delivery_notice" and r.status == "confirmed"), None)

    def action_notice(self) -> None:
        from crm_tui.screens.sales.dialogs import NoticeDialog

        if self.view is not None:
            self.app.push_screen(NoticeDialog(self.order_id, self.warehouses, self.view.lines),
                                 self._after(_("Delivery notice {result} confirmed.")))

    def action_ship(self) -> None:
        """The stock-out dialog on the order's draft stock-out if it has one, else a new one (from the open
        delivery notice if any), with what each line may ship."""
        from crm_tui.services.sales import stock_outs as outs

        if self.view is None:
            return
        actor, order_id, notice_id = self.app.actor, self.order_id, self._open_notice()
        draft_id = next((r.id for r in self.view.related if r.kind == "stock_out" and r.status == "draft"), None)

        def work(session):
            draft = outs.get_stock_out(session, actor, draft_id) if draft_id else None
            return outs.shippable(session, actor, order_id, notice_id=notice_id, draft_id=draft_id), draft

        run_service(self, work, lambda result: self._open_ship(notice_id, *result))

    def _open_ship(self, notice_id, lines, draft) -> None:
        from crm_tui.screens.sales.dialogs import ShipDialog

        def done(shipment) -> None:
            if shipment:
                self.app.notify(_("Stock-out {number} confirmed.").format(number=shipment.number) if shipment.number
                                else _("Stock-out draft #{id} saved; no stock moved yet.").format(id=shipment.out_id))
                self.action_reload()

        self.app.push_screen(ShipDialog(self.order_id, self.warehouses, lines, notice_id=notice_id, draft=draft), done)

    def action_receipt(self) -> None:
        from crm_tui.screens.sales.dialogs import ReceiptDialog

        if self.view is not None:
            self.app.push_screen(ReceiptDialog(self.view.customer_id, self.order_id, self.view.progress.unpaid,
                                               self.accounts), self._after(_("Receipt {result} recorded.")))

    def action_invoice(self) -> None:
        from crm_tui.screens.sales.dialogs import InvoiceDialog

        if self.view is not None:
            self.app.push_screen(InvoiceDialog(self.order_id, self.view.progress.uninvoiced),
                                 self._after(_("Invoice recorded.")))

    def action_print(self) -> None:
        from crm_tui.screens.sales.dialogs import PrintDialog

        if self.view is not None:
            self.app.push_screen(PrintDialog("order", self.view.number or f"#{self.view.id}"))

    def action_cancel_order(self) -> None:
        from crm_tui.services.sales import orders

        if self.view is None:
            return
        actor, order_id = self.app.actor, self.order_id
        question = _("Cancel order {number}? Its stock-outs are reversed (the goods come back into stock), its "
                     "notices cancelled and its receipts become advances.").format(number=self.view.number)

        def answered(yes: bool) -> None:
            if yes:
                run_service(self, lambda s: orders.cancel_order(s, actor, order_id), lambda _r: self.action_reload(),
                            write=True)

        self.app.push_screen(ConfirmDialog(question, _("Cancel order")), answered)


def _qty(value) -> str:
    return format(value.normalize(), "f")


class StatementScreen(CrmScreen):
    """A customer's statement of account for a period (default: the last 90 days); Enter opens an order."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="statement.back"),
        Binding("f9", "print", "Print", id="statement.print"),
        Binding("f5", "reload", "Refresh", id="statement.refresh"),
    ]

    def __init__(self, customer_id: int, customer_code: str, date_from: date | None = None,
                 date_to: date | None = None):
        super().__init__()
        self.customer_id, self.customer_code = customer_id, customer_code
        self.date_to = date_to or clock.today()
        self.date_from = date_from or self.date_to - timedelta(days=90)
        self.statement = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="statement-head")
        table = SizedTable(id="statement-lines", cursor_type="row", zebra_stripes=True)
        # fixed widths: the columns fit their content however late the rows arrive
        for label, width in ((_("Date"), 10), (_("Document"), 14), (_("Number"), 18), (_("Remark"), 24),
                             (_("Debit"), 14), (_("Credit"), 14), (_("Receivable balance"), 16)):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="statement-foot")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        from crm_tui.services.sales.receivables import statement

        actor, cid, start, end = self.app.actor, self.customer_id, self.date_from, self.date_to
        run_service(self, lambda s: statement(s, actor, cid, start, end), self._show)

    def _show(self, st) -> None:
        self.statement = st
        self.query_one("#statement-head", Static).update(
            f"[b]{_('Statement of account')}[/b]  {st.customer_code} {st.customer_name}   "
            f"{st.date_from} ~ {st.date_to}   {_('Balance brought forward')}: {fmt(st.opening)}")
        table = self.query_one("#statement-lines", DataTable)
        table.clear()
        kinds = {"order": _("Sales order"), "stock_out": _("Sales stock-out"), "receipt": _("Receipt"),
                 "return": _("Sales return")}
        for ln, balance in st.running():
            table.add_row(str(ln.day), kinds[ln.kind], ln.number, ln.remark, fmt(ln.debit) if ln.debit else "",
                          fmt(ln.credit) if ln.credit else "", fmt(balance))
        self.query_one("#statement-foot", Static).update(_("Debit {debit}   Credit {credit}   Closing {closing}").format(
            debit=fmt(st.debit), credit=fmt(st.credit), closing=fmt(st.closing)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.statement is None or not (0 <= event.cursor_row < len(self.statement.lines)):
            return
        line = self.statement.lines[event.cursor_row]
        if line.kind == "order":
            self.app.push_screen(OrderDetail(line.doc_id))

    def action_print(self) -> None:
        from crm_tui.screens.sales.dialogs import PrintDialog

        self.app.push_screen(PrintDialog("statement", "", customer=self.customer_code,
                                         period=(self.date_from, self.date_to)))

    def action_back(self) -> None:
        self.dismiss(None)
