"""Invariants of the visits area, run by ``crm db check``."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.db.models.visits import VisitImport, VisitPublication, VisitUpload
from crm_tui.services.common.checks import invariant
from crm_tui.services.visits.calendar import DAY, day_number


@invariant("published visit weeks and months are frozen")
def published_periods_unchanged(session: Session) -> list[str]:
    """No import after a publication added rows on its days (imports refuse that; this catches anything else)."""
    problems = []
    pubs = session.execute(select(VisitPublication.period, VisitPublication.first_day, VisitPublication.last_day,
                                  VisitPublication.published_at).where(VisitPublication.status == "published"))
    for period, first, last, published_at in pubs:
        lo, hi = day_number(first) * DAY, (day_number(last) + 1) * DAY
        late = session.scalar(
            select(VisitUpload.id).join(VisitImport, VisitImport.id == VisitUpload.import_id)
            .where(VisitUpload.at >= lo, VisitUpload.at < hi, VisitImport.imported_at > published_at,
                   VisitUpload.late.is_(False)).limit(1))
        if late is not None:
            problems.append(f"{period}: uploads imported after it was published")
    return problems


@invariant("visit publications hold a readable report")
def publications_readable(session: Session) -> list[str]:
    problems = []
    for period, text in session.execute(select(VisitPublication.period, VisitPublication.result)):
        try:
            report = json.loads(text)
            report["people"], report["totals"]  # noqa: B018 - the keys a reader needs
        except (ValueError, KeyError, TypeError):
            problems.append(f"{period}: the frozen report cannot be read")
    return problems
