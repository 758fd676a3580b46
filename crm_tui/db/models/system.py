"""System tables: the audit log and document number counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_tui.db.base import Base, utcnow


class AuditEntry(Base):
    """Who changed what, when: one row per created, updated or deleted record."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no FK: the log outlives anything
    user_login: Mapped[str | None] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    entity_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    changes: Mapped[str | None] = mapped_column(Text)  # JSON: {"field": [old, new]}


class Counter(Base):
    """The last number taken for a document kind in a period (e.g. quote, 202611)."""

    __tablename__ = "counters"
    __table_args__ = (UniqueConstraint("kind", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    period: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
