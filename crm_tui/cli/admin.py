"""Administration commands: init, users, departments, backup/restore, db upgrade/check, demo."""

from __future__ import annotations

import os
import sys

import click

from crm_tui.cli.common import CliState, echo_json, echo_table, pass_state
from crm_tui.i18n import _


def _new_password(confirm: bool = True) -> str:
    password = os.environ.get("CRM_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        raise click.ClickException(_("Set CRM_PASSWORD, or run the command in a terminal to be asked."))
    return click.prompt(_("Password"), hide_input=True, confirmation_prompt=confirm)


@click.command("init")
@click.option("--admin", "admin", default="admin", show_default=True, help="Login of the first administrator.")
@click.option("--company", default="", help="Company name for printed documents.")
@click.option("--name", "display_name", default=None, help="Display name of the administrator.")
@pass_state
def init_cmd(state: CliState, admin: str, company: str, display_name: str | None) -> None:
    """Create the database and its first administrator (password from CRM_PASSWORD or prompted)."""
    from crm_tui.config import write_defaults_if_missing
    from crm_tui.services.admin.database import initialize

    engine = state.engine()
    write_defaults_if_missing()
    initialize(engine, admin, _new_password(), company, display_name)
    click.echo(_("Database ready at {url}; administrator {login} created.").format(
        url=engine.url.render_as_string(hide_password=True), login=admin))


# --- users -------------------------------------------------------------------------------------

@click.group("users")
def users_group() -> None:
    """Users and staff."""


@users_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_state
def users_list(state: CliState, fmt: str) -> None:
    """List users."""
    from crm_tui.services.admin import users

    state.administrator()

    def work(session):
        return users.list_users(session)
    rows = state.read(work, actor=None)
    if fmt == "json":
        echo_json([{"login": r.login, "name": r.display_name, "role": r.role, "active": r.active,
                    "staff_number": r.staff_number, "department": r.department, "position": r.position,
                    "area": r.area, "supervisor": r.supervisor} for r in rows])
        return
    echo_table([_("Login"), _("Name"), _("Role"), _("Active"), _("Staff no."), _("Department"), _("Position"),
                _("Area"), _("Supervisor")],
               [[r.login, r.display_name, _(r.role), _("yes") if r.active else _("no"), r.staff_number,
                 r.department, r.position, r.area, r.supervisor] for r in rows])


@users_group.command("add")
@click.argument("login")
@click.option("--name", "display_name", help="Display name (default: the login).")
@click.option("--role", default="salesperson", show_default=True,
              type=click.Choice(["administrator", "manager", "salesperson", "clerk", "statistician", "warehouse"]))
@click.option("--department", help="Department name or path (销售部/商团部).")
@click.option("--staff-number", help="Staff number (工号).")
@click.option("--position", help="Position (岗位), e.g. 商超业务员.")
@click.option("--area", help="Sales area (片区).")
@click.option("--supervisor", help="Supervisor's login, staff number or name.")
@click.option("--no-password", is_flag=True, help="Create the user without a password (cannot log in yet).")
@pass_state
def users_add(state: CliState, login, display_name, role, department, staff_number, position, area, supervisor,
              no_password) -> None:
    """Add a user (password from CRM_NEW_PASSWORD or prompted)."""
    from crm_tui.services.admin import departments, users

    actor = state.administrator()
    password = None
    if not no_password:
        password = os.environ.get("CRM_NEW_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                raise click.ClickException(_("Set CRM_NEW_PASSWORD or use --no-password."))
            password = click.prompt(_("Password for {login}").format(login=login), hide_input=True,
                                    confirmation_prompt=True)

    def work(session):
        attrs = {"staff_number": staff_number, "position": position, "area": area}
        if department:
            attrs["department_id"] = departments.find_department(session, department).id
        if supervisor:
            attrs["supervisor_id"] = users.find_user(session, supervisor).id
        users.add_user(session, actor, login, display_name or login, role, password, **attrs)
    state.run(work)
    click.echo(_("User {login} added.").format(login=login))


@users_group.command("passwd")
@click.argument("login")
@pass_state
def users_passwd(state: CliState, login: str) -> None:
    """Set a user's password (from CRM_NEW_PASSWORD or prompted)."""
    from crm_tui.services.admin import users

    actor = state.administrator()
    password = os.environ.get("CRM_NEW_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise click.ClickException(_("Set CRM_NEW_PASSWORD to run this command without a terminal."))
        password = click.prompt(_("New password"), hide_input=True, confirmation_prompt=True)

    def work(session):
        users.set_password(session, actor, users.find_user(session, login).id, password)
    state.run(work)
    click.echo(_("Password of {login} changed.").format(login=login))


@users_group.command("disable")
@click.argument("login")
@click.option("--enable", is_flag=True, help="Enable the user again instead.")
@pass_state
def users_disable(state: CliState, login: str, enable: bool) -> None:
    """Disable a user. Their records stay; transfer their customers with `crm customers transfer`."""
    from crm_tui.services.admin import users

    actor = state.administrator()

    def work(session):
        users.set_active(session, actor, users.find_user(session, login).id, enable)
    state.run(work)
    click.echo((_("User {login} enabled.") if enable else _("User {login} disabled.")).format(login=login))


# --- departments -------------------------------------------------------------------------------

@click.group("departments")
def departments_group() -> None:
    """The department tree."""


@departments_group.command("add")
@click.argument("name")
@click.option("--parent", help="Parent department name or path.")
@click.option("--manager", help="Head of the department: login, staff number or name.")
@pass_state
def departments_add(state: CliState, name: str, parent: str | None, manager: str | None) -> None:
    """Add a department (NAME may be a path: 销售部/商团部)."""
    from crm_tui.services.admin import departments, users

    actor = state.administrator()

    def work(session):
        parent_id = departments.find_department(session, parent).id if parent else None
        manager_id = users.find_user(session, manager).id if manager else None
        departments.add_department_path(session, actor, name, parent_id, manager_id)
    state.run(work)
    click.echo(_("Department {name} added.").format(name=name))


@departments_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_state
def departments_list(state: CliState, fmt: str) -> None:
    """List departments as a tree."""
    from crm_tui.services.admin import departments

    state.administrator()

    def work(session):
        return departments.list_departments(session)
    rows = state.read(work, actor=None)
    if fmt == "json":
        echo_json([{"id": r.id, "name": r.name, "path": r.path, "manager": r.manager, "members": r.members}
                   for r in rows])
        return
    echo_table([_("Department"), _("Head"), _("Members")],
               [["  " * r.depth + r.name, r.manager, r.members] for r in rows])


# --- database ----------------------------------------------------------------------------------

@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@pass_state
def backup_cmd(state: CliState, path: str | None) -> None:
    """Back up the database (default: into the backups folder)."""
    from pathlib import Path

    from crm_tui.services.admin.backup import backup

    engine = state.engine(upgrade=False)
    state.administrator(engine)
    target = backup(engine, Path(path) if path else None)
    click.echo(_("Backup written to {path}").format(path=target))


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def restore_cmd(state: CliState, path: str, yes: bool) -> None:
    """Replace the database with a backup (the current one is backed up first)."""
    from pathlib import Path

    from crm_tui.db.engine import make_engine
    from crm_tui.services.admin.backup import restore
    from crm_tui.services.admin.database import holds_anything, in_use

    engine = make_engine(state.db_url)
    if in_use(engine):  # a database in use is replaced by its administrator only
        state.administrator(engine)
    elif holds_anything(engine):  # e.g. a client whose search path misses the office's schema: nobody to ask
        raise click.ClickException(_("{db} holds data, but not a set-up crm-tui database this connection can log "
                                     "in to; refusing to replace it.").format(db=engine.url.database))
    if not yes and sys.stdin.isatty():
        click.confirm(_("Replace the current database with {path}?").format(path=path), abort=True)
    safety = restore(engine, Path(path))
    click.echo(_("Restored from {path}; the previous database was saved to {safety}.").format(path=path, safety=safety))


@click.group("db")
def db_group() -> None:
    """Database maintenance."""


@db_group.command("upgrade")
@pass_state
def db_upgrade(state: CliState) -> None:
    """Upgrade the schema to this version (after a backup)."""
    from crm_tui.db.engine import make_engine
    from crm_tui.services.admin.database import ensure_schema, in_use

    engine = make_engine(state.db_url)
    if in_use(engine):  # the users table is the same in every schema version
        state.administrator(engine)
    backup_path = ensure_schema(engine)
    if backup_path:
        click.echo(_("Database upgraded; backup before the upgrade: {path}").format(path=backup_path))
    else:
        click.echo(_("Database schema is up to date."))


@db_group.command("check")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_state
def db_check(state: CliState, fmt: str) -> None:
    """Check integrity and the business invariants; exit 1 when anything is wrong."""
    from crm_tui.services.common.checks import run_checks

    engine = state.engine(upgrade=False)
    results = run_checks(engine)  # a check changes nothing: an empty database stays empty
    bad = {name: problems for name, problems in results.items() if problems}
    pending = _search_pending(engine)
    if fmt == "json":
        echo_json({"ok": not bad, "checks": results, "search_pending": pending})
    else:
        for name, problems in results.items():
            click.echo(f"{'FAIL' if problems else 'ok  '}  {name}")
            for p in problems[:20]:
                click.echo(f"      {p}")
        if pending:  # information: found by search meanwhile, indexed by the app's next start or import
            click.echo(_("info  {n} customers wait for the search index (found by search meanwhile)").format(
                n=pending))
    if bad:
        raise SystemExit(1)


def _search_pending(engine) -> int:
    """Customers whose search rows a large import left for the index to catch up on."""
    from crm_tui.services.customers.search_index import pending_count

    return pending_count(engine)


@click.command("demo")
@pass_state
def demo_cmd(state: CliState) -> None:
    """Fill an empty database with a deterministic demo company."""
    from crm_tui.config import write_defaults_if_missing
    from crm_tui.services.admin.database import initialize, is_initialized
    from crm_tui.services.demo import DEMO_PASSWORD, counts_text, run_demo

    engine = state.engine()
    write_defaults_if_missing()
    if not is_initialized(engine):
        password = os.environ.get("CRM_PASSWORD") or DEMO_PASSWORD
        actor = initialize(engine, "admin", password, "临沂华夏商贸有限公司", "系统管理员")
        click.echo(_("Administrator admin created with password {pw}.").format(
            pw="(CRM_PASSWORD)" if os.environ.get("CRM_PASSWORD") else DEMO_PASSWORD))
    else:
        actor = state.actor()

    def progress(title: str, i: int, n: int) -> None:
        click.echo(f"[{i}/{n}] {title}", err=True)

    counts = run_demo(engine, actor, progress)
    click.echo(_("Demo company ready: {counts}").format(counts=counts_text(counts)))
    click.echo(_("Demo users log in with password {pw}.").format(pw=DEMO_PASSWORD))


# --- company details ---------------------------------------------------------------------------

@click.group("company")
def company_group() -> None:
    """Our company's details, printed at the head of every document."""


@company_group.command("show")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_state
def company_show(state: CliState, fmt: str) -> None:
    """Show the company details every print uses."""
    from crm_tui.services.admin import company

    details = state.read(company.get_details)
    if fmt == "json":
        echo_json(details)
        return
    echo_table([_("Field"), _("Value")], [[_(company.LABELS[k]), details[k]] for k in company.FIELDS])


@company_group.command("set")
@click.option("--name", help="Company name (公司名称).")
@click.option("--address", help="Address (地址).")
@click.option("--phone", help="Phone (电话).")
@click.option("--tax-number", help="Tax number (税号): 15, 18 or 20 letters and digits.")
@click.option("--bank", help="Bank (开户行).")
@click.option("--account", help="Bank account number (账号).")
@pass_state
def company_set(state: CliState, **options: str | None) -> None:
    """Change company details (administrators only); options left out keep their value."""
    from crm_tui.services.admin import company

    values = {k: v for k, v in options.items() if v is not None}
    if not values:
        raise click.UsageError(_("Nothing to change: give at least one of --name, --address, --phone, "
                                 "--tax-number, --bank, --account."))
    actor = state.administrator()
    details = state.run(lambda session: company.update_details(session, actor, **values))
    click.echo(_("Company details saved: {values}").format(
        values=", ".join(f"{_(company.LABELS[k])} {details[k]}" for k in values)))


def register(cli: click.Group) -> None:
    for command in (init_cmd, users_group, departments_group, backup_cmd, restore_cmd, db_group, demo_cmd,
                    company_group):
        cli.add_command(command)
