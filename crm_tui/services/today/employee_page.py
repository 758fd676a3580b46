"""The employee page: one person over a period — logs, visits, weekly plans and their reviews, orders, receipts,
expenses (other areas register more, e.g. opportunities). A person sees their own page; their managers (the
supervisor chain and department heads above them) and administrators see it too; nobody else does.

Each section is ``fn(session, actor, user_id, start, end) -> Table`` (registry.EMPLOYEE_SECTIONS), with the
days ``start`` and ``end`` included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import CrmError, NotFound, ValidationError
from crm_tui.core.money import format_money
from crm_tui.db.models.customers import ContactLog, Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.sales import ExpenseClaim, Receipt, SalesOrder
from crm_tui.db.models.visits import VisitUpload, WeeklyPlan
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.today import registry
from crm_tui.services.today.registry import Table
from crm_tui.services.today.tables import status, table

LIVE_ORDERS = ("confirmed", "done")


@dataclass(frozen=True)
class EmployeePage:
    user_id: int
    name: str
    start: date
    end: date
    sections: list[tuple[str, str, Table]]

    def as_json(self) -> dict:
        return {"user": self.name, "from": self.start, "to": self.end,
                "sections": {sid: {"title": title, "count": t.total, "summary": t.summary,
                                   "columns": [_(c) for c in t.columns], "rows": [list(r) for r in t.rows]}
                             for sid, title, t in self.sections}}


def _no_such_person(user_id) -> NotFound:
    return NotFound(_("No such person: {id}").format(id=user_id))


def require_page_visible(session: Session, actor: Actor, user_id: int) -> User:
    """The person, when ``actor`` is them, above them, or sees everyone; the same NotFound otherwise."""
    user = session.get(User, user_id)
    if user is None:
        raise _no_such_person(user_id)
    if actor.id == user_id or permissions.can_see_owner(session, actor, user_id):
        return user
    raise _no_such_person(user_id)


def people(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The people whose page ``actor`` may open: themselves first, then those below them (everyone for admins)."""
    ids = permissions.visible_owner_ids(session, actor)
    stmt = select(User.id, User.display_name).where(User.active.is_(True))
    if ids is not None:
        stmt = stmt.where(User.id.in_(sorted(ids | {actor.id or -1})))
    rows = session.execute(stmt.order_by(User.display_name)).all()
    return sorted(((uid, name) for uid, name in rows), key=lambda p: p[0] != actor.id)


def find_person(session: Session, actor: Actor, key: str) -> int:
    """A person by login, staff number or name."""
    key = key.strip()
    found = session.scalars(select(User.id).where(
        (User.login == key) | (User.staff_number == key) | (User.display_name == key))).all()
    if len(found) != 1:
        raise _no_such_person(key)
    require_page_visible(session, actor, found[0])
    return found[0]


def load_page(session: Session, actor: Actor, user_id: int, start: date, end: date) -> EmployeePage:
    if end < start:
        raise ValidationError(_("The period ends before it starts."), field="end")
    user = require_page_visible(session, actor, user_id)
    sections = []
    for entry in registry.EMPLOYEE_SECTIONS:
        try:
            sections.append((entry.id, _(entry.title), entry.load()(session, actor, user_id, start, end)))
        except CrmError:
            continue
    return EmployeePage(user_id, user.display_name, start, end, sections)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())


# --- the sections of the areas on main ------------------------------------------------------------------------

def logs(session: Session, actor: Actor, user_id: int, start: date, end: date) -> Table:
    first, after = _bounds(start, end)
    stmt = (select(ContactLog.at, Customer.name, ContactLog.summary, ContactLog.review_comment, ContactLog.customer_id)
            .join(Customer, Customer.id == ContactLog.customer_id)
            .where(ContactLog.author_id == user_id, ContactLog.at >= first, ContactLog.at < after)
            .order_by(ContactLog.at.desc(), ContactLog.id.desc()))
    reviewed = session.scalar(select(func.count()).select_from(ContactLog).where(
        ContactLog.author_id == user_id, ContactLog.at >= first, ContactLog.at < after,
        ContactLog.reviewed_at.is_not(None)))
    t = table(session, stmt, ("Time", "Customer", "Summary", "Review"), lambda at, cust, summ, rev, _c: (at, cust, summ, rev),
              lambda *r: f"customer:{r[4]}")
    return Table(t.columns, t.rows, t.links, t.count, _("{n} reviewed").format(n=reviewed))


def visits(session: Session, actor: Actor, user_id: int, start: date, end: date) -> Table:
    from crm_tui.services.visits.calendar import from_seconds, to_seconds

    first, after = _bounds(start, end)
    stmt = (select(VisitUpload.at, VisitUpload.customer_name, VisitUpload.photos, VisitUpload.customer_id)
            .where(VisitUpload.user_id == user_id, VisitUpload.at >= to_seconds(first),
                   VisitUpload.at < to_seconds(after))
            .order_by(VisitUpload.at.desc(), VisitUpload.id.desc()))
    return table(session, stmt, ("Time", "Customer", "Photos"),
                 lambda at, name, photos, _c: (from_seconds(at), name, photos),
                 lambda *r: f"customer:{r[3]}" if r[3] else None)


def plans(session: Session, actor: Actor, user_id: int, start: date, end: date) -> Table:
    reviewer = select(User.display_name).where(User.id == WeeklyPlan.reviewed_by).scalar_subquery()
    stmt = (select(WeeklyPlan.week, WeeklyPlan.status, WeeklyPlan.submitted_at, reviewer, WeeklyPlan.review_comment)
            .where(WeeklyPlan.user_id == user_id, WeeklyPlan.monday >= start - timedelta(days=6),
                   WeeklyPlan.monday <= end)
            .order_by(WeeklyPlan.monday.desc()))
    return table(session, stmt, ("Week", "Status", "Submitted", "Reviewed by", "Review"),
                 lambda week, st, sub, rev, comment: (week, status(st), sub, rev, comment), lambda *r: "area:week")


def orders(session: Session, actor: Actor, user_id: int, start: date, end: date) -> Table:
    where = (SalesOrder.owner_id == user_id, SalesOrder.order_date >= start, SalesOrder.order_date <= end)
    stmt = (select(SalesOrder.number, SalesOrder.order_date, Customer.name, SalesOrder.status, SalesOrder.gross_total,
                   SalesOrder.id).join(Customer, Customer.id == SalesOrder.customer_id).where(*where)
            .order_by(SalesOrder.order_date.desc(), SalesOrder.id.desc()))
    total = session.scalar(select(func.sum(SalesOrder.gross_total)).where(*where, SalesOrder.status.in_(LIVE_ORDERS)))
    return table(session, stmt, ("Number", "Date", "Customer", "Status", "Amount"),
                 lambda number, day, cust, st, amount, _i: (number or _("(draft)"), day, cust, status(st), amount),
                 lambda *r: f"order:{r[5]}",
                 summary=_("Confirmed: {amount}").format(amount=format_money(total or 0)))


def receipts(session: Session, actor: Actor, user_id: int, start: date, end: date) -> Table:
    where = (Receipt.owner_id == user_id, Receipt.received_on >= start, Receipt.received_on <= end)
    stmt = (select(Receipt.number, Receipt.received_on, Customer.name, Receipt.status, Receipt.amount_cny,
                   Receipt.customer_id).join(Customer, Customer.id == Receipt.customer_id).where(*where)
            .order_by(Receipt.received_on.desc(), Receipt.id.desc()))
    total = session.scalar(select(func.sum(Receipt.amount_cny)).where(*where, Receipt.status == "confirmed"))
    return table(session, stmt, ("Number", "Date", "Customer", "Status", "Amount"),
                 lambda number, day, cust, st, amount, _c: (number or _("(draft)"), day, cust, status(st), amount),
                 lambda *r: f"customer:{r[5]}",
                 summary=_("Confirmed: {amount}").format(amount=format_money(total or 0)))


def expenses(session: Session, actor: Actor, user_id: int, start: date, end: date) -> Table:
    where = (ExpenseClaim.claimant_id == user_id, ExpenseClaim.spent_on >= start, ExpenseClaim.spent_on <= end)
    stmt = (select(ExpenseClaim.number, ExpenseClaim.spent_on, ExpenseClaim.category, ExpenseClaim.status,
                   ExpenseClaim.amount).where(*where).order_by(ExpenseClaim.spent_on.desc(), ExpenseClaim.id.desc()))
    total = session.scalar(select(func.sum(ExpenseClaim.amount)).where(*where, ExpenseClaim.status == "approved"))
    return table(session, stmt, ("Number", "Date", "Category", "Status", "Amount"),
                 lambda number, day, cat, st, amount: (number or _("(draft)"), day, cat, status(st), amount),
                 lambda *r: "area:sales",
                 summary=_("Approved: {amount}").format(amount=format_money(total or 0)))
