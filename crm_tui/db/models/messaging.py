"""Messaging (短信/邮件): templates, consent, target lists, the outbox and campaigns (营销活动)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Index, String, Text
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow
from crm_tui.db.types import Money

CHANNELS = ("email", "sms")
# An outbox row's life: queued → sending → sent | failed (| queued again after a transient failure, with
# backoff). A row left in ``sending`` by a crash becomes ``uncertain`` and is never resent by itself
# (services/messaging/outbox.py states the rule). skipped: opted out; no_address: nothing to send to.
OUTBOX_STATES = ("queued", "sending", "sent", "failed", "uncertain", "skipped", "no_address")


class MessageTemplate(Audited, Versioned, Timestamped, Base, table=True):
    __tablename__ = "message_templates"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(64), unique=True)
    channel: str = Field(sa_type=String(8))  # email | sms
    subject: str = Field(default="", sa_type=String(200))
    body: str = Field(sa_type=Text)
    # Events that send this template by themselves, comma-separated (triggers.TRIGGERS); empty: none.
    triggers: str = Field(default="", sa_type=String(300))
    overdue_days: int | None = None  # the receivable_overdue trigger: days past due
    active: bool = Field(default=True)


class ContactConsent(Audited, Base, table=True):
    """PIPL consent and opt-out of one contact, with their dates. No row: no recorded consent, not opted out."""

    __tablename__ = "contact_consents"

    contact_id: int = Field(foreign_key="contacts.id", ondelete="CASCADE", primary_key=True,
                            sa_column_kwargs={"autoincrement": False})
    consent: bool = Field(default=False)
    consent_on: date | None = None
    opted_out: bool = Field(default=False)
    opted_out_on: date | None = None
    note: str | None = Field(default=None, sa_type=String(300))


class TargetList(Audited, Versioned, Timestamped, Base, table=True):
    """A saved filter over customers and contacts (targets.FILTER_KEYS), evaluated when used."""

    __tablename__ = "message_target_lists"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(64), unique=True)
    filters: str = Field(default="{}", sa_type=Text)  # JSON
    created_by: int | None = None


class Campaign(Audited, Versioned, Timestamped, Base, table=True):
    __tablename__ = "campaigns"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(100), unique=True)
    list_id: int = Field(foreign_key="message_target_lists.id")
    template_id: int = Field(foreign_key="message_templates.id")
    budget: Decimal = Field(default=Decimal(0), sa_type=Money)
    cost: Decimal = Field(default=Decimal(0), sa_type=Money)
    starts_on: date | None = None
    ends_on: date | None = None
    attribution_days: int = Field(default=30)  # orders within this many days after a send count for the campaign
    status: str = Field(default="draft", sa_type=String(16))  # draft | run
    run_at: datetime | None = Field(default=None, sa_type=DateTime)
    created_by: int | None = None


class OutboxMessage(Audited, Base, table=True):
    """One message to one recipient, or the record of why it was not sent. ``message_id`` is its identity across
    crashes: the e-mail's Message-ID header and the SMS gateway's client reference."""

    __tablename__ = "message_outbox"
    __table_args__ = (Index("ix_message_outbox_status_next", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(sa_type=String(120), unique=True)
    # Set for automatic sends (triggers): the same event never queues the same template twice.
    dedupe_key: str | None = Field(default=None, sa_type=String(160), unique=True)
    channel: str = Field(sa_type=String(8))
    template_id: int | None = Field(default=None, foreign_key="message_templates.id", index=True)
    campaign_id: int | None = Field(default=None, foreign_key="campaigns.id", index=True)
    trigger: str | None = Field(default=None, sa_type=String(32))
    customer_id: int | None = Field(default=None, foreign_key="customers.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", ondelete="SET NULL")
    recipient: str = Field(default="", sa_type=String(200))
    recipient_name: str = Field(default="", sa_type=String(64))
    subject: str = Field(default="", sa_type=String(300))
    body: str = Field(sa_type=Text)
    status: str = Field(default="queued", sa_type=String(16))
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default=None, sa_type=DateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=DateTime)
    sent_at: datetime | None = Field(default=None, sa_type=DateTime)
    last_error: str | None = Field(default=None, sa_type=String(500))
    created_by: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
