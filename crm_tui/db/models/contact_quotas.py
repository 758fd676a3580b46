"""Contact-log quotas (联系记录工作量指标): how many contact logs each permission role must write per week and
per month. One row per (role, period), shared by every user of the database (the checker's 稽核 reads them)."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned


class ContactQuota(Audited, Versioned, Timestamped, Base, table=True):
    __tablename__ = "contact_quotas"
    __table_args__ = (UniqueConstraint("role", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    role: str = Field(sa_type=String(32))  # salesperson, manager … (services/admin/permissions.py)
    period: str = Field(sa_type=String(8))  # week | month
    quota: int = Field(default=0)  # contact logs required; 0 = none
