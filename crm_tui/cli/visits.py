"""``crm visits``: import the visit log, report absences, tally, publish and reopen weeks and months."""

from __future__ import annotations

import click

from crm_tui.cli.common import CliState, echo_json, echo_json_streamed, echo_table, pass_state
from crm_tui.i18n import _, n_


@click.group("visits")
def visits_group() -> None:
    """Field visits (拜访巡店): the visit log, absences, the monthly tally and fines."""


def _progress(title: str, done: int, total: int) -> None:
    if total and (done == total or done % 20000 == 0):
        click.echo(f"{title}: {done}/{total}", err=True)


@visits_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--policy", "policy_file", type=click.Path(exists=True, dir_okay=False),
              help="Policy file (its event kinds, e.g. 帮送喜宴); default: the setting or the shipped policy.")
@click.option("--skip-frozen", is_flag=True, help="Skip new rows on days of published weeks/months instead of failing.")
@click.option("--errors", "errors_file", type=click.Path(dir_okay=False),
              help="When rows are bad, write them with their reasons to this workbook.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_state
def import_cmd(state: CliState, file: str, policy_file: str | None, skip_frozen: bool, errors_file: str | None,
               fmt: str) -> None:
    """Import the mobile app's upload export (xlsx, xls or csv). Nothing is written if any row is bad."""
    from crm_tui.services.visits.policy import load_policy
    from crm_tui.services.visits.upload_import import ImportRejected, import_uploads

    actor = state.actor()
    policy = load_policy(policy_file)
    try:

        def work(session):
            summary = import_uploads(session, actor, file, policy=policy, skip_frozen=skip_frozen,
                                     progress=_progress)
            return summary
        summary = state.run(work)
    except ImportRejected as exc:
        if errors_file:
            exc.result.write_error_workbook(errors_file)
            exc.message += "\n" + _("Bad rows written to {path}").format(path=errors_file)
        raise
    data = {"file": summary.file, "rows": summary.rows_read, "uploads_added": summary.uploads_added,
            "events_added": summary.events_added, "repeated": summary.repeated,
            "unknown_customers": summary.unknown_customers, "skipped_frozen": summary.skipped_frozen,
            "late": summary.late, "backdated": summary.backdated, "staff": summary.staff, "first_day": summary.first_day, "last_day": summary.last_day}
    if fmt == "json":
        echo_json(data)
        return
    click.echo(_("{file}: {rows} rows; {uploads} uploads and {events} events added, {repeated} already known.")
               .format(file=summary.file, rows=summary.rows_read, uploads=summary.uploads_added,
                       events=summary.events_added, repeated=summary.repeated))
    if summary.first_day:
        click.echo(_("Days {first} to {last}, {staff} staff.").format(
            first=summary.first_day, last=summary.last_day, staff=summary.staff))
    if summary.unknown_customers:
        click.echo(n_("{n} row names a customer not in the CRM: it is void (unknown customer).",
                      "{n} rows name a customer not in the CRM: they are void (unknown customer).",
                      summary.unknown_customers).format(n=summary.unknown_customers))
    if summary.skipped_frozen:
        click.echo(n_("{n} new row on a published day skipped.", "{n} new rows on published days skipped.",
                      summary.skipped_frozen).format(n=summary.skipped_frozen))
    if summary.late:
        click.echo(_("{n} new uploads on days of a published week or month: void (imported after its week was "
                     "published) until it is reopened.").format(n=summary.late))
    if summary.backdated:
        click.echo(_("{n} uploads were visited on another day than uploaded: void (不能补签).").format(
            n=summary.backdated))


@visits_group.command("absence")
@click.option("--staff", required=True, help="Staff member: name, 工号 or login.")
@click.option("--from", "start", required=True, help="First day (YYYY-MM-DD; YYYY-MM for a flex month).")
@click.option("--to", "end", required=True, help="Last day (YYYY-MM-DD; YYYY-MM for a flex month).")
@click.option("--kind", type=click.Choice(["leave", "flex"]), required=True,
              help="leave: days off work; flex (报备): whole months with a monthly total instead of daily fines.")
@click.option("--note", help="Why (shown in the absence list).")
@pass_state
def absence_cmd(state: CliState, staff: str, start: str, end: str, kind: str, note: str | None) -> None:
    """Record an absence reported in advance (报备)."""
    from crm_tui.services.visits.absences import add_absence, parse_day

    actor = state.actor()
    first, last = parse_day(start, "--from"), parse_day(end, "--to", end=True)

    def work(session):
        return add_absence(session, actor, staff, first, last, kind, note)
    absence_id = state.run(work)
    click.echo(_("Absence {id} recorded: {staff}, {kind}, {first} to {last}.").format(
        id=absence_id, staff=staff, kind=_(kind), first=first, last=last))


@visits_group.command("absences")
@click.option("--month", help="Only absences touching this month (YYYY-MM).")
@click.option("--all", "show_all", is_flag=True, help="Include cancelled absences.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_state
def absences_cmd(state: CliState, month: str | None, show_all: bool, fmt: str) -> None:
    """List absences."""
    from crm_tui.services.visits.absences import list_absences
    from crm_tui.services.visits.calendar import month_bounds, parse_month

    state.actor()
    first = last = None
    if month:
        first, last = month_bounds(*parse_month(month))

    def work(session):
        return list_absences(session, first, last, include_cancelled=show_all)
    rows = state.read(work, actor=None)
    if fmt == "json":
        echo_json([{"id": r.id, "staff": r.staff, "staff_number": r.staff_number, "kind": r.kind, "from": r.start,
                    "to": r.end, "note": r.note, "cancelled": r.cancelled} for r in rows])
        return
    echo_table(["ID", _("Staff"), _("Staff no."), _("Kind"), _("From"), _("To"), _("Note"), _("Cancelled")],
               [[r.id, r.staff, r.staff_number, _(r.kind), r.start, r.end, r.note, _("yes") if r.cancelled else ""]
                for r in rows])


@visits_group.command("cancel-absence")
@click.argument("absence_id", type=int)
@pass_state
def cancel_absence_cmd(state: CliState, absence_id: int) -> None:
    """Cancel an absence (it stays in the list as cancelled)."""
    from crm_tui.services.visits.absences import cancel_absence

    actor = state.actor()

    def work(session):
        cancel_absence(session, actor, absence_id)
    state.run(work)
    click.echo(_("Absence {id} cancelled.").format(id=absence_id))


SUMMARY_HEADERS = ("Staff", "Department", "Position", "Working days", "Uploads", "Visits", "Void",
                   "Customers in charge", "Visited", "Not visited", "Under minimum", "Daily fines", "Customer fines",
                   "Flex shortfall", "Total fine")


def _summary_rows(report: dict) -> list[list]:
    rows = [[p["staff"], p["department"], p["role"], p["working_days"], p["uploads"], p["visits"],
             p["void_uploads"], p["customers_in_charge"], p["customers_visited"], len(p["customers_not_visited"]),
             len(p["customers_under_minimum"]), p["daily_fines"], p["customer_fines"],
             "" if p["flex_shortfall"] is None else p["flex_shortfall"], p["total_fine"]] for p in report["people"]]
    t = report["totals"]
    rows.append([_("Total"), "", "", t["working_days"], t["uploads"], t["visits"], t["void_uploads"],
                 t["customers_in_charge"], t["customers_visited"], t["customers_not_visited"],
                 t["customers_under_minimum"], t["daily_fines"], t["customer_fines"], t["flex_shortfall"],
                 t["total_fine"]])
    return rows


@visits_group.command("tally")
@click.option("--month", required=True, help="The month, YYYY-MM.")
@click.option("--policy", "policy_file", type=click.Path(exists=True, dir_okay=False),
              help="Policy file (default: the setting [visits] policy, else the shipped policy).")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table")
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False), help="Also write the Excel workbook here.")
@click.option("--as-of", "as_of", help="Tally as of this day, YYYY-MM-DD (default: today). Later days are not "
              "counted yet; customers' monthly minimums are fined only as of the month's last day.")
@pass_state
def tally_cmd(state: CliState, month: str, policy_file: str | None, fmt: str, xlsx: str | None,
              as_of: str | None) -> None:
    """The month's tally: uploads, visits, void uploads, customers not visited, fines."""
    from crm_tui.services.visits.publish import month_tally

    actor = state.actor()
    day = _day_arg(as_of, "--as-of") if as_of else None

    def work(session):
        return month_tally(session, actor, month, policy_file, day)
    report = state.read(work)
    if xlsx:
        from crm_tui.services.visits.report_xlsx import write_month_workbook

        path = write_month_workbook(report, xlsx)
        click.echo(_("Workbook written to {path}").format(path=path), err=True)
    if fmt == "json":
        echo_json_streamed(report)
        return
    title = _("Visit tally {month}").format(month=report["month"])
    if report.get("as_of"):
        title += " " + _("as of {day}").format(day=report["as_of"])
    if report.get("days_left"):
        title += " " + _("({days} days left; customers under their minimum so far are not fined yet)").format(
            days=report["days_left"])
    if report.get("published"):
        title += " " + _("(published {at})").format(at=report.get("published_at", ""))
    click.echo(title)
    echo_table([_(h) for h in SUMMARY_HEADERS], _summary_rows(report))
    for warning in report.get("warnings", []):
        click.echo(_("Warning: {text}").format(text=warning), err=True)


@visits_group.command("not-visited")
@click.option("--month", required=True, help="The month, YYYY-MM.")
@click.option("--staff", help="Only this staff member (name or 工号).")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table")
@pass_state
def not_visited_cmd(state: CliState, month: str, staff: str | None, fmt: str) -> None:
    """Each person's customers not visited in the month."""
    from crm_tui.services.visits.publish import month_tally

    actor = state.actor()

    def work(session):
        return month_tally(session, actor, month)
    report = state.read(work)
    names = report.get("customer_names", {})
    rows = [[p["staff"], p["department"], code, names.get(code, ""),
             _("yes") if code in p["customers_under_minimum"] else ""]
            for p in report["people"] if not staff or staff in (p["staff"], p["staff_number"])
            for code in p["customers_not_visited"]]
    if fmt == "json":
        echo_json([dict(zip(("staff", "department", "code", "name", "under_minimum"), r, strict=True))
                   for r in rows])
        return
    echo_table([_("Staff"), _("Department"), _("Customer code"), _("Customer"), _("Under minimum")], rows)


def _period(week: str | None, month: str | None):
    from crm_tui.core.errors import ValidationError
    from crm_tui.services.visits.publish import month_period, week_period

    if bool(week) == bool(month):
        raise ValidationError(_("Give either --week YYYY-Www or --month YYYY-MM."))
    return week_period(week) if week else month_period(month)


@visits_group.command("publish")
@click.option("--week", help="ISO week, YYYY-Www (weeks run Monday–Sunday).")
@click.option("--month", help="Month, YYYY-MM.")
@click.option("--policy", "policy_file", type=click.Path(exists=True, dir_okay=False), help="Policy file.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table")
@pass_state
def publish_cmd(state: CliState, week: str | None, month: str | None, policy_file: str | None, fmt: str) -> None:
    """Publish a week (公示) or a month (考核): the tally is frozen until reopened."""
    from crm_tui.services.visits.publish import publish

    actor = state.actor()
    period = _period(week, month)

    def work(session):
        return publish(session, actor, period, policy_file)
    report = state.run(work)
    if fmt == "json":
        echo_json(report)
        return
    click.echo(_("{period} published.").format(period=period.label))
    if period.kind == "week":
        echo_table([_("Staff"), _("Department"), _("Position"), _("Working days"), _("Uploads"), _("Visits"),
                    _("Quota"), _("Shortfall"), _("Void"), _("Fines")],
                   [[p["staff"], p["department"], p["role"], p["working_days"], p["uploads"], p["visits"],
                     p["quota"], p["shortfall"], p["void"], p["fines"]] for p in report["people"]])
    else:
        echo_table([_(h) for h in SUMMARY_HEADERS], _summary_rows(report))


@visits_group.command("reopen")
@click.option("--week", help="ISO week, YYYY-Www.")
@click.option("--month", help="Month, YYYY-MM.")
@click.option("--reason", help="Why it is reopened (kept in the audit log).")
@pass_state
def reopen_cmd(state: CliState, week: str | None, month: str | None, reason: str | None) -> None:
    """Reopen a published week or month so that it can be tallied and published again."""
    from crm_tui.services.visits.publish import reopen

    actor = state.actor()
    period = _period(week, month)

    def work(session):
        return reopen(session, actor, period, reason)
    admitted = state.run(work)
    click.echo(_("{period} reopened.").format(period=period.label))
    if admitted:
        click.echo(_("{n} uploads imported while it was published now count.").format(n=admitted))


@visits_group.command("publications")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table")
@pass_state
def publications_cmd(state: CliState, fmt: str) -> None:
    """Published and reopened weeks and months."""
    from crm_tui.services.visits.publish import list_publications

    state.actor()

    def work(session):
        return list_publications(session)
    rows = state.read(work, actor=None)
    if fmt == "json":
        echo_json(rows)
        return
    echo_table([_("Period"), _("Status"), _("From"), _("To"), _("Published at"), _("Times"), _("Reason")],
               [[r["period"], _(r["status"]), r["first_day"], r["last_day"], r["published_at"],
                 r["times_published"], r["reason"]] for r in rows])


# --- 员工中心: weekly plans -------------------------------------------------------------------------------

@visits_group.group("plan")
def plan_group() -> None:
    """Weekly plans (周计划), summary and suggestions, the manager's review (批复)."""


def _day_arg(text: str, name: str):
    from datetime import date

    from crm_tui.core.errors import ValidationError

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(_("{field}: expected a date YYYY-MM-DD, got {value!r}").format(
            field=name, value=text), field=name) from None


def _moment_arg(text: str, name: str):
    from datetime import datetime

    from crm_tui.core.errors import ValidationError

    try:
        return datetime.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise ValidationError(_("{field}: expected a date and time such as 2027-03-08 09:00, got {value!r}")
                              .format(field=name, value=text), field=name) from None


@plan_group.command("show")
@click.option("--week", required=True, help="ISO week, YYYY-Www.")
@click.option("--staff", help="Someone below you (name, 工号 or login); default: yourself.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_state
def plan_show(state: CliState, week: str, staff: str | None, fmt: str) -> None:
    """A week's plan and, for each planned visit, whether it happened."""
    from crm_tui.services.admin.users import find_user
    from crm_tui.services.visits.plans import plan_view

    actor = state.actor()

    def work(session):
        uid = find_user(session, staff).id if staff else actor.id
        return plan_view(session, actor, uid, week)
    view = state.read(work)
    if fmt == "json":
        echo_json({"staff": view.staff, "week": view.week, "status": view.status, "goals": view.goals,
                   "summary": view.summary, "suggestions": view.suggestions, "review": view.review_comment,
                   "reviewer": view.reviewer, "planned": view.planned, "done": view.done,
                   "items": [{"id": i.id, "day": i.day, "customer": i.customer_code, "name": i.customer_name,
                              "purpose": i.purpose, "uploads": i.uploads, "contact_logs": i.contact_logs,
                              "outings": i.outings, "happened": i.happened} for i in view.items]})
        return
    click.echo(_("{staff}, week {week}: {status}; {done} of {planned} planned visits made.").format(
        staff=view.staff, week=view.week, status=_(view.status), done=view.done, planned=view.planned))
    for label, text in ((_("Goals"), view.goals), (_("Week summary"), view.summary), (_("Suggestions"), view.suggestions),
                        (_("Review"), view.review_comment)):
        if text:
            click.echo(f"{label}: {text}")
    echo_table(["ID", _("Day"), _("Customer code"), _("Customer"), _("Purpose"), _("Uploads"), _("Contact logs"),
                _("Outings"), _("Done")],
               [[i.id, i.day, i.customer_code, i.customer_name, i.purpose, i.uploads, i.contact_logs, i.outings,
                 _("yes") if i.happened else ""] for i in view.items])


@plan_group.command("add")
@click.option("--week", required=True, help="ISO week, YYYY-Www.")
@click.option("--day", required=True, help="The day of the visit, YYYY-MM-DD.")
@click.option("--customer", required=True, help="Customer code or name.")
@click.option("--purpose", help="What the visit is for.")
@pass_state
def plan_add(state: CliState, week: str, day: str, customer: str, purpose: str | None) -> None:
    """Plan a visit to a customer on a day of your week."""
    from crm_tui.services.visits.plans import add_item

    actor = state.actor()

    def work(session):
        return add_item(session, actor, week, _day_arg(day, "--day"), customer, purpose)
    item = state.run(work)
    click.echo(_("Planned visit {id} added.").format(id=item))


@plan_group.command("remove")
@click.argument("item_id", type=int)
@pass_state
def plan_remove(state: CliState, item_id: int) -> None:
    """Remove a planned visit from your plan."""
    from crm_tui.services.visits.plans import remove_item

    actor = state.actor()

    def work(session):
        remove_item(session, actor, item_id)
    state.run(work)
    click.echo(_("Planned visit {id} removed.").format(id=item_id))


@plan_group.command("write")
@click.option("--week", required=True, help="ISO week, YYYY-Www.")
@click.option("--goals", help="The week's goals (周计划).")
@click.option("--summary", help="The week's summary (总结).")
@click.option("--suggestions", help="Suggestions (建议).")
@pass_state
def plan_write(state: CliState, week: str, goals: str | None, summary: str | None, suggestions: str | None) -> None:
    """Write the goals, summary or suggestions of your week."""
    from crm_tui.services.visits.plans import set_plan_text

    actor = state.actor()

    def work(session):
        set_plan_text(session, actor, week, goals=goals, summary=summary, suggestions=suggestions)
    state.run(work)
    click.echo(_("Plan of {week} saved.").format(week=week))


@plan_group.command("submit")
@click.option("--week", required=True, help="ISO week, YYYY-Www.")
@pass_state
def plan_submit(state: CliState, week: str) -> None:
    """Submit your week's plan to your manager."""
    from crm_tui.services.visits.plans import submit

    actor = state.actor()

    def work(session):
        submit(session, actor, week)
    state.run(work)
    click.echo(_("Plan of {week} submitted.").format(week=week))


@plan_group.command("review")
@click.option("--staff", required=True, help="The salesperson (name, 工号 or login).")
@click.option("--week", required=True, help="ISO week, YYYY-Www.")
@click.option("--comment", required=True, help="Your comment (批复).")
@pass_state
def plan_review(state: CliState, staff: str, week: str, comment: str) -> None:
    """Review a submitted plan of someone below you."""
    from crm_tui.services.admin.users import find_user
    from crm_tui.services.visits.plans import review

    actor = state.actor()

    def work(session):
        review(session, actor, find_user(session, staff).id, week, comment)
    state.run(work)
    click.echo(_("Plan reviewed."))


@plan_group.command("team")
@click.option("--week", help="ISO week, YYYY-Www; without it: the submitted plans waiting for your review.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_state
def plan_team(state: CliState, week: str | None, fmt: str) -> None:
    """Your people's plans for a week, or those waiting for your review."""
    from crm_tui.services.visits.plans import team_week, unreviewed

    actor = state.actor()

    def work(session):
        return team_week(session, actor, week) if week else unreviewed(session, actor)
    rows = state.read(work)
    if fmt == "json":
        echo_json([{"staff": r.staff, "week": r.week, "status": r.status, "planned": r.planned,
                    "submitted_at": r.submitted_at} for r in rows])
        return
    echo_table([_("Staff"), _("Week"), _("Status"), _("Planned"), _("Submitted at")],
               [[r.staff, r.week, _(r.status), r.planned, r.submitted_at] for r in rows])


# --- 外出登记: outings ---------------------------------------------------------------------------------------

@visits_group.group("outing")
def outing_group() -> None:
    """Outings (外出登记) and the contact logs of their visits."""


@outing_group.command("add")
@click.option("--out", "out_at", required=True, help="Departure, YYYY-MM-DD HH:MM.")
@click.option("--purpose", required=True, help="What for.")
@click.option("--customer", "customers", multiple=True, help="A customer visited (code or name); repeat it.")
@click.option("--destination", help="Where to.")
@click.option("--back", "back_at", help="Return, YYYY-MM-DD HH:MM (or later with `outing back`).")
@pass_state
def outing_add(state: CliState, out_at: str, purpose: str, customers: tuple[str, ...], destination: str | None,
               back_at: str | None) -> None:
    """Register an outing."""
    from crm_tui.services.visits.outings import register

    actor = state.actor()

    def work(session):
        oid = register(session, actor, _moment_arg(out_at, "--out"), purpose, list(customers),
                       destination=destination, back_at=_moment_arg(back_at, "--back") if back_at else None)
        return oid
    oid = state.run(work)
    click.echo(_("Outing {id} registered.").format(id=oid))


@outing_group.command("back")
@click.argument("outing_id", type=int)
@click.option("--at", "back_at", required=True, help="Return, YYYY-MM-DD HH:MM.")
@pass_state
def outing_back(state: CliState, outing_id: int, back_at: str) -> None:
    """Record the return from an outing."""
    from crm_tui.services.visits.outings import record_return

    actor = state.actor()

    def work(session):
        record_return(session, actor, outing_id, _moment_arg(back_at, "--at"))
    state.run(work)
    click.echo(_("Return recorded."))


@outing_group.command("log")
@click.argument("outing_id", type=int)
@click.option("--customer", required=True, help="The customer visited (code or name).")
@click.option("--summary", required=True, help="What happened (联系记录).")
@click.option("--result", help="The result.")
@pass_state
def outing_log(state: CliState, outing_id: int, customer: str, summary: str, result: str | None) -> None:
    """Write the contact log of a visit made on the outing."""
    from crm_tui.services.visits.outings import log_visit

    actor = state.actor()

    def work(session):
        return log_visit(session, actor, outing_id, customer, summary, result=result)
    log_id = state.run(work)
    click.echo(_("Contact log {id} written.").format(id=log_id))


@outing_group.command("list")
@click.option("--staff", help="Only this person (name, 工号 or login).")
@click.option("--from", "start", help="From day, YYYY-MM-DD.")
@click.option("--to", "end", help="To day, YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_state
def outing_list(state: CliState, staff: str | None, start: str | None, end: str | None, fmt: str) -> None:
    """Outings and, per customer, whether its contact log was written and the visit log shows uploads."""
    from crm_tui.services.admin.users import find_user
    from crm_tui.services.visits.outings import list_outings

    actor = state.actor()

    def work(session):
        uid = find_user(session, staff).id if staff else None
        rows = list_outings(session, actor, user_id=uid, first=_day_arg(start, "--from") if start else None,
                            last=_day_arg(end, "--to") if end else None)
        return rows
    rows = state.read(work)
    if fmt == "json":
        echo_json([{"id": o.id, "staff": o.staff, "out": o.out_at, "back": o.back_at, "purpose": o.purpose,
                    "destination": o.destination,
                    "customers": [{"code": c.code, "name": c.name, "contact_log": c.contact_log_id,
                                   "uploads": c.uploads} for c in o.customers]} for o in rows])
        return
    echo_table(["ID", _("Staff"), _("Out at"), _("Back at"), _("Purpose"), _("Customers"), _("Logged"), _("Uploads")],
               [[o.id, o.staff, o.out_at, o.back_at, o.purpose, " ".join(c.code for c in o.customers),
                 f"{o.logged}/{len(o.customers)}", sum(c.uploads for c in o.customers)] for o in rows])


def register(cli: click.Group) -> None:
    cli.add_command(visits_group)
