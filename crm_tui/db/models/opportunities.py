"""Opportunities (机会): a sale being worked on, its products, and the stages it went through.

Stages are data (``opportunity_stages``, seeded by the migration): each has a probability, a place in the
funnel and the criteria an opportunity must meet to enter it (``criteria``: a comma-separated list of codes
that ``services/opportunities/stages.py`` knows, e.g. ``quote`` for 方案报价). One stage is the won outcome and
one the lost outcome. Every change of stage is kept in ``opportunity_stage_changes`` (from, to, when, who).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow
from crm_tui.db.types import Money, Quantity, Rate

ZERO = Decimal(0)
OUTCOMES = ("open", "won", "lost")


class OpportunityStage(Audited, Versioned, Timestamped, Base, table=True):
    """A stage of the funnel: 初步接洽 10%, 需求确认 30% … 赢单 100%, 输单 0%."""

    __tablename__ = "opportunity_stages"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(20), unique=True)
    name: str = Field(sa_type=String(32), unique=True)
    probability: Decimal = Field(default=ZERO, sa_type=Rate)  # 0.5 = 50%
    position: int = Field(default=0)  # order in the funnel
    outcome: str = Field(default="open", sa_type=String(8))  # open | won | lost
    criteria: str | None = Field(default=None, sa_type=String(200))  # e.g. "contact,lines" or "quote"
    active: bool = Field(default=True)


class Opportunity(Audited, Versioned, Timestamped, Base, table=True):
    """机会: a customer's possible purchase, moving through the stages to won or lost."""

    __tablename__ = "opportunities"
    __table_args__ = (Index("ix_opportunities_stage_close", "stage_id", "expected_close"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(40), unique=True)
    title: str = Field(sa_type=String(100))
    customer_id: int = Field(foreign_key="customers.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contacts.id")
    owner_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    source: str | None = Field(default=None, sa_type=String(32))  # 老客户介绍, 展会, 电话, 网站 …
    stage_id: int = Field(foreign_key="opportunity_stages.id")
    stage_since: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    expected_amount: Decimal = Field(default=ZERO, sa_type=Money)
    expected_close: date | None = Field(default=None, index=True)
    next_step: str | None = Field(default=None, sa_type=String(200))
    next_step_date: date | None = None
    lost_reason: str | None = Field(default=None, sa_type=String(64))
    lost_note: str | None = Field(default=None, sa_type=String(300))
    quote_id: int | None = Field(default=None, foreign_key="quotes.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="sales_orders.id", index=True)
    closed_on: date | None = None  # the day it was won or lost
    remarks: str | None = Field(default=None, sa_type=Text)
    created_by: int | None = None


class OpportunityLine(Audited, Base, table=True):
    """A product the customer may buy: quantity and the price we expect (tax-inclusive, 含税单价)."""

    __tablename__ = "opportunity_lines"
    __table_args__ = (UniqueConstraint("opportunity_id", "line_no"),)

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunities.id", ondelete="CASCADE", index=True)
    line_no: int = Field()
    product_id: int = Field(foreign_key="products.id")
    quantity: Decimal = Field(sa_type=Quantity)
    expected_price: Decimal = Field(sa_type=Money)
    amount: Decimal = Field(sa_type=Money)  # quantity × price, rounded half-up to the fen


class OpportunityStageChange(Audited, Base, table=True):
    """One move of an opportunity from a stage to another (the first row has no ``from_stage_id``)."""

    __tablename__ = "opportunity_stage_changes"

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunities.id", ondelete="CASCADE", index=True)
    from_stage_id: int | None = Field(default=None, foreign_key="opportunity_stages.id")
    to_stage_id: int = Field(foreign_key="opportunity_stages.id")
    changed_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    changed_by: int | None = Field(default=None, foreign_key="users.id")
    note: str | None = Field(default=None, sa_type=String(300))
