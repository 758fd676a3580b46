"""One transaction scope for every business action.

    with transaction(engine, actor) as session:
        ...   # everything here commits together, or nothing does

On SQLite a write transaction starts with BEGIN IMMEDIATE (engine.py). ``run_in_transaction`` retries the
whole unit of work when PostgreSQL reports a serialization failure or deadlock, or SQLite stays busy.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crm_tui.core.errors import ConflictError
from crm_tui.db import search as _search_hooks  # noqa: F401  (its session hooks follow every ORM write)

T = TypeVar("T")
RETRYABLE_PG_CODES = {"40001", "40P01"}  # serialization_failure, deadlock_detected


@contextmanager
def transaction(engine: Engine, actor=None, *, write: bool = True, busy_ms: int | None = None) -> Iterator[Session]:
    """Open a session whose work commits as one transaction when the block ends without error.

    ``busy_ms`` bounds how long a SQLite writer waits for the write lock before "database is locked"
    (the runner in services/runner.py waits in short steps so that it can say what it waits for).
    """
    with engine.connect() as conn:
        if write:
            conn.execution_options(crm_write=True, crm_busy_ms=busy_ms)
        session = Session(bind=conn, expire_on_commit=False, autoflush=True)
        session.info["actor"] = actor
        try:
            with session.begin():
                yield session
        except StaleDataError as exc:
            raise ConflictError(_stale_message(exc)) from exc
        finally:
            session.close()


def read_session(engine: Engine, actor=None):
    """A read-only scope: deferred transaction, never takes the write lock."""
    return transaction(engine, actor, write=False)


def _stale_message(exc: StaleDataError) -> str:
    from crm_tui.i18n import _

    return _("Someone else changed this record in the meantime; reload it and try again.") + f" ({exc})"


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError):
        code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        if code in RETRYABLE_PG_CODES:
            return True
        if isinstance(exc, OperationalError) and "database is locked" in str(exc.orig):
            return True
    return False


def run_in_transaction(engine: Engine, work: Callable[[Session], T], actor=None, *, attempts: int = 6) -> T:
    """Run ``work(session)`` in one transaction, retrying it whole on a transient conflict."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction(engine, actor) as session:
                return work(session)
        except DBAPIError as exc:
            if attempt == attempts or not is_retryable(exc):
                raise
            time.sleep(random.uniform(0.01, 0.05) * attempt)
    raise AssertionError("unreachable")
