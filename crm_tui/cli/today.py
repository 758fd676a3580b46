"""``crm today``, ``crm reminders add|list|done`` and ``crm announcements post|list|read``."""

from __future__ import annotations

import click

from crm_tui.cli.common import CliState, echo_json, echo_table, pass_state
from crm_tui.i18n import _

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")


@click.command("today")
@FORMAT
@pass_state
def today_cmd(state: CliState, fmt: str) -> None:
    """What to act on today: follow-ups, approvals, reviews, receivables, alarms, reminders, announcements …"""
    from crm_tui.services.today.home import today_view

    actor = state.actor()
    sections = state.read(lambda s: today_view(s, actor))
    if fmt == "json":
        echo_json([s.as_json() for s in sections])
        return
    if not sections:
        click.echo(_("Nothing to act on today."))
    for s in sections:
        click.echo(f"{s.title} ({len(s.lines)})")
        for line in s.lines:
            click.echo(f"  {line.when + '  ' if line.when else ''}{line.text}")


@click.group("reminders")
def reminders_group() -> None:
    """Your reminders on records (customer:ID, order:ID …): add, list, mark done."""


@reminders_group.command("add")
@click.option("--due", required=True, help="When: YYYY-MM-DD HH:MM (a date alone: 09:00 that day).")
@click.option("--note", required=True, help="What to do.")
@click.option("--record", help="The record it is about, as kind:id (customer:12) or customer:K00012.")
@pass_state
def reminders_add(state: CliState, due: str, note: str, record: str | None) -> None:
    """Set a reminder."""
    from crm_tui.services.today import reminders
    from crm_tui.services.today.customer_page import customer_by_code

    actor = state.actor()

    def work(session):
        kind, ident = "none", None
        if record:
            kind, _sep, key = record.partition(":")
            if kind == "customer" and key and not key.isdigit():
                ident = customer_by_code(session, actor, key)
            else:
                kind, ident = reminders.parse_record(record)
        return reminders.add_reminder(session, actor, due, note, kind=kind, record_id=ident)
    rid = state.run(work)
    click.echo(_("Reminder {id} set.").format(id=rid))


@reminders_group.command("list")
@click.option("--due", "due_only", is_flag=True, help="Only reminders whose time has come.")
@click.option("--all", "show_all", is_flag=True, help="Include done and dismissed reminders.")
@FORMAT
@pass_state
def reminders_list(state: CliState, due_only: bool, show_all: bool, fmt: str) -> None:
    """List your reminders, soonest first."""
    from crm_tui.services.today import reminders

    actor = state.actor()
    rows = state.read(lambda s: reminders.list_reminders(s, actor, due_only=due_only, include_closed=show_all))
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table([_("No."), _("Due"), _("Record"), _("Note"), _("Status")],
               [[r.id, r.due_at.strftime("%Y-%m-%d %H:%M"), r.link or "", r.note, _(r.state)] for r in rows])


@reminders_group.command("done")
@click.argument("reminder_id", type=int)
@click.option("--dismiss", is_flag=True, help="Dismiss it instead (not done, no longer wanted).")
@pass_state
def reminders_done(state: CliState, reminder_id: int, dismiss: bool) -> None:
    """Mark a reminder done (or dismissed)."""
    from crm_tui.services.today import reminders

    actor = state.actor()
    state.run(lambda s: reminders.close_reminder(s, actor, reminder_id, "dismissed" if dismiss else "done"))
    click.echo(_("Reminder {id} closed.").format(id=reminder_id))


@click.group("announcements")
def announcements_group() -> None:
    """Announcements (公告): post (administrators and managers), list, read."""


@announcements_group.command("post")
@click.option("--title", required=True)
@click.option("--body", default="", help="The text.")
@click.option("--department", help="Only this department (and those under it); default: everyone.")
@pass_state
def announcements_post(state: CliState, title: str, body: str, department: str | None) -> None:
    """Post an announcement."""
    from crm_tui.services.today import announcements

    actor = state.actor()

    def work(session):
        dept = announcements.find_department(session, department) if department else None
        return announcements.post(session, actor, title, body, department_id=dept)
    aid = state.run(work)
    click.echo(_("Announcement {id} posted.").format(id=aid))


@announcements_group.command("list")
@click.option("--unread", is_flag=True, help="Only those you have not read.")
@FORMAT
@pass_state
def announcements_list(state: CliState, unread: bool, fmt: str) -> None:
    """List the announcements addressed to you, newest first."""
    from crm_tui.services.today import announcements

    actor = state.actor()
    rows = state.read(lambda s: announcements.list_announcements(s, actor, unread_only=unread))
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table([_("No."), _("Posted"), _("Title"), _("By"), _("Posted to"), _("Read")],
               [[r.id, r.posted_at.strftime("%Y-%m-%d %H:%M"), r.title, r.author, r.department or _("Everyone"),
                 "✓" if r.read_at else ""] for r in rows])


@announcements_group.command("read")
@click.argument("announcement_id", type=int)
@click.option("--receipts", is_flag=True, help="Who has read it and when (its author and administrators).")
@FORMAT
@pass_state
def announcements_read(state: CliState, announcement_id: int, receipts: bool, fmt: str) -> None:
    """Show an announcement (and record that you read it)."""
    from crm_tui.services.today import announcements

    actor = state.actor()

    def work(session):
        row = announcements.read(session, actor, announcement_id)
        return row, announcements.receipts(session, actor, announcement_id) if receipts else None
    row, readers = state.run(work)
    if fmt == "json":
        data = row.as_json()
        if readers is not None:
            data["receipts"] = [{"user": r.user, "read_at": r.read_at} for r in readers]
        echo_json(data)
        return
    click.echo(f"{row.title}\n{row.author} · {row.posted_at:%Y-%m-%d %H:%M}\n\n{row.body}")
    if readers is not None:
        click.echo("")
        echo_table([_("Person"), _("Read")],
                   [[r.user, r.read_at.strftime("%Y-%m-%d %H:%M") if r.read_at else ""] for r in readers])


def register(cli: click.Group) -> None:
    cli.add_command(today_cmd)
    cli.add_command(reminders_group)
    cli.add_command(announcements_group)
