"""``crm contact-logs quota`` (set and show the contact-log quotas per role) and ``crm contact-logs
quota-check [--week|--month] [--date D] [--all] [--format json]`` (the checker's view of shortfalls, 稽核).
Exit code 0 either way: a shortfall is a finding, not an error."""

from __future__ import annotations

import click

from crm_tui.cli.common import CliState, echo_json, echo_table
from crm_tui.i18n import _

pass_state = click.make_pass_decorator(CliState)


@click.group("contact-logs")
def contact_logs_group() -> None:
    """Contact logs (联系记录): quotas per role and the check of who is short."""


@contact_logs_group.command("quota")
@click.option("--role", help="Permission role (salesperson, manager …); with --week and/or --month sets it.")
@click.option("--week", "week", type=click.IntRange(0), help="Contact logs required per week (0: none).")
@click.option("--month", "month", type=click.IntRange(0), help="Contact logs required per month (0: none).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_state
def quota_cmd(state: CliState, role, week, month, fmt) -> None:
    """Show the quotas, or set a role's (administrators): crm contact-logs quota --role salesperson --week 10."""
    from crm_tui.services.customers import quotas

    actor = state.actor()
    if role is not None or week is not None or month is not None:
        if role is None or (week is None and month is None):
            raise click.UsageError(_("Give --role and --week and/or --month to set a quota."))

        def write(session):
            for period, value in (("week", week), ("month", month)):
                if value is not None:
                    quotas.set_quota(session, actor, role, period, value)
        state.run(write)
    rows = state.read(quotas.list_quotas)
    if fmt == "json":
        echo_json([r.__dict__ for r in rows])
        return
    echo_table([_("Role"), _("Per week"), _("Per month")], [[_(r.role), r.week, r.month] for r in rows])


@contact_logs_group.command("quota-check")
@click.option("--week", "period", flag_value="week", default=True, help="This week, Monday to Sunday (default).")
@click.option("--month", "period", flag_value="month", help="This calendar month.")
@click.option("--date", "day", help="A day in the week or month to check (YYYY-MM-DD; default today).")
@click.option("--all", "include_met", is_flag=True, help="Also list the people who met their quota.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_state
def quota_check_cmd(state: CliState, period, day, include_met, fmt) -> None:
    """Who is short of their contact-log quota, and by how many (those you may see)."""
    from crm_tui.cli.sales.common import parse_day
    from crm_tui.services.customers import quotas

    actor = state.actor()
    when = parse_day(day, "--date")
    result = state.read(lambda session: quotas.check(session, actor, period, when))
    if fmt == "json":
        echo_json(result.as_json(include_met))
        return
    rows = result.rows if include_met else result.short_rows
    click.echo(_("Contact-log quota, {first} to {last}:").format(first=result.first, last=result.last))
    if not rows:
        click.echo(_("Nobody is short.") if result.rows else _("No quota is set for this period."))
        return
    echo_table([_("Login"), _("Name"), _("Department"), _("Role"), _("Required"), _("Written"), _("Short by")],
               [[r.login, r.name, r.department or "", _(r.role), r.required, r.written, r.short] for r in rows])


def register(cli: click.Group) -> None:
    cli.add_command(contact_logs_group)
