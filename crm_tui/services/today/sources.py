"""The today sources of the areas on main: each answers, for one user, the things to act on today (one query
each, or the area's one service call). Registered in crm_tui/bootstrap.py ``TODAY_SOURCES``."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.money import format_money, plain
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.today.registry import Line

LIMIT = 50  # lines per source: the today view is a to-do list, the areas hold the rest


def _day(d: date | datetime | None) -> str:
    if d is None:
        return ""
    return d.strftime("%Y-%m-%d %H:%M") if isinstance(d, datetime) else d.isoformat()


def follow_ups(session: Session, actor: Actor, today: date) -> list[Line]:
    """My open follow-ups (contact logs' next follow-up) due today or earlier."""
    from crm_tui.services.customers import contact_logs

    rows = contact_logs.open_follow_ups(session, actor, due_by=today)[:LIMIT]
    return [Line(f"{r.customer_code} {r.customer_name}: {r.next_step or r.summary}", _day(r.next_follow_up),
                 f"customer:{r.customer_id}") for r in rows]


def approvals(session: Session, actor: Actor, today: date) -> list[Line]:
    """Requests waiting for my decision (not my own, not for my own customers)."""
    from crm_tui.services.sales import approvals as queue

    if not permissions.can(actor, "sales.approve"):
        return []
    rows = [r for r in queue.queue(session, actor, limit=LIMIT * 2) if actor.is_admin or r.requested_by
            != actor.display_name]
    # no time: the queue is oldest-last and a request's hour says little about what to do with it
    return [Line(f"{r.document} {r.customer_name or ''}: {r.summary}".replace("  ", " "), "", "area:sales.approvals")
            for r in rows[:LIMIT]]


def receivables(session: Session, actor: Actor, today: date) -> list[Line]:
    """Customers I see with money older than the first aging bucket (over 30 days), most overdue first."""
    from crm_tui.services.sales import receivables as ar
    from crm_tui.services.sales.permissions import can_use

    if not can_use(actor):
        return []
    rows = [(sum(r.aging[1:]), r) for r in ar.receivables(session, actor, today) if r.balance > 0]
    rows = sorted(((over, r) for over, r in rows if over > 0), key=lambda p: (-p[0], p[1].customer_code))
    return [Line(_("{code} {name}: balance {balance}, over 30 days {overdue}").format(
        code=r.customer_code, name=r.customer_name, balance=format_money(r.balance), overdue=format_money(over)),
        "", f"customer:{r.customer_id}") for over, r in rows[:LIMIT]]


def stock_alarms(session: Session, actor: Actor, today: date) -> list[Line]:
    """Products under their safety stock, for those who keep the stock."""
    from crm_tui.services.stock import alarms
    from crm_tui.services.stock.permissions import can_do

    if not can_do(actor, "stock.manage"):
        return []
    return [Line(_("{warehouse} {code} {name}: {qty} of {safety}").format(
        warehouse=a.warehouse_code, code=a.product_code, name=a.product_name, qty=plain(a.quantity),
        safety=plain(a.safety_stock)), "", "area:stock") for a in alarms.alarms(session)[:LIMIT]]


def logs_to_review(session: Session, actor: Actor, today: date) -> list[Line]:
    """Contact logs of my people waiting for my review (批复)."""
    from crm_tui.services.customers import contact_logs

    if not permissions.can(actor, "records.review"):
        return []
    return [Line(f"{r.author} · {r.customer_name}: {r.summary}", _day(r.at), f"customer:{r.customer_id}")
            for r in contact_logs.review_queue(session, actor, limit=LIMIT)]


def plans_to_review(session: Session, actor: Actor, today: date) -> list[Line]:
    """Submitted weekly plans of my people waiting for my review."""
    from crm_tui.services.visits import plans

    if not permissions.can(actor, "records.review"):
        return []
    return [Line(_("{staff}: plan of {week}, {n} visits").format(staff=r.staff, week=r.week, n=r.planned),
                 _day(r.submitted_at), "area:week") for r in plans.unreviewed(session, actor)[:LIMIT]]


def my_reminders(session: Session, actor: Actor, today: date) -> list[Line]:
    """My open reminders due by the end of today."""
    from crm_tui.services.today import reminders

    end = datetime.combine(today, time(23, 59, 59))
    rows = [r for r in reminders.list_reminders(session, actor, limit=LIMIT * 4) if r.due_at <= end]
    return [Line(r.note, _day(r.due_at), f"reminder:{r.id}|{r.link or ''}") for r in rows[:LIMIT]]


def unread_announcements(session: Session, actor: Actor, today: date) -> list[Line]:
    from crm_tui.services.today import announcements

    return [Line(f"{a.title} ({a.author})", _day(a.posted_at), f"announcement:{a.id}")
            for a in announcements.list_announcements(session, actor, unread_only=True, limit=LIMIT)]


def unread_notifications(session: Session, actor: Actor, today: date) -> list[Line]:
    from crm_tui.services.notices import notifications

    return [Line(n.text, _day(n.at), f"notification:{n.id}|{n.as_json()['link'] or ''}")
            for n in notifications.list_notifications(session, actor, unread_only=True, limit=LIMIT)]
