"""The one way a use case reaches the database, for the screens and the command line alike.

    result = run(engine, actor, lambda session: customers.create(session, data), on_wait=say)

``run`` owns the transaction and the retry policy. A transient conflict (SQLite's write lock held by
another user, a PostgreSQL serialization failure or deadlock) re-runs ``work`` whole in a new transaction,
so ``work`` must only touch the session (no output, no files) until it returns. ``on_wait(text)`` is told
once, at the first retry, what the run is waiting for.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from crm_tui.core.errors import ConflictError
from crm_tui.db.engine import is_sqlite
from crm_tui.db.session import is_retryable, transaction
from crm_tui.i18n import _

T = TypeVar("T")
FIRST_TRY_MS = 300  # a SQLite writer waits this long for the lock before the user is told
STEP_MS = 1000  # then waits in steps of this, until the patience runs out
PATIENCE_ENV = "CRM_LOCK_WAIT"  # seconds a run keeps retrying (default 30)
DEFAULT_PATIENCE = 30.0


class BusyError(ConflictError):
    """Another user's write held the database for longer than this run was willing to wait."""


def patience() -> float:
    try:
        return float(os.environ.get(PATIENCE_ENV, DEFAULT_PATIENCE))
    except ValueError:
        return DEFAULT_PATIENCE


def run(engine: Engine, actor, work: Callable[[Session], T], *, write: bool = True,
        on_wait: Callable[[str], None] | None = None) -> T:
    """Run ``work(session)`` in one transaction; retry it whole while the database is busy."""
    deadline = time.monotonic() + patience()
    sqlite = is_sqlite(engine)
    attempt = 0
    while True:
        attempt += 1
        busy_ms = (FIRST_TRY_MS if attempt == 1 else STEP_MS) if sqlite else None
        try:
            with transaction(engine, actor, write=write, busy_ms=busy_ms) as session:
                return work(session)
        except DBAPIError as exc:
            if not is_retryable(exc):
                raise
            if time.monotonic() >= deadline:
                raise BusyError(_("The database stayed busy with another user's write; try again later.")) from exc
        if attempt == 1 and on_wait is not None:
            on_wait(_("Waiting for another user's write…"))
        if not sqlite:  # SQLite already waited inside the lock; a server conflict backs off a little
            time.sleep(random.uniform(0.01, 0.05) * min(attempt, 10))


def read(engine: Engine, actor, work: Callable[[Session], T], *,
         on_wait: Callable[[str], None] | None = None) -> T:
    """``run`` for a use case that only reads: a deferred transaction that never takes the write lock."""
    return run(engine, actor, work, write=False, on_wait=on_wait)
