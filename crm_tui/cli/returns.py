"""``crm returns create|confirm|cancel|show|list`` (销售退货) and ``crm invoices red`` (红字发票).

    crm returns create --stock-out CK202612-0001 [--line P1=3 ...] [--reason 破损] [--confirm]
    crm invoices red --invoice FP202612-0001 --amount 452.00 --reason 退货 [--return XT202612-0001]
"""

from __future__ import annotations

import click

from crm_tui.cli.common import echo_json, echo_table, pass_state
from crm_tui.cli.sales.common import FORMAT, money, parse_day, qty, read_as_user, write_as_user
from crm_tui.cli.sales.money import invoices_group
from crm_tui.i18n import _


@click.group("returns")
def returns_group() -> None:
    """Sales returns (销售退货): create against a stock-out, confirm, cancel, show, list."""


def _parse_lines(lines: tuple[str, ...]) -> dict[str, str]:
    from crm_tui.core.errors import ValidationError

    wanted: dict[str, str] = {}
    for item in lines:
        code, sep, amount = item.partition("=")
        if not sep or not code.strip():
            raise ValidationError(_("--line: expected PRODUCT=QUANTITY, got {value!r}").format(value=item),
                                  field="line")
        wanted[code.strip()] = amount.strip()
    return wanted


@returns_group.command("create")
@click.option("--stock-out", "stock_out", required=True, metavar="NUMBER", help="The confirmed stock-out.")
@click.option("--line", "lines", multiple=True, metavar="PRODUCT=QTY",
              help="Return this much of a product (repeat); default: everything still returnable.")
@click.option("--reason", default=None, help="Why the goods come back.")
@click.option("--date", "day", metavar="DATE", help="Return date (YYYY-MM-DD, default today).")
@click.option("--confirm", is_flag=True, help="Confirm it at once (the goods go back into stock).")
@pass_state
def returns_create(state, stock_out, lines, reason, day, confirm) -> None:
    """Write a draft return of a stock-out (and confirm it with --confirm)."""
    from crm_tui.services.sales import returns
    from crm_tui.services.sales import stock_outs as outs

    wanted = _parse_lines(lines)
    return_date = parse_day(day, "--date")

    def work(s, actor):
        out_id = outs.find_stock_out(s, actor, stock_out)
        quantities = returns.by_product(returns.returnable(s, actor, out_id), wanted) if wanted else None
        rid = returns.create_return(s, actor, out_id, quantities, reason=reason, return_date=return_date)
        return rid, returns.confirm_return(s, actor, rid) if confirm else None

    rid, number = write_as_user(state, work)
    if number:
        click.echo(_("Sales return {number} confirmed.").format(number=number))
    else:
        click.echo(_("Draft sales return #{id} written; confirm it with: crm returns confirm #{id}").format(id=rid))


@returns_group.command("confirm")
@click.argument("number")
@pass_state
def returns_confirm(state, number) -> None:
    """Confirm a draft return (#ID): the goods go back into stock and the customer is credited."""
    from crm_tui.services.sales import returns

    done = write_as_user(state, lambda s, a: returns.confirm_return(s, a, returns.find_return(s, a, number)))
    click.echo(_("Sales return {number} confirmed.").format(number=done))


@returns_group.command("cancel")
@click.argument("number")
@click.option("--reason", default=None)
@pass_state
def returns_cancel(state, number, reason) -> None:
    """Cancel a confirmed return: the goods leave the stock again and the credit is taken back."""
    from crm_tui.services.sales import returns

    write_as_user(state, lambda s, a: returns.cancel_return(s, a, returns.find_return(s, a, number), reason))
    click.echo(_("Sales return {number} cancelled.").format(number=number))


@returns_group.command("show")
@click.argument("number")
@FORMAT
@pass_state
def returns_show(state, number, fmt) -> None:
    """A return with its lines."""
    from crm_tui.services.sales import returns

    v = read_as_user(state, lambda s, a: returns.get_return(s, a, returns.find_return(s, a, number)))
    if fmt == "json":
        echo_json(v.as_json())
        return
    click.echo(f"{v.number or f'#{v.id}'}  {_(v.status)}  {v.return_date}  {v.customer_name}  "
               f"{_('Sales stock-out')} {v.stock_out_number}  {v.reason or ''}".rstrip())
    echo_table([_("No."), _("Code"), _("Product"), _("Unit"), _("Quantity"), _("Warehouse"), _("Price"),
                _("Amount"), _("Cost")],
               [[ln.line_no, ln.product_code, ln.product_name, ln.unit or "", qty(ln.quantity), ln.warehouse_code,
                 money(ln.gross_price), money(ln.gross_amount), money(ln.cost_amount)] for ln in v.lines])
    click.echo(_("Total {gross} (net {net}, tax {tax}); cost {cost}").format(
        gross=money(v.gross_total), net=money(v.net_total), tax=money(v.tax_total), cost=money(v.cost_total)))


@returns_group.command("list")
@click.option("--status", type=click.Choice(["draft", "confirmed", "cancelled"]))
@click.option("--stock-out", "stock_out", metavar="NUMBER", help="Only the returns of this stock-out.")
@click.option("--search", default="", help="Number, stock-out, customer or reason contains this.")
@click.option("--limit", type=int, default=200, show_default=True)
@FORMAT
@pass_state
def returns_list(state, status, stock_out, search, limit, fmt) -> None:
    """The returns you may see, newest first."""
    from crm_tui.services.sales import returns
    from crm_tui.services.sales import stock_outs as outs

    rows = read_as_user(state, lambda s, a: returns.list_returns(
        s, a, status=status, stock_out_id=outs.find_stock_out(s, a, stock_out) if stock_out else None,
        text=search, limit=limit))
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table([_("Number"), _("Status"), _("Date"), _("Customer"), _("Sales stock-out"), _("Amount"), _("Reason")],
               [[r.number or f"#{r.id}", _(r.status), r.return_date, r.customer_name, r.stock_out_number,
                 money(r.gross_total), r.reason or ""] for r in rows])


@invoices_group.command("red")
@click.option("--invoice", required=True, metavar="NO", help="The original invoice (our number or its invoice no.).")
@click.option("--amount", required=True, help="Tax-inclusive amount to reverse (at most what is left).")
@click.option("--reason", required=True, help="Why it is reversed.")
@click.option("--return", "return_no", metavar="NUMBER", help="The sales return it is for.")
@click.option("--date", "day", metavar="DATE")
@FORMAT
@pass_state
def invoices_red(state, invoice, amount, reason, return_no, day, fmt) -> None:
    """Record a red-letter invoice (红字发票) against an invoice: negative amounts, partly or wholly."""
    from crm_tui.services.sales import invoices, red_invoices, returns

    invoice_date = parse_day(day, "--date")

    def work(s, actor):
        rid = returns.find_return(s, actor, return_no) if return_no else None
        red_id = red_invoices.record_red(s, actor, invoices.find_invoice(s, actor, invoice), amount, reason,
                                         return_id=rid, invoice_date=invoice_date)
        return red_invoices.list_reds(s, actor, red_id=red_id)[0]

    row = write_as_user(state, work)
    if fmt == "json":
        echo_json(row.as_json())
        return
    click.echo(_("Red-letter invoice {number} recorded: {amount} against invoice {invoice}.").format(
        number=row.number, amount=money(row.gross_amount), invoice=row.invoice_no))


def register(cli: click.Group) -> None:
    cli.add_command(returns_group)
