"""Opportunity commands: ``crm opportunities add|list|show|move|win|lose|quote`` and ``crm report funnel``.

Every command acts as the user of ``CRM_USER``/``CRM_PASSWORD`` and sees the opportunities of the customers
that user may see. ``report funnel`` is attached to the shared ``crm report`` group from here.
"""

from __future__ import annotations

import click

from crm_tui.cli.common import echo_json, echo_table, pass_state
from crm_tui.cli.groups import report_group
from crm_tui.cli.sales.common import FORMAT, money, parse_day, qty, read_as_user, write_as_user
from crm_tui.i18n import _


@click.group("opportunities")
def opportunities_group() -> None:
    """Opportunities (机会): add, list, show, move through the stages, win (makes the order), lose."""


def _lines(values: tuple[str, ...]):
    """``--line P001=10@45.5`` -> (product key, quantity, price or None)."""
    out = []
    for value in values:
        product, sep, rest = value.partition("=")
        quantity, _at, price = rest.partition("@")
        if not sep or not product.strip() or not quantity.strip():
            raise click.BadParameter(_("{value!r}: expected PRODUCT=QTY or PRODUCT=QTY@PRICE, such as P001=10@45.5.")
                                     .format(value=value), param_hint="--line")
        out.append((product.strip(), quantity.strip(), price.strip() or None))
    return out


@opportunities_group.command("add")
@click.option("--customer", required=True, metavar="CODE", help="The customer (code or exact name).")
@click.option("--title", required=True, help="What the customer may buy.")
@click.option("--contact", metavar="NAME", help="One of the customer's contacts, by name.")
@click.option("--owner", metavar="LOGIN", help="Salesperson in charge (default: the customer's).")
@click.option("--source", help="Where it came from (展会, 老客户介绍 …).")
@click.option("--amount", help="Expected amount (ignored when --line is given: the lines' sum).")
@click.option("--close", "close_day", metavar="DATE", help="Expected close date (YYYY-MM-DD).")
@click.option("--next-step", help="The next step.")
@click.option("--next-date", metavar="DATE", help="When the next step is due.")
@click.option("--stage", help="Stage to start in (code or name; default the first).")
@click.option("--line", "lines", multiple=True, metavar="PRODUCT=QTY[@PRICE]",
              help="A product line; PRICE is the expected tax-inclusive unit price (default the list price).")
@FORMAT
@pass_state
def opportunities_add(state, customer, title, contact, owner, source, amount, close_day, next_step, next_date, stage,
                      lines, fmt) -> None:
    """Add an opportunity; prints its number."""
    from crm_tui.services.opportunities import records
    from crm_tui.services.sales.documents import find_customer
    from crm_tui.services.stock.products import find_product

    close, next_day = parse_day(close_day, "--close"), parse_day(next_date, "--next-date")
    wanted = _lines(lines)

    def work(s, actor):
        c = find_customer(s, actor, customer)
        contact_id = records.find_contact(s, c.id, contact, "--contact") if contact else None
        owner_id = records.find_owner(s, actor, owner) if owner else None
        line_in = [records.LineIn(find_product(s, p).id, q, price) for p, q, price in wanted]
        oid = records.add_opportunity(s, actor, c.id, title, contact_id=contact_id, owner_id=owner_id, source=source,
                                      expected_amount=amount, expected_close=close, next_step=next_step,
                                      next_step_date=next_day, lines=line_in, stage=stage)
        return records.get_opportunity(s, actor, oid)

    v = write_as_user(state, work)
    if fmt == "json":
        echo_json(v.as_json())
        return
    click.echo(_("Opportunity {number} added: {title}, {stage}, {amount}.").format(
        number=v.number, title=v.title, stage=v.stage.name, amount=money(v.expected_amount)))


@opportunities_group.command("list")
@click.option("--owner", metavar="LOGIN", help="Only this salesperson's (login or name).")
@click.option("--stage", help="Only this stage (code or name).")
@click.option("--customer", metavar="CODE", help="Only this customer's.")
@click.option("--from", "date_from", metavar="DATE", help="Expected to close on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", metavar="DATE", help="Expected to close on or before.")
@click.option("--status", type=click.Choice(["open", "won", "lost", "closed"]), help="Open, won, lost or closed.")
@click.option("--search", default="", help="Number, title or customer contains this.")
@click.option("--limit", type=int, default=500, show_default=True)
@FORMAT
@pass_state
def opportunities_list(state, owner, stage, customer, date_from, date_to, status, search, limit, fmt) -> None:
    """The opportunities you may see: open ones by expected close, then closed ones."""
    from crm_tui.services.opportunities import records
    from crm_tui.services.opportunities import stages as st
    from crm_tui.services.sales.documents import find_customer

    start, end = parse_day(date_from, "--from"), parse_day(date_to, "--to")

    def work(s, actor):
        return records.list_opportunities(
            s, actor, owner_id=records.find_owner(s, actor, owner) if owner else None,
            stage_id=st.find_stage(s, stage).id if stage else None,
            customer_id=find_customer(s, actor, customer).id if customer else None,
            close_from=start, close_to=end, status=status, text=search, limit=limit)

    rows = read_as_user(state, work)
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table([_("Number"), _("Title"), _("Customer"), _("Salesperson"), _("Stage"), _("Amount"), _("Weighted"),
                _("Expected close"), _("Next step")],
               [[r.number, r.title, r.customer_name, r.owner_name, r.stage, money(r.expected_amount), money(r.weighted),
                 r.expected_close, r.next_step] for r in rows])


@opportunities_group.command("show")
@click.argument("number")
@FORMAT
@pass_state
def opportunities_show(state, number, fmt) -> None:
    """One opportunity (by number or #id) with its products and stage history."""
    from crm_tui.services.opportunities import records

    v = read_as_user(state, lambda s, a: records.get_opportunity(s, a, records.find_opportunity(s, a, number)))
    if fmt == "json":
        echo_json(v.as_json())
        return
    click.echo(f"{v.number}  {v.title}  {v.stage.name} ({v.stage.probability:.0%})")
    click.echo(_("Customer: {code} {name}").format(code=v.customer_code, name=v.customer_name))
    click.echo(_("Salesperson: {owner}   Contact: {contact}   Source: {source}").format(
        owner=v.owner_name or "", contact=v.contact_name or "", source=v.source or ""))
    click.echo(_("Expected: {amount} by {close} (weighted {weighted})").format(
        amount=money(v.expected_amount), close=v.expected_close or "-", weighted=money(v.weighted)))
    if v.next_step:
        click.echo(_("Next step: {step} {day}").format(step=v.next_step, day=v.next_step_date or "").rstrip())
    if v.quote_number:
        click.echo(_("Quote: {number}").format(number=v.quote_number))
    if v.order_number:
        click.echo(_("Order: {number}").format(number=v.order_number))
    if v.lost_reason:
        click.echo(_("Lost: {reason} {note}").format(reason=v.lost_reason, note=v.lost_note or "").rstrip())
    if v.lines:
        echo_table([_("Line"), _("Code"), _("Product"), _("Quantity"), _("Price"), _("Amount")],
                   [[ln.line_no, ln.product_code, ln.product_name, qty(ln.quantity), money(ln.expected_price),
                     money(ln.amount)] for ln in v.lines])
    click.echo(_("Stage history:"))
    for h in v.history:
        click.echo(f"  {h.at:%Y-%m-%d %H:%M}  {h.from_stage or '-'} → {h.to_stage}  {h.by or ''}  {h.note or ''}"
                   .rstrip())


@opportunities_group.command("move")
@click.argument("number")
@click.argument("stage")
@click.option("--note", help="Why (kept in the stage history).")
@pass_state
def opportunities_move(state, number, stage, note) -> None:
    """Move an opportunity to another open stage (code or name); the stage's entry criteria must hold."""
    from crm_tui.services.opportunities import records

    target = write_as_user(state, lambda s, a: records.move(s, a, records.find_opportunity(s, a, number), stage,
                                                           note=note))
    click.echo(_("Opportunity {number} moved to {stage}.").format(number=number, stage=target.name))


@opportunities_group.command("win")
@click.argument("number")
@click.option("--quote", "quote_key", metavar="NUMBER", help="The accepted quote, if not the linked one.")
@click.option("--order-date", metavar="DATE", help="Date of the order (default today).")
@pass_state
def opportunities_win(state, number, quote_key, order_date) -> None:
    """Win an opportunity: its quote becomes a sales order (a draft, to confirm as usual)."""
    from crm_tui.services.opportunities import records
    from crm_tui.services.sales import quotes

    day = parse_day(order_date, "--order-date")

    def work(s, a):
        oid = records.find_opportunity(s, a, number)
        qid = quotes.find_quote(s, a, quote_key) if quote_key else None
        return records.win(s, a, oid, quote_id=qid, order_date=day)

    result = write_as_user(state, work)
    if result.made:
        click.echo(_("Opportunity {number} won: order {order} made from quote {quote}.").format(
            number=number, order=result.order_label, quote=result.quote_number))
    else:
        click.echo(_("Opportunity {number} won: quote {quote} had already become order {order}.").format(
            number=number, order=result.order_label, quote=result.quote_number))


@opportunities_group.command("lose")
@click.argument("number")
@click.option("--reason", required=True, help="One of the lost reasons in the settings ([opportunities]).")
@click.option("--note", help="More words on why.")
@pass_state
def opportunities_lose(state, number, reason, note) -> None:
    """Mark an opportunity lost, with a reason from the list."""
    from crm_tui.services.opportunities import records

    write_as_user(state, lambda s, a: records.lose(s, a, records.find_opportunity(s, a, number), reason, note=note))
    click.echo(_("Opportunity {number} lost: {reason}.").format(number=number, reason=reason))


@opportunities_group.command("quote")
@click.argument("number")
@pass_state
def opportunities_quote(state, number) -> None:
    """Make a draft quote from an opportunity's products and link it."""
    from crm_tui.services.opportunities import records

    qid = write_as_user(state, lambda s, a: records.make_quote(s, a, records.find_opportunity(s, a, number)))
    click.echo(_("Quote #{id} (draft) made from opportunity {number}.").format(id=qid, number=number))


@opportunities_group.command("stages")
@FORMAT
@pass_state
def opportunities_stages(state, fmt) -> None:
    """The stages of the funnel, their probabilities and entry criteria."""
    from crm_tui.services.opportunities import stages as st

    rows = read_as_user(state, lambda s, a: st.list_stages(s) or st.default_stage_views())
    if fmt == "json":
        echo_json([{"code": r.code, "stage": r.name, "probability": f"{r.probability:.2f}", "outcome": r.outcome,
                    "criteria": list(r.criteria)} for r in rows])
        return
    echo_table([_("Code"), _("Stage"), _("Probability"), _("Needs")],
               [[r.code, r.name, f"{r.probability:.0%}", _(", ").join(_(st.CRITERIA.get(c, c)) for c in r.criteria)]
                for r in rows])


@report_group.command("funnel")
@click.option("--from", "date_from", metavar="DATE", help="Closed, or expected to close, on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", metavar="DATE", help="Closed, or expected to close, on or before.")
@click.option("--owner", metavar="LOGIN", help="Only this salesperson's opportunities.")
@FORMAT
@pass_state
def report_funnel(state, date_from, date_to, owner, fmt) -> None:
    """The sales funnel: count, amount and weighted amount per stage; as a table also the forecast by month,
    stage-to-stage conversion, days in each stage and lost reasons. JSON: one object per stage."""
    from crm_tui.services.opportunities import funnel, records

    start, end = parse_day(date_from, "--from"), parse_day(date_to, "--to")

    def work(s, actor):
        owner_id = records.find_owner(s, actor, owner) if owner else None
        return funnel.funnel(s, actor, date_from=start, date_to=end, owner_id=owner_id)

    f = read_as_user(state, work)
    if fmt == "json":
        echo_json([row.as_json() for row in f.stages])
        return
    echo_table([_("Stage"), _("Probability"), _("Count"), _("Amount"), _("Weighted")],
               [[r.name, f"{r.probability:.0%}", r.count, money(r.amount), money(r.weighted)] for r in f.stages])
    click.echo("")
    click.echo(_("Weighted forecast by expected close month:"))
    echo_table([_("Month"), _("Count"), _("Amount"), _("Weighted")],
               [[m.month or _("(no date)"), m.count, money(m.amount), money(m.weighted)] for m in f.forecast])
    click.echo("")
    click.echo(_("Conversion:"))
    echo_table([_("From"), _("To"), _("Reached"), _("Moved on"), _("Rate")],
               [[c.from_stage, c.to_stage, c.reached, c.moved_on, "" if c.rate is None else f"{c.rate:.1%}"]
                for c in f.conversion])
    click.echo("")
    echo_table([_("Stage"), _("Average days"), _("Samples")],
               [[d.stage, "" if d.average_days is None else d.average_days, d.samples] for d in f.days])
    if f.lost:
        click.echo("")
        click.echo(_("Lost reasons:"))
        echo_table([_("Reason"), _("Count"), _("Amount")], [[r.reason, r.count, money(r.amount)] for r in f.lost])


def register(cli: click.Group) -> None:
    cli.add_command(opportunities_group)
