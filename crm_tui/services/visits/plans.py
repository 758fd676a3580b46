"""员工中心: weekly plans (周计划) with planned customer visits, the week's summary and suggestions (总结与建议),
the manager's review (批复), and plan against actual.

A salesperson writes their own plan; it is a draft until submitted, and can be changed until reviewed. Their
managers (the supervisor chain and department heads above them) see it and review it. A planned visit
happened when, on its day, the person has an upload at the customer in the visit log, a contact log of kind
visit, or an outing to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.customers import ContactLog, Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.visits import Outing, OutingCustomer, VisitUpload, WeeklyPlan, WeeklyPlanItem
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.common import drafts
from crm_tui.services.customers.records import find_customer
from crm_tui.services.visits.calendar import day_number, parse_week, week_key


@dataclass(frozen=True)
class PlanItemRow:
    id: int
    day: date
    customer_id: int
    customer_code: str
    customer_name: str
    purpose: str | None
    uploads: int = 0          # uploads in the visit log at the customer that day
    contact_logs: int = 0     # visit logs written for the customer that day
    outings: int = 0          # outings registered to the customer that day

    @property
    def happened(self) -> bool:
        return bool(self.uploads or self.contact_logs or self.outings)


@dataclass(frozen=True)
class PlanView:
    id: int | None
    user_id: int
    staff: str
    week: str
    monday: date
    status: str
    goals: str | None
    summary: str | None
    suggestions: str | None
    review_comment: str | None
    reviewer: str | None
    reviewed_at: datetime | None
    version: int
    items: tuple[PlanItemRow, ...]

    @property
    def planned(self) -> int:
        return len(self.items)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.happened)


def _monday(week: str | date) -> date:
    return week if isinstance(week, date) else parse_week(week)


def _plan(session: Session, user_id: int, monday: date) -> WeeklyPlan | None:
    return session.scalar(select(WeeklyPlan).where(WeeklyPlan.user_id == user_id,
                                                   WeeklyPlan.week == week_key(monday)))


def _own_plan(session: Session, actor: Actor, week: str | date) -> WeeklyPlan:
    """The actor's plan for the week, created as a draft when there is none."""
    if actor.id is None:
        raise PermissionDenied(_("Only a user has weekly plans."))
    monday = _monday(week)
    plan = _plan(session, actor.id, monday)
    if plan is None:
        plan = WeeklyPlan(user_id=actor.id, week=week_key(monday), monday=monday, status="draft")
        session.add(plan)
        session.flush()
    return plan


def _editable(plan: WeeklyPlan) -> None:
    if plan.status == "reviewed":
        raise StateError(_("The plan of {week} has been reviewed; it can no longer be changed.").format(
            week=plan.week))


def set_plan_text(session: Session, actor: Actor, week: str | date, *, goals: str | None = None,
                  summary: str | None = None, suggestions: str | None = None,
                  expected_version: int | None = None) -> int:
    """Write goals (周计划), summary (总结) or suggestions (建议); None leaves a field as it is.
    ``expected_version``: the version of the plan the editor loaded (None: a plan not yet written)."""
    plan = _own_plan(session, actor, week)
    _editable(plan)
    drafts.check_version(session, plan, expected_version, _("The plan of {week}").format(week=plan.week))
    for name, value in (("goals", goals), ("summary", summary), ("suggestions", suggestions)):
        if value is not None:
            setattr(plan, name, value.strip() or None)
    session.flush()
    return plan.id


def add_item(session: Session, actor: Actor, week: str | date, day: date, customer: str,
             purpose: str | None = None) -> int:
    plan = _own_plan(session, actor, week)
    _editable(plan)
    if not plan.monday <= day <= plan.monday + timedelta(days=6):
        raise ValidationError(_("{day} is not in the week {week}.").format(day=day, week=plan.week), field="day")
    c = find_customer(session, actor, customer)
    exists = session.scalar(select(WeeklyPlanItem.id).where(WeeklyPlanItem.plan_id == plan.id,
                                                            WeeklyPlanItem.day == day,
                                                            WeeklyPlanItem.customer_id == c.id))
    if exists is not None:
        raise ValidationError(_("{code} is already planned on {day}.").format(code=c.code, day=day),
                              field="customer")
    item = WeeklyPlanItem(plan_id=plan.id, day=day, customer_id=c.id, purpose=(purpose or "").strip() or None)
    session.add(item)
    session.flush()
    return item.id


def remove_item(session: Session, actor: Actor, item_id: int) -> None:
    item = session.get(WeeklyPlanItem, item_id)
    plan = session.get(WeeklyPlan, item.plan_id) if item else None
    if item is None or plan.user_id != actor.id:
        raise NotFound(_("No such planned visit in your plans: {id}").format(id=item_id))
    _editable(plan)
    session.delete(item)
    session.flush()


def submit(session: Session, actor: Actor, week: str | date) -> None:
    plan = _own_plan(session, actor, week)
    if plan.status != "draft":
        raise StateError(_("The plan of {week} is already submitted.").format(week=plan.week))
    plan.status = "submitted"
    plan.submitted_at = clock.now().replace(microsecond=0)
    session.flush()


def review(session: Session, actor: Actor, staff_user_id: int, week: str | date, comment: str) -> None:
    """A manager's comment on a subordinate's submitted plan (批复)."""
    permissions.require(actor, "records.review")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Write a comment for the review."), field="comment")
    if actor.id == staff_user_id or not (actor.is_admin or staff_user_id in
                                         permissions.subordinate_ids(session, actor.id or 0)):
        raise PermissionDenied(_("You may review only the plans of the people below you."))
    plan = _plan(session, staff_user_id, _monday(week))
    if plan is None or plan.status == "draft":
        raise StateError(_("There is no submitted plan for that week."))
    plan.status = "reviewed"
    plan.review_comment = comment
    plan.reviewed_by = actor.id
    plan.reviewed_at = clock.now().replace(microsecond=0)
    session.flush()


def _require_sees(session: Session, actor: Actor, user_id: int) -> None:
    if not permissions.can_see_owner(session, actor, user_id):
        raise PermissionDenied(_("You may not see this person's plans."))


def plan_view(session: Session, actor: Actor, user_id: int, week: str | date) -> PlanView:
    """A person's week: the plan (or an empty one) and, for each planned visit, whether it happened."""
    _require_sees(session, actor, user_id)
    monday = _monday(week)
    plan = _plan(session, user_id, monday)
    staff = session.scalar(select(User.display_name).where(User.id == user_id)) or str(user_id)
    if plan is None:
        return PlanView(None, user_id, staff, week_key(monday), monday, "none", None, None, None, None, None, None,
                        0, ())
    reviewer = session.scalar(select(User.display_name).where(User.id == plan.reviewed_by)) \
        if plan.reviewed_by else None
    return PlanView(plan.id, user_id, staff, plan.week, plan.monday, plan.status, plan.goals, plan.summary,
                    plan.suggestions, plan.review_comment, reviewer, plan.reviewed_at, plan.version,
                    tuple(_items_with_actuals(session, plan)))


def _items_with_actuals(session: Session, plan: WeeklyPlan) -> list[PlanItemRow]:
    rows = session.execute(
        select(WeeklyPlanItem.id, WeeklyPlanItem.day, Customer.id, Customer.code, Customer.name,
               WeeklyPlanItem.purpose)
        .join(Customer, Customer.id == WeeklyPlanItem.customer_id)
        .where(WeeklyPlanItem.plan_id == plan.id).order_by(WeeklyPlanItem.day, Customer.code)).all()
    if not rows:
        return []
    first, last = plan.monday, plan.monday + timedelta(days=6)
    uploads = _count_by_day_customer(session, plan.user_id, first, last)
    logs: dict[tuple[date, int], int] = {}
    for at, cid in session.execute(select(ContactLog.at, ContactLog.customer_id).where(
            ContactLog.author_id == plan.user_id, ContactLog.kind == "visit",
            ContactLog.at >= datetime.combine(first, time()),
            ContactLog.at < datetime.combine(last + timedelta(days=1), time()))):
        logs[(at.date(), cid)] = logs.get((at.date(), cid), 0) + 1
    outings: dict[tuple[date, int], int] = {}
    for out_at, cid in session.execute(
            select(Outing.out_at, OutingCustomer.customer_id).join(OutingCustomer, OutingCustomer.outing_id == Outing.id)
            .where(Outing.user_id == plan.user_id, Outing.out_at >= datetime.combine(first, time()),
                   Outing.out_at < datetime.combine(last + timedelta(days=1), time()))):
        outings[(out_at.date(), cid)] = outings.get((out_at.date(), cid), 0) + 1
    return [PlanItemRow(iid, day, cid, code, name, purpose, uploads.get((day, cid), 0), logs.get((day, cid), 0),
                        outings.get((day, cid), 0)) for iid, day, cid, code, name, purpose in rows]


def _count_by_day_customer(session: Session, user_id: int, first: date, last: date) -> dict[tuple[date, int], int]:
    """Uploads with an address in the visit log, per (day, customer), for one person and some days."""
    from crm_tui.services.visits.calendar import DAY, day_of

    lo, hi = day_number(first) * DAY, (day_number(last) + 1) * DAY
    out: dict[tuple[date, int], int] = {}
    for at, cid in session.execute(select(VisitUpload.at, VisitUpload.customer_id).where(
            VisitUpload.user_id == user_id, VisitUpload.at >= lo, VisitUpload.at < hi,
            VisitUpload.customer_id.is_not(None), VisitUpload.has_address.is_(True))):
        key = (day_of(at // DAY), cid)
        out[key] = out.get(key, 0) + 1
    return out


@dataclass(frozen=True)
class TeamRow:
    user_id: int
    staff: str
    status: str
    planned: int
    submitted_at: datetime | None
    week: str = ""


def team_week(session: Session, actor: Actor, week: str | date) -> list[TeamRow]:
    """The people below the actor and the state of their plan for the week (none, draft, submitted, reviewed)."""
    monday = _monday(week)
    ids = sorted(permissions.subordinate_ids(session, actor.id or 0)) if not actor.is_admin else None
    stmt = select(User.id, User.display_name).where(User.active.is_(True), User.role.in_(("salesperson", "manager")))
    if ids is not None:
        stmt = stmt.where(User.id.in_(ids))
    people = session.execute(stmt.order_by(User.display_name)).all()
    plans = {p.user_id: p for p in session.scalars(select(WeeklyPlan).where(WeeklyPlan.week == week_key(monday)))}
    counts = dict(session.execute(select(WeeklyPlanItem.plan_id, func.count()).join(
        WeeklyPlan, WeeklyPlan.id == WeeklyPlanItem.plan_id).where(WeeklyPlan.week == week_key(monday))
        .group_by(WeeklyPlanItem.plan_id)).all())
    return [TeamRow(uid, name, plans[uid].status if uid in plans else "none",
                    counts.get(plans[uid].id, 0) if uid in plans else 0,
                    plans[uid].submitted_at if uid in plans else None, week_key(monday)) for uid, name in people]


def unreviewed(session: Session, actor: Actor) -> list[TeamRow]:
    """Submitted plans of the actor's people waiting for the review (any week)."""
    permissions.require(actor, "records.review")
    ids = sorted(permissions.subordinate_ids(session, actor.id or 0))
    stmt = (select(WeeklyPlan, User.display_name).join(User, User.id == WeeklyPlan.user_id)
            .where(WeeklyPlan.status == "submitted").order_by(WeeklyPlan.monday, User.display_name))
    if not actor.is_admin:
        stmt = stmt.where(WeeklyPlan.user_id.in_(ids))
    counts = dict(session.execute(select(WeeklyPlanItem.plan_id, func.count()).join(
        WeeklyPlan, WeeklyPlan.id == WeeklyPlanItem.plan_id).where(WeeklyPlan.status == "submitted")
        .group_by(WeeklyPlanItem.plan_id)).all())
    return [TeamRow(p.user_id, name, p.status, counts.get(p.id, 0), p.submitted_at, p.week)
            for p, name in session.execute(stmt)]
