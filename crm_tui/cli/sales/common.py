"""What the sales commands share: ``--format``, dates, money and quantities as text, runs as the user."""

from __future__ import annotations

from datetime import date

import click

from crm_tui.cli.common import CliState
from crm_tui.i18n import _

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
                      help="Output format.")


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    from crm_tui.core.errors import ValidationError
    from crm_tui.io.cells import CellError
    from crm_tui.io.cells import date as cell_date

    try:
        return cell_date(value.strip())
    except CellError:
        raise ValidationError(_("{option}: not a date: {value!r} (expected YYYY-MM-DD)").format(
            option=option, value=value), field=option) from None


def money(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def qty(value) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def read_as_user(state: CliState, work):
    """``work(session, actor)`` as the logged-in user, in one read transaction."""
    actor = state.actor()
    return state.read(lambda session: work(session, actor))


def write_as_user(state: CliState, work):
    """``work(session, actor)`` as the logged-in user, in one write transaction (retried while busy)."""
    actor = state.actor()
    return state.run(lambda session: work(session, actor))
