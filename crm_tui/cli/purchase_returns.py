"""Purchase returns (采购退货) on the command line:

    crm purchase-returns create --receipt NUMBER [--line PRODUCT=QTY ...] [--reason R] [--date D]
    crm purchase-returns confirm|cancel|show KEY       KEY: the return's number, or its id while a draft
    crm purchase-returns list [--supplier S] [--status S] [--from D] [--to D] [--search T] [--format json]
    crm print purchase-return NUMBER                   (cli/printing.py)
"""

from __future__ import annotations

import click

from crm_tui.cli.common import echo_json, echo_table, pass_state
from crm_tui.cli.sales.common import FORMAT, money, parse_day, qty, read_as_user, write_as_user
from crm_tui.i18n import _


@click.group("purchase-returns")
def returns_group() -> None:
    """Goods sent back to a supplier against a purchase receipt (采购退货)."""


def _parse_lines(session, receipt_id: int, specs: tuple[str, ...]) -> dict[int, str] | None:
    """``PRODUCT=QTY`` -> receipt line id -> quantity (the first line of that product with some left)."""
    from crm_tui.core.errors import ValidationError
    from crm_tui.services.purchasing.returns import returnable_lines

    if not specs:
        return None
    lines = returnable_lines(session, receipt_id)
    out: dict[int, str] = {}
    for spec in specs:
        product, sep, value = spec.partition("=")
        if not sep or not product.strip() or not value.strip():
            raise ValidationError(_("--line: expected PRODUCT=QTY, got {value!r}").format(value=spec), field="line")
        match = [ln for ln in lines if ln.product_code == product.strip() and ln.receipt_line_id not in out]
        if not match:
            raise ValidationError(_("--line: {product} is not on this receipt.").format(product=product.strip()),
                                  field="line")
        line = next((ln for ln in match if ln.returnable > 0), match[0])
        out[line.receipt_line_id] = value.strip()
    return out


def _show(view, fmt: str) -> None:
    if fmt == "json":
        echo_json(view.as_json())
        return
    click.echo(_("{number} {status}: {supplier} {name}, receipt {receipt}, {date}").format(
        number=view.number or f"#{view.id}", status=_(view.status), supplier=view.supplier_code,
        name=view.supplier_name, receipt=view.receipt_number, date=view.doc_date.isoformat()))
    if view.reason:
        click.echo(_("Reason: {reason}").format(reason=view.reason))
    echo_table([_("Product"), _("Name"), _("Quantity"), _("Unit"), _("Unit price"), _("Amount incl. tax"),
                _("Cost")],
               [[ln.product_code, ln.product_name, qty(ln.quantity), ln.unit or "", money(ln.unit_price),
                 money(ln.amount_gross), money(ln.cost)] for ln in view.lines])
    click.echo(_("Total {gross} (net {net}, tax {tax}); stock value out {cost}").format(
        gross=money(view.amount_gross), net=money(view.amount_net), tax=money(view.tax), cost=money(view.cost)))


@returns_group.command("create")
@click.option("--receipt", required=True, help="The purchase receipt's number (CR…).")
@click.option("--line", "lines", multiple=True, metavar="PRODUCT=QTY",
              help="Product code and quantity to return; repeat it. None: all that may still go back.")
@click.option("--reason", default=None, help="Why the goods go back (printed on the return).")
@click.option("--date", "day", default=None, metavar="DATE", help="Return date (default today).")
@FORMAT
@pass_state
def create_cmd(state, receipt, lines, reason, day, fmt) -> None:
    """Draft a return against a confirmed purchase receipt; prints it (confirm it with its id)."""
    from crm_tui.services.purchasing import returns

    doc_date = parse_day(day, "--date")

    def work(s, actor):
        found = returns.find_receipt(s, receipt)
        rid = returns.create_return(s, actor, found.id, _parse_lines(s, found.id, lines), reason=reason,
                                    doc_date=doc_date)
        return returns.get_return(s, rid)

    _show(write_as_user(state, work), fmt)


@returns_group.command("confirm")
@click.argument("key")
@pass_state
def confirm_cmd(state, key) -> None:
    """Confirm a draft: the goods leave stock at their incoming cost and the supplier is debited."""
    from crm_tui.services.purchasing import returns

    def work(s, actor):
        number = returns.confirm_return(s, actor, returns.find_return(s, key).id)
        return returns.get_return(s, returns.find_return(s, number).id)

    view = write_as_user(state, work)
    click.echo(_("Purchase return {number} confirmed: {gross} debited to {supplier}.").format(
        number=view.number, gross=money(view.amount_gross), supplier=view.supplier_code))


@returns_group.command("cancel")
@click.argument("key")
@pass_state
def cancel_cmd(state, key) -> None:
    """Cancel a return; a confirmed one is reversed (the goods come back into stock, the debit goes)."""
    from crm_tui.services.purchasing import returns

    def work(s, actor):
        ret = returns.find_return(s, key)
        returns.cancel_return(s, actor, ret.id)
        return ret.number or f"#{ret.id}"

    click.echo(_("Purchase return {number} cancelled.").format(number=write_as_user(state, work)))


@returns_group.command("show")
@click.argument("key")
@FORMAT
@pass_state
def show_cmd(state, key, fmt) -> None:
    """A return with its lines, amounts and the stock value it took out."""
    from crm_tui.services.purchasing import returns

    _show(read_as_user(state, lambda s, a: returns.get_return(s, returns.find_return(s, key).id)), fmt)


@returns_group.command("list")
@click.option("--supplier", default=None, help="Supplier code or name.")
@click.option("--status", default=None, type=click.Choice(["draft", "confirmed", "cancelled"]))
@click.option("--from", "date_from", default=None, metavar="DATE", help="From this day (YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, metavar="DATE", help="To this day, included.")
@click.option("--search", "text", default="", help="Number, receipt number, supplier or reason.")
@click.option("--limit", default=200, show_default=True, type=int)
@FORMAT
@pass_state
def list_cmd(state, supplier, status, date_from, date_to, text, limit, fmt) -> None:
    """Purchase returns, newest first."""
    from crm_tui.services.exports.filters import resolve
    from crm_tui.services.purchasing import returns

    start, end = parse_day(date_from, "--from"), parse_day(date_to, "--to")

    def work(s, actor):
        supplier_id = resolve(s, actor, supplier=supplier).supplier_id if supplier else None
        return returns.list_returns(s, supplier_id=supplier_id, status=status, date_from=start, date_to=end,
                                    text=text, limit=limit)

    rows = read_as_user(state, work)
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table([_("Number"), _("Status"), _("Supplier"), _("Receipt"), _("Date"), _("Amount incl. tax"),
                _("Reason")],
               [[r.number or f"#{r.id}", _(r.status), f"{r.supplier_code} {r.supplier_name}", r.receipt_number or "",
                 r.doc_date.isoformat(), money(r.amount_gross), r.reason or ""] for r in rows])


def register(cli: click.Group) -> None:
    cli.add_command(returns_group)
