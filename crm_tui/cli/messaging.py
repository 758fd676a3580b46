"""Messaging commands: ``crm templates add|list|preview``, ``crm messages send|outbox|send-pending|retry|consent``,
``crm messages lists add|list``, ``crm campaigns add|run|report|list``.

(``crm print-templates`` is the printed documents' templates, another thing.)
"""

from __future__ import annotations

from datetime import date

import click

from crm_tui.cli.common import CliState, echo_json, echo_table, pass_state
from crm_tui.i18n import _

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                      show_default=True, help="Output format.")


def _date(value: str | None, option: str) -> date | None:
    from crm_tui.core.errors import ValidationError

    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(_("{option}: expected a date like 2026-11-30, got {value}").format(
            option=option, value=value)) from None


# --- templates ----------------------------------------------------------------------------------------------

@click.group("templates")
def templates_group() -> None:
    """Message templates (e-mail, SMS) with merge fields such as {客户名称}."""


@templates_group.command("add")
@click.argument("name")
@click.option("--channel", type=click.Choice(["email", "sms"]), required=True)
@click.option("--subject", default="", help="E-mail subject (merge fields allowed).")
@click.option("--body", required=True, help="Text with merge fields, e.g. '{联系人}您好，订单{订单号}已确认。'")
@click.option("--trigger", "triggers", multiple=True,
              help="Send by itself on: order_confirmed, shipment_confirmed, receipt_recorded, receivable_overdue, "
                   "ticket_resolved, birthday, spring_festival, mid_autumn (repeat for several).")
@click.option("--overdue-days", type=int, help="For receivable_overdue: days past due.")
@pass_state
def templates_add(state: CliState, name, channel, subject, body, triggers, overdue_days) -> None:
    """Add a template; an unknown merge field is refused, naming it."""
    from crm_tui.services.messaging import merge, templates

    actor = state.actor()
    state.run(lambda s: templates.add_template(s, actor, name, channel, body.replace("\\n", "\n"), subject=subject,
                                               triggers=triggers, overdue_days=overdue_days))
    units, parts, _enc = merge.sms_length(body)
    extra = _(" ({units} characters, {parts} SMS before merging)").format(units=units, parts=parts) \
        if channel == "sms" else ""
    click.echo(_("Template {name} added.").format(name=name) + extra)


@templates_group.command("list")
@FORMAT
@pass_state
def templates_list(state: CliState, fmt) -> None:
    from crm_tui.services.messaging import templates

    actor = state.actor()
    rows = state.read(lambda s: templates.list_templates(s, actor))
    if fmt == "json":
        echo_json({"templates": [r.as_json() for r in rows]})
        return
    echo_table([_("Name"), _("Channel"), _("Subject"), _("Triggers"), _("Active")],
               [[r.name, r.channel, r.subject, ",".join(r.triggers), _("yes") if r.active else _("no")]
                for r in rows])


@templates_group.command("preview")
@click.argument("name")
@click.option("--customer", "customer", required=True, help="Customer code to fill the fields from.")
@click.option("--order", help="One of the customer's order numbers (for {订单号} {金额} …).")
@FORMAT
@pass_state
def templates_preview(state: CliState, name, customer, order, fmt) -> None:
    """The template filled from a real customer (and order), with the SMS length."""
    from crm_tui.services.messaging import templates

    actor = state.actor()
    p = state.read(lambda s: templates.preview(s, actor, name, customer, order_number=order))
    if fmt == "json":
        echo_json(p.as_json())
        return
    if p.subject:
        click.echo(_("Subject: {subject}").format(subject=p.subject))
    click.echo(p.body)
    click.echo(_("{units} characters ({encoding}), {parts} SMS").format(units=p.units, encoding=p.encoding,
                                                                      parts=p.parts))


# --- messages -----------------------------------------------------------------------------------------------

@click.group("messages")
def messages_group() -> None:
    """Send messages, the outbox, consent and target lists."""


def _deliver(state: CliState, ids: list[int] | None = None, scan: bool = False):
    from crm_tui.services.messaging import outbox, triggers

    if scan:
        state.run(lambda s: triggers.scan_dates(s), actor=None)
    return outbox.deliver_pending(state.engine(), ids=ids)


STATUS_LABELS = {"queued": "queued", "sending": "sending", "sent": "sent", "failed": "failed",
                 "uncertain": "uncertain", "skipped": "skipped (opted out)", "no_address": "no address",
                 "would_send": "would send"}


@messages_group.command("send")
@click.option("--template", "template", required=True, help="Template name.")
@click.option("--customer", "customers", multiple=True, help="Customer code (repeat for several).")
@click.option("--list", "list_name", help="A target list's name.")
@click.option("--dry-run", is_flag=True, help="Show who would get what; queue nothing.")
@FORMAT
@pass_state
def messages_send(state: CliState, template, customers, list_name, dry_run, fmt) -> None:
    """Send a template to customers or a target list: one message per customer, each with its own result."""
    from crm_tui.services.messaging import outbox, sending

    if bool(customers) == bool(list_name):
        raise click.UsageError(_("Give --customer CODE (one or more) or --list NAME."))
    actor = state.actor()
    results = state.run(lambda s: sending.send(s, actor, template, customer_codes=list(customers) or None,
                                               list_name=list_name, dry_run=dry_run))
    final: dict[int, tuple[str, str | None]] = {}
    if not dry_run:
        queued = [r.outbox_id for r in results if r.status == "queued"]
        if queued:
            _deliver(state, queued)
            final.update(state.read(lambda s: outbox.results(s, queued), actor=actor))
    out = []
    for r in results:
        status, error = final.get(r.outbox_id, (r.status, None))
        out.append({**r.as_json(), "status": status, "error": error})
    if fmt == "json":
        echo_json({"dry_run": dry_run, "results": out})
        return
    echo_table([_("Customer"), _("Contact"), _("Address"), _("Result"), _("Reason")],
               [[f"{o['customer_code']} {o['customer_name']}", o["contact"], o["address"],
                 _(STATUS_LABELS.get(o["status"], o["status"])), o["error"] or ""] for o in out])
    counts: dict[str, int] = {}
    for o in out:
        counts[o["status"]] = counts.get(o["status"], 0) + 1
    click.echo(", ".join(f"{_(STATUS_LABELS.get(k, k))}: {v}" for k, v in sorted(counts.items())))


@messages_group.command("outbox")
@click.option("--status", type=click.Choice(["queued", "sending", "sent", "failed", "uncertain", "skipped",
                                             "no_address"]))
@click.option("--limit", type=int, default=200, show_default=True)
@FORMAT
@pass_state
def messages_outbox(state: CliState, status, limit, fmt) -> None:
    """The outbox, newest first: what was sent, is waiting, failed (with the reason) or skipped."""
    from crm_tui.services.messaging import outbox

    actor = state.actor()
    rows = state.read(lambda s: outbox.list_outbox(s, actor, status=status, limit=limit))
    if fmt == "json":
        echo_json({"messages": [r.as_json() for r in rows]})
        return
    echo_table([_("Id"), _("Channel"), _("Status"), _("Customer"), _("Contact"), _("Address"), _("Subject"),
                _("Reason")],
               [[r.id, r.channel, _(STATUS_LABELS.get(r.status, r.status)), r.customer_name, r.recipient_name,
                 r.recipient, r.subject or r.body[:20], r.error or ""] for r in rows])


@messages_group.command("send-pending")
@FORMAT
@pass_state
def messages_send_pending(state: CliState, fmt) -> None:
    """Queue today's dated triggers (birthdays, festivals, overdue receivables) and send what is due."""
    state.actor()
    report = _deliver(state, scan=True)
    if fmt == "json":
        echo_json(report.as_json())
        return
    click.echo(_("Sent {sent}, failed {failed}, waiting to retry {retrying}, uncertain {uncertain}.").format(
        **{k: v for k, v in report.as_json().items() if k != "errors"}))
    for error in dict.fromkeys(report.errors):
        click.echo(error, err=True)


@messages_group.command("retry")
@click.argument("message_id", type=int)
@pass_state
def messages_retry(state: CliState, message_id) -> None:
    """Queue an uncertain or failed message again (check first that it did not arrive)."""
    from crm_tui.services.messaging import outbox

    actor = state.actor()
    state.run(lambda s: outbox.requeue(s, actor, message_id))
    click.echo(_("Message {id} queued again.").format(id=message_id))


@messages_group.command("consent")
@click.argument("customer")
@click.option("--contact", help="Contact name (default: the primary contact).")
@click.option("--opt-out/--opt-in", "opt_out", default=None, help="The contact refuses (or accepts again) messages.")
@click.option("--consent/--withdraw", "consent", default=None, help="Consent given / withdrawn (PIPL).")
@click.option("--on", "on", help="Date (default today).")
@FORMAT
@pass_state
def messages_consent(state: CliState, customer, contact, opt_out, consent, on, fmt) -> None:
    """Record or show a contact's consent and opt-out, with their dates."""
    from crm_tui.services.messaging import consent as consent_svc

    actor = state.actor()
    day = _date(on, "--on")

    def work(s):
        c = consent_svc.find_contact(s, actor, customer, contact)
        if opt_out is None and consent is None:
            return c.name, consent_svc.get_consent(s, c.id)
        return c.name, consent_svc.set_consent(s, actor, c.id, consent=consent, opted_out=opt_out, on=day)

    name, st = state.run(work)
    if fmt == "json":
        echo_json({"contact": name, "consent": st.consent, "consent_on": st.consent_on, "opted_out": st.opted_out,
                   "opted_out_on": st.opted_out_on})
        return
    click.echo(_("{name}: consent {consent} ({consent_on}), opted out {out} ({out_on})").format(
        name=name, consent=_("yes") if st.consent else _("no"), consent_on=st.consent_on or "-",
        out=_("yes") if st.opted_out else _("no"), out_on=st.opted_out_on or "-"))


@messages_group.group("lists")
def lists_group() -> None:
    """Target lists: saved filters over customers and contacts."""


@lists_group.command("add")
@click.argument("name")
@click.option("--area")
@click.option("--classification")
@click.option("--industry")
@click.option("--owner", help="Salesperson: login, staff number or name.")
@click.option("--last-order-before", help="No order on or after this date (YYYY-MM-DD).")
@click.option("--has", type=click.Choice(["mobile", "email"]), help="Has a contact with a mobile / an e-mail.")
@pass_state
def lists_add(state: CliState, name, **filters) -> None:
    from crm_tui.services.messaging import targets

    actor = state.actor()
    count = state.run(lambda s: (targets.add_list(s, actor, name, filters),
                                 len(targets.list_customers(s, actor, name)))[1])
    click.echo(_("Target list {name} saved: {count} customers now.").format(name=name, count=count))


@lists_group.command("list")
@FORMAT
@pass_state
def lists_list(state: CliState, fmt) -> None:
    from crm_tui.services.messaging import targets

    actor = state.actor()
    rows = state.read(lambda s: [(r, len(targets.list_customers(s, actor, r.name)))
                                 for r in targets.list_lists(s, actor)])
    if fmt == "json":
        echo_json({"lists": [{**r.as_json(), "customers": n} for r, n in rows]})
        return
    echo_table([_("Name"), _("Filters"), _("Customers")],
               [[r.name, " ".join(f"{k}={v}" for k, v in r.filters.items()), n] for r, n in rows])


# --- campaigns ----------------------------------------------------------------------------------------------

@click.group("campaigns")
def campaigns_group() -> None:
    """Campaigns (营销活动): a target list, a template, budget, cost, dates and results. Managers only."""


@campaigns_group.command("add")
@click.argument("name")
@click.option("--list", "list_name", required=True, help="Target list name.")
@click.option("--template", required=True, help="Template name.")
@click.option("--budget", help="Budget (¥).")
@click.option("--cost", help="Cost so far (¥).")
@click.option("--starts", help="First day (YYYY-MM-DD).")
@click.option("--ends", help="Last day (YYYY-MM-DD).")
@click.option("--days", "days", type=int, default=30, show_default=True,
              help="Orders within this many days after a send count for the campaign.")
@pass_state
def campaigns_add(state: CliState, name, list_name, template, budget, cost, starts, ends, days) -> None:
    from crm_tui.services.messaging import campaigns

    actor = state.actor()
    s_on, e_on = _date(starts, "--starts"), _date(ends, "--ends")
    state.run(lambda s: campaigns.add_campaign(s, actor, name, list_name, template, budget=budget, cost=cost,
                                               starts_on=s_on, ends_on=e_on, attribution_days=days))
    click.echo(_("Campaign {name} added.").format(name=name))


@campaigns_group.command("run")
@click.argument("name")
@click.option("--dry-run", is_flag=True)
@pass_state
def campaigns_run(state: CliState, name, dry_run) -> None:
    """Send the campaign's template to its target list (once)."""
    from crm_tui.services.messaging import campaigns

    actor = state.actor()
    results = state.run(lambda s: campaigns.run_campaign(s, actor, name, dry_run=dry_run))
    if not dry_run:
        queued = [r.outbox_id for r in results if r.status == "queued"]
        if queued:
            _deliver(state, queued)
        rep = state.read(lambda s: campaigns.report(s, actor, name)).as_json()
        click.echo(_("Campaign {name}: sent {sent}, failed {failed}, skipped {skipped}, no address {no_address}, "
                     "waiting {pending}.").format(**rep))
    else:
        click.echo(_("Would send to {n} customers.").format(n=sum(r.status == "would_send" for r in results)))


@campaigns_group.command("report")
@click.argument("name")
@FORMAT
@pass_state
def campaigns_report(state: CliState, name, fmt) -> None:
    """Sent and failed, and the orders and amount from the targets within N days after (stated attribution)."""
    from crm_tui.services.messaging import campaigns

    actor = state.actor()
    rep = state.read(lambda s: campaigns.report(s, actor, name)).as_json()
    if fmt == "json":
        echo_json(rep)
        return
    keys = ["name", "template", "list", "status", "budget", "cost", "starts_on", "ends_on", "sent", "failed",
            "skipped", "no_address", "pending", "uncertain", "customers_reached", "orders", "amount", "attribution"]
    echo_table([_("Item"), _("Value")], [[k, rep[k]] for k in keys])


def register(cli: click.Group) -> None:
    cli.add_command(templates_group)
    cli.add_command(messages_group)
    cli.add_command(campaigns_group)
