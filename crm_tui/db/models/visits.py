"""Field visits (拜访巡店): the mobile app's upload log, events, absences, publications of the tally.

Upload times are INTEGER wall-clock seconds since 1970-01-01 (services/visits/calendar.py): the tally reads a
month of a person's uploads in time order through ``ix_visit_uploads_tally``, which holds every column the
tally needs, so the read never touches the table itself.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow

ABSENCE_KINDS = ("leave", "flex")
PERIOD_KINDS = ("week", "month")
PUBLICATION_STATES = ("published", "reopened")


class VisitImport(Base, table=True):
    """One import of the mobile app's export: what came in and what it added."""

    __tablename__ = "visit_imports"

    id: int | None = Field(default=None, primary_key=True)
    file_name: str = Field(sa_type=String(255))
    imported_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    user_id: int | None = Field(default=None, foreign_key="users.id")
    rows_read: int = Field(default=0)
    uploads_added: int = Field(default=0)
    events_added: int = Field(default=0)
    repeated: int = Field(default=0)  # rows already known
    first_at: int | None = Field(default=None, sa_type=BigInteger)
    last_at: int | None = Field(default=None, sa_type=BigInteger)


class VisitUpload(Base, table=True):
    """One row of the visit log (上传). Rows are never edited; a re-import of the same row adds nothing."""

    __tablename__ = "visit_uploads"
    __table_args__ = (
        # the same person, time, customer and kind is the same upload
        UniqueConstraint("user_id", "at", "kind", "customer_key", name="uq_visit_uploads_row"),
        Index("ix_visit_uploads_tally", "user_id", "at", "kind", "customer_id", "has_address", "photos",
              "remarks_ok", "backdated", "late"),
        Index("ix_visit_uploads_customer_at", "customer_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    at: int = Field(sa_type=BigInteger)
    kind: int = Field(sa_type=SmallInteger)  # 1 visit (拜访), 2 new customer
    # The customer as the row names it: its code, or its name when the row has no code ('' when neither).
    customer_key: str = Field(default="", sa_type=String(200))
    customer_code: str | None = Field(default=None, sa_type=String(64))
    customer_name: str | None = Field(default=None, sa_type=String(200))
    # Resolved at import; rows naming a customer unknown then are resolved again when tallied.
    customer_id: int | None = Field(default=None, foreign_key="customers.id", ondelete="SET NULL")
    address: str | None = Field(default=None, sa_type=String(300))
    has_address: bool = Field()
    photos: int = Field(default=0, sa_type=SmallInteger)
    remarks: str | None = Field(default=None, sa_type=Text)
    remarks_ok: bool = Field(default=False)
    # 不能补签: the export's visit time (拜访时间) falls on another day than its upload time.
    backdated: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Imported onto a day of a published week or month: void until that period is reopened (reopen admits it).
    late: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # The import that brought the row (no index: every index costs the bulk insert; it is for reading only).
    import_id: int | None = Field(default=None, foreign_key="visit_imports.id")


class VisitEvent(Base, table=True):
    """An event that earns visit and upload credits instead of counting as an upload (帮送喜宴)."""

    __tablename__ = "visit_events"
    __table_args__ = (
        UniqueConstraint("user_id", "at", "kind", "customer_key", name="uq_visit_events_row"),
        Index("ix_visit_events_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    at: int = Field(sa_type=BigInteger)
    kind: str = Field(sa_type=String(32))
    customer_key: str = Field(default="", sa_type=String(200))
    customer_code: str | None = Field(default=None, sa_type=String(64))
    customer_name: str | None = Field(default=None, sa_type=String(200))
    customer_id: int | None = Field(default=None, foreign_key="customers.id", ondelete="SET NULL")
    remarks: str | None = Field(default=None, sa_type=Text)
    import_id: int | None = Field(default=None, foreign_key="visit_imports.id")


class VisitAbsence(Audited, Timestamped, Base, table=True):
    """报备 reported in advance: ``leave`` days (not working days) or a ``flex`` month (start/end span it)."""

    __tablename__ = "visit_absences"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    kind: str = Field(sa_type=String(8))
    start_date: date = Field()
    end_date: date = Field()
    note: str | None = Field(default=None, sa_type=String(300))
    cancelled: bool = Field(default=False)


class VisitPublication(Audited, Versioned, Timestamped, Base, table=True):
    """A published week (公示) or month (考核): the frozen tally. Reopening is explicit and audited."""

    __tablename__ = "visit_publications"
    __table_args__ = (UniqueConstraint("period_kind", "period"),)
    __audit_exclude__ = ("created_at", "updated_at", "version", "result")

    id: int | None = Field(default=None, primary_key=True)
    period_kind: str = Field(sa_type=String(8))   # week | month
    period: str = Field(sa_type=String(10))       # 2027-W09 | 2027-03
    status: str = Field(default="published", sa_type=String(12))
    first_day: date = Field()
    last_day: date = Field()
    published_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    published_by: int | None = Field(default=None, foreign_key="users.id")
    reopened_at: datetime | None = Field(default=None, sa_type=DateTime)
    reopened_by: int | None = Field(default=None, foreign_key="users.id")
    reopen_reason: str | None = Field(default=None, sa_type=String(300))
    times_published: int = Field(default=1)
    policy_name: str | None = Field(default=None, sa_type=String(200))
    policy_digest: str | None = Field(default=None, sa_type=String(32))
    result: str = Field(sa_type=Text)   # the frozen report, JSON


# --- 员工中心 weekly plans and 外出登记 outings -------------------------------------------------------------

PLAN_STATES = ("draft", "submitted", "reviewed")


class WeeklyPlan(Audited, Versioned, Timestamped, Base, table=True):
    """A salesperson's week (周计划): goals and planned visits; at week end a summary and suggestions
    (总结与建议); the manager reviews and comments (批复)."""

    __tablename__ = "weekly_plans"
    __table_args__ = (UniqueConstraint("user_id", "week"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    week: str = Field(sa_type=String(8))        # 2027-W10
    monday: date = Field(index=True)
    goals: str | None = Field(default=None, sa_type=Text)
    summary: str | None = Field(default=None, sa_type=Text)
    suggestions: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default="draft", sa_type=String(12))
    submitted_at: datetime | None = Field(default=None, sa_type=DateTime)
    reviewed_by: int | None = Field(default=None, foreign_key="users.id")
    reviewed_at: datetime | None = Field(default=None, sa_type=DateTime)
    review_comment: str | None = Field(default=None, sa_type=Text)


class WeeklyPlanItem(Audited, Timestamped, Base, table=True):
    """One planned visit: a customer on a day of the plan's week."""

    __tablename__ = "weekly_plan_items"
    __table_args__ = (UniqueConstraint("plan_id", "day", "customer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="weekly_plans.id", ondelete="CASCADE", index=True)
    day: date = Field()
    customer_id: int = Field(foreign_key="customers.id", index=True)
    purpose: str | None = Field(default=None, sa_type=String(300))


class Outing(Audited, Versioned, Timestamped, Base, table=True):
    """外出登记: a salesperson going out, to which customers and why; back time filled in on return."""

    __tablename__ = "outings"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    out_at: datetime = Field(sa_type=DateTime, index=True)
    back_at: datetime | None = Field(default=None, sa_type=DateTime)
    purpose: str = Field(sa_type=String(300))
    destination: str | None = Field(default=None, sa_type=String(300))
    remarks: str | None = Field(default=None, sa_type=Text)


class OutingCustomer(Base, table=True):
    """A customer an outing goes to; ``contact_log_id`` links the contact log (联系记录) written for the visit."""

    __tablename__ = "outing_customers"
    __table_args__ = (UniqueConstraint("outing_id", "customer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    outing_id: int = Field(foreign_key="outings.id", ondelete="CASCADE", index=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    contact_log_id: int | None = Field(default=None, foreign_key="contact_logs.id", ondelete="SET NULL")
