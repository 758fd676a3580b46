"""Announcements (公告): administrators and managers post to everyone or to a department (and the departments
under it); a reader's opening of one is recorded (read receipts: who read it, when). The author and
administrators see who has read it and who has not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied, ValidationError
from crm_tui.db.models.notices import Announcement, AnnouncementRead
from crm_tui.db.models.people import Department, User
from crm_tui.i18n import _
from crm_tui.services.customers import fields as F

POSTER_ROLES = ("administrator", "manager")
TITLE_MAX = 200


@dataclass(frozen=True)
class AnnouncementRow:
    id: int
    title: str
    body: str
    author: str
    department: str | None  # None: everyone
    posted_at: datetime
    read_at: datetime | None  # when the reader read it

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "body": self.body, "author": self.author,
                "department": self.department, "posted_at": self.posted_at, "read": self.read_at is not None}


@dataclass(frozen=True)
class Receipt:
    user: str
    read_at: datetime | None


def _department_chain(session: Session, department_id: int | None) -> list[int]:
    """The department and those above it: an announcement to 销售部 reaches the people of 商团部 under it."""
    chain: list[int] = []
    parents = dict(session.execute(select(Department.id, Department.parent_id)).all())
    while department_id is not None and department_id not in chain:
        chain.append(department_id)
        department_id = parents.get(department_id)
    return chain


def _audience(session: Session, actor: Actor):
    """Announcements addressed to ``actor``: everyone's, their departments', and their own posts."""
    if actor.is_admin:
        return Announcement.withdrawn.is_(False)
    chain = _department_chain(session, actor.department_id)
    reach = [Announcement.department_id.is_(None), Announcement.author_id == (actor.id or -1)]
    if chain:
        reach.append(Announcement.department_id.in_(chain))
    return and_(Announcement.withdrawn.is_(False), or_(*reach))


def post(session: Session, actor: Actor, title: str, body: str = "", *, department_id: int | None = None) -> int:
    if actor.role not in POSTER_ROLES:
        raise PermissionDenied(_("Only administrators and managers post announcements."))
    title = F.text(title) or ""
    if not title:
        raise ValidationError(f"{_('Title')}: {_('required')}", field="title")
    if len(title) > TITLE_MAX:
        raise ValidationError(_("Title: at most {n} characters").format(n=TITLE_MAX), field="title")
    if department_id is not None and session.get(Department, department_id) is None:
        raise ValidationError(_("No such department: {id}").format(id=department_id), field="department")
    row = Announcement(title=title, body=F.prose(body) or "", author_id=actor.id, department_id=department_id,
                       posted_at=clock.now().replace(microsecond=0), withdrawn=False)
    session.add(row)
    session.flush()
    return row.id


def find_department(session: Session, name: str) -> int:
    found = session.scalars(select(Department.id).where(Department.name == F.text(name))).all()
    if len(found) != 1:
        raise ValidationError(_("No such department: {id}").format(id=name), field="department")
    return found[0]


def list_announcements(session: Session, actor: Actor, *, unread_only: bool = False, limit: int = 100,
                       announcement_id: int | None = None) -> list[AnnouncementRow]:
    """What ``actor`` may read, newest first, with when they read each one (one query)."""
    author = User
    dept = Department
    stmt = (select(Announcement, author.display_name, dept.name, AnnouncementRead.read_at)
            .join(author, author.id == Announcement.author_id)
            .outerjoin(dept, dept.id == Announcement.department_id)
            .outerjoin(AnnouncementRead, and_(AnnouncementRead.announcement_id == Announcement.id,
                                              AnnouncementRead.user_id == (actor.id or -1)))
            .where(_audience(session, actor)))
    if unread_only:
        stmt = stmt.where(AnnouncementRead.id.is_(None))
    if announcement_id is not None:
        stmt = stmt.where(Announcement.id == announcement_id)
    stmt = stmt.order_by(Announcement.posted_at.desc(), Announcement.id.desc()).limit(limit)
    return [AnnouncementRow(a.id, a.title, a.body, who, dname, a.posted_at, read_at)
            for a, who, dname, read_at in session.execute(stmt)]


def unread_count(session: Session, actor: Actor) -> int:
    stmt = (select(func.count()).select_from(Announcement)
            .outerjoin(AnnouncementRead, and_(AnnouncementRead.announcement_id == Announcement.id,
                                              AnnouncementRead.user_id == (actor.id or -1)))
            .where(_audience(session, actor), AnnouncementRead.id.is_(None)))
    return session.scalar(stmt) or 0


def read(session: Session, actor: Actor, announcement_id: int) -> AnnouncementRow:
    """Open an announcement: the reader's receipt is written the first time."""
    rows = list_announcements(session, actor, announcement_id=announcement_id)
    if not rows:
        raise NotFound(_("No such announcement: {id}").format(id=announcement_id))
    row = rows[0]
    if row.read_at is None and actor.id is not None:
        at = clock.now().replace(microsecond=0)
        session.add(AnnouncementRead(announcement_id=announcement_id, user_id=actor.id, read_at=at))
        session.flush()
        row = AnnouncementRow(row.id, row.title, row.body, row.author, row.department, row.posted_at, at)
    return row


def receipts(session: Session, actor: Actor, announcement_id: int) -> list[Receipt]:
    """Everyone the announcement reaches, with when they read it (unread last): for its author and admins."""
    ann = session.get(Announcement, announcement_id)
    if ann is None or not (actor.is_admin or ann.author_id == actor.id):
        raise NotFound(_("No such announcement: {id}").format(id=announcement_id))
    people = select(User.id, User.display_name).where(User.active.is_(True))
    if ann.department_id is not None:
        below = _subtree(session, ann.department_id)
        people = people.where(User.department_id.in_(below))
    reads = dict(session.execute(select(AnnouncementRead.user_id, AnnouncementRead.read_at)
                                 .where(AnnouncementRead.announcement_id == announcement_id)).all())
    out = [Receipt(name, reads.get(uid)) for uid, name in session.execute(people.order_by(User.display_name))]
    return sorted(out, key=lambda r: (r.read_at is None, r.read_at or datetime.min, r.user))


def _subtree(session: Session, root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for did, parent in session.execute(select(Department.id, Department.parent_id)):
        children.setdefault(parent, []).append(did)
    out, todo = [], [root]
    while todo:
        node = todo.pop()
        if node not in out:
            out.append(node)
            todo += children.get(node, [])
    return out
