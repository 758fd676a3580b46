"""Users, departments and staff attributes."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_tui.db.base import Audited, Base, Timestamped, Versioned

ROLES = ("administrator", "manager", "salesperson", "clerk", "statistician", "warehouse")


class Department(Audited, Versioned, Timestamped, Base):
    """A node of the department tree (e.g. 销售部 › 商团部)."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    # The head of the department (a user). No FK: users reference departments, and cycles complicate DDL.
    manager_id: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class User(Audited, Versioned, Timestamped, Base):
    """A person who logs in; also the staff record (工号, 岗位, 片区, 上级) the visit tally keys on."""

    __tablename__ = "users"
    __audit_exclude__ = ("created_at", "updated_at", "version", "password_hash")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), nullable=False, default="salesperson")
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    staff_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(64))
    area: Mapped[str | None] = mapped_column(String(64))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(128))
