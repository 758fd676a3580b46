"""Message templates: channel, subject, body with merge fields, the triggers that send them; preview."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, ValidationError
from crm_tui.core.money import amount_in_words
from crm_tui.db.models.customers import Contact, Customer
from crm_tui.db.models.messaging import CHANNELS, MessageTemplate
from crm_tui.db.models.people import User
from crm_tui.i18n import _
from crm_tui.services.messaging import access, merge
from crm_tui.services.messaging.triggers_list import TRIGGERS


@dataclass(frozen=True)
class TemplateRow:
    id: int
    name: str
    channel: str
    subject: str
    body: str
    triggers: tuple[str, ...]
    overdue_days: int | None
    active: bool
    version: int

    def as_json(self) -> dict:
        return {"name": self.name, "channel": self.channel, "subject": self.subject, "body": self.body,
                "triggers": list(self.triggers), "overdue_days": self.overdue_days, "active": self.active}


def _row(t: MessageTemplate) -> TemplateRow:
    return TemplateRow(t.id, t.name, t.channel, t.subject or "", t.body, tuple(x for x in t.triggers.split(",") if x),
                       t.overdue_days, t.active, t.version)


def _clean(name: str, channel: str, subject: str, body: str, triggers, overdue_days) -> dict:
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise ValidationError(_("A template needs a name of 1 to 64 characters."), field="name")
    if channel not in CHANNELS:
        raise ValidationError(_("Channel: expected email or sms, got {value}").format(value=channel), field="channel")
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("The template's body is empty."), field="body")
    subject = (subject or "").strip()
    if channel == "email" and not subject:
        raise ValidationError(_("An e-mail template needs a subject."), field="subject")
    merge.check_fields(subject, "subject")
    merge.check_fields(body, "body")
    wanted = [t.strip() for t in (triggers or ()) if t and t.strip()]
    for t in wanted:
        if t not in TRIGGERS:
            raise ValidationError(_("Unknown trigger {value}; expected one of: {known}").format(
                value=t, known=", ".join(TRIGGERS)), field="triggers")
    if "receivable_overdue" in wanted and not overdue_days:
        raise ValidationError(_("The receivable_overdue trigger needs the number of days past due."),
                              field="overdue_days")
    if overdue_days is not None and int(overdue_days) < 1:
        raise ValidationError(_("Days past due: expected a whole number of 1 or more."), field="overdue_days")
    return {"name": name, "channel": channel, "subject": subject if channel == "email" else "", "body": body,
            "triggers": ",".join(dict.fromkeys(wanted)), "overdue_days": overdue_days}


def add_template(session: Session, actor: Actor, name: str, channel: str, body: str, *, subject: str = "",
                 triggers=(), overdue_days: int | None = None) -> int:
    access.require_templates(actor)
    values = _clean(name, channel, subject, body, triggers, overdue_days)
    if session.scalar(select(MessageTemplate.id).where(MessageTemplate.name == values["name"])):
        raise ConflictError(_("A template named {name} exists already.").format(name=values["name"]))
    row = MessageTemplate(**values, active=True)
    session.add(row)
    session.flush()
    return row.id


def update_template(session: Session, actor: Actor, template_id: int, expected_version: int, *, name: str,
                    channel: str, body: str, subject: str = "", triggers=(), overdue_days: int | None = None,
                    active: bool = True) -> None:
    access.require_templates(actor)
    row = session.get(MessageTemplate, template_id)
    if row is None:
        raise NotFound(_("No such template: {name}").format(name=template_id))
    if row.version != expected_version:
        raise ConflictError(_("Someone else changed this template; reopen it and try again."))
    values = _clean(name, channel, subject, body, triggers, overdue_days)
    clash = session.scalar(select(MessageTemplate.id).where(MessageTemplate.name == values["name"],
                                                              MessageTemplate.id != template_id))
    if clash:
        raise ConflictError(_("A template named {name} exists already.").format(name=values["name"]))
    for key, value in values.items():
        setattr(row, key, value)
    row.active = active
    session.flush()


def list_templates(session: Session, actor: Actor) -> list[TemplateRow]:
    return [_row(t) for t in session.scalars(select(MessageTemplate).order_by(MessageTemplate.name))]


def find_template(session: Session, key: str | int) -> MessageTemplate:
    if isinstance(key, int):
        row = session.get(MessageTemplate, key)
    else:
        row = session.scalar(select(MessageTemplate).where(MessageTemplate.name == str(key).strip()))
    if row is None:
        raise NotFound(_("No such template: {name}").format(name=key))
    return row


def get_template(session: Session, actor: Actor, key: str | int) -> TemplateRow:
    return _row(find_template(session, key))


def _money(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def context_for(session: Session, customer: Customer | None, contact: Contact | None, *, order=None,
                tracking=None, due_date=None, amount=None) -> dict[str, str]:
    """The merge values for a customer, one of its contacts and (when the message is about one) a document."""
    from crm_tui.services.admin.company import get_details

    owner = session.get(User, customer.owner_id) if customer is not None and customer.owner_id else None
    value = amount if amount is not None else (order.gross_total if order is not None else None)
    return {
        "客户名称": customer.name if customer is not None else "",
        "联系人": contact.name if contact is not None else "",
        "订单号": (order.number or "") if order is not None else "",
        "金额": _money(value),
        "大写金额": amount_in_words(value) if value is not None else "",
        "快递公司": tracking.courier if tracking is not None else "",
        "快递单号": tracking.number if tracking is not None else "",
        "到期日": due_date.isoformat() if due_date is not None else "",
        "业务员": owner.display_name if owner is not None else "",
        "公司名称": get_details(session).get("name", ""),
    }


@dataclass(frozen=True)
class Preview:
    subject: str
    body: str
    units: int
    parts: int
    encoding: str

    def as_json(self) -> dict:
        return {"subject": self.subject, "body": self.body, "length": self.units, "parts": self.parts,
                "encoding": self.encoding}


def render(template: MessageTemplate, values: dict[str, str]) -> tuple[str, str]:
    return merge.fill(template.subject, values), merge.fill(template.body, values)


ORDER_FIELDS = {"订单号", "金额", "大写金额", "快递公司", "快递单号"}


def preview(session: Session, actor: Actor, key: str | int, customer_code: str, *,
            order_number: str | None = None) -> Preview:
    """The template filled from a real customer (its primary contact) and one of its orders: the one given, else
    its latest confirmed order when the template uses order fields."""
    from crm_tui.db.models.sales import SalesOrder, TrackingNumber
    from crm_tui.services.messaging.recipients import pick_contact, require_messageable

    template = find_template(session, key)
    customer = require_messageable(session, actor, customer_code)
    contact = pick_contact(session, customer.id, template.channel)
    order = tracking = None
    if not order_number and set(merge.fields_in(template.subject + template.body)) & ORDER_FIELDS:
        order_number = session.scalar(select(SalesOrder.number).where(
            SalesOrder.customer_id == customer.id, SalesOrder.status.in_(("confirmed", "done")))
            .order_by(SalesOrder.order_date.desc(), SalesOrder.id.desc()).limit(1))
    if order_number:
        order = session.scalar(select(SalesOrder).where(SalesOrder.number == order_number.strip(),
                                                        SalesOrder.customer_id == customer.id))
        if order is None:
            raise NotFound(_("No order {number} for customer {code}").format(number=order_number,
                                                                             code=customer.code))
        tracking = session.scalar(select(TrackingNumber).where(TrackingNumber.order_id == order.id)
                                  .order_by(TrackingNumber.id.desc()))
    subject, body = render(template, context_for(session, customer, contact, order=order, tracking=tracking))
    units, parts, enc = merge.sms_length(body)
    return Preview(subject, body, units, parts, enc)
