"""The search index's catch-up after a large import, for the screens and the command line (db/search.py does
the work; the layers reach the database through services only)."""

from __future__ import annotations

import threading

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from crm_tui.db import search


def catch_up(engine: Engine) -> int:
    """Index every customer a large import left pending, now; returns how many."""
    return search.catch_up(engine)


def catch_up_later(engine: Engine) -> threading.Thread | None:
    """The same on a thread of its own when any row is pending (one probe), for a screen not to wait."""
    return search.catch_up_later(engine)


def pending_count(engine: Engine) -> int:
    """Customers found by a scan until the index catches up (0 on a database older than the pending table)."""
    try:
        with engine.connect() as conn:
            return search.pending_count(conn)
    except DBAPIError:
        return 0
