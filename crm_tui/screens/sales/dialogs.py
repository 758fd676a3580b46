"""Small forms of the sales screens: print, delivery notice, stock-out with tracking number, receipt, invoice,
expense claim, a comment (approvals, cancellations). Each calls one service in a worker and dismisses with
its result; ctrl+s saves, Esc cancels."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Select, Static

from crm_tui.core import clock
from crm_tui.core.errors import CrmError
from crm_tui.i18n import _, n_
from crm_tui.screens.base import MessageLine, Translated, run_service
from crm_tui.widgets.forms import Field, FormDialog
from crm_tui.widgets.work import run_use_case, start_work


def _day(text: str, label: str) -> date:
    from crm_tui.io.cells import CellError
    from crm_tui.io.cells import date as parse_date

    text = text.strip()
    if not text:
        return clock.today()
    try:
        return parse_date(text)
    except CellError:
        raise ValueError(_("{field}: type a date such as 2026-11-03.").format(field=label)) from None


class PrintDialog(FormDialog):
    """F9: format, template, destination; writes the file, shows its path, opens it when a viewer exists."""

    def __init__(self, kind: str, number: str, *, customer: str | None = None, period: tuple[date, date] | None = None):
        super().__init__()
        self.kind, self.number, self.customer, self.period = kind, number, customer, period
        what = _("statement of {customer}").format(customer=customer) if kind == "statement" else f"{_(kind)} {number}"
        self.title_text = _("Print {what}").format(what=what)

    def fields(self) -> ComposeResult:
        from crm_tui.services.printing.documents import default_format

        yield Field(_("Format"), Select([("PDF", "pdf"), ("Excel", "xlsx")], value=default_format(), allow_blank=False,
                                        id="format"))
        yield Field(_("Template"), Input(id="template", placeholder=_("default: the kind's own (e.g. delivery_a5)")))
        yield Field(_("Save to"), Input(id="path", placeholder=_("a file or folder; default: settings [print] folder")))

    def collect(self) -> dict:
        return {"fmt": self.choice("format"), "template": self.value("template") or None,
                "path": self.value("path") or None}

    def save(self, values: dict) -> None:
        from crm_tui.services.printing import documents as printing

        actor, kind, number, customer, period = self.app.actor, self.kind, self.number, self.customer, self.period

        def work(session):
            printing.require_adapter(kind)
            if kind == "statement":
                doc = printing.load_statement(session, actor, customer, *period)
            else:
                doc = printing.load_document(session, actor, kind, number)
            return printing.write_document(doc, values["fmt"], values["path"], values["template"])

        def done(path) -> None:
            opened = printing.open_if_wanted(path)
            self.app.notify(_("Written: {path}").format(path=path) + ("" if opened else ""), timeout=10)
            self.finish(path)

        run_service(self, work, done)


class NoticeDialog(FormDialog):
    """A delivery notice: how much of each unshipped order line may ship now (all of it by default)."""

    def __init__(self, order_id: int, warehouses: list[tuple[str, int]], lines=()):
        super().__init__()
        self.order_id, self.warehouses = order_id, warehouses
        self.lines = [ln for ln in lines if ln.unshipped > 0]
        self.title_text = _("Delivery notice")

    def fields(self) -> ComposeResult:
        yield Field(_("Warehouse"), Select(self.warehouses, value=self.warehouses[0][1] if self.warehouses else
                                           Select.NULL, id="warehouse"))
        yield Field(_("Ship by"), Input(id="ship_by", placeholder="YYYY-MM-DD"))
        for ln in self.lines:
            label = f"{ln.product_code} {ln.product_name}"[:16]
            yield Field(label, Input(format(ln.unshipped.normalize(), "f"), id=f"qty-{ln.id}",
                                     placeholder=_("unshipped {qty}").format(qty=format(ln.unshipped.normalize(), "f"))))

    def collect(self) -> dict:
        from crm_tui.core.errors import CrmError
        from crm_tui.services.sales.pricing import parse_quantity

        ship_by = self.value("ship_by")
        quantities = {}
        for ln in self.lines:
            text = self.value(f"qty-{ln.id}")
            if text and text != "0":
                try:
                    quantities[ln.id] = parse_quantity(text, ln.product_code)
                except CrmError as exc:
                    raise ValueError(exc.message) from None
        if self.lines and not quantities:
            raise ValueError(_("Give at least one line a quantity to ship."))
        return {"warehouse_id": self.choice("warehouse"), "ship_by": _day(ship_by, _("Ship by")) if ship_by else None,
                "quantities": quantities or None}

    def save(self, values: dict) -> None:
        from crm_tui.services.sales import deliveries

        actor, order_id = self.app.actor, self.order_id
        quantities = values.pop("quantities")

        def work(session):
            nid = deliveries.notice_from_order(session, actor, order_id, quantities, **values)
            return deliveries.confirm_notice(session, actor, nid)

        run_service(self, work, self.finish, write=True)


class ShipDialog(FormDialog):
    """A stock-out (F7 in an order): courier, tracking number, warehouse, then how much of each line ships now
    (all that is left by default; 0 skips a line). ctrl+s saves a draft and posts no stock; ctrl+o confirms
    the shipment after asking. Opened again on the order's draft, it edits that draft."""

    DEFAULT_CSS = "ShipDialog .dialog { max-width: 100%; }"
    BINDINGS = [Binding("ctrl+o", "confirm_out", "Confirm stock-out", id="ship.confirm")]
    save_label = "Save draft"

    def __init__(self, order_id: int, warehouses: list[tuple[str, int]], lines=(), *, notice_id: int | None = None,
                 draft=None):
        super().__init__()
        self.order_id, self.warehouses, self.notice_id = order_id, warehouses, notice_id
        self.lines = list(lines)  # ShipLine: what may ship, with the default quantity
        self.draft = draft  # StockOutView of the draft being edited, or None
        self.confirming = False
        title = _("Sales stock-out") + (f" · {_('from the delivery notice')}" if notice_id else "")
        self.title_text = title + (f" · {_('draft')} #{draft.id}" if draft is not None else "")

    def fields(self) -> ComposeResult:
        courier, number = self.draft.tracking[0] if self.draft is not None and self.draft.tracking else ("", "")
        ids = [wid for _label, wid in self.warehouses]
        warehouse = self.draft.warehouse_id if self.draft is not None and self.draft.warehouse_id in ids else (
            ids[0] if ids else Select.NULL)  # a draft's warehouse closed since: the first open one
        yield Field(_("Courier"), Input(courier, id="courier", placeholder=_("顺丰速运, 中通快递 …")))
        yield Field(_("Tracking no."), Input(number, id="tracking"))
        yield Field(_("Warehouse"), Select(self.warehouses, value=warehouse, id="warehouse"))
        for ln in self.lines:
            yield Field(_ship_label(ln), Input(_plain_qty(ln.quantity), id=f"ship-{ln.order_line_id}",
                                               placeholder=_("0 skips the line")))
        yield Static(_("ctrl+s saves a draft (no stock moves) · ctrl+o confirms the stock-out"), classes="dialog-text")

    def collect(self) -> dict:
        warehouse = self.choice("warehouse")
        if warehouse is None:
            raise ValueError(_("Choose the warehouse the goods leave from."))
        tracking = self.value("tracking")
        if tracking and not self.value("courier"):
            raise ValueError(_("Name the courier company of the tracking number."))
        if not self.lines:
            raise ValueError(_("Nothing of this order is left to ship."))
        return {"warehouse_id": warehouse, "tracking": [(self.value("courier"), tracking)],
                "quantities": {ln.order_line_id: self.value(f"ship-{ln.order_line_id}") for ln in self.lines}}

    def save(self, values: dict) -> None:
        from crm_tui.services.sales.actions import save_shipment

        actor, order_id, notice_id, confirm = self.app.actor, self.order_id, self.notice_id, self.confirming
        out_id = self.draft.id if self.draft is not None else None
        self.confirming = False

        def work(session):
            return save_shipment(session, actor, order_id, values["warehouse_id"], values["quantities"],
                                 notice_id=notice_id, out_id=out_id, tracking=values["tracking"], confirm=confirm)

        run_use_case(self, work, self.finish, write=True, on_error=self._refused)

    def _refused(self, exc: BaseException) -> None:
        """A refused quantity stays in the dialog, naming the line; anything else goes to the app's report."""
        if isinstance(exc, CrmError):
            self.show_error(exc.message)
        else:
            self.app.report_error(exc)

    def action_confirm_out(self) -> None:
        """Ask first: confirming posts the stock and cannot be undone but by cancelling the stock-out."""
        from crm_tui.screens.base import ConfirmDialog

        try:
            self.collect()
        except ValueError as exc:
            self.show_error(str(exc))
            return

        def answered(yes: bool) -> None:
            if yes:
                self.confirming = True
                self.action_save()

        self.app.push_screen(ConfirmDialog(_("Confirm this stock-out? The goods leave the stock now."),
                                           _("Confirm stock-out")), answered)


def _plain_qty(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _ship_label(line) -> str:
    """``P1 青岛啤酒 /10``: the line cut to the label column, with what is left to ship."""
    from rich.cells import cell_len, set_cell_size

    tail = f" /{_plain_qty(line.left)}"
    head = f"{line.product_code} {line.product_name}"
    room = 17 - cell_len(tail)
    if cell_len(head) > room:
        head = set_cell_size(head, room - 1) + "…"
    return head + tail


class TrackingDialog(FormDialog):
    """Courier and tracking number of a stock-out, also after it shipped (the change is audited)."""

    def __init__(self, out_id: int, label: str, courier: str = "", number: str = ""):
        super().__init__()
        self.out_id, self.courier, self.number = out_id, courier, number
        self.title_text = _("Tracking number of {what}").format(what=label)

    def fields(self) -> ComposeResult:
        yield Field(_("Courier"), Input(self.courier, id="courier", placeholder=_("顺丰速运, 中通快递 …")),
                    required=True)
        yield Field(_("Tracking no."), Input(self.number, id="tracking"), required=True)

    def collect(self) -> dict:
        if not self.value("courier") or not self.value("tracking"):
            raise ValueError(_("Give the courier company and the tracking number."))
        return {"courier": self.value("courier"), "number": self.value("tracking")}

    def save(self, values: dict) -> None:
        from crm_tui.services.sales.stock_outs import set_tracking

        actor, out_id = self.app.actor, self.out_id

        def work(session):
            set_tracking(session, actor, out_id, values["courier"], values["number"])
            return values["number"]

        run_service(self, work, self.finish, write=True)


class ReceiptDialog(FormDialog):
    """Money received, applied to the order (as much as it still owes); in another currency with its rate."""

    def __init__(self, customer_id: int, order_id: int | None, unpaid: Decimal, accounts: list[tuple[str, int]]):
        super().__init__()
        self.customer_id, self.order_id, self.unpaid, self.accounts = customer_id, order_id, unpaid, accounts
        self.title_text = _("Receipt")

    def fields(self) -> ComposeResult:
        yield Field(_("Amount"), Input(f"{self.unpaid:.2f}" if self.unpaid > 0 else "", id="amount"), required=True)
        yield Field(_("Currency"), Input("CNY", id="currency"))
        yield Field(_("Rate to CNY"), Input(id="rate", placeholder=_("required unless CNY")))
        yield Field(_("Date"), Input(clock.today().isoformat(), id="day"))
        yield Field(_("Receipt account"), Select(self.accounts, id="account"))
        yield Field(_("Received by"), Input(id="method", placeholder=_("银行转账, 现金, 微信, 支付宝 …")))
        yield Field(_("Fee"), Input(id="fee", placeholder="0.00"))

    def collect(self) -> dict:
        if not self.value("amount"):
            raise ValueError(_("Type the amount received."))
        return {"amount": self.value("amount"), "currency": self.value("currency") or "CNY",
                "rate": self.value("rate") or None, "received_on": _day(self.value("day"), _("Date")),
                "account_id": self.choice("account"), "method": self.value("method") or None,
                "fee": self.value("fee") or None}

    def save(self, values: dict) -> None:
        from crm_tui.services.sales.actions import receive

        actor, customer_id, order_id = self.app.actor, self.customer_id, self.order_id

        def work(session):
            return receive(session, actor, customer_id, order_id=order_id, **values).number

        run_service(self, work, self.finish, write=True)


class InvoiceDialog(FormDialog):
    def __init__(self, order_id: int, uninvoiced: Decimal):
        super().__init__()
        self.order_id, self.uninvoiced = order_id, uninvoiced
        self.title_text = _("Invoice")

    def fields(self) -> ComposeResult:
        yield Field(_("Invoice no."), Input(id="invoice_no"), required=True)
        yield Field(_("Amount"), Input(f"{self.uninvoiced:.2f}", id="amount"), required=True)
        yield Field(_("Type"), Select([(_("special (专票)"), "special"), (_("ordinary (普票)"), "ordinary")],
                                      value="special", allow_blank=False, id="kind"))
        yield Field(_("Tax rate"), Input(id="rate", placeholder=_("default: the order's")))
        yield Field(_("Date"), Input(clock.today().isoformat(), id="day"))

    def collect(self) -> dict:
        if not self.value("invoice_no"):
            raise ValueError(_("Type the number printed on the invoice."))
        return {"invoice_no": self.value("invoice_no"), "gross_amount": self.value("amount"),
                "kind": self.choice("kind"), "tax_rate": self.value("rate") or None,
                "invoice_date": _day(self.value("day"), _("Date"))}

    def save(self, values: dict) -> None:
        from crm_tui.services.sales import invoices

        actor, order_id = self.app.actor, self.order_id
        invoice_no, gross = values.pop("invoice_no"), values.pop("gross_amount")

        def work(session):
            invoices.record_invoice(session, actor, invoice_no, gross, order_id=order_id, **values)
            return True

        run_service(self, work, self.finish, write=True)


class ExpenseDialog(FormDialog):
    def __init__(self):
        super().__init__()
        self.title_text = _("Expense claim")

    def fields(self) -> ComposeResult:
        from crm_tui.services.sales.expenses import CATEGORIES

        yield Field(_("Category"), Select([(c, c) for c in CATEGORIES], value=CATEGORIES[0], allow_blank=False,
                                          id="category"))
        yield Field(_("Amount"), Input(id="amount"), required=True)
        yield Field(_("Spent on"), Input(clock.today().isoformat(), id="day"))
        yield Field(_("Customer"), Input(id="customer", placeholder=_("code (optional)")))
        yield Field(_("Description"), Input(id="description"))

    def collect(self) -> dict:
        if not self.value("amount"):
            raise ValueError(_("Type the amount."))
        return {"amount": self.value("amount"), "category": self.choice("category"),
                "spent_on": _day(self.value("day"), _("Spent on")), "customer": self.value("customer") or None,
                "description": self.value("description") or None}

    def save(self, values: dict) -> None:
        from crm_tui.services.sales.actions import file_claim

        actor = self.app.actor

        def work(session):
            return file_claim(session, actor, values["amount"], values["category"], values["spent_on"],
                              customer=values["customer"], description=values["description"]).number

        run_service(self, work, self.finish, write=True)


class CommentDialog(FormDialog):
    """One line of text (an approval's comment, a cancellation's reason); dismisses with it. ``details`` are
    (label, value) lines shown above it: what is being decided."""

    AUTO_FOCUS = "#comment"  # typing goes into the comment, not the scroll box around it

    def __init__(self, title: str, label: str, details: list[tuple[str, str]] | None = None):
        super().__init__()
        self.title_text, self.label, self.details = title, label, details or []

    def fields(self) -> ComposeResult:
        if self.details:
            yield Static("\n".join(f"{label}: {value}" for label, value in self.details), classes="dialog-text",
                         id="comment-details")
        yield Field(self.label, Input(id="comment"))

    def collect(self) -> dict:
        return {"comment": self.value("comment")}

    def save(self, values: dict) -> None:
        self.finish(values["comment"])


class BatchPrintDialog(Translated, ModalScreen[Any]):
    """Many documents into one PDF — the delivery notes of a day, or the statements of the listed customers —
    with a progress bar; Esc stops between documents (and then no file is left)."""

    DEFAULT_CSS = """
    BatchPrintDialog { align: center middle; }
    BatchPrintDialog > Vertical { width: 80; height: auto; border: round $primary; background: $panel; padding: 1 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "start", "Print", id="batch.start"),
        Binding("escape", "stop", "Stop / close", id="batch.stop"),
    ]

    def __init__(self, kind: str, customers: list[str] | None = None):
        super().__init__()
        self.kind, self.customers = kind, customers or []
        self.job = None
        self.running = False

    def compose(self) -> ComposeResult:
        today = clock.today()
        with Vertical():
            if self.kind == "delivery":
                yield Static(_("Print the delivery notes of a day into one PDF"), classes="dialog-title")
                yield Field(_("Day"), Input(today.isoformat(), id="day"))
            else:
                yield Static(n_("Print the statement of {n} customer into one PDF",
                                "Print the statements of {n} customers into one PDF",
                                len(self.customers)).format(n=len(self.customers)),
                             classes="dialog-title")
                yield Field(_("From"), Input((today - timedelta(days=90)).isoformat(), id="date_from"))
                yield Field(_("To"), Input(today.isoformat(), id="date_to"))
            yield Field(_("Save to"), Input(id="path", placeholder=_("a file or folder; default: settings [print] folder")))
            yield ProgressBar(id="batch-progress", show_eta=False)
            yield MessageLine("", id="batch-message")
            yield Static(_("ctrl+s print · Esc stop or close"), classes="dialog-text")

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def action_start(self) -> None:
        if self.running:
            return
        try:
            if self.kind == "delivery":
                day = _day(self._value("day"), _("Day"))
                period = None
            else:
                period = (_day(self._value("date_from"), _("From")), _day(self._value("date_to"), _("To")))
        except ValueError as exc:
            self.query_one("#batch-message", MessageLine).show_error(str(exc))
            return
        self.running = True
        kind, customers, target_text = self.kind, self.customers, self._value("path")
        bar = self.query_one("#batch-progress", ProgressBar)

        def build(job):
            from crm_tui.services.printing import batch as print_batch

            if kind == "delivery":
                from crm_tui.services.sales.stock_outs import numbers_of_day

                numbers = job.run(lambda session: numbers_of_day(session, job.actor, day))
                docs, total, name = (print_batch.documents_by_number(job.engine, job.actor, "delivery", numbers),
                                     len(numbers), f"delivery-notes-{day:%Y%m%d}.pdf")
            else:
                docs, total = print_batch.statements_for(job.engine, job.actor, customers, *period), len(customers)
                name = f"statements-{period[0]:%Y%m%d}-{period[1]:%Y%m%d}.pdf"
            if not total:
                raise CrmError(_("Nothing to print."))
            job.progress(0, total)
            return print_batch.print_batch(docs, _target(target_text, name), total=total,
                                           cancel=lambda: job.cancelled, progress=job.progress)

        self.job = start_work(self, build, done=self._finished, on_error=self._failed,
                              on_progress=lambda done, total, _stage: bar.update(progress=done, **(
                                  {"total": total} if total else {})))

    def _failed(self, exc: Exception) -> None:
        self.running = False
        self.app.report_error(exc)

    def _finished(self, result) -> None:
        from crm_tui.services.printing import documents as printing

        self.running = False
        if result.cancelled:
            self.app.notify(_("Stopped; no file was written."), severity="warning")
            self.dismiss(None)
            return
        printing.open_if_wanted(result.path)
        self.app.notify(n_("{n} document, {pages} pages: {path}", "{n} documents, {pages} pages: {path}",
                           result.documents).format(n=result.documents, pages=result.pages, path=result.path),
                        timeout=10)
        self.dismiss(result.path)

    def action_stop(self) -> None:
        if self.running:
            self.job.cancel()
        else:
            self.dismiss(None)


def _target(text: str, name: str):
    """Where a batch goes: the path typed (a folder gets the default name), else the print folder or cwd."""
    from pathlib import Path

    from crm_tui.config import get_settings

    if text:
        path = Path(text).expanduser()
        return path / name if path.is_dir() else path
    folder = str(get_settings().get("print", {}).get("folder", "") or "")
    return Path(folder).expanduser() / name if folder else Path(name)
