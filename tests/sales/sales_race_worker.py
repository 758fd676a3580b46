"""Run by the race tests in separate (spawned) processes: confirm one sales stock-out."""

from __future__ import annotations

import os
import time


def ship_in_process(url: str, crm_home: str, out_id: int, barrier, results, hold: float) -> None:
    """Confirm stock-out ``out_id`` after the barrier, holding the order locks ``hold`` seconds, so the other
    process surely tries while this one is between its check of what is unshipped and its commit."""
    os.environ["CRM_HOME"] = crm_home
    from crm_tui.core.actor import SYSTEM
    from crm_tui.core.errors import CrmError
    from crm_tui.db.engine import make_engine
    from crm_tui.db.session import transaction
    from crm_tui.services.sales import stock_outs as sales_stock_outs

    original = sales_stock_outs.lock_orders

    def slow_lock(session, order_ids):
        original(session, order_ids)
        time.sleep(hold)

    sales_stock_outs.lock_orders = slow_lock
    engine = make_engine(url)
    try:
        barrier.wait(timeout=30)
        with transaction(engine, SYSTEM) as session:
            number = sales_stock_outs.confirm_stock_out(session, SYSTEM, out_id)
        results.put(("ok", number))
    except CrmError as exc:
        results.put(("refused", str(exc)))
    except Exception as exc:  # an unexpected database error is a failure, reported as such
        results.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        engine.dispose()
