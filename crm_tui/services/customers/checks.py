"""Invariants of the customers area, run by ``crm db check``."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from crm_tui.db.models.customers import Contact, ContactLog, Customer, CustomerSearch, CustomerSearchPending
from crm_tui.services.common.checks import invariant


@invariant("every customer has a search row")
def _search_rows(session: Session) -> list[str]:
    # a row waiting for the index (db/search.py catch_up) is found by search all the same
    pending = CustomerSearchPending
    missing = session.scalars(
        select(Customer.code).outerjoin(CustomerSearch, CustomerSearch.customer_id == Customer.id)
        .outerjoin(pending, pending.customer_id == Customer.id)
        .where(CustomerSearch.customer_id.is_(None), pending.customer_id.is_(None)).limit(50)).all()
    both = session.scalars(
        select(Customer.code).join(CustomerSearch, CustomerSearch.customer_id == Customer.id)
        .join(pending, pending.customer_id == Customer.id).limit(50)).all()
    return ([f"customer {code} cannot be found by search (run `crm customers reindex`)" for code in missing]
            + [f"customer {code} has a search row both indexed and pending (run `crm customers reindex`)"
               for code in both])


@invariant("a customer with contacts has exactly one primary contact")
def _primary(session: Session) -> list[str]:
    primaries = func.sum(case((Contact.is_primary.is_(True), 1), else_=0))
    rows = session.execute(
        select(Customer.code, primaries).join(Contact, Contact.customer_id == Customer.id)
        .group_by(Customer.code).having(primaries != 1).limit(50)).all()
    return [f"customer {code} has {n} primary contacts" for code, n in rows]


@invariant("a customer's last contact time is its latest contact log")
def _last_contact(session: Session) -> list[str]:
    latest = (select(ContactLog.customer_id, func.max(ContactLog.at).label("at"))
              .group_by(ContactLog.customer_id).subquery())
    c = aliased(Customer)
    rows = session.execute(
        select(c.code, c.last_contact_at, latest.c.at).join(latest, latest.c.customer_id == c.id)
        .where((c.last_contact_at.is_(None)) | (c.last_contact_at != latest.c.at)).limit(50)).all()
    return [f"customer {code}: last contact {have}, latest log {want}" for code, have, want in rows]
