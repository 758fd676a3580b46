"""What every screen shares: translated key bindings, running services in thread workers, dialogs.

Data flows one way: screen -> worker -> service -> session -> database; the result comes back on the UI thread
through ``call_from_thread``. Widgets never hold ORM objects and never open sessions themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

# The binding translation and the shared dialogs live under widgets (widgets never import screens).
from crm_tui.widgets.base import (  # noqa: F401 - re-exported for the screens
    ConfirmDialog,
    MessageLine,
    Translated,
    translate_bindings,
    translate_select_menus,
)


def run_service(node, work: Callable[[Any], Any], done: Callable[[Any], None] | None = None, *,
                write: bool = False, group: str = "service", exclusive: bool = True, name: str = "") -> None:
    """Run ``work(session)`` in a thread worker inside one transaction; hand the result to ``done`` on the UI thread.

    A failure goes to ``app.report_error`` (the one place that turns errors into a message for the user).
    """
    app = node.app

    def job():
        from crm_tui.db.session import read_session, transaction

        scope = transaction if write else read_session
        try:
            with scope(app.engine, app.actor) as session:
                result = work(session)
        except Exception as exc:  # noqa: BLE001 - shown to the user, logged with its traceback
            app.call_from_thread(app.report_error, exc)
            return None
        if done is not None:
            try:
                app.call_from_thread(done, result)
            except Exception as exc:  # noqa: BLE001 - a screen that failed to show the result
                app.call_from_thread(app.report_error, exc)
        return result

    node.run_worker(job, thread=True, exclusive=exclusive, group=group, exit_on_error=False,
                    name=name or getattr(work, "__name__", "service"))


class CrmScreen(Translated, Screen):
    """Base of full screens."""
