"""Field visits (拜访巡店): the mobile app's upload log, events, absences, publications of the tally.

Upload times are INTEGER wall-clock seconds since 1970-01-01 (services/visits/calendar.py): the tally reads a
month of a person's uploads in time order through ``ix_visit_uploads_tally``, which holds every column the
tally needs, so the read never touches the table itself.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow

ABSENCE_KINDS = ("leave", "flex")
PERIOD_KINDS = ("week", "month")
PUBLICATION_STATES = ("published", "reopened")


class VisitImport(Base):
    """One import of the mobile app's export: what came in and what it added."""

    __tablename__ = "visit_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    imported_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rows_read: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    uploads_added: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    events_added: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    repeated: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # rows already known
    first_at: Mapped[int | None] = mapped_column(BigInteger)
    last_at: Mapped[int | None] = mapped_column(BigInteger)


class VisitUpload(Base):
    """One row of the visit log (上传). Rows are never edited; a re-import of the same row adds nothing."""

    __tablename__ = "visit_uploads"
    __table_args__ = (
        # the same person, time, customer and kind is the same upload
        UniqueConstraint("user_id", "at", "kind", "customer_key", name="uq_visit_uploads_row"),
        Index("ix_visit_uploads_tally", "user_id", "at", "kind", "customer_id", "has_address", "photos",
              "remarks_ok"),
        Index("ix_visit_uploads_customer_at", "customer_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    kind: Mapped[int] = mapped_column(SmallInteger, nullable=False)  # 1 visit (拜访), 2 new customer
    # The customer as the row names it: its code, or its name when the row has no code ('' when neither).
    customer_key: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    customer_code: Mapped[str | None] = mapped_column(String(64))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    # Resolved at import; rows naming a customer unknown then are resolved again when tallied.
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    address: Mapped[str | None] = mapped_column(String(300))
    has_address: Mapped[bool] = mapped_column(Boolean, nullable=False)
    photos: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    remarks: Mapped[str | None] = mapped_column(Text)
    remarks_ok: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # The import that brought the row (no index: every index costs the bulk insert; it is for reading only).
    import_id: Mapped[int | None] = mapped_column(ForeignKey("visit_imports.id"))


class VisitEvent(Base):
    """An event that earns visit and upload credits instead of counting as an upload (帮送喜宴)."""

    __tablename__ = "visit_events"
    __table_args__ = (
        UniqueConstraint("user_id", "at", "kind", "customer_key", name="uq_visit_events_row"),
        Index("ix_visit_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    customer_key: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    customer_code: Mapped[str | None] = mapped_column(String(64))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    remarks: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("visit_imports.id"))


class VisitAbsence(Audited, Timestamped, Base):
    """报备 reported in advance: ``leave`` days (not working days) or a ``flex`` month (start/end span it)."""

    __tablename__ = "visit_absences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(String(300))
    cancelled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class VisitPublication(Audited, Versioned, Timestamped, Base):
    """A published week (公示) or month (考核): the frozen tally. Reopening is explicit and audited."""

    __tablename__ = "visit_publications"
    __table_args__ = (UniqueConstraint("period_kind", "period"),)
    __audit_exclude__ = ("created_at", "updated_at", "version", "result")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_kind: Mapped[str] = mapped_column(String(8), nullable=False)   # week | month
    period: Mapped[str] = mapped_column(String(10), nullable=False)       # 2027-W09 | 2027-03
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="published")
    first_day: Mapped[date] = mapped_column(Date, nullable=False)
    last_day: Mapped[date] = mapped_column(Date, nullable=False)
    published_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime)
    reopened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopen_reason: Mapped[str | None] = mapped_column(String(300))
    times_published: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    policy_name: Mapped[str | None] = mapped_column(String(200))
    policy_digest: Mapped[str | None] = mapped_column(String(32))
    result: Mapped[str] = mapped_column(Text, nullable=False)   # the frozen report, JSON


# --- 员工中心 weekly plans and 外出登记 outings -------------------------------------------------------------

PLAN_STATES = ("draft", "submitted", "reviewed")


class WeeklyPlan(Audited, Versioned, Timestamped, Base):
    """A salesperson's week (周计划): goals and planned visits; at week end a summary and suggestions
    (总结与建议); the manager reviews and comments (批复)."""

    __tablename__ = "weekly_plans"
    __table_args__ = (UniqueConstraint("user_id", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    week: Mapped[str] = mapped_column(String(8), nullable=False)        # 2027-W10
    monday: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    goals: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    suggestions: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="draft")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    review_comment: Mapped[str | None] = mapped_column(Text)


class WeeklyPlanItem(Audited, Timestamped, Base):
    """One planned visit: a customer on a day of the plan's week."""

    __tablename__ = "weekly_plan_items"
    __table_args__ = (UniqueConstraint("plan_id", "day", "customer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("weekly_plans.id", ondelete="CASCADE"), nullable=False,
                                         index=True)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False, index=True)
    purpose: Mapped[str | None] = mapped_column(String(300))


class Outing(Audited, Versioned, Timestamped, Base):
    """外出登记: a salesperson going out, to which customers and why; back time filled in on return."""

    __tablename__ = "outings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    out_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    back_at: Mapped[datetime | None] = mapped_column(DateTime)
    purpose: Mapped[str] = mapped_column(String(300), nullable=False)
    destination: Mapped[str | None] = mapped_column(String(300))
    remarks: Mapped[str | None] = mapped_column(Text)


class OutingCustomer(Base):
    """A customer an outing goes to; ``contact_log_id`` links the contact log (联系记录) written for the visit."""

    __tablename__ = "outing_customers"
    __table_args__ = (UniqueConstraint("outing_id", "customer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outing_id: Mapped[int] = mapped_column(ForeignKey("outings.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False, index=True)
    contact_log_id: Mapped[int | None] = mapped_column(ForeignKey("contact_logs.id", ondelete="SET NULL"))
