"""System tables: the audit log, document number counters and our company's details."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow


class AuditEntry(Base, table=True):
    """Who changed what, when: one row per created, updated or deleted record."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime, index=True)
    user_id: int | None = Field(default=None, index=True)  # no FK: the log outlives anything
    user_login: str | None = Field(default=None, sa_type=String(64))
    entity: str = Field(sa_type=String(64))
    entity_id: str | None = Field(default=None, sa_type=String(64))
    action: str = Field(sa_type=String(32))
    changes: str | None = Field(default=None, sa_type=Text)  # JSON: {"field": [old, new]}


class Counter(Base, table=True):
    """The last number taken for a document kind in a period (e.g. quote, 202611)."""

    __tablename__ = "counters"
    __table_args__ = (UniqueConstraint("kind", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=String(64))
    period: str = Field(default="", sa_type=String(16))
    value: int = Field(default=0)


class LoginFailure(Base, table=True):
    """Failed logins per login name (known or not, so the delay tells nothing), for the growing delay. A row
    goes on a successful login; rows whose last failure is old are forgotten."""

    __tablename__ = "login_failures"

    login: str = Field(primary_key=True, sa_type=String(64))  # lower-cased, as typed
    failures: int = Field(default=0)
    last_failed_at: datetime = Field(sa_type=DateTime)


class CompanyDetails(Audited, Versioned, Timestamped, Base, table=True):
    """Our company as printed at the head of every document: one row (id 1), shared by every user.

    Before the row exists the ``[company]`` section of settings.toml stands in (and is copied in at setup).
    The logo stays a setting: it is a file on this machine.
    """

    __tablename__ = "company_details"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="", sa_type=String(200))
    address: str = Field(default="", sa_type=String(300))
    phone: str = Field(default="", sa_type=String(64))
    tax_number: str = Field(default="", sa_type=String(20))  # 纳税人识别号 / 统一社会信用代码
    bank: str = Field(default="", sa_type=String(100))  # 开户行
    account: str = Field(default="", sa_type=String(64))  # 账号
