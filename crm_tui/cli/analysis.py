"""``crm report churn|reorder|prices|by-region|by-industry|cohort|abc|targets|dashboard …`` and
``crm targets set``: the analyses (services/analysis) as tables, JSON or Excel workbooks with a chart."""

from __future__ import annotations

import click

from crm_tui.cli.common import echo_json, echo_table, pass_state
from crm_tui.cli.groups import report_group
from crm_tui.cli.sales.common import FORMAT, parse_day, read_as_user, write_as_user
from crm_tui.i18n import _

# the pinned analyses first; the others of the Analysis area follow
COMMANDS = ("churn", "reorder", "prices", "by-region", "by-industry", "cohort", "abc", "targets", "dashboard",
            "by-classification", "by-salesperson", "by-product", "profiling", "margin-customer",
            "margin-product", "prospecting", "abc-products", "promotion")


def _cell(kind: str, value) -> str:
    if value is None:
        return ""
    if kind == "money":
        return f"{value:,.2f}"
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "decimal":
        return format(value.normalize(), "f")
    return str(value)


def show(report, fmt: str, xlsx: str | None) -> None:
    if xlsx:
        from crm_tui.io.analysis_xlsx import write_report

        click.echo(_("Written: {path}").format(path=write_report(report, xlsx)), err=fmt == "json")
    if fmt == "json":
        if report.name == "dashboard":
            from crm_tui.services.analysis.dashboard import dashboard_json

            echo_json(dashboard_json(report))
        else:
            echo_json(report.as_json())
        return
    if report.summary and report.name == "dashboard":
        s = report.summary
        for label, key in ((_("Sales"), "sales"), (_("Same period last year"), "sales_last_year"),
                           (_("Receivables"), "receivables"), (_("Overdue"), "overdue"),
                           (_("Stock value (cost)"), "stock_value")):
            click.echo(f"{label}: {_cell('money', s[key]) or '-'}")
        click.echo(f"{_('Year on year')}: {_cell('rate', s['yoy']) or '-'}")
        click.echo(f"{_('Churned customers')}: {s['churn_count']}")
    echo_table([_(c.label) for c in report.columns],
               [[_cell(c.kind, row.get(c.key)) for c in report.columns] for row in report.rows])
    for note in report.notes:
        click.echo(note)
    click.echo(report.rule)


def _make(name: str) -> click.Command:
    from crm_tui.services.analysis.registry import BY_NAME

    analysis = BY_NAME[name]

    @click.option("--from", "date_from", metavar="DATE", help="First day of the period (YYYY-MM-DD).")
    @click.option("--to", "date_to", metavar="DATE", help="Last day of the period / the day of the list.")
    @FORMAT
    @click.option("--xlsx", metavar="OUT", help="Also write the analysis with its chart to this Excel file.")
    @pass_state
    def command(state, date_from, date_to, fmt, xlsx, **extra) -> None:
        start, end = parse_day(date_from, "--from"), parse_day(date_to, "--to")
        if extra.get("write_grades"):
            from crm_tui.services.analysis.abc import write_grades

            changed = write_as_user(state, lambda s, a: write_grades(s, a, start, end))
            click.echo(_("Grades written to {n} customers' classification.").format(n=changed), err=fmt == "json")
        report = read_as_user(state, lambda s, a: analysis.run(s, a, start, end))
        show(report, fmt, xlsx)

    command.__doc__ = f"{analysis.title}."
    if name == "abc":
        command = click.option("--write", "write_grades", is_flag=True,
                               help="Write each customer's grade into its classification (A类/B类/C类), audited.")(
            command)
    return click.command(name)(command)


@click.group("targets")
def targets_group() -> None:
    """Monthly sales targets per salesperson."""


@targets_group.command("set")
@click.option("--staff", required=True, metavar="S", help="Login, staff number or name.")
@click.option("--month", required=True, metavar="YYYY-MM")
@click.option("--amount", required=True, metavar="A", help="Tax-inclusive order amount in yuan.")
@pass_state
def targets_set(state, staff, month, amount) -> None:
    """Set a salesperson's target for a month (managers: their people; administrators: anyone)."""
    from crm_tui.services.analysis.targets import set_target

    saved = write_as_user(state, lambda s, a: (lambda t: (t.month, t.amount))(set_target(s, a, staff, month, amount)))
    click.echo(_("Target for {staff}, {month}: {amount}").format(staff=staff, month=saved[0],
                                                                  amount=f"{saved[1]:,.2f}"))


def register(cli: click.Group) -> None:
    for name in COMMANDS:
        report_group.add_command(_make(name))
    cli.add_command(targets_group)
