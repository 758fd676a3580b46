"""The stages of the funnel (data in ``opportunity_stages``) and what an opportunity needs to enter each.

A stage's ``criteria`` is a comma-separated list of codes from ``CRITERIA``; moving an opportunity into the
stage is refused, naming what is missing, until each holds. The lost reasons are a list in the settings
(``[opportunities] lost_reasons``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.config import get_settings
from crm_tui.core.errors import NotFound, ValidationError
from crm_tui.db.models.opportunities import Opportunity, OpportunityLine, OpportunityStage
from crm_tui.i18n import _

# The default funnel, as migration 0009_opps seeds it: (code, name, probability, position, outcome, criteria).
DEFAULT_STAGES = [
    ("initial", "初步接洽", Decimal("0.1"), 10, "open", None),
    ("qualified", "需求确认", Decimal("0.3"), 20, "open", "contact"),
    ("proposal", "方案报价", Decimal("0.5"), 30, "open", "quote"),
    ("negotiation", "商务谈判", Decimal("0.7"), 40, "open", "quote"),
    ("won", "赢单", Decimal("1"), 50, "won", "quote"),
    ("lost", "输单", Decimal("0"), 60, "lost", "lost_reason"),
]

# What each criterion code asks for, as the refusal names it (msgids, translated when shown).
CRITERIA = {
    "contact": "a contact",
    "lines": "at least one product line",
    "amount": "an expected amount",
    "close_date": "an expected close date",
    "next_step": "a next step",
    "quote": "a linked quote",
    "lost_reason": "a lost reason",
}


@dataclass(frozen=True)
class StageView:
    id: int
    code: str
    name: str
    probability: Decimal
    position: int
    outcome: str
    criteria: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        return self.outcome == "open"


def _view(s: OpportunityStage) -> StageView:
    codes = tuple(c.strip() for c in (s.criteria or "").split(",") if c.strip())
    return StageView(s.id, s.code, s.name, s.probability, s.position, s.outcome, codes)


def ensure_stages(session: Session) -> None:
    """Put the default stages in an empty stage table (the migration seeds them; an emptied table gets them
    back the first time an opportunity is written)."""
    if session.scalar(select(func.count()).select_from(OpportunityStage)):
        return
    session.add_all(OpportunityStage(code=c, name=n, probability=p, position=o, outcome=out, criteria=crit,
                                     active=True) for c, n, p, o, out, crit in DEFAULT_STAGES)
    session.flush()


def list_stages(session: Session, *, include_inactive: bool = False) -> list[StageView]:
    """The stages in funnel order (open stages, then won, then lost as their positions say)."""
    stmt = select(OpportunityStage).order_by(OpportunityStage.position, OpportunityStage.id)
    if not include_inactive:
        stmt = stmt.where(OpportunityStage.active.is_(True))
    return [_view(s) for s in session.scalars(stmt)]


def default_stage_views() -> list[StageView]:
    """The default funnel without a database row behind it (a report over an empty table)."""
    return [StageView(0, c, n, p, o, out, tuple((crit or "").split(",")) if crit else ())
            for c, n, p, o, out, crit in DEFAULT_STAGES]


def get_stage(session: Session, stage_id: int) -> StageView:
    s = session.get(OpportunityStage, stage_id)
    if s is None:
        raise NotFound(_("No such stage: {stage}").format(stage=stage_id))
    return _view(s)


def find_stage(session: Session, key: str | int) -> StageView:
    """A stage by code (``proposal``), name (``方案报价``) or id."""
    text = str(key).strip()
    for s in list_stages(session, include_inactive=True):
        if text in (s.code, s.name, str(s.id)) or text.lower() == s.code:
            return s
    names = ", ".join(f"{s.name} ({s.code})" for s in list_stages(session))
    raise ValidationError(_("No such stage: {stage!r}; expected one of {names}").format(stage=text, names=names),
                          field="stage")


def outcome_stage(session: Session, outcome: str) -> StageView:
    for s in list_stages(session, include_inactive=True):
        if s.outcome == outcome:
            return s
    raise NotFound(_("No stage has the outcome {outcome}.").format(outcome=outcome))


def missing_criteria(session: Session, opp: Opportunity, stage: StageView) -> list[str]:
    """The criteria of ``stage`` that ``opp`` does not meet yet, as the words to show."""
    from crm_tui.db.models.sales import Quote

    missing = []
    for code in stage.criteria:
        if code == "contact":
            ok = opp.contact_id is not None
        elif code == "lines":
            ok = bool(session.scalar(select(func.count()).select_from(OpportunityLine)
                                     .where(OpportunityLine.opportunity_id == opp.id)))
        elif code == "amount":
            ok = (opp.expected_amount or 0) > 0
        elif code == "close_date":
            ok = opp.expected_close is not None
        elif code == "next_step":
            ok = bool(opp.next_step)
        elif code == "quote":
            quote = session.get(Quote, opp.quote_id) if opp.quote_id else None
            ok = quote is not None and quote.status != "cancelled"
        elif code == "lost_reason":
            ok = bool(opp.lost_reason)
        else:  # a code this version does not know never blocks a move
            continue
        if not ok:
            missing.append(_(CRITERIA[code]))
    return missing


def lost_reasons() -> list[str]:
    """The reasons an opportunity may be lost for, from the settings."""
    reasons = get_settings().get("opportunities", {}).get("lost_reasons") or []
    return [str(r).strip() for r in reasons if str(r).strip()]


def number_mask() -> str:
    return get_settings().get("opportunities", {}).get("number_mask") or "OP{yyyy}{mm}-{seq:4}"
