"""Business events, told to whoever listens, inside the transaction that caused them.

A service announces what happened at its commit point (``emit(session, actor, "order_confirmed",
order_id=…)``) without knowing who listens; the composition root (crm_tui/bootstrap.py) subscribes listeners by
reference (``"package.module:function"``), imported when the first event comes. A listener writes in the same
transaction (e.g. queues a message in the outbox), so it happens if and only if the business write commits.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from crm_tui.services.common.plugins import resolve

# The events the services announce, and what each carries.
EVENTS = {
    "order_confirmed": "order_id",
    "shipment_confirmed": "tracking_id (a courier's tracking number recorded for a stock-out, order or invoice)",
    "receipt_recorded": "receipt_id",
    "ticket_resolved": "ticket_id, customer_id, contact_id (customer service)",
}

_listeners: dict[str, list[Any]] = defaultdict(list)


def subscribe(event: str, listener: Any) -> None:
    """``listener(session, actor, event, payload)``, or where it lives; subscribing twice adds nothing."""
    if listener not in _listeners[event]:
        _listeners[event].append(listener)


def unsubscribe_all() -> None:
    _listeners.clear()


def emit(session, actor, event: str, **payload) -> None:
    for ref in list(_listeners.get(event, ())):
        resolve(ref)(session, actor, event, payload)
