"""The SQLModel base of every table and the mixins the tables share.

Tables are SQLModel classes (``table=True``): each field is a column, with its SQLAlchemy type given as
``sa_type`` where the annotation alone would not say it (``String(64)``, ``Money``, ``DateTime``); a field's
default is the column's default. Rows behave as the plain SQLAlchemy declarative rows did before: they compare
and hash by identity (pydantic would compare field values), and the constructor sets only what it is given
(defaults apply on INSERT) and refuses an unknown keyword (SQLModel's would set every default and ignore it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import declared_attr, registry
from sqlmodel import Field, SQLModel

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(SQLModel, registry=registry(metadata=MetaData(naming_convention=NAMING))):
    """Every table: ``class Customer(Audited, Versioned, Timestamped, Base, table=True)``."""

    # Tables never validate (SQLModel sets their fields as given): pydantic builds no validator for them
    # unless asked, which halves the time to import the models.
    model_config = ConfigDict(defer_build=True)

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, **values: Any) -> None:
        # SQLAlchemy's own constructor, not SQLModel's: only the given fields are set (defaults are the
        # columns', applied on INSERT) and an unknown keyword is an error, as before SQLModel.
        cls = type(self)
        for key, value in values.items():
            if not hasattr(cls, key):
                raise TypeError(f"{key!r} is an invalid keyword argument for {cls.__name__}")
            setattr(self, key, value)


class Columns(SQLModel):
    """A mixin of columns shared by several tables (no table of its own)."""

    model_config = ConfigDict(defer_build=True)


class Timestamped(Columns):
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime, sa_column_kwargs={"onupdate": utcnow})


class Versioned(Columns):
    """Optimistic locking: every UPDATE is ``WHERE id = ? AND version = ?`` (SQLAlchemy's version_id_col).

    A stale save raises ``StaleDataError``, which ``transaction()`` turns into a ``ConflictError``.
    """

    version: int = Field(default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}


class Audited:
    """Rows of an ``Audited`` table are diffed into the audit log on every flush (see services/common/audit.py)."""

    __audit_exclude__: tuple[str, ...] = ("created_at", "updated_at", "version")
