"""Reminders, announcements (公告) with read receipts, and in-app notifications.

A reminder or a notification points at a record by ``kind`` and ``record_id`` (a customer, a contact log, an
order …) without a foreign key: any area's record can be pointed at, and the record may go before the reminder.
Texts of notifications are stored as a code and JSON parameters and made into a sentence when shown
(services/notices/texts.py), in the reader's language.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow

REMINDER_STATES = ("open", "done", "dismissed")
AUDIENCES = ("everyone", "department")


class Reminder(Audited, Versioned, Timestamped, Base, table=True):
    """A user's own reminder on a record: due at a local wall-clock time, open until done or dismissed."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_user_state_due", "user_id", "state", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    kind: str = Field(sa_type=String(32))  # what it points at: customer, contact_log, order, …
    record_id: int | None = None
    due_at: datetime = Field(sa_type=DateTime)
    note: str = Field(default="", sa_type=String(500))
    state: str = Field(default="open", sa_type=String(16))
    closed_at: datetime | None = Field(default=None, sa_type=DateTime)


class Announcement(Audited, Versioned, Timestamped, Base, table=True):
    """A notice posted by an administrator or a manager to everyone or to a department (and those below it)."""

    __tablename__ = "announcements"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_type=String(200))
    body: str = Field(default="", sa_type=Text)
    author_id: int = Field(foreign_key="users.id", index=True)
    department_id: int | None = Field(default=None, foreign_key="departments.id", index=True)  # None: everyone
    posted_at: datetime = Field(sa_type=DateTime, index=True)
    withdrawn: bool = Field(default=False)


class AnnouncementRead(Base, table=True):
    """A read receipt: who read an announcement, when (one row per reader)."""

    __tablename__ = "announcement_reads"
    __table_args__ = (UniqueConstraint("announcement_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    announcement_id: int = Field(foreign_key="announcements.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    read_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class Notification(Base, table=True):
    """A message to one user about something that happened (a log reviewed, a claim decided, a customer
    transferred): a code and parameters, and a link to the record."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    at: datetime = Field(sa_type=DateTime)
    text_code: str = Field(sa_type=String(64))
    params: str = Field(default="{}", sa_type=Text)  # JSON
    link_kind: str | None = Field(default=None, sa_type=String(32))
    link_id: int | None = None
    read_at: datetime | None = Field(default=None, sa_type=DateTime)
