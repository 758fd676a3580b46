"""``crm tickets …`` (after-sales service tickets, 客户服务与支持) and ``crm report tickets``.

A ticket is named by its number (TK202611-0001) or id; a customer by code, id or exact name; a user by login,
staff number or name. Every command acts as the logged-in user and sees what the customer rule lets them see.
"""

from __future__ import annotations

import click

from crm_tui.cli.common import CliState, echo_json, echo_table, pass_state
from crm_tui.cli.groups import report_group
from crm_tui.i18n import _

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
STATUSES = ["new", "in_progress", "waiting", "resolved", "closed"]


@click.group("tickets")
def tickets_group() -> None:
    """After-sales service tickets (客户服务与支持): open, assign, follow up, resolve, close, reopen."""


def _time(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _row_json(r) -> dict:
    return {"number": r.number, "customer_code": r.customer_code, "customer_name": r.customer_name,
            "contact": r.contact, "order": r.order_number, "product": r.product, "kind": r.kind,
            "priority": r.priority, "subject": r.subject, "description": r.description, "assignee": r.assignee,
            "status": r.status, "opened_at": r.opened_at, "due_at": r.due_at, "resolved_at": r.resolved_at,
            "closed_at": r.closed_at, "resolution": r.resolution, "satisfaction": r.satisfaction,
            "reopen_count": r.reopen_count, "overdue": r.overdue}


def _echo_rows(rows, fmt: str) -> None:
    from crm_tui.services.tickets import states

    if fmt == "json":
        echo_json({"total": len(rows), "tickets": [_row_json(r) for r in rows]})
        return
    echo_table([_("Ticket"), _("Customer"), _("Kind"), _("Priority"), _("Status"), _("Assignee"), _("Due by"),
                _("Subject")],
               [[r.number, r.customer_name, states.kind_label(r.kind), states.priority_label(r.priority),
                 states.status_label(r.status) + (" " + _("(overdue)") if r.overdue else ""), r.assignee or "",
                 _time(r.due_at), r.subject] for r in rows])


@tickets_group.command("add")
@click.argument("customer")
@click.option("--kind", required=True, help="inquiry|complaint|repair|return, or 咨询|投诉|维修|退换货.")
@click.option("--subject", required=True, help="What the customer asks or reports, in one line.")
@click.option("--priority", help="low|normal|high|urgent (default: the setting tickets.default_priority).")
@click.option("--description", help="More detail.")
@click.option("--contact", "contact_name", help="The customer's contact (name).")
@click.option("--order", help="The sales order it is about (number or 订单号).")
@click.option("--product", help="The product it is about (code, barcode or name).")
@click.option("--assignee", help="Who handles it (login, staff number or name).")
@FORMAT
@pass_state
def add_cmd(state: CliState, customer, kind, subject, priority, description, contact_name, order, product,
            assignee, fmt) -> None:
    """Open a ticket for a customer; its due time follows the SLA of its priority."""
    from crm_tui.services.admin import users
    from crm_tui.services.customers import contacts
    from crm_tui.services.customers import records as customers
    from crm_tui.services.sales.orders import find_order
    from crm_tui.services.stock.products import find_product
    from crm_tui.services.tickets import records as tickets

    actor = state.actor()

    def work(session):
        cid = customers.find_customer(session, actor, customer).id
        contact_id = None
        if contact_name:
            match = [c for c in contacts.list_contacts(session, actor, cid) if c.name == contact_name]
            if not match:
                raise click.ClickException(_("{code} has no contact called {name}.").format(
                    code=customer, name=contact_name))
            contact_id = match[0].id
        return tickets.add_ticket(
            session, actor, cid, kind, subject, priority=priority, description=description, contact_id=contact_id,
            order_id=find_order(session, actor, order) if order else None,
            product_id=find_product(session, product).id if product else None,
            assignee_id=users.find_user(session, assignee).id if assignee else None)
    row = state.run(work)
    if fmt == "json":
        echo_json(_row_json(row))
        return
    click.echo(_("Ticket {number} opened for {customer}; due {due}.").format(
        number=row.number, customer=row.customer_name, due=_time(row.due_at)))


@tickets_group.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only tickets in this status.")
@click.option("--open", "open_only", is_flag=True, help="Only open tickets (new, in progress, waiting).")
@click.option("--assignee", help="Only this person's tickets (login, staff number or name).")
@click.option("--mine", is_flag=True, help="Only tickets assigned to me.")
@click.option("--customer", help="Only this customer's tickets (code, id or name).")
@click.option("--overdue", is_flag=True, help="Only open tickets past their due time, earliest first.")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 100000))
@FORMAT
@pass_state
def list_cmd(state: CliState, status, open_only, assignee, mine, customer, overdue, limit, fmt) -> None:
    """List the tickets you may see."""
    from crm_tui.services.admin import users
    from crm_tui.services.customers import records as customers
    from crm_tui.services.tickets import records as tickets

    actor = state.actor()
    if mine and assignee:
        raise click.UsageError(_("Give --mine or --assignee, not both."))

    def work(session):
        assignee_id = actor.id if mine else (users.find_user(session, assignee).id if assignee else None)
        cid = customers.find_customer(session, actor, customer).id if customer else None
        return tickets.list_tickets(session, actor, status=status, assignee_id=assignee_id, customer_id=cid,
                                    overdue=overdue, open_only=open_only, limit=limit)
    _echo_rows(state.read(work), fmt)


@tickets_group.command("show")
@click.argument("ticket")
@FORMAT
@pass_state
def show_cmd(state: CliState, ticket: str, fmt: str) -> None:
    """Show a ticket with its follow-ups."""
    from crm_tui.services.tickets import records as tickets
    from crm_tui.services.tickets import states

    actor = state.actor()
    detail = state.read(lambda s: tickets.get_ticket(s, actor, tickets.find_ticket(s, actor, ticket)))
    t = detail.ticket
    if fmt == "json":
        data = _row_json(t)
        data["logs"] = [{"at": lg.at, "author": lg.author, "action": lg.action, "text": lg.text}
                        for lg in detail.logs]
        data["actions"] = detail.actions
        echo_json(data)
        return
    fields = [(_("Ticket"), t.number), (_("Customer"), f"{t.customer_code} {t.customer_name}"),
              (_("Contact"), t.contact), (_("Sales order"), t.order_number), (_("Product"), t.product),
              (_("Kind"), states.kind_label(t.kind)), (_("Priority"), states.priority_label(t.priority)),
              (_("Status"), states.status_label(t.status)), (_("Assignee"), t.assignee),
              (_("Opened"), _time(t.opened_at)),
              (_("Due by"), _time(t.due_at) + (" " + _("(overdue)") if t.overdue else "")),
              (_("Subject"), t.subject), (_("Problem description"), t.description), (_("Resolution"), t.resolution),
              (_("Satisfaction"), f"{t.satisfaction}/5" if t.satisfaction else None)]
    echo_table([_("Field"), _("Value")], [[k, v] for k, v in fields if v not in (None, "")])
    click.echo()
    echo_table([_("Time"), _("By"), _("Action"), _("Follow-up")],
               [[_time(lg.at), lg.author or "", states.log_action_label(lg.action), lg.text] for lg in detail.logs])


def _act(state: CliState, ticket: str, do) -> str:
    """Run ``do(session, actor, ticket_id)`` on a visible ticket; returns the ticket's number."""
    from crm_tui.services.tickets import records as tickets

    actor = state.actor()

    def work(session):
        tid = tickets.find_ticket(session, actor, ticket)
        do(session, actor, tid)
        return tickets.get_ticket(session, actor, tid).ticket
    return state.run(work)


@tickets_group.command("assign")
@click.argument("ticket")
@click.argument("user")
@pass_state
def assign_cmd(state: CliState, ticket: str, user: str) -> None:
    """Give an open ticket to someone (yourself: take it)."""
    from crm_tui.services.admin import users
    from crm_tui.services.tickets import records as tickets

    row = _act(state, ticket, lambda s, a, tid: tickets.assign(s, a, tid, users.find_user(s, user).id))
    click.echo(_("Ticket {number} assigned to {name}.").format(number=row.number, name=row.assignee))


@tickets_group.command("log")
@click.argument("ticket")
@click.argument("text")
@click.option("--status", type=click.Choice(["in_progress", "waiting"]),
              help="Move the ticket too: in_progress (处理中) or waiting for the customer (待客户).")
@pass_state
def log_cmd(state: CliState, ticket: str, text: str, status) -> None:
    """Add a follow-up to a ticket."""
    from crm_tui.services.tickets import records as tickets
    from crm_tui.services.tickets import states

    row = _act(state, ticket, lambda s, a, tid: tickets.add_log(s, a, tid, text, status=status))
    click.echo(_("Follow-up added to ticket {number} ({status}).").format(
        number=row.number, status=states.status_label(row.status)))


@tickets_group.command("resolve")
@click.argument("ticket")
@click.option("--resolution", required=True, help="What was done.")
@pass_state
def resolve_cmd(state: CliState, ticket: str, resolution: str) -> None:
    """Mark a ticket resolved (已解决)."""
    from crm_tui.services.tickets import records as tickets

    row = _act(state, ticket, lambda s, a, tid: tickets.resolve(s, a, tid, resolution))
    click.echo(_("Ticket {number} resolved.").format(number=row.number))


@tickets_group.command("close")
@click.argument("ticket")
@click.option("--satisfaction", required=True, type=click.IntRange(1, 5),
              help="The customer's satisfaction, 1 (very unhappy) to 5 (very happy).")
@click.option("--note", help="What the customer said.")
@pass_state
def close_cmd(state: CliState, ticket: str, satisfaction: int, note) -> None:
    """Close a resolved ticket (已关闭) with the customer's satisfaction score."""
    from crm_tui.services.tickets import records as tickets

    row = _act(state, ticket, lambda s, a, tid: tickets.close(s, a, tid, satisfaction, note))
    click.echo(_("Ticket {number} closed.").format(number=row.number))


@tickets_group.command("reopen")
@click.argument("ticket")
@click.option("--reason", required=True, help="Why it is not done.")
@pass_state
def reopen_cmd(state: CliState, ticket: str, reason: str) -> None:
    """Reopen a resolved or closed ticket: back to in progress, with a new due time."""
    from crm_tui.services.tickets import records as tickets

    row = _act(state, ticket, lambda s, a, tid: tickets.reopen(s, a, tid, reason))
    click.echo(_("Ticket {number} reopened; due {due}.").format(number=row.number, due=_time(row.due_at)))


@report_group.command("tickets")
@FORMAT
@pass_state
def report_tickets_cmd(state: CliState, fmt: str) -> None:
    """Service tickets: counts by status, kind and priority, overdue, average resolution hours and satisfaction."""
    from crm_tui.services.tickets import states
    from crm_tui.services.tickets.records import now
    from crm_tui.services.tickets.report import report_json, ticket_report

    actor = state.actor()
    at = now()
    report = state.read(lambda s: ticket_report(s, actor, at))
    if fmt == "json":
        echo_json(report_json(report))
        return
    rows = [[_("Total"), report.total], [_("Overdue"), report.overdue]]
    rows += [[states.status_label(k), v] for k, v in report.by_status.items()]
    rows += [[states.kind_label(k), v] for k, v in report.by_kind.items()]
    rows += [[states.priority_label(k), v] for k, v in report.by_priority.items()]
    rows += [[_("Average resolution hours"), report.avg_resolution_hours if report.avg_resolution_hours is not None
              else "-"],
             [_("Average satisfaction"), report.avg_satisfaction if report.avg_satisfaction is not None else "-"]]
    echo_table([_("Tickets"), _("Count")], rows)


def register(cli: click.Group) -> None:
    cli.add_command(tickets_group)
