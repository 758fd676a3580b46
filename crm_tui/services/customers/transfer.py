"""Moving customers between people: transfer and assign, share, the public pool (公海), and leavers.

Nothing is lost when someone leaves: ``transfer_all`` moves every customer they own, their open follow-ups
and what was shared with them to another user in one transaction. Owner changes are plain UPDATEs that bump
the customer's version (so an editor with the customer open gets a conflict, not a silent overwrite) and write
one audit entry per customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from crm_tui.config import get_settings
from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from crm_tui.db.models.customers import ContactLog, Customer, CustomerShare
from crm_tui.db.models.people import User
from crm_tui.i18n import _, n_
from crm_tui.services.admin import permissions
from crm_tui.services.common import audit
from crm_tui.services.customers.visibility import can_edit, can_see_owner, visible_customers_clause
from crm_tui.services.notices.notifications import notify

CHUNK = 500


@dataclass(frozen=True)
class MoveResult:
    customers: int
    follow_ups: int
    shares: int = 0


def _active_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user: {id}").format(id=user_id))
    if not user.active:
        raise ValidationError(_("{name} is disabled and cannot own customers.").format(name=user.display_name))
    return user


def _chunks(ids: list[int]):
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _editable_ids(session: Session, actor: Actor, customer_ids: list[int]) -> list[int]:
    """All of ``customer_ids`` when the actor may change every one of them; otherwise an error naming one."""
    ids = sorted(set(customer_ids))
    found = 0
    for part in _chunks(ids):
        for customer in session.scalars(select(Customer).where(Customer.id.in_(part),
                                                               visible_customers_clause(session, actor))):
            found += 1
            if not can_edit(session, actor, customer):
                raise PermissionDenied(_("You may not change customer {code}; it belongs to someone else.").format(
                    code=customer.code))
    if found != len(ids):
        raise NotFound(n_("{n} of the chosen customers does not exist or is not visible to you.",
                          "{n} of the chosen customers do not exist or are not visible to you.",
                          len(ids) - found).format(n=len(ids) - found))
    return ids


def _move_owner(session: Session, ids: list[int], new_owner: int | None, action: str) -> MoveResult:
    """Set the owner of ``ids`` and hand their open follow-ups to the new owner (or leave them unassigned)."""
    moved = follow_ups = 0
    moved_ids: list[int] = []
    for part in _chunks(ids):
        before = dict(session.execute(select(Customer.id, Customer.owner_id).where(Customer.id.in_(part))).all())
        changing = [cid for cid, owner in before.items() if owner != new_owner]
        if not changing:
            continue
        session.execute(update(Customer).where(Customer.id.in_(changing))
                        .values(owner_id=new_owner, version=Customer.version + 1)
                        .execution_options(synchronize_session=False))
        result = session.execute(
            update(ContactLog)
            .where(ContactLog.customer_id.in_(changing), ContactLog.next_follow_up.is_not(None),
                   ContactLog.follow_up_done_at.is_(None))
            .values(follow_up_owner_id=new_owner).execution_options(synchronize_session=False))
        follow_ups += result.rowcount or 0
        for cid in changing:
            audit.record(session, "customers", cid, action, {"owner_id": [before[cid], new_owner]})
        moved += len(changing)
        moved_ids += changing
    _expire_customers(session, set(ids))
    _tell_new_owner(session, moved_ids, new_owner)
    return MoveResult(moved, follow_ups)


def _tell_new_owner(session: Session, moved_ids: list[int], new_owner: int | None) -> None:
    """A notification to the new owner (not when they moved the customers to themselves): the customer by
    name when one moved, a count when several did."""
    actor = session.info.get("actor")
    if not moved_ids or new_owner is None or getattr(actor, "id", None) == new_owner:
        return
    who = getattr(actor, "display_name", None) or "-"
    if len(moved_ids) == 1:
        code, name = session.execute(select(Customer.code, Customer.name).where(Customer.id == moved_ids[0])).one()
        notify(session, new_owner, "customer_transferred", {"code": code, "name": name, "who": who},
               ("customer", moved_ids[0]))
    else:
        notify(session, new_owner, "customers_transferred", {"n": len(moved_ids), "who": who}, ("customers", None))


def _expire_customers(session: Session, ids: set[int]) -> None:
    """Customers and logs already loaded in the session must not keep the old owner or version."""
    for obj in list(session.identity_map.values()):
        if (isinstance(obj, Customer) and obj.id in ids) or (isinstance(obj, ContactLog) and obj.customer_id in ids):
            session.expire(obj)


def transfer(session: Session, actor: Actor, customer_ids: list[int], to_user_id: int) -> MoveResult:
    """Transfer (or assign, for pool customers) the chosen customers with their open follow-ups."""
    permissions.require(actor, "records.assign")
    _active_user(session, to_user_id)
    if not (actor.is_admin or permissions.can(actor, "customers.edit_all")
            or can_see_owner(session, actor, to_user_id)):
        raise PermissionDenied(_("You may transfer customers only to yourself or the people below you."))
    ids = _editable_ids(session, actor, customer_ids)
    return _move_owner(session, ids, to_user_id, "transfer")


assign = transfer


def transfer_from(session: Session, actor: Actor, from_user_id: int, customer_ids: list[int],
                  to_user_id: int) -> MoveResult:
    """Transfer some of one salesperson's customers: every one of them must be that salesperson's."""
    owners = dict(session.execute(select(Customer.id, Customer.owner_id).where(Customer.id.in_(customer_ids))).all())
    strangers = [cid for cid in customer_ids if owners.get(cid) != from_user_id]
    if strangers:
        codes = dict(session.execute(select(Customer.id, Customer.code).where(Customer.id.in_(strangers))).all())
        source = session.get(User, from_user_id)
        raise ValidationError(_("Not owned by {user}: {codes}").format(
            user=source.display_name if source else from_user_id, codes=", ".join(codes[c] for c in strangers)))
    return transfer(session, actor, customer_ids, to_user_id)


def transfer_all(session: Session, actor: Actor, from_user_id: int, to_user_id: int) -> MoveResult:
    """Everything of a leaving user: owned customers, open follow-ups anywhere, and shares made to them."""
    permissions.require(actor, "records.assign")
    if from_user_id == to_user_id:
        raise ValidationError(_("Choose two different users."))
    if session.get(User, from_user_id) is None:
        raise NotFound(_("No such user: {id}").format(id=from_user_id))
    _active_user(session, to_user_id)
    if not (actor.is_admin or permissions.can(actor, "customers.edit_all")):
        for uid in (from_user_id, to_user_id):
            if not can_see_owner(session, actor, uid):
                raise PermissionDenied(_("You may transfer customers only between yourself and the people "
                                         "below you."))
    ids = list(session.scalars(select(Customer.id).where(Customer.owner_id == from_user_id)))
    result = _move_owner(session, ids, to_user_id, "transfer")
    extra = session.execute(
        update(ContactLog)
        .where(ContactLog.follow_up_owner_id == from_user_id, ContactLog.next_follow_up.is_not(None),
               ContactLog.follow_up_done_at.is_(None))
        .values(follow_up_owner_id=to_user_id).execution_options(synchronize_session=False)).rowcount or 0
    shares = _move_shares(session, from_user_id, to_user_id)
    return MoveResult(result.customers, result.follow_ups + extra, shares)


def _move_shares(session: Session, from_user_id: int, to_user_id: int) -> int:
    rows = session.execute(select(CustomerShare.id, CustomerShare.customer_id)
                           .where(CustomerShare.user_id == from_user_id)).all()
    have = set(session.scalars(select(CustomerShare.customer_id).where(CustomerShare.user_id == to_user_id)))
    owned = set(session.scalars(select(Customer.id).where(Customer.owner_id == to_user_id)))
    for share_id, cid in rows:
        share = session.get(CustomerShare, share_id)
        if cid in have or cid in owned:
            session.delete(share)
        else:
            share.user_id = to_user_id
    session.flush()
    return len(rows)


def share(session: Session, actor: Actor, customer_ids: list[int], user_ids: list[int]) -> int:
    """Share customers with users (they see them and may log contacts). Returns the number of new shares."""
    ids = _editable_ids(session, actor, customer_ids)
    users = [_active_user(session, uid) for uid in sorted(set(user_ids))]
    added = 0
    for part in _chunks(ids):
        owners = dict(session.execute(select(Customer.id, Customer.owner_id).where(Customer.id.in_(part))).all())
        existing = set(session.execute(select(CustomerShare.customer_id, CustomerShare.user_id)
                                       .where(CustomerShare.customer_id.in_(part))))
        for cid in part:
            for user in users:
                if owners[cid] == user.id or (cid, user.id) in existing:
                    continue
                session.add(CustomerShare(customer_id=cid, user_id=user.id, shared_by_id=actor.id))
                added += 1
    session.flush()
    return added


def unshare(session: Session, actor: Actor, customer_ids: list[int], user_ids: list[int]) -> int:
    ids = _editable_ids(session, actor, customer_ids)
    removed = 0
    for part in _chunks(ids):
        for s in session.scalars(select(CustomerShare).where(CustomerShare.customer_id.in_(part),
                                                             CustomerShare.user_id.in_(user_ids))):
            session.delete(s)
            removed += 1
    session.flush()
    return removed


def claim(session: Session, actor: Actor, customer_id: int) -> None:
    """Take a customer from the public pool. Two people claiming at once: the second is told it is gone."""
    permissions.require(actor, "customers.create")
    if actor.id is None:
        raise PermissionDenied(_("Only a user can claim customers."))
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("No such customer: {id}").format(id=customer_id))
    taken = session.execute(update(Customer).where(Customer.id == customer_id, Customer.owner_id.is_(None))
                            .values(owner_id=actor.id, version=Customer.version + 1)
                            .execution_options(synchronize_session=False)).rowcount
    if not taken:
        raise ConflictError(_("Customer {code} is no longer in the public pool.").format(code=customer.code))
    session.execute(update(ContactLog).where(ContactLog.customer_id == customer_id,
                                             ContactLog.next_follow_up.is_not(None),
                                             ContactLog.follow_up_done_at.is_(None))
                    .values(follow_up_owner_id=actor.id).execution_options(synchronize_session=False))
    audit.record(session, "customers", customer_id, "claim", {"owner_id": [None, actor.id]})
    _expire_customers(session, {customer_id})


def release(session: Session, actor: Actor, customer_ids: list[int]) -> MoveResult:
    """Put customers back into the public pool."""
    ids = _editable_ids(session, actor, customer_ids)
    return _move_owner(session, ids, None, "release")


def idle_customers_query(days: int, today: date):
    """Owned, active customers with no contact in ``days`` days (counted from creation when never contacted)."""
    cutoff = datetime.combine(today - timedelta(days=days), datetime.min.time())
    return select(Customer.id).where(
        Customer.owner_id.is_not(None), Customer.status == "active",
        or_(Customer.last_contact_at < cutoff,
            and_(Customer.last_contact_at.is_(None), Customer.created_on < cutoff.date())))


def return_idle_to_pool(session: Session, actor: Actor, days: int | None = None,
                        today: date | None = None) -> MoveResult:
    """The optional rule "no contact for N days -> back to the pool" (setting customers.pool_return_days;
    0, the default, turns it off). Without notices: ``pool.return_idle`` (what ``crm customers pool-return``
    and the daily run use) also tells the former owners."""
    permissions.require(actor, "admin.customers")
    days = get_settings().get("customers", {}).get("pool_return_days", 0) if days is None else days
    if not days or days <= 0:
        return MoveResult(0, 0)
    ids = list(session.scalars(idle_customers_query(days, today or clock.today())))
    return _move_owner(session, ids, None, "return to pool")
