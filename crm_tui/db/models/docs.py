"""Documents (文档管理): files attached to records, and the knowledge base (知识库).

An ``Attachment`` links one stored file to one record by (``owner_kind``, ``owner_id``): a customer, quote,
sales order, contact log, ticket or expense claim. The file itself lives in the data folder under its sha256
(services/docs/storage.py), so the same file attached twice is stored once. ``customer_id`` is the owning
record's customer, copied at attach time, so that every read path filters with the customer visibility rule
in one join; ``person_id`` stands in for records without a customer (an expense claim follows its claimant).
Deleting is soft: ``deleted_at`` / ``deleted_by`` are set and the row is audited.

``KbArticle`` is a Markdown article; ``KbSearch`` holds its search text, indexed like ``customer_search``
(db/search.py's documents and grams; FTS5 on SQLite, pg_trgm and a grams GIN index on PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, String, Text
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned

OWNER_KINDS = ("customer", "quote", "order", "contact_log", "ticket", "expense_claim")


class Attachment(Audited, Base, table=True):
    """附件: one stored file attached to one record."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_kind", "owner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_kind: str = Field(sa_type=String(16))
    owner_id: int
    customer_id: int | None = Field(default=None, foreign_key="customers.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="users.id")
    file_name: str = Field(sa_type=String(255))  # the original name, without its folder
    checksum: str = Field(sa_type=String(64), index=True)  # sha256, hex; also the stored file's name
    size: int = Field(sa_type=BigInteger)
    note: str | None = Field(default=None, sa_type=String(300))
    uploaded_by: int = Field(foreign_key="users.id")
    uploaded_at: datetime = Field(sa_type=DateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime)
    deleted_by: int | None = Field(default=None, foreign_key="users.id")


class KbArticle(Audited, Versioned, Timestamped, Base, table=True):
    """知识库文章: title, category (产品知识, 销售话术, 售后政策 …), tags and a Markdown body."""

    __tablename__ = "kb_articles"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_type=String(200))
    category: str = Field(default="", sa_type=String(32), index=True)
    tags: str = Field(default="", sa_type=String(300))  # space-separated
    body: str = Field(default="", sa_type=Text)
    author_id: int = Field(foreign_key="users.id")
    updated_by: int | None = Field(default=None, foreign_key="users.id")


class KbSearch(Base, table=True):
    """The text an article is found by (title, category, tags, body), rebuilt on every write of it."""

    __tablename__ = "kb_search"

    article_id: int = Field(foreign_key="kb_articles.id", ondelete="CASCADE", primary_key=True,
                            sa_column_kwargs={"autoincrement": False})
    doc: str = Field(default="", sa_type=Text)
    grams: str = Field(default="", sa_type=Text)


# The FTS5 tables (SQLite) and index kinds (PostgreSQL) of migration 0009_docs: autogenerate leaves them alone.
FTS_TABLES = ("kb_fts", "kb_grams")
FTS_SHADOWS = ("", "_data", "_idx", "_config", "_docsize", "_content")
PG_INDEXES = ("ix_kb_search_doc_trgm", "ix_kb_search_grams")
Base.metadata.info.setdefault("unmanaged", set()).update(
    {t + s for t in FTS_TABLES for s in FTS_SHADOWS} | set(PG_INDEXES))
