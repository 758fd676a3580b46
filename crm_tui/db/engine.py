"""Database URL -> engine, with the SQLite settings that keep data safe."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from crm_tui.paths import ensure_dir, get_paths, make_private

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)
BUSY_TIMEOUT_MS = 5000  # set before each write transaction: the runner may ask for less


def default_url() -> str:
    return f"sqlite:///{get_paths().default_database}"


def resolve_url(url: str | None = None) -> str:
    """``--db URL``, else ``CRM_DATABASE_URL``, else the SQLite file in the data folder."""
    url = url or os.environ.get("CRM_DATABASE_URL") or default_url()
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def is_sqlite(engine_or_url) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(str(engine_or_url))
    return url.get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _prepare_sqlite_file(path: Path) -> None:
    ensure_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    make_private(path)


def _on_sqlite_connect(dbapi_conn, _record):
    # Let SQLAlchemy's "begin" event decide how a transaction starts (see _on_sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    for pragma in SQLITE_PRAGMAS:
        cur.execute(pragma)
    cur.close()


def _on_sqlite_begin(conn):
    # A deferred read-then-write fails with SQLITE_BUSY_SNAPSHOT whatever the timeout: writers take the
    # write lock up front. Reads stay deferred so they never wait for a writer.
    options = conn.get_execution_options()
    if options.get("crm_write", False):
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(options.get('crm_busy_ms') or BUSY_TIMEOUT_MS)}")
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str | None = None, **kwargs) -> Engine:
    url = resolve_url(url)
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None:
            _prepare_sqlite_file(path)
        # SQLite gives the -wal and -shm files the mode of the database file (0600).
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5}, **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)
