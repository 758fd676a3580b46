"""How the service screens write a time and mark what is overdue."""

from __future__ import annotations

OVERDUE_STYLE = "bold red"


def when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""
