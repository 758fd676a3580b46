"""Analysis: monthly sales targets per salesperson (the Performance view of the 7P analyses)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned
from crm_tui.db.types import Money


class SalesTarget(Audited, Versioned, Timestamped, Base, table=True):
    """What a salesperson should sell (tax-inclusive order amount) in one month; one row per person and month."""

    __tablename__ = "sales_targets"
    __table_args__ = (UniqueConstraint("user_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    month: str = Field(sa_type=String(7), index=True)  # YYYY-MM
    amount: Decimal = Field(sa_type=Money)
