"""One line for the user about an error: the message of a domain error, or a short description of an
unexpected one with where its details are. Never SQL: SQLAlchemy's ``[SQL: …]`` and ``[parameters: …]`` text
stays in the log.

The caller passes its ``translate`` function (``crm_tui.i18n._``): core imports nothing of the project but itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from crm_tui.core.errors import CrmError

_SQL_DETAIL = re.compile(r"\s*\[(SQL|parameters|Background on this error)\b.*", re.DOTALL)
_LONGEST = 200


def is_expected(exc: BaseException) -> bool:
    """A domain error, which the user caused and can fix: no traceback is kept for it."""
    return isinstance(exc, CrmError)


def first_line(text: str) -> str:
    """The first line of ``text`` without SQLAlchemy's appended statement, shortened to fit one line."""
    text = _SQL_DETAIL.sub("", text).strip()
    line = text.splitlines()[0].strip() if text else ""
    return line if len(line) <= _LONGEST else line[:_LONGEST - 1] + "…"


def describe_error(exc: BaseException, log_path: Path | str | None = None,
                   translate: Callable[[str], str] = str) -> str:
    """One line for ``exc`` in the user's language; an unexpected error names ``log_path`` for the details."""
    _ = translate
    if is_expected(exc):
        return " ".join(exc.message.split())  # type: ignore[attr-defined]
    orig = getattr(exc, "orig", None)  # a DBAPI error wrapped by SQLAlchemy: the driver's words, not the SQL
    if orig is not None:
        text = _("Database error: {reason}").format(reason=first_line(str(orig)) or type(orig).__name__)
    else:
        reason = first_line(str(exc))
        kind = type(exc).__name__
        text = _("Unexpected error: {reason}").format(reason=f"{kind}: {reason}" if reason else kind)
    if log_path:
        text += " " + _("Details are in {path}").format(path=log_path)
    return text
