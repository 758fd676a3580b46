"""Credit and terms of trade on the command line (issue 18):

    crm credit show CUSTOMER [--format json]             limit, used, left, payment terms, price class
    crm credit set CUSTOMER [--limit X] [--terms T] [--price-class C]
    crm dunning list [--as-of DATE] [--level N] [--format json]     the reminder list (催款)
    crm dunning print CUSTOMER [--as-of DATE] [--format pdf|xlsx] [-o PATH]   the 催款函
    crm prices list [--product P] [--customer C] [--format json]
    crm prices set PRODUCT PRICE (--class C | --customer C) [--basis gross|net]   an empty PRICE removes it
    crm couriers list | add NAME [--phone] | disable NAME | enable NAME
    crm report receivables --by due                      (receivables by due date: cli/sales/due.py)
"""

from __future__ import annotations

import click

from crm_tui.cli.common import echo_json, echo_table, pass_state
from crm_tui.cli.sales.common import FORMAT, money, parse_day, read_as_user, write_as_user
from crm_tui.i18n import _


@click.group("credit")
def credit_group() -> None:
    """Credit limits (信用额度), payment terms (账期) and price classes of customers."""


@credit_group.command("show")
@click.argument("customer")
@FORMAT
@pass_state
def credit_show(state, customer, fmt) -> None:
    """A customer's credit limit, what is used of it, what is left, their payment terms and price class."""
    from crm_tui.services.customers.records import find_customer
    from crm_tui.services.sales import credit, terms

    def work(s, actor):
        cid = find_customer(s, actor, customer).id
        return terms.get_terms(s, actor, cid), credit.customer_credit(s, actor, cid)

    view, got = read_as_user(state, work)
    if fmt == "json":
        echo_json({**view.as_json(), **got.as_json()})
        return
    echo_table([_("Field"), _("Value")], [
        [_("Customer"), f"{view.customer_code} {view.customer_name}"],
        [_("Credit limit"), money(got.limit) if got.limit is not None else _("none")],
        [_("Used (balance and open orders)"), money(got.exposure)],
        [_("Credit left"), money(got.headroom) if got.headroom is not None else ""],
        [_("Payment terms"), terms.describe(view.effective_terms) + ("" if view.terms else
                                                                       " " + _("(default)") if view.effective_terms
                                                                       else "")],
        [_("Price class"), _(view.price_class) if view.price_class else ""]])


@credit_group.command("set")
@click.argument("customer")
@click.option("--limit", default=None, help="Credit limit in RMB; an empty value removes it.")
@click.option("--terms", "terms_", default=None, help="30 (days), M30 (month-end + 30, 月结30天), 0 (at once); "
                                                      "empty: the default.")
@click.option("--price-class", default=None, help="wholesale (批发价), retail (零售价) or vip; empty: none.")
@pass_state
def credit_set(state, customer, limit, terms_, price_class) -> None:
    """Change a customer's credit limit, payment terms or price class (only what is given)."""
    from crm_tui.services.customers.records import find_customer
    from crm_tui.services.sales import terms

    changes = {k: v for k, v in (("credit_limit", limit), ("terms", terms_), ("price_class", price_class))
               if v is not None}
    if not changes:
        raise click.UsageError(_("Give --limit, --terms or --price-class."))
    view = write_as_user(state, lambda s, a: terms.set_terms(s, a, find_customer(s, a, customer).id, **changes))
    click.echo(_("{code} {name}: credit limit {limit}, terms {terms}, price class {cls}").format(
        code=view.customer_code, name=view.customer_name,
        limit=money(view.credit_limit) if view.credit_limit is not None else _("none"),
        terms=terms.describe(view.effective_terms) or _("none"), cls=_(view.price_class) if view.price_class
        else _("none")))


# --- dunning ----------------------------------------------------------------------------------------------


@click.group("dunning")
def dunning_group() -> None:
    """Overdue receivables: the reminder list and the printed reminder (催款函)."""


@dunning_group.command("list")
@click.option("--as-of", "as_of", metavar="DATE", help="Overdue on this day (default today).")
@click.option("--level", type=int, default=1, show_default=True, help="Only customers at this level or higher.")
@FORMAT
@pass_state
def dunning_list(state, as_of, level, fmt) -> None:
    """Customers with overdue items, highest dunning level and largest amount first."""
    from crm_tui.services.sales import terms

    day = parse_day(as_of, "--as-of")
    rows = read_as_user(state, lambda s, a: terms.reminders(s, a, day, min_level=level))
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table([_("Level"), _("Code"), _("Customer"), _("Salesperson"), _("Overdue"), _("Oldest due"), _("Items")],
               [[r.level, r.customer_code, r.customer_name, r.salesperson, money(r.overdue), r.oldest_due,
                 len(r.items)] for r in rows])


@dunning_group.command("print")
@click.argument("customer")
@click.option("--as-of", "as_of", metavar="DATE", help="Overdue on this day (default today).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "xlsx"]), default=None,
              help="Output format (default: settings [print] format).")
@click.option("--template", default=None, metavar="NAME", help="A statement template (default: the shipped one).")
@click.option("-o", "--output", default=None, metavar="PATH", help="File to write, or a folder.")
@pass_state
def dunning_print(state, customer, as_of, fmt, template, output) -> None:
    """Write the reminder (催款函) of a customer's overdue items; prints the file's path."""
    from crm_tui.services.customers.records import find_customer
    from crm_tui.services.printing import documents as printing
    from crm_tui.services.sales.dunning_print import default_path, reminder_for_print

    day = parse_day(as_of, "--as-of")
    doc = read_as_user(state, lambda s, a: reminder_for_print(s, a, find_customer(s, a, customer).id, day))
    fmt = (fmt or printing.default_format()).lower()
    path = printing.write_document(doc, fmt, output or default_path(doc, fmt, doc.date), template)
    click.echo(str(path))


# --- price levels -------------------------------------------------------------------------------------------


@click.group("prices")
def prices_group() -> None:
    """Price lists per customer class (批发价 / 零售价 / VIP) and prices agreed with one customer."""


@prices_group.command("list")
@click.option("--product", default=None, metavar="CODE")
@click.option("--customer", default=None, metavar="CODE", help="Only this customer's own prices.")
@FORMAT
@pass_state
def prices_list(state, product, customer, fmt) -> None:
    """The class prices and the customer prices you may see."""
    from crm_tui.services.customers.records import find_customer
    from crm_tui.services.sales import price_levels
    from crm_tui.services.stock.products import find_product

    def work(s, actor):
        pid = find_product(s, product).id if product else None
        cid = find_customer(s, actor, customer).id if customer else None
        return price_levels.list_prices(s, actor, product_id=pid, customer_id=cid)

    rows = read_as_user(state, work)
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table([_("Price of"), _("Customer"), _("Code"), _("Product"), _("Basis"), _("Price"), _("List price")],
               [[_("customer") if r.source == "customer" else _(r.source), r.customer_name, r.product_code,
                 r.product_name, _("incl. tax") if r.basis == "gross" else _("net"), money(r.price),
                 money(r.list_price)] for r in rows])


@prices_group.command("set")
@click.argument("product")
@click.argument("price")
@click.option("--class", "price_class", default=None, help="wholesale (批发价), retail (零售价) or vip.")
@click.option("--customer", default=None, metavar="CODE", help="A price agreed with this customer.")
@click.option("--basis", type=click.Choice(["gross", "net"]), default="gross", show_default=True,
              help="gross: 含税单价; net: 单价.")
@pass_state
def prices_set(state, product, price, price_class, customer, basis) -> None:
    """Set the price of PRODUCT for a class or a customer; an empty PRICE ("") removes it."""
    from crm_tui.services.customers.records import find_customer
    from crm_tui.services.sales import price_levels
    from crm_tui.services.stock.products import find_product

    if bool(price_class) == bool(customer):
        raise click.UsageError(_("Give either --class or --customer."))

    def work(s, actor):
        pid = find_product(s, product).id
        if customer:
            price_levels.set_customer_price(s, actor, find_customer(s, actor, customer).id, pid, price, basis)
        else:
            price_levels.set_class_price(s, actor, price_class, pid, price, basis)

    write_as_user(state, work)
    whom = customer or price_class
    click.echo(_("{product}: price for {whom} removed.").format(product=product, whom=whom) if not price.strip()
               else _("{product}: price for {whom} is {price}.").format(product=product, whom=whom, price=price))


# --- couriers -------------------------------------------------------------------------------------------------


@click.group("couriers")
def couriers_group() -> None:
    """Courier companies (快递公司) the tracking numbers are chosen from."""


@couriers_group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Also the ones taken off the list.")
@FORMAT
@pass_state
def couriers_list(state, show_all, fmt) -> None:
    from crm_tui.services.sales import couriers

    rows = read_as_user(state, lambda s, a: couriers.list_couriers(s, active_only=not show_all))
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table([_("Courier"), _("Phone"), _("Active")],
               [[r.name, r.phone, _("yes") if r.active else _("no")] for r in rows])


@couriers_group.command("add")
@click.argument("name")
@click.option("--phone", default=None)
@pass_state
def couriers_add(state, name, phone) -> None:
    from crm_tui.services.sales import couriers

    write_as_user(state, lambda s, a: couriers.add_courier(s, a, name, phone))
    click.echo(_("Courier {name} added.").format(name=name))


@couriers_group.command("disable")
@click.argument("name")
@pass_state
def couriers_disable(state, name) -> None:
    """Take a courier off the choices (old tracking numbers keep its name)."""
    from crm_tui.services.sales import couriers

    write_as_user(state, lambda s, a: couriers.set_active(s, a, name, False))
    click.echo(_("Courier {name} taken off the list.").format(name=name))


@couriers_group.command("enable")
@click.argument("name")
@pass_state
def couriers_enable(state, name) -> None:
    from crm_tui.services.sales import couriers

    write_as_user(state, lambda s, a: couriers.set_active(s, a, name, True))
    click.echo(_("Courier {name} is back on the list.").format(name=name))


def register(cli: click.Group) -> None:
    cli.add_command(credit_group)
    cli.add_command(dunning_group)
    cli.add_command(prices_group)
    cli.add_command(couriers_group)
