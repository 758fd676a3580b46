"""Sending a template to customers: each recipient gets its own outbox row and result — queued (then sent or
failed), skipped as opted out, or no address. Queuing is one transaction; delivery follows (outbox.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import StateError, ValidationError
from crm_tui.db.models.customers import Contact, Customer
from crm_tui.db.models.messaging import MessageTemplate, OutboxMessage
from crm_tui.i18n import _
from crm_tui.services.messaging import consent, targets, templates
from crm_tui.services.messaging.outbox import new_message_id
from crm_tui.services.messaging.recipients import address_of, pick_contact, require_messageable


@dataclass(frozen=True)
class Recipient:
    outbox_id: int | None  # None for a dry run
    customer_code: str
    customer_name: str
    contact: str
    address: str
    status: str  # queued | skipped | no_address (a dry run: would_send)
    subject: str
    body: str

    def as_json(self) -> dict:
        return {"outbox_id": self.outbox_id, "customer_code": self.customer_code, "customer_name": self.customer_name,
                "contact": self.contact, "address": self.address, "status": self.status, "subject": self.subject,
                "body": self.body}


def queue_one(session: Session, actor: Actor | None, template: MessageTemplate, customer: Customer,
              contact: Contact | None, *, values: dict | None = None, campaign_id: int | None = None,
              trigger: str | None = None, dedupe_key: str | None = None, dry_run: bool = False,
              opted_out: set[int] | None = None) -> Recipient | None:
    """Queue (or record the skip of) one message; None when ``dedupe_key`` was queued before."""
    if dedupe_key is not None and session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.dedupe_key == dedupe_key)):
        return None
    vals = values if values is not None else templates.context_for(session, customer, contact)
    subject, body = templates.render(template, vals)
    address = address_of(contact, template.channel)
    out_of = opted_out if opted_out is not None else consent.opted_out_ids(session, [contact.id] if contact else [])
    # The reason of a skip is its status (shown in the reader's language), not stored text.
    if contact is not None and contact.id in out_of:
        status = "skipped"
    elif not address:
        status = "no_address"
    else:
        status = "queued"
    if dry_run:
        return Recipient(None, customer.code, customer.name, contact.name if contact else "", address,
                         "would_send" if status == "queued" else status, subject, body)
    row = OutboxMessage(message_id=new_message_id(), dedupe_key=dedupe_key, channel=template.channel,
                        template_id=template.id, campaign_id=campaign_id, trigger=trigger, customer_id=customer.id,
                        contact_id=contact.id if contact else None, recipient=address,
                        recipient_name=contact.name if contact else "", subject=subject, body=body, status=status,
                        attempts=0, created_by=actor.id if actor else None)
    if dedupe_key is not None:
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:  # another writer queued the same event first
            return None
    else:
        session.add(row)
        session.flush()
    return Recipient(row.id, customer.code, customer.name, row.recipient_name, address, status, subject, body)


def send(session: Session, actor: Actor, template_key: str | int, *, customer_codes: list[str] | None = None,
         list_name: str | None = None, dry_run: bool = False, campaign_id: int | None = None) -> list[Recipient]:
    """Queue ``template`` for the customers named by code or by a target list (one message per customer, to its
    contact with an address for the channel). Salespeople reach only their own customers."""
    template = templates.find_template(session, template_key)
    if not template.active:
        raise StateError(_("The template {name} is switched off.").format(name=template.name))
    if bool(customer_codes) == bool(list_name):
        raise ValidationError(_("Name the customers or a target list (not both)."), field="recipients")
    if customer_codes:
        customers = [require_messageable(session, actor, code) for code in dict.fromkeys(customer_codes)]
    else:
        customers = targets.list_customers(session, actor, list_name)
    picked = [(c, pick_contact(session, c.id, template.channel)) for c in customers]
    opted_out = consent.opted_out_ids(session, [k.id for _c, k in picked if k is not None])
    results = []
    for customer, contact in picked:
        results.append(queue_one(session, actor, template, customer, contact, campaign_id=campaign_id,
                                 dry_run=dry_run, opted_out=opted_out))
    return results
