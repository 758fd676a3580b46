"""The registries of the today view, the customer page and the employee page.

Each area contributes from the composition root (crm_tui/bootstrap.py), one line each, naming a function by
where it lives ("module:function"), imported when first used:

- a *today source* ``fn(session, actor, today) -> list[Line | dict]``: the things ``actor`` should act on today
  (one query, please: the home screen asks every source at login);
- a *customer tab* ``fn(session, actor, customer_id) -> Table``: one tab of the customer page, with its count;
- an *employee section* ``fn(session, actor, user_id, start, end) -> Table``: one part of a person's page over a
  period (``start`` and ``end`` included).

A dict stands for a ``Line`` (keys ``text``, ``when``, ``link``), so another area needs no import of ours. A
``link`` names the record a line opens: "customer:12", "user:3", "announcement:5", or "area:<area>.<action>"
(an area of the main screen and an action of its pane).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm_tui.services.common.plugins import resolve


@dataclass(frozen=True)
class Line:
    text: str  # in the reader's language
    when: str = ""  # a date or time as shown ("2026-11-30", "09:30"), or ""
    link: str | None = None

    def as_json(self) -> dict:
        return {"text": self.text, "when": self.when, "link": self.link}


@dataclass(frozen=True)
class Table:
    """Rows for a tab or section: column msgids, rows of shown strings, the link each row opens, a count (the
    whole count when the rows are only the latest ones)."""

    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)
    count: int | None = None
    summary: str = ""  # a line above the rows (totals), in the reader's language

    @property
    def total(self) -> int:
        return len(self.rows) if self.count is None else self.count


@dataclass(frozen=True)
class Entry:
    id: str
    title: str  # msgid
    fn: str  # "module:function"

    def load(self):
        return resolve(self.fn)


TODAY_SOURCES: list[Entry] = []
CUSTOMER_TABS: list[Entry] = []
EMPLOYEE_SECTIONS: list[Entry] = []


def _register(into: list[Entry], entry_id: str, title: str, fn: str) -> None:
    into[:] = [e for e in into if e.id != entry_id] + [Entry(entry_id, title, fn)]


def register_today_source(source_id: str, title: str, fn: str) -> None:
    _register(TODAY_SOURCES, source_id, title, fn)


def register_customer_tab(tab_id: str, title: str, fn: str) -> None:
    _register(CUSTOMER_TABS, tab_id, title, fn)


def register_employee_section(section_id: str, title: str, fn: str) -> None:
    _register(EMPLOYEE_SECTIONS, section_id, title, fn)


def as_line(item: Any) -> Line:
    if isinstance(item, Line):
        return item
    if isinstance(item, dict):
        return Line(str(item.get("text", "")), str(item.get("when") or ""), item.get("link"))
    return Line(str(item))
