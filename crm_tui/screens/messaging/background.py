"""The app sends pending messages in the background: every ``messaging.background_seconds`` (first after one
interval, never at start-up) a thread worker runs the dated triggers and delivers what is due. A failure is
logged, never shown: the outbox keeps the message and its reason."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def start(app) -> None:
    from crm_tui.config import get_settings

    seconds = int(get_settings()["messaging"].get("background_seconds") or 0)
    if seconds <= 0 or getattr(app, "_messages_timer", None) is not None:
        return

    def tick() -> None:
        app.run_worker(lambda: deliver(app.engine), thread=True, exclusive=True, group="messages-background",
                       exit_on_error=False, name="messages-background")

    app._messages_timer = app.set_interval(seconds, tick)


def deliver(engine) -> None:
    from crm_tui.core.actor import SYSTEM
    from crm_tui.services.messaging import outbox, triggers
    from crm_tui.services.runner import run

    try:
        run(engine, SYSTEM, triggers.scan_dates)
        report = outbox.deliver_pending(engine)
        if report.sent or report.failed:
            log.info("messages: sent %s, failed %s, retrying %s", report.sent, report.failed, report.retrying)
    except Exception:  # noqa: BLE001 — background work: the outbox keeps what did not go
        log.exception("sending pending messages failed")
