"""Customers, contacts, contact logs, shares and import batches (客户, 联系人, 联系记录, 共享).

The search index over customers (``customer_search`` and, on SQLite, its FTS5 tables) lives in db/search.py.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow
from crm_tui.db.types import Money

CUSTOMER_STATUSES = ("active", "archived")
LOG_KINDS = ("visit", "phone", "wechat", "email", "other")


class Customer(Audited, Versioned, Timestamped, Base, table=True):
    __tablename__ = "customers"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(32), unique=True)
    name: str = Field(sa_type=String(200), index=True)
    # The name as duplicates are compared (NFKC, case-folded, no spaces), maintained on write: imports match
    # existing customers by it through an index.
    name_key: str | None = Field(default=None, sa_type=String(200), index=True)
    short_name: str | None = Field(default=None, sa_type=String(100))
    # Pinyin of the name, maintained on write: every reading of heteronyms, space-separated.
    name_pinyin: str | None = Field(default=None, sa_type=String(1000), index=True)  # first variant = sort key
    name_initials: str | None = Field(default=None, sa_type=String(500))  # searched through db/search.py
    # 客户分类: free labels separated by commas (A类, 重点, 县城); the visit policy keys on them.
    classification: str | None = Field(default=None, sa_type=String(200))
    # 促销店: 超市促销店 or 促销餐饮店 (fields.PROMOTION_STORES); the department's 促销主管 must visit every one.
    promotion_store: str | None = Field(default=None, sa_type=String(16), index=True)
    industry: str | None = Field(default=None, sa_type=String(64), index=True)
    area: str | None = Field(default=None, sa_type=String(64), index=True)
    address: str | None = Field(default=None, sa_type=String(300))
    credit_code: str | None = Field(default=None, sa_type=String(18), unique=True)
    credit_limit: Decimal | None = Field(default=None, sa_type=Money)
    opening_balance: Decimal | None = Field(default=None, sa_type=Money)
    owner_id: int | None = Field(default=None, foreign_key="users.id", index=True)  # None: public pool (公海)
    source: str | None = Field(default=None, sa_type=String(64))
    status: str = Field(default="active", sa_type=String(16), index=True)
    created_on: date = Field(default_factory=date.today, index=True)
    remarks: str | None = Field(default=None, sa_type=Text)
    # Time of the latest contact log, kept by services/customers/contact_logs.py: the "last contact" filter and the
    # return-to-pool rule read it without scanning the logs.
    last_contact_at: datetime | None = Field(default=None, sa_type=DateTime, index=True)


class Contact(Audited, Versioned, Timestamped, Base, table=True):
    __tablename__ = "contacts"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", ondelete="CASCADE", index=True)
    name: str = Field(sa_type=String(64))
    is_primary: bool = Field(default=False)
    title: str | None = Field(default=None, sa_type=String(64))
    mobile: str | None = Field(default=None, sa_type=String(20), index=True)
    landline: str | None = Field(default=None, sa_type=String(32), index=True)
    email: str | None = Field(default=None, sa_type=String(128))
    wechat: str | None = Field(default=None, sa_type=String(64))
    birthday: date | None = None
    remarks: str | None = Field(default=None, sa_type=Text)


class ContactLog(Audited, Versioned, Timestamped, Base, table=True):
    """A visit, call or message (联系记录), with its follow-up and a manager's review (批复)."""

    __tablename__ = "contact_logs"
    __table_args__ = (
        Index("ix_contact_logs_customer_at", "customer_id", "at"),
        Index("ix_contact_logs_author_reviewed", "author_id", "reviewed_at"),
        Index("ix_contact_logs_follow_up", "follow_up_owner_id", "next_follow_up"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id")
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", ondelete="SET NULL")
    kind: str = Field(sa_type=String(16))
    at: datetime = Field(sa_type=DateTime, index=True)
    summary: str = Field(sa_type=Text)
    result: str | None = Field(default=None, sa_type=Text)
    next_step: str | None = Field(default=None, sa_type=Text)
    next_follow_up: date | None = None
    # Who must do the follow-up: the author at first, the new owner after a transfer. Done when a later log
    # for the customer is written or it is closed by hand.
    follow_up_owner_id: int | None = Field(default=None, foreign_key="users.id")
    follow_up_done_at: datetime | None = Field(default=None, sa_type=DateTime)
    author_id: int = Field(foreign_key="users.id")
    review_comment: str | None = Field(default=None, sa_type=Text)
    reviewed_by_id: int | None = Field(default=None, foreign_key="users.id")
    reviewed_at: datetime | None = Field(default=None, sa_type=DateTime)


class CustomerShare(Audited, Base, table=True):
    """A customer shared with a user who does not own it: they see it and may log contacts."""

    __tablename__ = "customer_shares"
    __table_args__ = (UniqueConstraint("customer_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", index=True)
    shared_by_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class CustomerImportBatch(Base, table=True):
    """One run of ``crm import customers``: what it created and changed, so the last one can be undone."""

    __tablename__ = "customer_import_batches"

    id: int | None = Field(default=None, primary_key=True)
    file_name: str = Field(sa_type=String(500))
    user_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    created_count: int = Field(default=0)
    updated_count: int = Field(default=0)
    undone_at: datetime | None = Field(default=None, sa_type=DateTime)


class CustomerImportItem(Base, table=True):
    """A customer an import created or updated; ``before`` holds the replaced values (JSON) of an update."""

    __tablename__ = "customer_import_items"

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="customer_import_batches.id", ondelete="CASCADE", index=True)
    customer_id: int = Field(index=True)  # no FK: undo deletes it
    action: str = Field(sa_type=String(8))  # create | update
    version_after: int = Field()
    before: str | None = Field(default=None, sa_type=Text)


class CustomerSearch(Base, table=True):
    """The text a customer is found by, rebuilt on every write of the customer or its contacts (db/search.py).

    ``doc``: code, names, contacts, phones, address and pinyin, lowercased, for substring search of 3+
    characters (SQLite FTS5 trigram, PostgreSQL pg_trgm). ``grams``: the distinct 1- and 2-character grams of
    the Chinese text, code and initials, for 1- and 2-character terms, which trigram indexes cannot answer.
    """

    __tablename__ = "customer_search"

    customer_id: int = Field(foreign_key="customers.id", ondelete="CASCADE", primary_key=True, sa_column_kwargs={"autoincrement": False})
    doc: str = Field(default="", sa_type=Text)
    grams: str = Field(default="", sa_type=Text)


class CustomerSearchPending(Base, table=True):
    """Search rows of customers a bulk import created, not indexed yet: queries scan them (db/search.py) until
    ``search.catch_up`` moves them into ``customer_search``. A customer is in one of the two tables, never both."""

    __tablename__ = "customer_search_pending"

    customer_id: int = Field(foreign_key="customers.id", ondelete="CASCADE", primary_key=True, sa_column_kwargs={"autoincrement": False})
    doc: str = Field(default="", sa_type=Text)
    grams: str = Field(default="", sa_type=Text)


# The search index's SQLite FTS5 tables (and their shadow tables) and PostgreSQL index kinds, made by migration
# 0003, are more than the models can describe: autogenerate (migrate.include_name) must leave them alone.
FTS_TABLES = ("customer_fts", "customer_grams")
FTS_SHADOWS = ("", "_data", "_idx", "_config", "_docsize", "_content")
PG_INDEXES = ("ix_customer_search_doc_trgm", "ix_customer_search_grams")
Base.metadata.info.setdefault("unmanaged", set()).update(
    {t + s for t in FTS_TABLES for s in FTS_SHADOWS} | set(PG_INDEXES))
Base.metadata.info["unmanaged"].update({"customer_sort", "ix_customers_status_code"})  # migration 0010_srch
