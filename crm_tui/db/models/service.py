"""After-sales service (客户服务与支持): tickets and their follow-up logs.

A ticket moves 新建 → 处理中 → 待客户 → 已解决 → 已关闭, and may be reopened; services/tickets/states.py holds
the moves. Its due time comes from the SLA hours of its priority (settings ``[tickets]``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned

TICKET_STATUSES = ("new", "in_progress", "waiting", "resolved", "closed")
TICKET_KINDS = ("inquiry", "complaint", "repair", "return")
TICKET_PRIORITIES = ("low", "normal", "high", "urgent")


class Ticket(Audited, Versioned, Timestamped, Base, table=True):
    """One after-sales request or complaint of a customer (服务工单)."""

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_status_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(40), unique=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", ondelete="SET NULL")
    order_id: int | None = Field(default=None, foreign_key="sales_orders.id")
    product_id: int | None = Field(default=None, foreign_key="products.id")
    kind: str = Field(sa_type=String(16))
    priority: str = Field(default="normal", sa_type=String(16))
    subject: str = Field(sa_type=String(200))
    description: str | None = Field(default=None, sa_type=Text)
    assignee_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    status: str = Field(default="new", sa_type=String(16))
    # Business times are local wall-clock time, as people read them (like contact logs).
    opened_at: datetime = Field(sa_type=DateTime)
    due_at: datetime = Field(sa_type=DateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=DateTime)
    closed_at: datetime | None = Field(default=None, sa_type=DateTime)
    resolution: str | None = Field(default=None, sa_type=Text)
    satisfaction: int | None = None  # 1-5, given at closing
    reopen_count: int = Field(default=0)


class TicketLog(Audited, Base, table=True):
    """A follow-up on a ticket: a note, or what an action (assign, resolve, close, reopen) did and why."""

    __tablename__ = "ticket_logs"
    __table_args__ = (Index("ix_ticket_logs_ticket_at", "ticket_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id", ondelete="CASCADE")
    at: datetime = Field(sa_type=DateTime)
    author_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(default="note", sa_type=String(16))  # note | assign | status | resolve | close | reopen
    text: str = Field(sa_type=Text)
