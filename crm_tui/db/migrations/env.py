"""Alembic environment. The app runs migrations itself (crm_tui/db/migrate.py) with a live connection."""

from alembic import context

from crm_tui.db.migrate import include_name
from crm_tui.db.models import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from crm_tui.db.engine import make_engine

        with make_engine(config.get_main_option("sqlalchemy.url") or None).connect() as conn:
            _configure_and_run(conn)
    else:
        _configure_and_run(connection)


def _configure_and_run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
