"""A stale draft save shows in the form that made it (the user reopens and saves again); any other failure
goes to the app's one error report, as run_service does."""

from __future__ import annotations

from collections.abc import Callable

from crm_tui.core.errors import ConflictError


def conflict_in_form(node, show: Callable[[str], None]) -> Callable[[BaseException], None]:
    """An ``on_error`` for run_use_case: a ConflictError goes to ``show``, the rest to ``app.report_error``."""

    def failed(exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            show(str(exc))
        else:
            node.app.report_error(exc)

    return failed
