"""Consent and opt-out per contact (PIPL), with their dates. Opted-out contacts are never sent to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound
from crm_tui.db.models.customers import Contact
from crm_tui.db.models.messaging import ContactConsent
from crm_tui.i18n import _
from crm_tui.services.customers.visibility import require_visible


@dataclass(frozen=True)
class ConsentState:
    consent: bool
    consent_on: date | None
    opted_out: bool
    opted_out_on: date | None


def get_consent(session: Session, contact_id: int) -> ConsentState:
    row = session.get(ContactConsent, contact_id)
    if row is None:
        return ConsentState(False, None, False, None)
    return ConsentState(row.consent, row.consent_on, row.opted_out, row.opted_out_on)


def opted_out_ids(session: Session, contact_ids: list[int]) -> set[int]:
    if not contact_ids:
        return set()
    return set(session.scalars(select(ContactConsent.contact_id).where(
        ContactConsent.contact_id.in_(contact_ids), ContactConsent.opted_out.is_(True))))


def set_consent(session: Session, actor: Actor, contact_id: int, *, consent: bool | None = None,
                opted_out: bool | None = None, on: date | None = None, note: str | None = None) -> ConsentState:
    """Record consent given or withdrawn and/or an opt-out (or its end) on ``on`` (today by default)."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(_("No such contact: {id}").format(id=contact_id))
    require_visible(session, actor, contact.customer_id)
    day = on or clock.today()
    row = session.get(ContactConsent, contact_id)
    if row is None:
        row = ContactConsent(contact_id=contact_id, consent=False, opted_out=False)
        session.add(row)
    if consent is not None and consent != row.consent:
        row.consent, row.consent_on = consent, day
    if opted_out is not None and opted_out != row.opted_out:
        row.opted_out, row.opted_out_on = opted_out, day
    if note is not None:
        row.note = note.strip()[:300] or None
    session.flush()
    return get_consent(session, contact_id)


def find_contact(session: Session, actor: Actor, customer_code: str, name: str | None) -> Contact:
    """A contact of a customer by name (the primary contact without one)."""
    from crm_tui.services.messaging.recipients import require_messageable

    customer = require_messageable(session, actor, customer_code)
    stmt = select(Contact).where(Contact.customer_id == customer.id)
    stmt = stmt.where(Contact.name == name.strip()) if name else stmt.order_by(Contact.is_primary.desc(), Contact.id)
    contact = session.scalars(stmt).first()
    if contact is None:
        raise NotFound(_("No contact {name} at customer {code}").format(name=name or "", code=customer_code))
    return contact
