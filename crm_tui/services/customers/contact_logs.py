"""Contact logs (联系记录): visits, calls and messages, their follow-ups, and managers' reviews (批复).

A log is visible to whoever sees its customer, and always to its author and the author's managers. A manager
reviews the logs of the people below them with a comment the author then reads; ``review_queue`` lists what is
waiting. A log's follow-up (next step and date) is open until a later log for the customer is written or it
is closed by hand; transfers hand open follow-ups to the new owner (customer_transfer.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, or_, select, true, update
from sqlalchemy.orm import Session, aliased

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.customers import LOG_KINDS, Contact, ContactLog, Customer
from crm_tui.db.models.people import User
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.customers import fields as F
from crm_tui.services.customers.visibility import (
    can_see_owner,
    owner_ids,
    require_visible,
    sees_everything,
    subordinates,
    visible_customers_clause,
)
from crm_tui.services.notices.notifications import notify


def now() -> datetime:
    """Business times (when a visit happened, was reviewed) are local wall-clock time, to the second, as people
    enter and read them; the technical created_at/updated_at columns stay UTC."""
    return clock.now().replace(microsecond=0)


KIND_LABELS = {"visit": "Visit", "phone": "Phone", "wechat": "WeChat", "email": "E-mail", "other": "Other"}


@dataclass(frozen=True)
class LogRow:
    id: int
    customer_id: int
    customer_code: str
    customer_name: str
    contact_id: int | None
    contact: str | None
    kind: str
    at: datetime
    summary: str
    result: str | None
    next_step: str | None
    next_follow_up: date | None
    follow_up_owner: str | None
    follow_up_done_at: datetime | None
    author_id: int
    author: str
    review_comment: str | None
    reviewer: str | None
    reviewed_at: datetime | None
    version: int


def visible_logs_clause(session: Session, actor: Actor) -> ColumnElement[bool]:
    if sees_everything(actor):
        return true()
    owners = sorted(owner_ids(session, actor) or ())
    customers = select(Customer.id).where(visible_customers_clause(session, actor))
    return or_(ContactLog.author_id.in_(owners), ContactLog.customer_id.in_(customers))


def _select_rows():
    author = aliased(User)
    reviewer = aliased(User)
    fu_owner = aliased(User)
    return (
        select(ContactLog, Customer.code, Customer.name, Contact.name, author.display_name,
               reviewer.display_name, fu_owner.display_name)
        .join(Customer, Customer.id == ContactLog.customer_id)
        .join(author, author.id == ContactLog.author_id)
        .outerjoin(Contact, Contact.id == ContactLog.contact_id)
        .outerjoin(reviewer, reviewer.id == ContactLog.reviewed_by_id)
        .outerjoin(fu_owner, fu_owner.id == ContactLog.follow_up_owner_id)
    )


def _rows(session: Session, stmt) -> list[LogRow]:
    out = []
    for log, code, name, contact, author, reviewer, fu_owner in session.execute(stmt):
        out.append(LogRow(log.id, log.customer_id, code, name, log.contact_id, contact, log.kind, log.at,
                          log.summary, log.result, log.next_step, log.next_follow_up, fu_owner,
                          log.follow_up_done_at, log.author_id, author, log.review_comment, reviewer,
                          log.reviewed_at, log.version))
    return out


def _clean(values: dict, at: datetime) -> dict:
    kind = values.get("kind")
    if kind is not None and kind not in LOG_KINDS:
        raise ValidationError(_("Kind must be one of: {kinds}").format(kinds=", ".join(LOG_KINDS)), field="kind")
    if "summary" in values:
        values["summary"] = F.prose(values["summary"])
        if not values["summary"]:
            raise ValidationError(f"{_('Summary')}: {_('required')}", field="summary")
    for key in ("result", "next_step"):
        if key in values:
            values[key] = F.prose(values[key]) or None
    follow = values.get("next_follow_up")
    if isinstance(follow, str):
        try:
            follow = F.clean_date(follow) if F.text(follow) else None
        except ValueError as exc:
            raise ValidationError(f"{_('Follow-up date')}: {exc}", field="next_follow_up") from exc
        values["next_follow_up"] = follow
    if follow is not None and follow < at.date():
        raise ValidationError(_("The follow-up date cannot be before the contact."), field="next_follow_up")
    return values


def add_log(session: Session, actor: Actor, customer_id: int, kind: str, summary: str, *,
            at: datetime | None = None, contact_id: int | None = None, result: str | None = None,
            next_step: str | None = None, next_follow_up: date | str | None = None) -> int:
    """Record a contact. Earlier open follow-ups of the customer are closed by it (the follow-up happened)."""
    if actor.id is None:
        raise PermissionDenied(_("Only a user can write contact logs."))
    require_visible(session, actor, customer_id)
    at = (at or now()).replace(microsecond=0)
    values = _clean({"kind": kind, "summary": summary, "result": result, "next_step": next_step,
                     "next_follow_up": next_follow_up}, at)
    if contact_id is not None:
        owner = session.scalar(select(Contact.customer_id).where(Contact.id == contact_id))
        if owner != customer_id:
            raise ValidationError(_("That contact does not belong to this customer."), field="contact_id")
    session.execute(
        update(ContactLog)
        .where(ContactLog.customer_id == customer_id, ContactLog.next_follow_up.is_not(None),
               ContactLog.follow_up_done_at.is_(None), ContactLog.at <= at)
        .values(follow_up_done_at=at)
        .execution_options(synchronize_session=False)
    )
    log = ContactLog(customer_id=customer_id, contact_id=contact_id, at=at, author_id=actor.id,
                     follow_up_owner_id=actor.id if values["next_follow_up"] else None, **values)
    session.add(log)
    session.flush()
    # A derived value, not an edit of the customer: plain UPDATE, so the customer's version stays (no false
    # edit conflicts for whoever has the customer open).
    session.execute(
        update(Customer).where(Customer.id == customer_id,
                               or_(Customer.last_contact_at.is_(None), Customer.last_contact_at < at))
        .values(last_contact_at=at).execution_options(synchronize_session=False)
    )
    return log.id


def _load(session: Session, log_id: int) -> ContactLog:
    log = session.get(ContactLog, log_id)
    if log is None:
        raise NotFound(_("No such contact log: {id}").format(id=log_id))
    return log


def update_log(session: Session, actor: Actor, log_id: int, expected_version: int, **values) -> None:
    """The author corrects their log until it is reviewed."""
    log = _load(session, log_id)
    if log.author_id != actor.id:
        raise PermissionDenied(_("Only the author can change a contact log."))
    if log.reviewed_at is not None:
        raise StateError(_("This log has been reviewed and can no longer be changed."))
    if log.version != expected_version:
        raise ConflictError(_("This log was changed in the meantime; reload and try again."))
    allowed = {"kind", "summary", "result", "next_step", "next_follow_up", "contact_id"}
    if set(values) - allowed:
        raise ValidationError(_("Unknown contact log fields: {names}").format(
            names=", ".join(sorted(set(values) - allowed))))
    values = _clean(values, log.at)
    for key, value in values.items():
        setattr(log, key, value)
    if "next_follow_up" in values:
        log.follow_up_owner_id = (log.follow_up_owner_id or actor.id) if values["next_follow_up"] else None
    session.flush()


def can_review(session: Session, actor: Actor, author_id: int) -> bool:
    if actor.id == author_id or not permissions.can(actor, "records.review"):
        return False
    return actor.is_admin or author_id in subordinates(session, actor)


def review_log(session: Session, actor: Actor, log_id: int, comment: str) -> None:
    """A manager's comment (批复) on a subordinate's log; reviewing again replaces the comment."""
    log = _load(session, log_id)
    if not can_review(session, actor, log.author_id):
        raise PermissionDenied(_("You may review only the logs of the people below you."))
    comment = F.prose(comment)
    if not comment:
        raise ValidationError(f"{_('Comment')}: {_('required')}", field="comment")
    log.review_comment = comment
    log.reviewed_by_id = actor.id
    log.reviewed_at = now()
    session.flush()
    customer = session.get(Customer, log.customer_id)
    notify(session, log.author_id, "log_reviewed",
           {"reviewer": actor.display_name, "customer": customer.name if customer else "", "comment": comment},
           ("customer", log.customer_id))


def review_queue(session: Session, actor: Actor, limit: int = 500) -> list[LogRow]:
    """Unreviewed logs of the people below ``actor`` (everyone else's, for an administrator), oldest first."""
    permissions.require(actor, "records.review")
    stmt = _select_rows().where(ContactLog.reviewed_at.is_(None), ContactLog.author_id != (actor.id or -1))
    if not actor.is_admin:
        stmt = stmt.where(ContactLog.author_id.in_(sorted(subordinates(session, actor))))
    return _rows(session, stmt.order_by(ContactLog.at, ContactLog.id).limit(limit))


def list_logs(session: Session, actor: Actor, *, customer_id: int | None = None, author_id: int | None = None,
              since: datetime | None = None, until: datetime | None = None, limit: int = 200,
              offset: int = 0) -> list[LogRow]:
    """Visible logs, newest first."""
    if customer_id is not None:
        require_visible(session, actor, customer_id)
    stmt = _select_rows().where(visible_logs_clause(session, actor))
    if customer_id is not None:
        stmt = stmt.where(ContactLog.customer_id == customer_id)
    if author_id is not None:
        stmt = stmt.where(ContactLog.author_id == author_id)
    if since is not None:
        stmt = stmt.where(ContactLog.at >= since)
    if until is not None:
        stmt = stmt.where(ContactLog.at < until)
    return _rows(session, stmt.order_by(ContactLog.at.desc(), ContactLog.id.desc()).limit(limit).offset(offset))


def get_log(session: Session, actor: Actor, log_id: int) -> LogRow:
    rows = _rows(session, _select_rows().where(ContactLog.id == log_id, visible_logs_clause(session, actor)))
    if not rows:
        raise NotFound(_("No such contact log: {id}").format(id=log_id))
    return rows[0]


def open_follow_ups(session: Session, actor: Actor, *, due_by: date | None = None,
                    everyone_visible: bool = False) -> list[LogRow]:
    """Follow-ups still to do: the actor's own, or (``everyone_visible``) those of everyone they see."""
    stmt = _select_rows().where(ContactLog.next_follow_up.is_not(None), ContactLog.follow_up_done_at.is_(None))
    if everyone_visible:
        stmt = stmt.where(visible_logs_clause(session, actor))
    else:
        stmt = stmt.where(ContactLog.follow_up_owner_id == actor.id)
    if due_by is not None:
        stmt = stmt.where(ContactLog.next_follow_up <= due_by)
    return _rows(session, stmt.order_by(ContactLog.next_follow_up, ContactLog.id))


def complete_follow_up(session: Session, actor: Actor, log_id: int) -> None:
    log = _load(session, log_id)
    if log.next_follow_up is None or log.follow_up_done_at is not None:
        raise StateError(_("This log has no open follow-up."))
    if log.follow_up_owner_id != actor.id and not can_see_owner(session, actor, log.follow_up_owner_id):
        raise PermissionDenied(_("This follow-up is someone else's."))
    log.follow_up_done_at = now()
    session.flush()
