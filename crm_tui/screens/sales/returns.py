"""Sales returns (销售退货) on screen: the list (ctrl+r in the sales area), a return's detail, and the dialog that
writes one from a confirmed stock-out (ctrl+r on the stock-outs tab: every returnable line, the clerk edits the
quantities; ctrl+s saves a draft, ctrl+o confirms after asking)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input, Static

from crm_tui.core.errors import CrmError
from crm_tui.i18n import _
from crm_tui.screens.base import ConfirmDialog, CrmScreen, run_service
from crm_tui.screens.sales.entry import fmt
from crm_tui.widgets.forms import Field, FormDialog
from crm_tui.widgets.tables import SizedTable
from crm_tui.widgets.work import run_use_case

CONFIRM_QUESTION = "Confirm this return? The goods go back into stock and the customer is credited now."


def _qty(value) -> str:
    return format(value.normalize(), "f")


def _label(line) -> str:
    """``P1 青岛啤酒 /10``: the line cut to the label column, with what may still come back."""
    from rich.cells import cell_len, set_cell_size

    tail = f" /{_qty(line.left)}"
    head = f"{line.product_code} {line.product_name}"
    room = 17 - cell_len(tail)
    if cell_len(head) > room:
        head = set_cell_size(head, room - 1) + "…"
    return head + tail


class ReturnDialog(FormDialog):
    """A return of one stock-out: the reason and how much of each line comes back (0 skips a line)."""

    DEFAULT_CSS = "ReturnDialog .dialog { max-width: 100%; }"
    BINDINGS = [Binding("ctrl+o", "confirm_return", "Confirm return", id="return.confirm")]
    save_label = "Save draft"

    def __init__(self, out_id: int, out_number: str, lines=(), *, draft=None):
        super().__init__()
        self.out_id, self.lines, self.draft = out_id, [ln for ln in lines if ln.left > 0], draft
        self.confirming = False
        self.title_text = _("Sales return of stock-out {number}").format(number=out_number) + (
            f" · {_('draft')} #{draft.id}" if draft is not None else "")

    def fields(self) -> ComposeResult:
        yield Field(_("Reason"), Input(self.draft.reason or "" if self.draft else "", id="reason",
                                       placeholder=_("破损, 过期, 错发 …")))
        for ln in self.lines:
            yield Field(_label(ln), Input(_qty(ln.quantity), id=f"back-{ln.stock_out_line_id}",
                                          placeholder=_("0: none of this line comes back")))
        yield Static(_("ctrl+s saves a draft (no stock moves) · ctrl+o confirms the return"), classes="dialog-text")

    def collect(self) -> dict:
        if not self.lines:
            raise ValueError(_("Everything of this stock-out has come back already."))
        return {"reason": self.value("reason"),
                "quantities": {ln.stock_out_line_id: self.value(f"back-{ln.stock_out_line_id}") for ln in self.lines}}

    def save(self, values: dict) -> None:
        from crm_tui.services.sales import returns

        actor, out_id, confirm = self.app.actor, self.out_id, self.confirming
        draft_id = self.draft.id if self.draft is not None else None
        self.confirming = False

        def work(session):
            rid = draft_id
            if rid is None:
                rid = returns.create_return(session, actor, out_id, values["quantities"], reason=values["reason"])
            else:
                returns.update_draft(session, actor, rid, values["quantities"], reason=values["reason"])
            return returns.confirm_return(session, actor, rid) if confirm else f"#{rid}"

        run_use_case(self, work, self.finish, write=True, on_error=self._refused)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, CrmError):
            self.show_error(exc.message)
        else:
            self.app.report_error(exc)

    def action_confirm_return(self) -> None:
        try:
            self.collect()
        except ValueError as exc:
            self.show_error(str(exc))
            return

        def answered(yes: bool) -> None:
            if yes:
                self.confirming = True
                self.action_save()

        self.app.push_screen(ConfirmDialog(_(CONFIRM_QUESTION), _("Confirm return")), answered)


def open_return_dialog(node, out_id: int, *, draft_id: int | None = None, done=None) -> None:
    """Load what the stock-out may still return (and the draft), then open the dialog."""
    from crm_tui.services.sales import returns
    from crm_tui.services.sales import stock_outs as outs

    actor = node.app.actor

    def work(session):
        out = outs.get_stock_out(session, actor, out_id)
        if out.status != "confirmed":
            raise CrmError(_("Only a confirmed stock-out has goods to return."))
        draft = returns.get_return(session, actor, draft_id) if draft_id is not None else None
        return out.number, returns.returnable(session, actor, out_id, draft_id=draft_id), draft

    def opened(result) -> None:
        number, lines, draft = result
        node.app.push_screen(ReturnDialog(out_id, number, lines, draft=draft), done)

    run_service(node, work, opened)


class ReturnsScreen(CrmScreen):
    """The sales returns the user may see, newest first. Enter opens one; a draft opens for editing."""

    DEFAULT_CSS = """
    ReturnsScreen #returns-find { height: 1; }
    ReturnsScreen #returns-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="returns.back"),
        Binding("f10", "confirm", "Confirm", id="returns.confirm"),
        Binding("f8", "cancel_doc", "Cancel / delete", id="returns.cancel"),
        Binding("f9", "print", "Print", id="returns.print"),
        Binding("f5", "reload", "Refresh", id="returns.refresh"),
    ]
    COLUMNS = ("Number", "Customer", "Status", "Date", "Sales stock-out", "Amount", "Reason")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("Find (F3): number, customer …"), id="returns-find", compact=True)
        table = SizedTable(id="returns-table", cursor_type="row", zebra_stripes=True, fixed_columns=2)
        table.add_columns(*[_(c) for c in self.COLUMNS])
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one("#returns-table").focus()

    def action_reload(self) -> None:
        from crm_tui.services.sales.returns import list_returns

        actor, text = self.app.actor, self.query_one("#returns-find", Input).value.strip()
        run_service(self, lambda s: list_returns(s, actor, text=text), self._show, group="returns-load")

    def _show(self, rows) -> None:
        self.rows = rows
        table = self.query_one("#returns-table", DataTable)
        keep = table.cursor_row
        table.clear()
        for r in rows:
            table.add_row(r.number or f"#{r.id}", r.customer_name, _(r.status), str(r.return_date),
                          r.stock_out_number or "", fmt(r.gross_total), r.reason or "")
        if rows:
            table.move_cursor(row=min(max(keep, 0), len(rows) - 1))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.action_reload()

    def selected(self):
        index = self.query_one("#returns-table", DataTable).cursor_row
        return self.rows[index] if self.rows and 0 <= index < len(self.rows) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.selected()
        if row is None:
            return
        if row.status == "draft":
            self._edit(row)
        else:
            self.app.push_screen(ReturnDetail(row.id), lambda _r: self.action_reload())

    def _edit(self, row) -> None:
        from crm_tui.services.sales.returns import get_return

        actor = self.app.actor
        run_service(self, lambda s: get_return(s, actor, row.id).stock_out_id,
                    lambda out_id: open_return_dialog(self, out_id, draft_id=row.id, done=self._done))

    def _done(self, result) -> None:
        if result:
            self.app.notify(_("Sales return: {result}").format(result=result))
        self.action_reload()

    def action_confirm(self) -> None:
        from crm_tui.services.sales.returns import confirm_return

        row, actor = self.selected(), self.app.actor
        if row is None or row.status != "draft":
            return

        def answered(yes: bool) -> None:
            if yes:
                run_service(self, lambda s: confirm_return(s, actor, row.id), self._done, write=True)

        self.app.push_screen(ConfirmDialog(_(CONFIRM_QUESTION), _("Confirm return")), answered)

    def action_cancel_doc(self) -> None:
        row = self.selected()
        if row is not None:
            cancel_or_delete(self, row.id, row.number, row.status, self._done)

    def action_print(self) -> None:
        from crm_tui.screens.sales.dialogs import PrintDialog

        row = self.selected()
        if row is not None:
            self.app.push_screen(PrintDialog("sales_return", row.number or f"#{row.id}"))

    def action_back(self) -> None:
        self.dismiss(None)


def cancel_or_delete(node, return_id: int, number: str | None, status: str, done) -> None:
    """F8: a draft is deleted (nothing moved); a confirmed return is cancelled with a reason."""
    from crm_tui.screens.sales.dialogs import CommentDialog
    from crm_tui.services.sales import returns

    actor = node.app.actor
    if status == "draft":
        def delete(yes: bool) -> None:
            if yes:
                run_service(node, lambda s: returns.delete_draft(s, actor, return_id) or _("Deleted."), done,
                            write=True)

        node.app.push_screen(ConfirmDialog(_("Delete the draft return #{id}? No stock has moved.").format(
            id=return_id), _("Delete")), delete)
    elif status == "confirmed":
        def cancel(reason) -> None:
            if reason is not None:
                run_service(node, lambda s: returns.cancel_return(s, actor, return_id, reason) or _("Cancelled."),
                            done, write=True)

        node.app.push_screen(CommentDialog(_("Cancel {what}").format(what=number), _("Reason")), cancel)


class ReturnDetail(CrmScreen):
    """One return: the head, its lines with the cost they came back at, F9 print, F8 cancel."""

    DEFAULT_CSS = """
    ReturnDetail #return-head { height: auto; padding: 0 1; }
    ReturnDetail #return-lines { height: 1fr; }
    ReturnDetail #return-foot { height: 1; padding: 0 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="return.back"),
        Binding("f9", "print", "Print", id="return.print"),
        Binding("f8", "cancel_doc", "Cancel", id="return.cancel"),
        Binding("f5", "reload", "Refresh", id="return.refresh"),
    ]

    def __init__(self, return_id: int):
        super().__init__()
        self.return_id = return_id
        self.view = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("", id="return-head")
            lines = SizedTable(id="return-lines", cursor_type="row", zebra_stripes=True)
            lines.add_columns("#", _("Code"), _("Product"), _("Unit"), _("Qty"), _("Warehouse"), _("Gross price"),
                              _("Gross"), _("Cost"))
            yield lines
            yield Static("", id="return-foot")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        from crm_tui.services.sales.returns import get_return

        actor, rid = self.app.actor, self.return_id
        run_service(self, lambda s: get_return(s, actor, rid), self._show)

    def _show(self, v) -> None:
        self.view = v
        self.query_one("#return-head", Static).update(
            f"[b]{_('Sales return')} {v.number or f'#{v.id}'}[/b]  {_(v.status)}  {v.return_date}\n"
            f"{v.customer_code} {v.customer_name}   {_('Sales stock-out')}: {v.stock_out_number}   "
            f"{_('Reason')}: {v.reason or ''}")
        table = self.query_one("#return-lines", DataTable)
        table.clear()
        for ln in v.lines:
            table.add_row(str(ln.line_no), ln.product_code, ln.product_name, ln.unit or "", _qty(ln.quantity),
                          ln.warehouse_code, fmt(ln.gross_price), fmt(ln.gross_amount), fmt(ln.cost_amount))
        self.query_one("#return-foot", Static).update(_("Total {gross} (net {net}, tax {tax}); cost {cost}").format(
            gross=fmt(v.gross_total), net=fmt(v.net_total), tax=fmt(v.tax_total), cost=fmt(v.cost_total)))

    def action_print(self) -> None:
        from crm_tui.screens.sales.dialogs import PrintDialog

        if self.view is not None:
            self.app.push_screen(PrintDialog("sales_return", self.view.number or f"#{self.view.id}"))

    def action_cancel_doc(self) -> None:
        if self.view is not None:
            cancel_or_delete(self, self.view.id, self.view.number, self.view.status, lambda _r: self.action_reload())

    def action_back(self) -> None:
        self.dismiss(None)


class RedInvoiceDialog(FormDialog):
    """ctrl+r on the invoices tab: a red-letter invoice (红字发票) against the selected invoice, at most what it
    has left; the reason is required, the sales return it is for optional."""

    def __init__(self, invoice_id: int, invoice_no: str, left):
        super().__init__()
        self.invoice_id, self.left = invoice_id, left
        self.title_text = _("Red-letter invoice against {no}").format(no=invoice_no)

    def fields(self) -> ComposeResult:
        yield Field(_("Amount"), Input(f"{self.left:.2f}", id="amount"), required=True)
        yield Field(_("Reason"), Input(id="reason"), required=True)
        yield Field(_("Sales return"), Input(id="return", placeholder=_("its number, if it is for a return")))

    def collect(self) -> dict:
        if not self.value("reason"):
            raise ValueError(_("Give the reason for the red-letter invoice."))
        return {"amount": self.value("amount"), "reason": self.value("reason"), "ret": self.value("return")}

    def save(self, values: dict) -> None:
        from crm_tui.services.sales import red_invoices, returns

        actor, invoice_id = self.app.actor, self.invoice_id

        def work(session):
            rid = returns.find_return(session, actor, values["ret"]) if values["ret"] else None
            red_id = red_invoices.record_red(session, actor, invoice_id, values["amount"], values["reason"],
                                             return_id=rid)
            return red_invoices.list_reds(session, actor, red_id=red_id)[0].number

        run_use_case(self, work, self.finish, write=True, on_error=self._refused)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, CrmError):
            self.show_error(exc.message)
        else:
            self.app.report_error(exc)


def open_red_invoice_dialog(node, invoice_id: int, done) -> None:
    from crm_tui.services.sales import red_invoices

    actor = node.app.actor
    run_service(node, lambda s: red_invoices.what_is_left(s, actor, invoice_id),
                lambda got: node.app.push_screen(RedInvoiceDialog(invoice_id, *got), done))
