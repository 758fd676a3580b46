"""What every command shares: the database, the acting user, errors as one line, JSON output."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import click

from crm_tui.i18n import _

T = TypeVar("T")
_LOGGED_IN = object()  # the default actor of a run: the user who logged in


@dataclass
class CliState:
    db_url: str | None = None
    _engine: Any = field(default=None, repr=False)
    _actor: Any = field(default=None, repr=False)
    _waited: bool = field(default=False, repr=False)

    def engine(self, upgrade: bool = True):
        if self._engine is None:
            from crm_tui.services.admin.database import open_database

            self._engine = open_database(self.db_url, upgrade=upgrade)
        return self._engine

    def actor(self):
        """The user named by CRM_USER / CRM_PASSWORD, or asked for when a terminal is attached."""
        if self._actor is None:
            self._actor = login_from_environment(self.engine())
        return self._actor

    def administrator(self, engine=None):
        """The logged-in user, who must be an administrator: maintenance (backup, restore, upgrade, users,
        departments) acts on the whole database. ``engine`` logs in without upgrading the schema first."""
        if self._actor is None:
            self._actor = login_from_environment(engine if engine is not None else self.engine())
        if not self._actor.is_admin:
            raise click.ClickException(_("Only an administrator may do this."))
        return self._actor

    def run(self, work: Callable[[Any], T], *, write: bool = True, actor: Any = _LOGGED_IN) -> T:
        """Run ``work(session)`` as one transaction through the services runner (it retries while busy).

        ``work`` may run more than once: it must not print or write files; do that with what it returns.
        """
        from crm_tui.services.runner import run

        who = self.actor() if actor is _LOGGED_IN else actor
        return run(self.engine(), who, work, write=write, on_wait=self.say_waiting)

    def read(self, work: Callable[[Any], T], *, actor: Any = _LOGGED_IN) -> T:
        """``run`` for a command that only reads."""
        return self.run(work, write=False, actor=actor)

    def say_waiting(self, text: str) -> None:
        """Tell the user, once per command and on stderr, that the command waits for the database."""
        if not self._waited:
            self._waited = True
            click.echo(text, err=True)


def login_from_environment(engine):
    from crm_tui.services.admin.database import is_initialized
    from crm_tui.services.admin.login import log_in

    if not is_initialized(engine):
        raise click.ClickException(_("The database is not set up yet; run `crm init` first."))
    login = os.environ.get("CRM_USER")
    password = os.environ.get("CRM_PASSWORD")
    interactive = sys.stdin.isatty()
    if not login:
        if not interactive:
            raise click.ClickException(_("Set CRM_USER and CRM_PASSWORD to run this command without a terminal."))
        login = click.prompt(_("Login"))
    if password is None:
        if not interactive:
            raise click.ClickException(_("Set CRM_PASSWORD to run this command without a terminal."))
        password = click.prompt(_("Password"), hide_input=True)
    return log_in(engine, login, password, on_wait=lambda text: click.echo(text, err=True))


pass_state = click.make_pass_decorator(CliState, ensure=True)


def _json_default(value: Any):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def echo_json_streamed(data: Any) -> None:
    """echo_json a piece at a time, for data too big to hold as one string (a month's millions of void uploads,
    made as they are written)."""
    buf: list[str] = []
    size = 0
    for piece in json.JSONEncoder(ensure_ascii=False, indent=2, default=_json_default).iterencode(data):
        buf.append(piece)
        size += len(piece)
        if size > 1 << 16:
            click.echo("".join(buf), nl=False)
            buf, size = [], 0
    click.echo("".join(buf))


def echo_table(headers: list[str], rows: list[list[Any]]) -> None:
    """A plain text table whose columns line up with Chinese (wide) characters."""
    from rich.cells import cell_len

    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [cell_len(h) for h in headers]
    for row in cells:
        for i, v in enumerate(row):
            widths[i] = max(widths[i], cell_len(v))

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (widths[i] - cell_len(v)) for i, v in enumerate(values)).rstrip()

    click.echo(line(headers))
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo(line(row))
