"""Sends triggered by events, each switched on per template (MessageTemplate.triggers).

Business events (order confirmed, tracking number recorded, receipt recorded, ticket resolved) arrive through
services/common/events.py inside the business transaction: the message is queued if and only if that write
commits. Dated triggers (birthday, 春节, 中秋, receivable overdue N days) are found by ``scan_dates``, which
``send-pending`` and the app's background worker run; every automatic message carries a dedupe key, so a
trigger fires once per event (per order, per contact and year) however often it is scanned.

Receivable overdue: orders carry no payment term, so an order is due on its order date; a confirmed order
still not fully paid N days after it is overdue, and the message gives what remains unpaid.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import SYSTEM
from crm_tui.db.models.customers import Contact, Customer
from crm_tui.db.models.messaging import MessageTemplate
from crm_tui.services.messaging import templates
from crm_tui.services.messaging.recipients import pick_contact
from crm_tui.services.messaging.sending import queue_one

# Festival days by year (Gregorian dates of 春节 and 中秋); greetings go out on the day.
FESTIVALS = {
    "spring_festival": {2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
                        2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3)},
    "mid_autumn": {2025: date(2025, 10, 6), 2026: date(2026, 9, 25), 2027: date(2027, 9, 15),
                   2028: date(2028, 10, 3), 2029: date(2029, 9, 22), 2030: date(2030, 9, 12)},
}


def templates_for(session: Session, trigger: str) -> list[MessageTemplate]:
    rows = session.scalars(select(MessageTemplate).where(MessageTemplate.active.is_(True),
                                                         MessageTemplate.triggers.contains(trigger))
                           .order_by(MessageTemplate.id))
    return [t for t in rows if trigger in t.triggers.split(",")]


def _queue_for_customer(session, actor, trigger, key, customer, *, contact=None, templates_found=None,
                        **context) -> int:
    queued = 0
    for template in templates_found if templates_found is not None else templates_for(session, trigger):
        who = contact if contact is not None else pick_contact(session, customer.id, template.channel)
        values = templates.context_for(session, customer, who, **context)
        if queue_one(session, actor, template, customer, who, values=values, trigger=trigger,
                     dedupe_key=f"{trigger}:{template.id}:{key}") is not None:
            queued += 1
    return queued


def on_event(session: Session, actor, event: str, payload: dict) -> None:
    """The events listener (subscribed in bootstrap.py)."""
    from crm_tui.db.models.sales import Receipt, SalesOrder, TrackingNumber

    # Templates first: without one, nothing else is read. Events come at a document's numbering, when its
    # counter row stays locked until the commit, so every statement saved here shortens the others' queue.
    found = templates_for(session, event)
    if not found:
        return
    if event == "order_confirmed":
        order = session.get(SalesOrder, payload["order_id"])
        _queue_for_customer(session, actor, event, order.id, session.get(Customer, order.customer_id), order=order,
                            templates_found=found)
    elif event == "shipment_confirmed":
        tracking = session.get(TrackingNumber, payload["tracking_id"])
        order = session.get(SalesOrder, tracking.order_id) if tracking.order_id else None
        _queue_for_customer(session, actor, event, tracking.id, session.get(Customer, tracking.customer_id),
                            order=order, tracking=tracking, templates_found=found)
    elif event == "receipt_recorded":
        receipt = session.get(Receipt, payload["receipt_id"])
        _queue_for_customer(session, actor, event, receipt.id, session.get(Customer, receipt.customer_id),
                            amount=receipt.amount_cny, templates_found=found)
    elif event == "ticket_resolved":
        customer = session.get(Customer, payload["customer_id"])
        contact = session.get(Contact, payload["contact_id"]) if payload.get("contact_id") else None
        _queue_for_customer(session, actor, event, payload["ticket_id"], customer, contact=contact,
                            templates_found=found)


def scan_dates(session: Session, today: date | None = None) -> int:
    """Queue the dated triggers due ``today``; returns how many messages were queued."""
    from crm_tui.db.models.sales import ReceiptApplication, SalesOrder

    today = today or clock.today()
    queued = 0
    active = Customer.status == "active"
    if templates_for(session, "birthday"):
        rows = session.execute(select(Contact, Customer).join(Customer, Customer.id == Contact.customer_id).where(
            active, extract("month", Contact.birthday) == today.month,
            extract("day", Contact.birthday) == today.day)).all()
        for contact, customer in rows:
            queued += _queue_for_customer(session, SYSTEM, "birthday", f"{contact.id}:{today.year}", customer,
                                          contact=contact)
    for trigger, days in FESTIVALS.items():
        if days.get(today.year) == today and templates_for(session, trigger):
            for customer in session.scalars(select(Customer).where(active).order_by(Customer.id)):
                queued += _queue_for_customer(session, SYSTEM, trigger, f"{customer.id}:{today.year}", customer)
    for template in templates_for(session, "receivable_overdue"):
        cutoff = today - timedelta(days=int(template.overdue_days or 0))
        orders = session.scalars(select(SalesOrder).where(SalesOrder.status.in_(("confirmed", "done")),
                                                          SalesOrder.order_date <= cutoff)
                                 .order_by(SalesOrder.id)).all()
        for order in orders:
            paid = session.scalar(select(func.sum(ReceiptApplication.amount)).where(
                ReceiptApplication.order_id == order.id))
            owed = order.gross_total - (paid or 0)
            if owed <= 0:
                continue
            customer = session.get(Customer, order.customer_id)
            contact = pick_contact(session, customer.id, template.channel)
            values = templates.context_for(session, customer, contact, order=order, amount=owed,
                                           due_date=order.order_date)
            if queue_one(session, SYSTEM, template, customer, contact, values=values, trigger="receivable_overdue",
                         dedupe_key=f"receivable_overdue:{template.id}:{order.id}") is not None:
                queued += 1
    return queued
