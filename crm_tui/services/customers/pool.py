"""The public pool's automatic return (公海回收): owned customers with no contact for N days (setting
``customers.pool_return_days``; 0 turns it off) go back to the pool.

It runs by ``crm customers pool-return`` and once a day when the app starts (``run_daily``: the day's run is
remembered in the audit log, so a second start that day, on any machine sharing the database, does nothing).
Every return is audited per customer (``transfer._move_owner``), and each former owner is told: until the
app has in-app notifications, the notice is an audit entry (entity ``notices``, the owner's id, action
``pool return``) and a log line, and every function in ``NOTICE_HOOKS`` is called with
``(session, owner_id, customers, days)`` in the same transaction — a notifications module registers itself
there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.config import get_settings
from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.system import AuditEntry
from crm_tui.services.admin import permissions
from crm_tui.services.common import audit
from crm_tui.services.common.plugins import resolve

log = logging.getLogger(__name__)

DAILY_ENTITY = "customers.pool"
DAILY_ACTION = "daily return"
# (session, owner_id, [(customer id, code, name), ...], days) -> None, or its "module:function"; called once per
# former owner. The in-app notification is the first.
NOTICE_HOOKS: list[Callable[[Session, int, list[tuple[int, str, str]], int], None] | str] = [
    "crm_tui.services.notices.notifications:pool_return_notice"]


@dataclass
class PoolReturn:
    days: int
    customers: int = 0
    follow_ups: int = 0
    by_owner: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)  # owner -> (id, code, name)
    ran: bool = True  # False: the rule is off, or today's daily run has been done already


def setting_days() -> int:
    return int(get_settings().get("customers", {}).get("pool_return_days", 0) or 0)


def return_idle(session: Session, actor: Actor, days: int | None = None, today: date | None = None) -> PoolReturn:
    """Send every owned customer with no contact in ``days`` days (default: the setting) back to the pool."""
    from crm_tui.services.customers.transfer import _move_owner, idle_customers_query

    permissions.require(actor, "admin.customers")
    days = setting_days() if days is None else days
    if not days or days <= 0:
        return PoolReturn(0, ran=False)
    ids = list(session.scalars(idle_customers_query(days, today or clock.today())))
    out = PoolReturn(days)
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for cid, code, name, owner in session.execute(
                select(Customer.id, Customer.code, Customer.name, Customer.owner_id).where(Customer.id.in_(part))):
            out.by_owner.setdefault(owner, []).append((cid, code, name))
    moved = _move_owner(session, ids, None, "return to pool")
    out.customers, out.follow_ups = moved.customers, moved.follow_ups
    for owner, customers in sorted(out.by_owner.items()):
        notify_owner(session, owner, customers, days)
    return out


def notify_owner(session: Session, owner_id: int, customers: list[tuple[int, str, str]], days: int) -> None:
    """Tell a former owner which customers went back to the pool (audit entry + log line + hooks)."""
    codes = [code for _id, code, _name in customers]
    audit.record(session, "notices", owner_id, "pool return", {"customers": codes, "days": days})
    log.info("pool return: %d customer(s) of user %s back to the public pool after %d days without contact: %s",
             len(codes), owner_id, days, ", ".join(codes[:20]) + (" …" if len(codes) > 20 else ""))
    for hook in NOTICE_HOOKS:
        (resolve(hook) if isinstance(hook, str) else hook)(session, owner_id, customers, days)


def ran_today(session: Session, today: date | None = None) -> bool:
    day = (today or clock.today()).isoformat()
    return session.scalar(select(AuditEntry.id).where(AuditEntry.entity == DAILY_ENTITY,
                                                      AuditEntry.action == DAILY_ACTION,
                                                      AuditEntry.entity_id == day).limit(1)) is not None


def run_daily(session: Session, actor: Actor, today: date | None = None) -> PoolReturn:
    """The start-up run: once a day, when the setting turns the rule on."""
    today = today or clock.today()
    days = setting_days()
    if days <= 0 or ran_today(session, today):
        return PoolReturn(days, ran=False)
    out = return_idle(session, actor, days, today)
    audit.record(session, DAILY_ENTITY, today.isoformat(), DAILY_ACTION,
                 {"days": days, "customers": out.customers})
    return out


def run_daily_at_start(engine) -> PoolReturn | None:
    """Called by the app once the database is open: today's run as the system, in one transaction.
    A failure is logged and does not stop the app."""
    from crm_tui.core.actor import SYSTEM
    from crm_tui.services.runner import run

    if setting_days() <= 0:
        return None
    try:
        return run(engine, SYSTEM, lambda session: run_daily(session, SYSTEM))
    except Exception:  # the start must go on; the log file has the traceback
        log.exception("the daily return to the public pool failed")
        return None
