"""Customers, contacts, contact logs, shares and import batches (客户, 联系人, 联系记录, 共享).

The search index over customers (``customer_search`` and, on SQLite, its FTS5 tables) lives in db/search.py.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow
from crm_tui.db.types import Money

CUSTOMER_STATUSES = ("active", "archived")
LOG_KINDS = ("visit", "phone", "wechat", "email", "other")


class Customer(Audited, Versioned, Timestamped, Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    # The name as duplicates are compared (NFKC, case-folded, no spaces), maintained on write: imports match
    # existing customers by it through an index.
    name_key: Mapped[str | None] = mapped_column(String(200), index=True)
    short_name: Mapped[str | None] = mapped_column(String(100))
    # Pinyin of the name, maintained on write: every reading of heteronyms, space-separated.
    name_pinyin: Mapped[str | None] = mapped_column(String(1000), index=True)  # first variant = sort key
    name_initials: Mapped[str | None] = mapped_column(String(500))  # searched through db/search.py
    # 客户分类: free labels separated by commas (A类, 重点, 县城); the visit policy keys on them.
    classification: Mapped[str | None] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(64), index=True)
    area: Mapped[str | None] = mapped_column(String(64), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    credit_limit: Mapped[object | None] = mapped_column(Money)
    opening_balance: Mapped[object | None] = mapped_column(Money)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # None: public pool (公海)
    source: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active", index=True)
    created_on: Mapped[date] = mapped_column(Date, nullable=False, default=date.today, index=True)
    remarks: Mapped[str | None] = mapped_column(Text)
    # Time of the latest contact log, kept by services/contact_logs.py: the "last contact" filter and the
    # return-to-pool rule read it without scanning the logs.
    last_contact_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)


class Contact(Audited, Versioned, Timestamped, Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    title: Mapped[str | None] = mapped_column(String(64))
    mobile: Mapped[str | None] = mapped_column(String(20), index=True)
    landline: Mapped[str | None] = mapped_column(String(32), index=True)
    email: Mapped[str | None] = mapped_column(String(128))
    wechat: Mapped[str | None] = mapped_column(String(64))
    birthday: Mapped[date | None] = mapped_column(Date)
    remarks: Mapped[str | None] = mapped_column(Text)


class ContactLog(Audited, Versioned, Timestamped, Base):
    """A visit, call or message (联系记录), with its follow-up and a manager's review (批复)."""

    __tablename__ = "contact_logs"
    __table_args__ = (
        Index("ix_contact_logs_customer_at", "customer_id", "at"),
        Index("ix_contact_logs_author_reviewed", "author_id", "reviewed_at"),
        Index("ix_contact_logs_follow_up", "follow_up_owner_id", "next_follow_up"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    result: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    next_follow_up: Mapped[date | None] = mapped_column(Date)
    # Who must do the follow-up: the author at first, the new owner after a transfer. Done when a later log
    # for the customer is written or it is closed by hand.
    follow_up_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    follow_up_done_at: Mapped[datetime | None] = mapped_column(DateTime)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)


class CustomerShare(Audited, Base):
    """A customer shared with a user who does not own it: they see it and may log contacts."""

    __tablename__ = "customer_shares"
    __table_args__ = (UniqueConstraint("customer_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    shared_by_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class CustomerImportBatch(Base):
    """One run of ``crm import customers``: what it created and changed, so the last one can be undone."""

    __tablename__ = "customer_import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500), nullable=False)
    user_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    created_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class CustomerImportItem(Base):
    """A customer an import created or updated; ``before`` holds the replaced values (JSON) of an update."""

    __tablename__ = "customer_import_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("customer_import_batches.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(Integer, nullable=False, index=True)  # no FK: undo deletes it
    action: Mapped[str] = mapped_column(String(8), nullable=False)  # create | update
    version_after: Mapped[int] = mapped_column(Integer, nullable=False)
    before: Mapped[str | None] = mapped_column(Text)


class CustomerSearch(Base):
    """The text a customer is found by, rebuilt on every write of the customer or its contacts (db/search.py).

    ``doc``: code, names, contacts, phones, address and pinyin, lowercased, for substring search of 3+
    characters (SQLite FTS5 trigram, PostgreSQL pg_trgm). ``grams``: the distinct 1- and 2-character grams of
    the Chinese text, code and initials, for 1- and 2-character terms, which trigram indexes cannot answer.
    """

    __tablename__ = "customer_search"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True,
                                             autoincrement=False)
    doc: Mapped[str] = mapped_column(Text, nullable=False, default="")
    grams: Mapped[str] = mapped_column(Text, nullable=False, default="")


# Keeps pinyin columns and the search index in step with every ORM write (session events).
from crm_tui.db import search as _search  # noqa: E402, F401
