"""Schema migrations (Alembic), run by the app itself: ``crm db upgrade`` and on start after a backup."""

from __future__ import annotations

from importlib import resources

from sqlalchemy import Engine, inspect


def alembic_config(engine: Engine | None = None, connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("crm_tui.db") / "migrations"))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


def include_name(name, type_, parent_names) -> bool:
    """Alembic autogenerate filter: leave out what the models cannot describe (SQLite FTS5 virtual tables and
    their shadow tables, PostgreSQL index kinds). Areas list such names in ``metadata.info["unmanaged"]``."""
    from crm_tui.db.models import metadata

    return name not in metadata.info.get("unmanaged", ())


# The newest migration, known without importing alembic (with mako and pygments, ~0.5 s of start-up): a
# database already at this revision opens with one SELECT. tests/foundation/test_safety.py keeps it equal to
# what the migration scripts say.
HEAD_REVISION = "0011_defer"


def head_revision() -> str:
    return HEAD_REVISION


def script_head() -> str | None:
    """The head as the migration scripts declare it (imports alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision: None for a database without one."""
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as conn:
        versions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    if len(versions) > 1:
        raise RuntimeError(f"the database has several schema heads: {', '.join(sorted(versions))}")
    return versions[0] if versions else None


def is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(engine, conn), revision)


def has_tables_without_alembic(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names())
    return bool(names) and "alembic_version" not in names
