"""``crm customers …``: find, show, add, edit, archive customers; contacts and contact logs; transfer, share,
the public pool. Import and export live in cli/customers/files.py (``crm import customers``, ``crm export …``)."""

from __future__ import annotations

from datetime import datetime

import click

from crm_tui.cli.common import CliState, echo_json, echo_table, pass_state
from crm_tui.cli.customers.options import FORMAT, as_date, build_filter, customers_group, filter_options
from crm_tui.core.errors import ConflictError
from crm_tui.i18n import _, n_


def _row_json(r) -> dict:
    return {"code": r.code, "name": r.name, "short_name": r.short_name, "classification": r.classification,
            "industry": r.industry, "area": r.area, "address": r.address, "owner": r.owner, "status": r.status,
            "created_on": r.created_on, "last_contact_at": r.last_contact_at, "credit_limit": r.credit_limit,
            "contact": r.contact, "mobile": r.mobile, "phone": r.landline}


@customers_group.command("list")
@filter_options
@click.option("--sort", default="code", show_default=True,
              help="code, name (pinyin order), area, industry, owner, created_on, last_contact_at, credit_limit …")
@click.option("--desc", is_flag=True, help="Sort descending.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100000))
@click.option("--offset", default=0, type=click.IntRange(0))
@FORMAT
@pass_state
def list_cmd(state: CliState, sort, desc, limit, offset, fmt, **filters) -> None:
    """List the customers you may see."""
    from crm_tui.services.customers import search as cs

    actor = state.actor()

    def work(session):
        f = build_filter(session, **filters)
        rows = cs.list_page(session, actor, f, sort=sort, descending=desc, offset=offset, limit=limit)
        total = cs.count(session, actor, f)
        return rows, total
    rows, total = state.read(work)
    if fmt == "json":
        echo_json({"total": total, "customers": [_row_json(r) for r in rows]})
        return
    echo_table([_("Customer code"), _("Customer name"), _("Area"), _("Classification"), _("Salesperson"), _("Contact"), _("Mobile"),
                _("Last contact")],
               [[r.code, r.name, r.area, r.classification, r.owner or _("(pool)"), r.contact, r.mobile or r.landline,
                 r.last_contact_at.strftime("%Y-%m-%d") if r.last_contact_at else ""] for r in rows])
    click.echo(n_("{shown} of {total} customer", "{shown} of {total} customers", total).format(shown=len(rows), total=total))


@customers_group.command("show")
@click.argument("customer")
@FORMAT
@pass_state
def show_cmd(state: CliState, customer: str, fmt: str) -> None:
    """Show a customer (by code, id or exact name) with contacts and recent contact logs."""
    from crm_tui.services.customers import contact_logs, contacts
    from crm_tui.services.customers import records as customers

    actor = state.actor()

    def work(session):
        cid = customers.find_customer(session, actor, customer).id
        detail = customers.get_customer(session, actor, cid)
        people = contacts.list_contacts(session, actor, cid)
        logs = contact_logs.list_logs(session, actor, customer_id=cid, limit=20)
        return detail, logs, people
    detail, logs, people = state.read(work)
    if fmt == "json":
        data = {k: v for k, v in detail.__dict__.items() if k not in ("editable",)}
        data["contacts"] = [c.__dict__ for c in people]
        data["logs"] = [lg.__dict__ for lg in logs]
        echo_json(data)
        return
    fields = [(_("Customer code"), detail.code), (_("Customer name"), detail.name), (_("Short name"), detail.short_name),
              (_("Classification"), detail.classification), (_("Industry"), detail.industry),
              (_("Area"), detail.area), (_("Address"), detail.address), (_("Credit code"), detail.credit_code),
              (_("Credit limit"), detail.credit_limit), (_("Opening balance"), detail.opening_balance),
              (_("Salesperson"), detail.owner or _("(pool)")), (_("Shared with"), ", ".join(detail.shared_with)),
              (_("Status"), _(detail.status)), (_("Registered"), detail.created_on), (_("Remarks"), detail.remarks)]
    echo_table([_("Field"), _("Value")], [[k, v] for k, v in fields if v not in (None, "")])
    click.echo()
    echo_table([_("Contact"), _("Job title"), _("Mobile"), _("Phone"), _("E-mail"), _("Primary")],
               [[c.name, c.title, c.mobile, c.landline, c.email, "*" if c.is_primary else ""] for c in people])
    click.echo()
    echo_table([_("Time"), _("Contact kind"), _("By"), _("Summary"), _("Follow-up"), _("Review")],
               [[lg.at.strftime("%Y-%m-%d %H:%M"), _(lg.kind), lg.author, lg.summary, lg.next_follow_up,
                 lg.review_comment] for lg in logs])


def customer_options(fn):
    for option in reversed([
        click.option("--code", help="Customer code (default: the next number)."),
        click.option("--short-name"), click.option("--classification", help="Labels: A类,重点,县城."),
        click.option("--industry"), click.option("--area"), click.option("--address"),
        click.option("--credit-code", help="Unified social credit code (18 characters)."),
        click.option("--credit-limit"), click.option("--opening-balance"), click.option("--source"),
        click.option("--remarks"),
        click.option("--promotion-store", help="超市促销店 or 促销餐饮店 (促销店)."),
    ]):
        fn = option(fn)
    return fn


def _given(values: dict) -> dict:
    return {k: v for k, v in values.items() if v is not None}


@customers_group.command("add")
@click.argument("name")
@customer_options
@click.option("--owner", help="Salesperson (default: you; clerks may leave it empty for the pool).")
@click.option("--contact", "contact_name", help="Primary contact's name.")
@click.option("--mobile", help="Primary contact's mobile.")
@click.option("--phone", help="Primary contact's landline.")
@click.option("--allow-duplicate", is_flag=True, help="Add it even when a customer of the same name exists.")
@pass_state
def add_cmd(state: CliState, name, owner, contact_name, mobile, phone, allow_duplicate, **values) -> None:
    """Add a customer (and its primary contact); a name already used (ignoring case, spaces and full-width
    forms) is refused unless --allow-duplicate."""
    from crm_tui.services.admin import users
    from crm_tui.services.customers import contacts
    from crm_tui.services.customers import records as customers

    actor = state.actor()
    values = _given(values)

    def work(session):
        if owner:
            values["owner_id"] = users.find_user(session, owner).id
        try:
            cid = customers.create_customer(session, actor, name=name, allow_duplicate=allow_duplicate, **values)
        except customers.DuplicateName as exc:
            raise ConflictError(exc.message + " " + _("Add --allow-duplicate to add it all the same.")) from exc
        if contact_name or mobile or phone:
            contacts.add_contact(session, actor, cid, name=contact_name or name, mobile=mobile, landline=phone)
        return customers.get_customer(session, actor, cid).code
    code = state.run(work)
    click.echo(_("Customer {code} {name} added.").format(code=code, name=name))


@customers_group.command("edit")
@click.argument("customer")
@click.option("--name")
@customer_options
@pass_state
def edit_cmd(state: CliState, customer, **values) -> None:
    """Change a customer's fields (only the options given)."""
    from crm_tui.services.customers import records as customers

    actor = state.actor()
    values = _given(values)
    if not values:
        raise click.UsageError(_("Nothing to change: give at least one option."))

    def work(session):
        c = customers.find_customer(session, actor, customer)
        customers.update_customer(session, actor, c.id, c.version, **values)
    state.run(work)
    click.echo(_("Customer {code} changed.").format(code=customer))


@customers_group.command("archive")
@click.argument("codes", nargs=-1, required=True)
@click.option("--restore", is_flag=True, help="Make archived customers active again.")
@pass_state
def archive_cmd(state: CliState, codes, restore: bool) -> None:
    """Archive customers (they keep their history and leave the default lists)."""
    from crm_tui.services.customers import records as customers

    actor = state.actor()

    def work(session):
        for code in codes:
            c = customers.find_customer(session, actor, code)
            customers.set_status(session, actor, c.id, "active" if restore else "archived")
    state.run(work)
    click.echo(n_("{n} customer updated.", "{n} customers updated.", len(codes)).format(n=len(codes)))


@customers_group.command("set-promotion")
@click.argument("kind")
@click.argument("codes", nargs=-1, required=True)
@pass_state
def set_promotion_cmd(state: CliState, kind: str, codes) -> None:
    """Flag customers as promotion stores in one go: KIND is 超市促销店, 促销餐饮店, or "none" to clear."""
    from crm_tui.services.customers import records as customers

    actor = state.actor()
    value = None if kind.strip().lower() in ("none", "无", "") else kind

    def work(session):
        for code in codes:
            customers.set_promotion_store(session, actor, customers.find_customer(session, actor, code).id, value)
    state.run(work)
    click.echo(n_("{n} customer updated.", "{n} customers updated.", len(codes)).format(n=len(codes)))


@customers_group.command("delete")
@click.argument("customer")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def delete_cmd(state: CliState, customer: str, yes: bool) -> None:
    """Delete a customer entered by mistake (refused when it has history: archive it instead)."""
    import sys

    from crm_tui.services.customers import records as customers

    if not yes and sys.stdin.isatty():
        click.confirm(_("Delete customer {code}?").format(code=customer), abort=True)
    actor = state.actor()

    def work(session):
        customers.delete_customer(session, actor, customers.find_customer(session, actor, customer).id)
    state.run(work)
    click.echo(_("Customer {code} deleted.").format(code=customer))


def _ids(session, actor, codes) -> list[int]:
    from crm_tui.services.customers import records as customers

    return [customers.find_customer(session, actor, code).id for code in codes]


@customers_group.command("transfer")
@click.option("--from", "from_user", required=True, help="Current salesperson: login, staff number or name.")
@click.option("--to", "to_user", required=True, help="New salesperson.")
@click.argument("codes", nargs=-1)
@pass_state
def transfer_cmd(state: CliState, from_user: str, to_user: str, codes) -> None:
    """Transfer customers (all of --from's, or only CODES) with their open follow-ups to --to."""
    from crm_tui.services.admin import users
    from crm_tui.services.customers import transfer as customer_transfer

    actor = state.actor()

    def work(session):
        source = users.find_user(session, from_user)
        target = users.find_user(session, to_user)
        if codes:
            result = customer_transfer.transfer_from(session, actor, source.id, _ids(session, actor, codes), target.id)
        else:
            result = customer_transfer.transfer_all(session, actor, source.id, target.id)
        names = (source.display_name, target.display_name)
        return names, result
    names, result = state.run(work)
    click.echo(n_("{n} customer and {f} open follow-ups moved from {a} to {b}.",
                  "{n} customers and {f} open follow-ups moved from {a} to {b}.", result.customers).format(
        n=result.customers, f=result.follow_ups, a=names[0], b=names[1]))


@customers_group.command("share")
@click.argument("codes", nargs=-1, required=True)
@click.option("--with", "with_users", multiple=True, required=True, help="User to share with (repeatable).")
@click.option("--remove", is_flag=True, help="Stop sharing instead.")
@pass_state
def share_cmd(state: CliState, codes, with_users, remove: bool) -> None:
    """Share customers with colleagues (they see them and may log contacts)."""
    from crm_tui.services.admin import users
    from crm_tui.services.customers import transfer as customer_transfer

    actor = state.actor()

    def work(session):
        ids = _ids(session, actor, codes)
        user_ids = [users.find_user(session, u).id for u in with_users]
        if remove:
            n = customer_transfer.unshare(session, actor, ids, user_ids)
        else:
            n = customer_transfer.share(session, actor, ids, user_ids)
        return n
    n = state.run(work)
    click.echo((n_("{n} share removed.", "{n} shares removed.", n) if remove
                else n_("{n} share added.", "{n} shares added.", n)).format(n=n))


@customers_group.command("claim")
@click.argument("customer")
@pass_state
def claim_cmd(state: CliState, customer: str) -> None:
    """Take a customer from the public pool (公海)."""
    from crm_tui.services.customers import records as customers
    from crm_tui.services.customers import transfer as customer_transfer

    actor = state.actor()

    def work(session):
        customer_transfer.claim(session, actor, customers.find_customer(session, actor, customer).id)
    state.run(work)
    click.echo(_("Customer {code} is yours now.").format(code=customer))


@customers_group.command("release")
@click.argument("codes", nargs=-1, required=True)
@pass_state
def release_cmd(state: CliState, codes) -> None:
    """Put customers back into the public pool."""
    from crm_tui.services.customers import transfer as customer_transfer

    actor = state.actor()

    def work(session):
        return customer_transfer.release(session, actor, _ids(session, actor, codes))
    result = state.run(work)
    click.echo(n_("{n} customer returned to the public pool.", "{n} customers returned to the public pool.",
                  result.customers).format(n=result.customers))


@customers_group.command("pool-return")
@click.option("--days", type=click.IntRange(1), help="Days without contact (default: the setting "
                                                     "customers.pool_return_days; 0 there means off).")
@pass_state
def pool_return_cmd(state: CliState, days) -> None:
    """Send customers with no contact for N days back to the public pool."""
    from crm_tui.services.customers import pool

    actor = state.actor()

    def work(session):  # the former owners are told (audit notice, log line, pool.NOTICE_HOOKS)
        return pool.return_idle(session, actor, days)
    result = state.run(work)
    click.echo(n_("{n} customer returned to the public pool.", "{n} customers returned to the public pool.",
                  result.customers).format(n=result.customers))


@customers_group.command("contact")
@click.argument("customer")
@click.argument("name")
@click.option("--title")
@click.option("--mobile")
@click.option("--phone", "landline")
@click.option("--email")
@click.option("--wechat")
@click.option("--birthday")
@click.option("--primary", "is_primary", is_flag=True, default=None, help="Make this the primary contact.")
@pass_state
def contact_cmd(state: CliState, customer: str, name: str, **values) -> None:
    """Add a contact to a customer."""
    from crm_tui.services.customers import contacts
    from crm_tui.services.customers import records as customers

    actor = state.actor()

    def work(session):
        cid = customers.find_customer(session, actor, customer).id
        contacts.add_contact(session, actor, cid, name=name, **_given(values))
    state.run(work)
    click.echo(_("Contact {name} added to {code}.").format(name=name, code=customer))


@customers_group.command("log")
@click.argument("customer")
@click.option("--kind", type=click.Choice(["visit", "phone", "wechat", "email", "other"]), default="visit",
              show_default=True)
@click.option("--summary", required=True)
@click.option("--contact", "contact_name", help="The contact spoken to (name).")
@click.option("--at", "at", help="When (YYYY-MM-DD HH:MM; default now).")
@click.option("--result")
@click.option("--next-step")
@click.option("--next-date", "next_follow_up", callback=as_date, help="Follow-up date.")
@pass_state
def log_cmd(state: CliState, customer: str, kind, summary, contact_name, at, result, next_step,
            next_follow_up) -> None:
    """Record a contact (联系记录) with a customer."""
    from crm_tui.services.customers import contact_logs, contacts
    from crm_tui.services.customers import records as customers

    actor = state.actor()
    when = None
    if at:
        try:
            when = datetime.fromisoformat(at.replace("/", "-"))
        except ValueError as exc:
            raise click.BadParameter(_("expected a time such as 2026-11-03 14:30"), param_hint="--at") from exc

    def work(session):
        cid = customers.find_customer(session, actor, customer).id
        contact_id = None
        if contact_name:
            match = [c for c in contacts.list_contacts(session, actor, cid) if c.name == contact_name]
            if not match:
                raise click.ClickException(_("{code} has no contact called {name}.").format(code=customer,
                                                                                           name=contact_name))
            contact_id = match[0].id
        log_id = contact_logs.add_log(session, actor, cid, kind, summary, at=when, contact_id=contact_id,
                                      result=result, next_step=next_step, next_follow_up=next_follow_up)
        return log_id
    log_id = state.run(work)
    click.echo(_("Contact log {id} recorded.").format(id=log_id))


def _echo_logs(rows, fmt: str) -> None:
    if fmt == "json":
        echo_json([r.__dict__ for r in rows])
        return
    echo_table([_("Id"), _("Time"), _("Customer"), _("Contact kind"), _("By"), _("Summary"), _("Follow-up"), _("Review")],
               [[r.id, r.at.strftime("%Y-%m-%d %H:%M"), r.customer_name, _(r.kind), r.author, r.summary,
                 r.next_follow_up, r.review_comment] for r in rows])


@customers_group.command("logs")
@click.argument("customer", required=False)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1))
@FORMAT
@pass_state
def logs_cmd(state: CliState, customer, limit, fmt) -> None:
    """Contact logs you may see, newest first (of one customer when given)."""
    from crm_tui.services.customers import contact_logs
    from crm_tui.services.customers import records as customers

    actor = state.actor()

    def work(session):
        cid = customers.find_customer(session, actor, customer).id if customer else None
        return contact_logs.list_logs(session, actor, customer_id=cid, limit=limit)
    rows = state.read(work)
    _echo_logs(rows, fmt)


@customers_group.command("queue")
@FORMAT
@pass_state
def queue_cmd(state: CliState, fmt) -> None:
    """Your review queue: unreviewed contact logs of the people below you."""
    from crm_tui.services.customers import contact_logs

    actor = state.actor()
    _echo_logs(state.read(lambda session: contact_logs.review_queue(session, actor)), fmt)


@customers_group.command("review")
@click.argument("log_id", type=int)
@click.option("--comment", required=True, help="Your comment (批复); the author reads it.")
@pass_state
def review_cmd(state: CliState, log_id: int, comment: str) -> None:
    """Review a subordinate's contact log with a comment."""
    from crm_tui.services.customers import contact_logs

    actor = state.actor()

    def work(session):
        contact_logs.review_log(session, actor, log_id, comment)
    state.run(work)
    click.echo(_("Contact log {id} reviewed.").format(id=log_id))


@customers_group.command("follow-ups")
@click.option("--due", callback=as_date, help="Only those due on or before this date.")
@FORMAT
@pass_state
def follow_ups_cmd(state: CliState, due, fmt) -> None:
    """Your open follow-ups."""
    from crm_tui.services.customers import contact_logs

    actor = state.actor()
    _echo_logs(state.read(lambda session: contact_logs.open_follow_ups(session, actor, due_by=due)), fmt)


@customers_group.command("rank")
@click.option("--from", "start", callback=as_date, required=True)
@click.option("--to", "end", callback=as_date, required=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1))
@FORMAT
@pass_state
def rank_cmd(state: CliState, start, end, limit, fmt) -> None:
    """Rank your visible customers by sales in the period (by contacts when there are no sales)."""
    from crm_tui.services.customers.search import rank_customers

    actor = state.actor()

    def work(session):
        return rank_customers(session, actor, start, end, limit)
    ranking = state.read(work)
    if fmt == "json":
        echo_json({"by": ranking.by, "rows": [r.__dict__ for r in ranking.rows]})
        return
    echo_table(["#", _("Customer code"), _("Customer name"), _("Salesperson"), _("Sales"), _("Contacts")],
               [[r.rank, r.code, r.name, r.owner, r.sales, r.contacts] for r in ranking.rows])


@customers_group.command("reindex")
@pass_state
def reindex_cmd(state: CliState) -> None:
    """Rebuild pinyin and the search index of every customer (repair; after restoring old data)."""
    from crm_tui.services.admin import permissions
    from crm_tui.services.customers.search import reindex_all

    actor = state.actor()
    permissions.require(actor, "admin.customers")

    def work(session):
        return reindex_all(session)
    n = state.run(work)
    click.echo(n_("{n} customer reindexed.", "{n} customers reindexed.", n).format(n=n))


def register(cli: click.Group) -> None:
    cli.add_command(customers_group)
