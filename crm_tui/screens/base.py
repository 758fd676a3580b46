"""What every screen shares: translated key bindings, running services in thread workers, dialogs.

Data flows one way: screen -> worker -> service -> session -> database; the result comes back to the UI thread
as a message (widgets/work.py). Widgets never hold ORM objects and never open sessions themselves.
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
    """Run ``work(session)`` through the worker runner (widgets/work.py); ``done(result)`` on the UI thread.

    A failure goes to ``app.report_error`` (the one place that turns errors into a message for the user).
    """
    from crm_tui.widgets.work import run_use_case

    run_use_case(node, work, done, write=write, group=group, exclusive=exclusive, name=name)


class CrmScreen(Translated, Screen):
    """Base of full screens."""
