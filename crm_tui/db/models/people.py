"""Users, departments and staff attributes."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned

ROLES = ("administrator", "manager", "salesperson", "clerk", "statistician", "warehouse")


class Department(Audited, Versioned, Timestamped, Base, table=True):
    """A node of the department tree (e.g. 销售部 › 商团部)."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(100))
    parent_id: int | None = Field(default=None, foreign_key="departments.id", index=True)
    # The head of the department (a user). No FK: users reference departments, and cycles complicate DDL.
    manager_id: int | None = None
    active: bool = Field(default=True)


class User(Audited, Versioned, Timestamped, Base, table=True):
    """A person who logs in; also the staff record (工号, 岗位, 片区, 上级) the visit tally keys on."""

    __tablename__ = "users"
    __audit_exclude__ = ("created_at", "updated_at", "version", "password_hash")

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(sa_type=String(64), unique=True)
    display_name: str = Field(sa_type=String(100), index=True)
    password_hash: str | None = Field(default=None, sa_type=String(255))
    role: str = Field(default="salesperson", sa_type=String(20))
    active: bool = Field(default=True)
    staff_number: str | None = Field(default=None, sa_type=String(32), unique=True)
    department_id: int | None = Field(default=None, foreign_key="departments.id", index=True)
    position: str | None = Field(default=None, sa_type=String(64))
    area: str | None = Field(default=None, sa_type=String(64))
    supervisor_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    phone: str | None = Field(default=None, sa_type=String(32))
    email: str | None = Field(default=None, sa_type=String(128))
