"""Sales commands: ``crm orders list|show|confirm|cancel|close``, ``crm quotes list|copy|to-order``,
``crm import orders|receipts``, ``crm report receivables|aging|unshipped|sales|expenses|invoices``.

Receipts, invoices, expense claims and approvals are in ``cli/sales/money.py``. Every command acts as the
user of ``CRM_USER``/``CRM_PASSWORD`` and sees what that user may see.
"""

from __future__ import annotations

from datetime import date

import click

from crm_tui.cli.common import CliState, echo_json, echo_table, pass_state
from crm_tui.cli.groups import import_group, report_group
from crm_tui.cli.sales.common import FORMAT, money, parse_day, qty, read_as_user, write_as_user
from crm_tui.core import clock
from crm_tui.i18n import _

# --- orders -----------------------------------------------------------------------------------------------


@click.group("orders")
def orders_group() -> None:
    """Sales orders: list, show, confirm, cancel, close."""


@orders_group.command("list")
@click.option("--status", type=click.Choice(["draft", "pending_approval", "confirmed", "done", "cancelled"]))
@click.option("--customer", metavar="CODE", help="Only this customer's orders (code or name).")
@click.option("--from", "date_from", metavar="DATE", help="Ordered on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", metavar="DATE", help="Ordered on or before.")
@click.option("--search", default="", help="Number, reference or customer contains this.")
@click.option("--limit", type=int, default=200, show_default=True)
@FORMAT
@pass_state
def orders_list(state, status, customer, date_from, date_to, search, limit, fmt) -> None:
    """The orders you may see, newest first, with what has shipped, been invoiced and paid."""
    from crm_tui.services.sales import orders
    from crm_tui.services.sales.documents import find_customer

    start, end = parse_day(date_from, "--from"), parse_day(date_to, "--to")

    def work(s, actor):
        cid = find_customer(s, actor, customer).id if customer else None
        return orders.list_orders(s, actor, status=status, customer_id=cid, date_from=start, date_to=end,
                                  text=search, limit=limit)

    rows = read_as_user(state, work)
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table([_("Number"), _("Order ref."), _("Status"), _("Date"), _("Customer"), _("Salesperson"), _("Total"),
                _("Shipped"), _("Invoiced"), _("Collected")],
               [[r.number or f"#{r.id}", r.external_ref, _(r.status), r.order_date, r.customer_name, r.owner_name,
                 money(r.gross_total), money(r.shipped), money(r.invoiced), money(r.paid)] for r in rows])


def order_json(v) -> dict:
    return {
        "id": v.id, "number": v.number, "status": v.status, "reference": v.external_ref, "quote": v.quote_number,
        "customer_code": v.customer_code, "customer_name": v.customer_name, "salesperson": v.owner_name,
        "order_date": v.order_date.isoformat(), "delivery_date": v.delivery_date.isoformat() if v.delivery_date else None,
        "net_total": f"{v.net_total:.2f}", "tax_total": f"{v.tax_total:.2f}", "gross_total": f"{v.gross_total:.2f}",
        "shipped": f"{v.progress.shipped:.2f}", "invoiced": f"{v.progress.invoiced:.2f}",
        "paid": f"{v.progress.paid:.2f}",
        "lines": [{"line": ln.line_no, "product_code": ln.product_code, "product_name": ln.product_name,
                   "quantity": qty(ln.quantity), "shipped": qty(ln.shipped), "basis": ln.price_basis,
                   "net_price": str(ln.net_price.normalize()), "gross_price": str(ln.gross_price.normalize()),
                   "discount": str(ln.discount.normalize()), "tax_rate": str(ln.tax_rate.normalize()),
                   "net": f"{ln.net_amount:.2f}", "tax": f"{ln.tax_amount:.2f}", "gross": f"{ln.gross_amount:.2f}",
                   "unit": ln.unit, "unit_factor": str(ln.unit_factor.normalize())}
                  for ln in v.lines],
        "documents": [{"kind": r.kind, "number": r.number, "date": r.day.isoformat(), "status": r.status,
                       "amount": None if r.amount is None else f"{r.amount:.2f}", "text": r.text} for r in v.related],
    }


@orders_group.command("show")
@click.argument("number")
@FORMAT
@pass_state
def orders_show(state, number, fmt) -> None:
    """One order (by number, 订单号 reference or #id) with its lines, deliveries, receipts and invoices."""
    from crm_tui.services.sales import orders

    v = read_as_user(state, lambda s, a: orders.get_order(s, a, orders.find_order(s, a, number)))
    if fmt == "json":
        echo_json(order_json(v))
        return
    click.echo(f"{v.number or '#' + str(v.id)}  {_(v.status)}  {v.order_date}  {v.customer_code} {v.customer_name}")
    if v.external_ref:
        click.echo(_("Reference: {ref}").format(ref=v.external_ref))
    echo_table([_("Line"), _("Code"), _("Product"), _("Quantity"), _("Shipped"), _("Net price"), _("Gross price"),
                _("Discount"), _("Tax rate"), _("Net"), _("Tax"), _("Gross")],
               [[ln.line_no, ln.product_code, ln.product_name, qty(ln.quantity), qty(ln.shipped),
                 f"{ln.net_price.normalize():f}", f"{ln.gross_price.normalize():f}",
                 f"{ln.discount:.0%}" if ln.discount else "", f"{ln.tax_rate:.0%}", money(ln.net_amount),
                 money(ln.tax_amount), money(ln.gross_amount)] for ln in v.lines])
    click.echo(_("Totals: net {net}, tax {tax}, gross {gross}").format(
        net=money(v.net_total), tax=money(v.tax_total), gross=money(v.gross_total)))
    click.echo(_("Shipped {shipped}, invoiced {invoiced}, paid {paid}").format(
        shipped=money(v.progress.shipped), invoiced=money(v.progress.invoiced), paid=money(v.progress.paid)))
    for r in v.related:
        click.echo(f"  {_(r.kind)} {r.number or ''} {r.day} {_(r.status)} {money(r.amount)} {r.text}".rstrip())


@orders_group.command("confirm")
@click.argument("number")
@pass_state
def orders_confirm(state, number) -> None:
    """Confirm a draft order (NUMBER: #id or its reference); beyond your discount limit it waits for approval."""
    from crm_tui.services.sales import orders
    from crm_tui.services.sales.actions import confirm_document

    result = write_as_user(state, lambda s, a: confirm_document(s, a, "order", orders.find_order(s, a, number)))
    v = result.order
    if result.status == "confirmed":
        click.echo(_("Order {number} confirmed: {gross}.").format(number=v.number, gross=money(v.gross_total)))
    else:
        click.echo(_("Order #{id} waits for a manager's approval (discount {discount:.1%}).").format(
            id=v.id, discount=v.max_discount))


@orders_group.command("cancel")
@click.argument("number")
@click.option("--reason", default="", help="Why (kept with the order).")
@pass_state
def orders_cancel(state, number, reason) -> None:
    """Cancel an order: its stock-outs are reversed, notices cancelled, receipts freed as advances."""
    from crm_tui.services.sales import orders

    result = write_as_user(state, lambda s, a: orders.cancel_order(s, a, orders.find_order(s, a, number), reason))
    click.echo(_("Order {number} cancelled.").format(number=number))
    for out in result["stock_outs"]:
        click.echo(_("  stock-out {number} reversed: the goods are back in stock").format(number=out))
    for notice in result["notices"]:
        click.echo(_("  delivery notice {number} cancelled").format(number=notice))
    if result["freed"]:
        click.echo(_("  {amount} of receipts is an advance again").format(amount=money(result["freed"])))


@orders_group.command("close")
@click.argument("number")
@pass_state
def orders_close(state, number) -> None:
    """End a confirmed order by hand: what has not shipped will not ship."""
    from crm_tui.services.sales import orders

    write_as_user(state, lambda s, a: orders.close_order(s, a, orders.find_order(s, a, number)))
    click.echo(_("Order {number} closed.").format(number=number))


@orders_group.command("ship")
@click.argument("numbers", nargs=-1, required=True)
@click.option("--warehouse", required=True, help="Warehouse code or name the goods leave from.")
@click.option("--courier", help="Courier company (顺丰, 中通 …).")
@click.option("--tracking", help="Tracking number (快递单号).")
@click.option("--line", "lines", multiple=True, metavar="LINE=QTY",
              help="Ship only QTY of the order's line LINE (repeat; lines not named ship all that is left, 0 skips; "
                   "QTY may name another unit of the product: 2=18瓶).")
@pass_state
def orders_ship(state, numbers, warehouse, courier, tracking, lines) -> None:
    """Ship everything unshipped of one customer's orders in one stock-out (or, with --line, part of one order)."""
    from crm_tui.services.sales import orders
    from crm_tui.services.sales.actions import ship
    from crm_tui.services.stock.warehouses import find_warehouse

    wanted = _line_quantities(lines)
    if wanted and len(numbers) != 1:
        raise click.UsageError(_("--line needs exactly one order."))

    def work(s, actor):
        ids = [orders.find_order(s, actor, n, shipping=True) for n in numbers]
        quantities = _by_line_id(orders.get_order(s, actor, ids[0]), wanted) if wanted else None
        return ship(s, actor, find_warehouse(s, warehouse).id, order_ids=ids,
                    tracking=[(courier or "", tracking)] if tracking else None, quantities=quantities)

    click.echo(_("Stock-out {number} confirmed.").format(number=write_as_user(state, work)))


def _line_quantities(values: tuple[str, ...]) -> dict[int, str]:
    """``--line 1=4 --line 2=0`` -> {1: "4", 2: "0"} (line numbers as the order shows them)."""
    out = {}
    for value in values:
        line, sep, qty_text = value.partition("=")
        if not sep or not line.strip().isdigit() or not qty_text.strip():
            raise click.BadParameter(_("{value!r}: expected LINE=QTY, such as 2=5.").format(value=value),
                                     param_hint="--line")
        out[int(line)] = qty_text.strip()
    return out


def _by_line_id(view, wanted: dict[int, str]) -> dict[int, str]:
    from crm_tui.core.errors import ValidationError

    ids = {ln.line_no: ln.id for ln in view.lines}
    missing = sorted(set(wanted) - set(ids))
    if missing:
        raise ValidationError(_("--line: order {number} has no line {line}.").format(
            number=view.number, line=missing[0]), field="--line")
    return {ids[n]: q for n, q in wanted.items()}


# --- stock-outs -------------------------------------------------------------------------------------------


@click.group("stock-outs")
def stock_outs_group() -> None:
    """Sales stock-outs: list, confirm a draft, set the tracking number."""


@stock_outs_group.command("list")
@click.option("--status", type=click.Choice(["draft", "confirmed", "cancelled"]))
@click.option("--search", default="", help="Number, customer or tracking number contains this.")
@click.option("--limit", type=int, default=200, show_default=True)
@pass_state
def stock_outs_list(state, status, search, limit) -> None:
    """The stock-outs you may see, newest first, with their tracking numbers."""
    from crm_tui.services.sales import stock_outs as outs

    rows = read_as_user(state, lambda s, a: outs.list_stock_outs(s, a, status=status, text=search, limit=limit))
    echo_table([_("Number"), _("Status"), _("Date"), _("Customer"), _("Warehouse"), _("Goods value"),
                _("Tracking no.")],
               [[r.number or f"#{r.id}", _(r.status), r.out_date, r.customer_name, r.warehouse_code,
                 money(r.gross_total), r.tracking] for r in rows])


@stock_outs_group.command("confirm")
@click.argument("number")
@pass_state
def stock_outs_confirm(state, number) -> None:
    """Confirm a draft stock-out (#ID): the goods leave the stock."""
    from crm_tui.services.sales import stock_outs as outs

    done = write_as_user(state, lambda s, a: outs.confirm_stock_out(s, a, outs.find_stock_out(s, a, number)))
    click.echo(_("Stock-out {number} confirmed.").format(number=done))


@stock_outs_group.command("track")
@click.argument("number")
@click.option("--courier", required=True, help="Courier company (顺丰, 中通 …).")
@click.option("--number", "tracking", required=True, help="Tracking number (快递单号).")
@pass_state
def stock_outs_track(state, number, courier, tracking) -> None:
    """Set or correct the courier and tracking number of a stock-out, also after it shipped (audited)."""
    from crm_tui.services.sales import stock_outs as outs

    old = write_as_user(state, lambda s, a: outs.set_tracking(s, a, outs.find_stock_out(s, a, number), courier,
                                                              tracking))
    message = _("Stock-out {number}: tracking number {new}").format(number=number, new=f"{courier} {tracking}")
    click.echo(message + (_(" (was {old})").format(old=" ".join(old)) if old else ""))


# --- quotes -----------------------------------------------------------------------------------------------


@click.group("quotes")
def quotes_group() -> None:
    """Quotes: list, copy, turn into an order."""


@quotes_group.command("list")
@click.option("--status", type=click.Choice(["draft", "confirmed", "done", "cancelled"]))
@click.option("--search", default="")
@FORMAT
@pass_state
def quotes_list(state, status, search, fmt) -> None:
    """The quotes you may see, newest first."""
    from crm_tui.services.sales import quotes

    rows = read_as_user(state, lambda s, a: quotes.list_quotes(s, a, status=status, text=search))
    if fmt == "json":
        echo_json([{"id": r.id, "number": r.number, "status": r.status, "date": r.quote_date.isoformat(),
                    "valid_until": r.valid_until.isoformat() if r.valid_until else None,
                    "customer_code": r.customer_code, "customer_name": r.customer_name,
                    "gross_total": f"{r.gross_total:.2f}"} for r in rows])
        return
    echo_table([_("Number"), _("Status"), _("Date"), _("Valid until"), _("Customer"), _("Salesperson"), _("Total")],
               [[r.number or f"#{r.id}", _(r.status), r.quote_date, r.valid_until, r.customer_name, r.owner_name,
                 money(r.gross_total)] for r in rows])


@quotes_group.command("copy")
@click.argument("number")
@click.option("--confirm", is_flag=True, help="Confirm (number) the copy at once.")
@pass_state
def quotes_copy(state, number, confirm) -> None:
    """Copy a quote into a new one dated today (a draft unless --confirm)."""
    from crm_tui.services.sales import quotes
    from crm_tui.services.sales.actions import confirm_document

    def work(s, actor):
        new = quotes.copy_quote(s, actor, quotes.find_quote(s, actor, number))
        return new, confirm_document(s, actor, "quote", new).number if confirm else None

    new, new_number = write_as_user(state, work)
    if new_number:
        click.echo(_("Quote {number} copied to {new}.").format(number=number, new=new_number))
    else:
        click.echo(_("Quote {number} copied to draft #{id}.").format(number=number, id=new))


@quotes_group.command("to-order")
@click.argument("number")
@click.option("--confirm", is_flag=True, help="Confirm the new order at once.")
@pass_state
def quotes_to_order(state, number, confirm) -> None:
    """Turn a quote into a sales order."""
    from crm_tui.services.sales import orders, quotes
    from crm_tui.services.sales.actions import confirm_document

    def work(s, actor):
        oid = quotes.quote_to_order(s, actor, quotes.find_quote(s, actor, number))
        if confirm:
            done = confirm_document(s, actor, "order", oid)
            return oid, done.status, done.number
        return oid, "draft", orders.get_order(s, actor, oid).number

    oid, status, order_number = write_as_user(state, work)
    click.echo(_("Quote {number} became order {order} ({status}).").format(
        number=number, order=order_number or f"#{oid}", status=_(status)))


# --- imports ----------------------------------------------------------------------------------------------


def _run_import(state: CliState, work):
    from crm_tui.services.sales.imports import ImportFailed

    try:
        return write_as_user(state, work)
    except ImportFailed as exc:
        for line in exc.lines:
            click.echo(line, err=True)
        raise


@import_group.command("orders")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--confirm", is_flag=True, help="Confirm the imported orders (numbers taken; big discounts wait for "
                                                "approval).")
@pass_state
def import_orders(state, file, confirm) -> None:
    """Import sales orders: one row per line, grouped by 订单号 (all or nothing; re-importing adds nothing)."""
    from crm_tui.services.sales.imports import import_orders as run

    report = _run_import(state, lambda s, a: run(s, a, file, confirm=confirm))
    click.echo(_("{file}: {rows} rows, {created} orders created, {pending} waiting for approval, {skipped} already "
                 "imported.").format(file=report.file, rows=report.rows, created=len(report.created),
                                     pending=len(report.pending), skipped=len(report.skipped)))
    for number in report.created:
        click.echo(f"  {number}")
    for number in report.pending:
        click.echo("  " + _("{number} (waiting for approval)").format(number=number))


@import_group.command("receipts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@pass_state
def import_receipts(state, file) -> None:
    """Import receipts (到款): 日期, 客户编号/客户名称, 金额, 币种, 汇率, 账户, 方式, 订单号, 备注 (all or nothing)."""
    from crm_tui.services.sales.imports import import_receipts as run

    report = _run_import(state, lambda s, a: run(s, a, file))
    click.echo(_("{file}: {rows} rows, {created} receipts recorded, {skipped} already imported; {advances} left as "
                 "advances.").format(file=report.file, rows=report.rows, created=len(report.created),
                                     skipped=report.skipped, advances=money(report.advances)))


# --- reports ----------------------------------------------------------------------------------------------


XLSX = click.option("--xlsx", "xlsx", metavar="OUT.xlsx", type=click.Path(dir_okay=False),
                    help="Also write the report as an Excel workbook.")


def _export(state: CliState, name: str, xlsx: str | None, start: date, end: date, basis: str | None = None) -> None:
    """``--xlsx``: the same report as a workbook (its path is printed)."""
    if not xlsx:
        return
    from crm_tui.services.sales.report_tables import report_table, write_xlsx

    table = read_as_user(state, lambda s, a: report_table(s, a, name, start, end, basis))
    click.echo(str(write_xlsx(table, xlsx)), err=True)


def _period(date_from: str | None, date_to: str | None) -> tuple[date, date]:
    end = parse_day(date_to, "--to") or clock.today()
    start = parse_day(date_from, "--from") or end.replace(day=1)
    return start, end


@report_group.command("receivables")
@click.option("--as-of", "as_of", metavar="DATE", help="Balances at the end of this day (default today).")
@click.option("--basis", type=click.Choice(["orders", "stock_outs"]), help="Default: settings [sales] receivable_basis.")
@click.option("--by", type=click.Choice(["document", "due"]), default="document", show_default=True,
              help="due: the balances split by days past their due dates (payment terms).")
@FORMAT
@XLSX
@pass_state
def report_receivables(state, as_of, basis, by, fmt, xlsx) -> None:
    """Per customer: opening balance, billed, received (RMB) and balance."""
    from crm_tui.services.sales.receivables import receivables, totals

    day = parse_day(as_of, "--as-of")
    if by == "due":
        from crm_tui.cli.sales.due import echo_by_due

        echo_by_due(state, day, fmt)
        return
    rows = read_as_user(state, lambda s, a: receivables(s, a, day, basis=basis))
    _export(state, "receivables", xlsx, day or clock.today(), day or clock.today(), basis)
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    t = totals(rows)
    echo_table([_("Code"), _("Customer"), _("Salesperson"), _("Opening"), _("Billed"), _("Received (RMB)"), _("Receivable balance")],
               [[r.customer_code, r.customer_name, r.salesperson, money(r.opening), money(r.billed),
                 money(r.received), money(r.balance)] for r in rows]
               + [["", _("Total"), "", money(t.opening), money(t.billed), money(t.received), money(t.balance)]])


@report_group.command("aging")
@click.option("--as-of", "as_of", metavar="DATE", help="Age at the end of this day (default today).")
@click.option("--basis", type=click.Choice(["orders", "stock_outs"]))
@FORMAT
@XLSX
@pass_state
def report_aging(state, as_of, basis, fmt, xlsx) -> None:
    """Receivables by age: 0–30, 31–60, 61–90 and over 90 days."""
    from crm_tui.services.sales.receivables import receivables, totals

    day = parse_day(as_of, "--as-of")
    _export(state, "aging", xlsx, day or clock.today(), day or clock.today(), basis)
    rows = [r for r in read_as_user(state, lambda s, a: receivables(s, a, day, basis=basis)) if r.balance > 0]
    if fmt == "json":
        echo_json([r.aging_json() for r in rows])
        return
    t = totals(rows)
    echo_table([_("Code"), _("Customer"), _("Receivable balance"), "0-30", "31-60", "61-90", ">90"],
               [[r.customer_code, r.customer_name, money(r.balance), *map(money, r.aging)] for r in rows]
               + [["", _("Total"), money(t.balance), *map(money, t.aging)]])


@report_group.command("unshipped")
@click.option("--customer", metavar="CODE")
@FORMAT
@XLSX
@pass_state
def report_unshipped(state, customer, fmt, xlsx) -> None:
    """Goods ordered and not yet shipped, per order line."""
    from crm_tui.services.sales.documents import find_customer
    from crm_tui.services.sales.reports import as_json, unshipped

    def work(s, actor):
        return unshipped(s, actor, customer_id=find_customer(s, actor, customer).id if customer else None)

    rows = read_as_user(state, work)
    _export(state, "unshipped", xlsx, clock.today(), clock.today())
    if fmt == "json":
        echo_json([as_json(r) for r in rows])
        return
    echo_table([_("Order"), _("Date"), _("Due"), _("Customer"), _("Code"), _("Product"), _("Qty ordered"), _("Shipped"),
                _("Unshipped"), _("On notices"), _("Unshipped value")],
               [[r.order_number, r.order_date, r.delivery_date, r.customer_name, r.product_code, r.product_name,
                 qty(r.ordered), qty(r.shipped), qty(r.unshipped), qty(r.on_notices), money(r.value)] for r in rows])


@report_group.command("sales")
@click.option("--from", "date_from", metavar="DATE", help="First day (default: the first of this month).")
@click.option("--to", "date_to", metavar="DATE", help="Last day (default today).")
@click.option("--by", type=click.Choice(["salesperson", "product", "customer", "month"]), default="salesperson",
              show_default=True)
@FORMAT
@XLSX
@pass_state
def report_sales(state, date_from, date_to, by, fmt, xlsx) -> None:
    """Orders, receipts and the gross margin of what shipped, per salesperson, product, customer or month."""
    from crm_tui.services.sales.reports import sales_summary

    start, end = _period(date_from, date_to)
    _export(state, f"sales_{by}", xlsx, start, end)
    rows = read_as_user(state, lambda s, a: sales_summary(s, a, start, end, by=by))
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table([_("Key"), _("Name"), _("Orders"), _("Quantity"), _("Net"), _("Gross"), _("Received (RMB)"),
                _("Shipped (net)"), _("Cost"), _("Margin"), _("Margin %")],
               [[r.key, r.name, r.orders, qty(r.quantity) if r.quantity else "", money(r.net), money(r.gross),
                 money(r.received), money(r.shipped_net), money(r.cost), money(r.margin),
                 f"{r.margin_rate:.1%}" if r.margin_rate is not None else ""] for r in rows])


@report_group.command("expenses")
@click.option("--from", "date_from", metavar="DATE")
@click.option("--to", "date_to", metavar="DATE")
@click.option("--by", type=click.Choice(["salesperson", "customer", "category"]), default="salesperson",
              show_default=True)
@FORMAT
@XLSX
@pass_state
def report_expenses(state, date_from, date_to, by, fmt, xlsx) -> None:
    """Expense claims per salesperson, customer or category: approved, pending, rejected."""
    from crm_tui.services.sales.reports import as_json, expense_summary

    start, end = _period(date_from, date_to)
    _export(state, f"expenses_{by}", xlsx, start, end)
    rows = read_as_user(state, lambda s, a: expense_summary(s, a, start, end, by=by))
    if fmt == "json":
        echo_json([as_json(r) for r in rows])
        return
    echo_table([_("Key"), _("Name"), _("Claims"), _("Approved"), _("Pending"), _("Rejected")],
               [[r.key, r.name, r.claims, money(r.approved), money(r.pending), money(r.rejected)] for r in rows])


@report_group.command("invoices")
@FORMAT
@XLSX
@pass_state
def report_invoices(state, fmt, xlsx) -> None:
    """Confirmed orders not yet fully invoiced."""
    from crm_tui.services.sales.reports import as_json, invoices_outstanding

    _export(state, "invoices", xlsx, clock.today(), clock.today())
    rows = read_as_user(state, lambda s, a: invoices_outstanding(s, a))
    if fmt == "json":
        echo_json([as_json(r) for r in rows])
        return
    echo_table([_("Order"), _("Date"), _("Customer"), _("Total"), _("Invoiced"), _("Not invoiced")],
               [[r.order_number, r.order_date, r.customer_name, money(r.gross_total), money(r.invoiced),
                 money(r.uninvoiced)] for r in rows])


def register(cli: click.Group) -> None:
    cli.add_command(orders_group)
    cli.add_command(stock_outs_group)
    cli.add_command(quotes_group)
