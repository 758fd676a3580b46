"""Whom a message goes to: a customer's contact with an address for the channel, within what the user may
message."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound
from crm_tui.db.models.customers import Contact, Customer
from crm_tui.i18n import _
from crm_tui.services.messaging.access import messageable_clause


def address_of(contact: Contact | None, channel: str) -> str:
    if contact is None:
        return ""
    return ((contact.email if channel == "email" else contact.mobile) or "").strip()


def pick_contact(session: Session, customer_id: int, channel: str) -> Contact | None:
    """The primary contact if it has an address for ``channel``, else the first contact that has one, else the
    primary contact (the message is then recorded as having no address)."""
    contacts = list(session.scalars(select(Contact).where(Contact.customer_id == customer_id)
                                    .order_by(Contact.is_primary.desc(), Contact.id)))
    for c in contacts:
        if address_of(c, channel):
            return c
    return contacts[0] if contacts else None


def require_messageable(session: Session, actor: Actor, code: str) -> Customer:
    """The customer with ``code`` if ``actor`` may message it; else NotFound (a salesperson is not told about
    customers that are not theirs)."""
    customer = session.scalar(select(Customer).where(Customer.code == str(code).strip(),
                                                     messageable_clause(session, actor)))
    if customer is None:
        raise NotFound(_("No such customer you may message: {code}").format(code=code))
    return customer
