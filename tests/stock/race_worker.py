"""Code run in separate processes by the race tests (spawned, so it must be importable on its own)."""

from __future__ import annotations

import os
import time


def confirm_in_process(url: str, crm_home: str, doc_id: int, barrier, results, hold: float) -> None:
    """Confirm one stock document after the barrier; ``hold`` keeps the balance locks that long (seconds),
    so the other process surely tries while this one is between its check and its commit."""
    os.environ["CRM_HOME"] = crm_home
    from crm_tui.core.actor import SYSTEM
    from crm_tui.core.errors import CrmError
    from crm_tui.db.engine import make_engine
    from crm_tui.db.session import transaction
    from crm_tui.services.stock import documents as stock_documents
    from crm_tui.services.stock import ledger as stock_ledger

    if hold:
        original = stock_ledger.lock_balances

        def slow_lock(session, keys):
            found = original(session, keys)
            time.sleep(hold)
            return found

        stock_ledger.lock_balances = slow_lock
    engine = make_engine(url)
    try:
        barrier.wait(timeout=30)
        with transaction(engine, SYSTEM) as session:
            number = stock_documents.confirm(session, SYSTEM, doc_id)
        results.put(("ok", number))
    except CrmError as exc:
        results.put(("refused", type(exc).__name__ + ": " + str(exc)))
    except Exception as exc:  # an unexpected database error is a test failure, reported as such
        results.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        engine.dispose()
