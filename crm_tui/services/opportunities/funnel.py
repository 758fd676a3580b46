"""The sales funnel (销售漏斗) over the opportunities a user may see.

- per stage: how many opportunities stand in it and their expected amount, and that amount weighted by the
  stage's probability;
- the weighted forecast of open opportunities by the month they are expected to close;
- stage-to-stage conversion: of the opportunities that reached a stage, how many reached the next one (an
  opportunity counts as having reached every open stage up to the furthest one its history shows);
- the average days spent in each stage (from the stage history; an open opportunity's current stage counts up
  to now);
- lost reasons, with counts and amounts.

``date_from``/``date_to`` choose opportunities by the day they closed (won or lost) or, while open, by the day
they are expected to close; an open one without an expected close counts only when no range is given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.db.models.opportunities import Opportunity, OpportunityStageChange
from crm_tui.services.opportunities import stages as st
from crm_tui.services.opportunities.records import visible_clause

ZERO = Decimal(0)
FEN = Decimal("0.01")


def _fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StageFigures:
    code: str
    name: str
    probability: Decimal
    count: int
    amount: Decimal
    weighted: Decimal

    def as_json(self) -> dict:
        return {"stage": self.name, "count": self.count, "amount": f"{self.amount:.2f}",
                "weighted": f"{self.weighted:.2f}", "code": self.code, "probability": f"{self.probability:.2f}"}


@dataclass(frozen=True)
class MonthForecast:
    month: str  # YYYY-MM, or "" for no expected close date
    count: int
    amount: Decimal
    weighted: Decimal


@dataclass(frozen=True)
class Conversion:
    from_stage: str
    to_stage: str
    reached: int
    moved_on: int

    @property
    def rate(self) -> Decimal | None:
        return None if not self.reached else (Decimal(self.moved_on) / self.reached).quantize(Decimal("0.001"))


@dataclass(frozen=True)
class StageDays:
    stage: str
    average_days: Decimal | None
    samples: int


@dataclass(frozen=True)
class LostReason:
    reason: str
    count: int
    amount: Decimal


@dataclass
class Funnel:
    stages: list[StageFigures] = field(default_factory=list)
    forecast: list[MonthForecast] = field(default_factory=list)
    conversion: list[Conversion] = field(default_factory=list)
    days: list[StageDays] = field(default_factory=list)
    lost: list[LostReason] = field(default_factory=list)

    @property
    def open_weighted(self) -> Decimal:
        return sum((f.weighted for f in self.forecast), ZERO)


def funnel(session: Session, actor: Actor, *, date_from: date | None = None, date_to: date | None = None,
           owner_id: int | None = None, utc_now: datetime | None = None) -> Funnel:
    """``utc_now``: the end of an open opportunity's current stage (default: the clock's now, in UTC)."""
    stages = st.list_stages(session, include_inactive=True) or st.default_stage_views()
    by_id = {s.id: s for s in stages}
    scope = [visible_clause(session, actor)]
    if owner_id is not None:
        scope.append(Opportunity.owner_id == owner_id)
    day = func.coalesce(Opportunity.closed_on, Opportunity.expected_close)  # closed, else expected to close
    if date_from is not None:
        scope.append(day >= date_from)
    if date_to is not None:
        scope.append(day <= date_to)
    stmt = select(Opportunity.id, Opportunity.stage_id, Opportunity.expected_amount, Opportunity.expected_close,
                  Opportunity.lost_reason).where(*scope)
    chosen = [(oid, by_id.get(stage_id), amount or ZERO, close, reason)
              for oid, stage_id, amount, close, reason in session.execute(stmt)]

    result = Funnel()
    count: dict[int, int] = defaultdict(int)
    amount_of: dict[int, Decimal] = defaultdict(Decimal)
    months: dict[str, list] = defaultdict(lambda: [0, ZERO, ZERO])
    lost: dict[str, list] = defaultdict(lambda: [0, ZERO])
    for _oid, stage, amount, close, reason in chosen:
        if stage is None:
            continue
        count[stage.id] += 1
        amount_of[stage.id] += amount
        if stage.is_open:
            m = months[close.strftime("%Y-%m") if close else ""]
            m[0] += 1
            m[1] += amount
            m[2] += _fen(amount * stage.probability)
        elif stage.outcome == "lost":
            r = lost[reason or ""]
            r[0] += 1
            r[1] += amount
    for s in stages:
        amount = amount_of.get(s.id, ZERO)
        result.stages.append(StageFigures(s.code, s.name, s.probability, count.get(s.id, 0), _fen(amount),
                                          _fen(amount * s.probability)))
    result.forecast = [MonthForecast(m, c, _fen(a), w) for m, (c, a, w) in sorted(months.items(), key=lambda kv:
                                                                                 (kv[0] == "", kv[0]))]
    result.lost = [LostReason(r, c, _fen(a)) for r, (c, a) in sorted(lost.items(), key=lambda kv: (-kv[1][0], kv[0]))]
    if utc_now is None:  # the stage history is kept in UTC; the clock is local (and frozen in tests)
        utc_now = clock.now().astimezone(UTC).replace(tzinfo=None)
    _history_figures(session, result, stages, [c[0] for c in chosen], scope, utc_now)
    return result


def _history_figures(session: Session, result: Funnel, stages: list[st.StageView], ids: list[int], scope: list,
                     utc_now: datetime) -> None:
    ladder = [s for s in stages if s.outcome in ("open", "won")]  # the funnel's steps, in order
    rank = {s.id: i for i, s in enumerate(ladder)}
    changes: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    if ids:  # the same opportunities as the figures: the history joined to them under the same conditions
        rows = session.execute(select(OpportunityStageChange.opportunity_id, OpportunityStageChange.changed_at,
                                      OpportunityStageChange.to_stage_id)
                               .join(Opportunity, Opportunity.id == OpportunityStageChange.opportunity_id)
                               .where(*scope)
                               .order_by(OpportunityStageChange.opportunity_id, OpportunityStageChange.changed_at,
                                         OpportunityStageChange.id))
        for oid, at, to in rows:
            changes[oid].append((at, to))
    furthest: list[int] = []
    spent: dict[int, list[int]] = defaultdict(list)
    by_id = {s.id: s for s in stages}
    for oid in ids:
        steps = changes.get(oid, [])
        reached = [rank[to] for _at, to in steps if to in rank]
        if reached:
            furthest.append(max(reached))
        for i, (at, to) in enumerate(steps):
            stage = by_id.get(to)
            if stage is None or not stage.is_open:
                continue
            end = steps[i + 1][0] if i + 1 < len(steps) else utc_now
            spent[to].append(max(int((end - at).total_seconds()), 0))
    for i in range(len(ladder) - 1):
        reached = sum(1 for f in furthest if f >= i)
        moved = sum(1 for f in furthest if f >= i + 1)
        result.conversion.append(Conversion(ladder[i].name, ladder[i + 1].name, reached, moved))
    for s in stages:
        if not s.is_open:
            continue
        values = spent.get(s.id, [])
        avg = None
        if values:
            avg = (Decimal(sum(values)) / Decimal(len(values) * 86400)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        result.days.append(StageDays(s.name, avg, len(values)))
