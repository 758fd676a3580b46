"""The today view: every registered source asked once for one user, and the counts for the status line."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import CrmError
from crm_tui.i18n import _
from crm_tui.services.today import registry
from crm_tui.services.today.registry import Line

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Section:
    id: str
    title: str  # in the reader's language
    lines: list[Line]

    def as_json(self) -> dict:
        return {"source": self.id, "title": self.title, "count": len(self.lines),
                "items": [line.as_json() for line in self.lines]}


def today_view(session: Session, actor: Actor, today: date | None = None) -> list[Section]:
    """The sections of the today view with something in them, in the registered order. A source that fails
    with a domain error (a right the user lacks) is left out rather than taking the view down."""
    today = today or clock.today()
    out = []
    for entry in registry.TODAY_SOURCES:
        try:
            lines = [registry.as_line(item) for item in entry.load()(session, actor, today)]
        except CrmError as exc:
            log.info("today source %s left out for %s: %s", entry.id, actor.login, exc)
            continue
        if lines:
            out.append(Section(entry.id, _(entry.title), lines))
    return out


def counts(sections: list[Section]) -> dict[str, int]:
    return {s.id: len(s.lines) for s in sections}


def status_text(session: Session, actor: Actor) -> str | None:
    """The status line piece: how many things wait today, and the reminders due now."""
    from crm_tui.services.today import reminders

    total = sum(len(s.lines) for s in today_view(session, actor))
    due = reminders.due_count(session, actor)
    parts = []
    if total:
        parts.append(_("Today: {n}").format(n=total))
    if due:
        parts.append(_("Reminders due: {n}").format(n=due))
    return "  ".join(parts) or None
