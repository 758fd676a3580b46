"""Opening the database: create the schema on first use, upgrade an older one after a backup."""

from __future__ import annotations

from sqlalchemy import Engine

from crm_tui.config import get_settings, save_settings
from crm_tui.core.actor import SYSTEM, Actor
from crm_tui.core.errors import CrmError, ValidationError
from crm_tui.db import migrate
from crm_tui.db.engine import make_engine
from crm_tui.db.session import read_session, transaction
from crm_tui.i18n import _
from crm_tui.services.admin import company as company_details
from crm_tui.services.admin import users


def open_database(url: str | None = None, upgrade: bool = True) -> Engine:
    """An engine on an up-to-date schema. An older database is backed up before it is upgraded."""
    engine = make_engine(url)
    if upgrade:
        ensure_schema(engine)
    return engine


def ensure_schema(engine: Engine) -> str | None:
    """Create or upgrade the schema; returns the path of the pre-upgrade backup, if one was taken."""
    if migrate.has_tables_without_alembic(engine):
        raise CrmError(_("This database was not created by crm-tui (no schema version); refusing to change it."))
    if migrate.is_empty(engine):
        migrate.upgrade(engine)
        return None
    current = migrate.current_revision(engine)
    head = migrate.head_revision()
    if current == head:
        return None
    from alembic.script import ScriptDirectory

    known = {rev.revision for rev in ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()}
    if current not in known:
        raise CrmError(_("This database is newer than this version of crm-tui ({rev}); upgrade crm-tui.").format(
            rev=current))
    from crm_tui.services.admin.backup import backup

    path = backup(engine, reason="upgrade")
    migrate.upgrade(engine)
    return str(path)


def is_initialized(engine: Engine) -> bool:
    with read_session(engine) as session:
        return users.count_users(session) > 0


def in_use(engine: Engine) -> bool:
    """Whether the database holds a set-up crm-tui (it has users); False for an empty, foreign or unreadable one."""
    from sqlalchemy.exc import DBAPIError

    try:
        if migrate.is_empty(engine) or migrate.has_tables_without_alembic(engine):
            return False
        return is_initialized(engine)
    except DBAPIError:
        return False


def holds_anything(engine: Engine) -> bool:
    """Whether a restore would destroy something. PostgreSQL: any table in any schema of the database, seen or
    not through this connection's search path (pg_restore replaces the whole database); a database that cannot
    be read counts as holding something. SQLite: a set-up crm-tui file (the file is only as safe as its folder)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    if engine.dialect.name == "sqlite":
        return in_use(engine)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(text(
                "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND left(n.nspname, 3) <> 'pg_' "
                "AND n.nspname <> 'information_schema'")).scalar())
    except DBAPIError:
        return True


def initialize(engine: Engine, admin_login: str, password: str, company: str = "",
               display_name: str | None = None) -> Actor:
    """First run: the first administrator and the company name. Refused once users exist."""
    if is_initialized(engine):
        raise ValidationError(_("The database is already set up; log in instead."))
    with transaction(engine, SYSTEM) as session:
        uid = users.add_user(session, SYSTEM, admin_login, display_name or admin_login, "administrator", password)
        actor = Actor(uid, admin_login, display_name or admin_login, "administrator")
        company_details.store_initial(session, company)
    if company:
        settings = dict(get_settings())
        settings["company"] = {**settings.get("company", {}), "name": company.strip()}
        save_settings(settings)
    return actor
