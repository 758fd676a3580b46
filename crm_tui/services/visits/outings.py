"""外出登记: a salesperson registers going out (when, to which customers, why) and the return; each customer
visited gets a contact log (联系记录) linked to the outing, so the outing, its logs and the visit log can be set
side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied, ValidationError
from crm_tui.db.models.customers import ContactLog, Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.visits import Outing, OutingCustomer, VisitUpload
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.customers import contact_logs
from crm_tui.services.customers.records import find_customer
from crm_tui.services.visits.calendar import to_seconds


@dataclass(frozen=True)
class OutingCustomerRow:
    customer_id: int
    code: str
    name: str
    contact_log_id: int | None
    log_summary: str | None
    uploads: int          # the person's uploads at the customer during the outing (visit log)

    @property
    def logged(self) -> bool:
        return self.contact_log_id is not None


@dataclass(frozen=True)
class OutingView:
    id: int
    user_id: int
    staff: str
    out_at: datetime
    back_at: datetime | None
    purpose: str
    destination: str | None
    remarks: str | None
    version: int
    customers: tuple[OutingCustomerRow, ...]

    @property
    def logged(self) -> int:
        return sum(1 for c in self.customers if c.logged)


def register(session: Session, actor: Actor, out_at: datetime, purpose: str, customers: list[str], *,
             destination: str | None = None, back_at: datetime | None = None, remarks: str | None = None) -> int:
    """Register an outing of the actor to the given customers (codes or names)."""
    if actor.id is None:
        raise PermissionDenied(_("Only a user registers outings."))
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError(_("Say what the outing is for."), field="purpose")
    if back_at is not None and back_at < out_at:
        raise ValidationError(_("The return ({back}) is before the departure ({out}).").format(
            back=back_at, out=out_at), field="back_at")
    found = []
    for key in customers:
        c = find_customer(session, actor, key)
        if c.id not in {f.id for f in found}:
            found.append(c)
    outing = Outing(user_id=actor.id, out_at=out_at.replace(microsecond=0), back_at=back_at, purpose=purpose,
                    destination=(destination or "").strip() or None, remarks=(remarks or "").strip() or None)
    session.add(outing)
    session.flush()
    for c in found:
        session.add(OutingCustomer(outing_id=outing.id, customer_id=c.id))
    session.flush()
    return outing.id


def _own(session: Session, actor: Actor, outing_id: int) -> Outing:
    outing = session.get(Outing, outing_id)
    if outing is None or outing.user_id != actor.id:
        raise NotFound(_("No such outing of yours: {id}").format(id=outing_id))
    return outing


def record_return(session: Session, actor: Actor, outing_id: int, back_at: datetime) -> None:
    outing = _own(session, actor, outing_id)
    if back_at < outing.out_at:
        raise ValidationError(_("The return ({back}) is before the departure ({out}).").format(
            back=back_at, out=outing.out_at), field="back_at")
    outing.back_at = back_at.replace(microsecond=0)
    session.flush()


def log_visit(session: Session, actor: Actor, outing_id: int, customer: str, summary: str, *,
              result: str | None = None, next_step: str | None = None, at: datetime | None = None) -> int:
    """Write the contact log of a visit made on the outing and link it; a customer not registered for the
    outing is added to it (the visit happened)."""
    outing = _own(session, actor, outing_id)
    c = find_customer(session, actor, customer)
    at = at or outing.out_at
    log_id = contact_logs.add_log(session, actor, c.id, "visit", summary, at=at, result=result, next_step=next_step)
    link = session.scalar(select(OutingCustomer).where(OutingCustomer.outing_id == outing.id,
                                                       OutingCustomer.customer_id == c.id))
    if link is None:
        link = OutingCustomer(outing_id=outing.id, customer_id=c.id)
        session.add(link)
    link.contact_log_id = log_id
    session.flush()
    return log_id


def outing_view(session: Session, actor: Actor, outing_id: int) -> OutingView:
    """The outing, its customers, each one's contact log and the person's uploads at it during the outing."""
    outing = session.get(Outing, outing_id)
    if outing is None or not permissions.can_see_owner(session, actor, outing.user_id):
        raise NotFound(_("No such outing: {id}").format(id=outing_id))
    staff = session.scalar(select(User.display_name).where(User.id == outing.user_id))
    end = outing.back_at or datetime.combine(outing.out_at.date() + timedelta(days=1), time())
    lo, hi = to_seconds(outing.out_at), to_seconds(end)
    uploads: dict[int, int] = {}
    for (cid,) in session.execute(select(VisitUpload.customer_id).where(
            VisitUpload.user_id == outing.user_id, VisitUpload.at >= lo, VisitUpload.at <= hi,
            VisitUpload.customer_id.is_not(None))):
        uploads[cid] = uploads.get(cid, 0) + 1
    rows = session.execute(
        select(Customer.id, Customer.code, Customer.name, OutingCustomer.contact_log_id, ContactLog.summary)
        .join(OutingCustomer, OutingCustomer.customer_id == Customer.id)
        .outerjoin(ContactLog, ContactLog.id == OutingCustomer.contact_log_id)
        .where(OutingCustomer.outing_id == outing.id).order_by(Customer.code)).all()
    customers = tuple(OutingCustomerRow(cid, code, name, log_id, summary, uploads.get(cid, 0))
                      for cid, code, name, log_id, summary in rows)
    return OutingView(outing.id, outing.user_id, staff, outing.out_at, outing.back_at, outing.purpose,
                      outing.destination, outing.remarks, outing.version, customers)


def list_outings(session: Session, actor: Actor, *, user_id: int | None = None, first: date | None = None,
                 last: date | None = None) -> list[OutingView]:
    """Outings the actor may see (their own and their people's), newest first."""
    stmt = select(Outing.id, Outing.user_id).order_by(Outing.out_at.desc())
    ids = permissions.visible_owner_ids(session, actor)
    if ids is not None:
        stmt = stmt.where(Outing.user_id.in_(sorted(ids)))
    if user_id is not None:
        stmt = stmt.where(Outing.user_id == user_id)
    if first is not None:
        stmt = stmt.where(Outing.out_at >= datetime.combine(first, time()))
    if last is not None:
        stmt = stmt.where(Outing.out_at < datetime.combine(last + timedelta(days=1), time()))
    return [outing_view(session, actor, oid) for oid, _uid in session.execute(stmt.limit(500)).all()]
