"""A ticket's status moves and its SLA.

    新建 new ──> 处理中 in_progress <──> 待客户 waiting
       │              │                     │
       └──────────────┴───── resolve ───────┴──> 已解决 resolved ── close ──> 已关闭 closed
                                                     └──── reopen (also from closed) ──> in_progress

Every move a ticket cannot make is refused with the ticket's status and the moves it can make now.

SLA: the due time is the opening (or reopening) time plus the hours of the ticket's priority from the settings
``[tickets] sla_hours``, in calendar hours: nights, weekends and holidays count. An open ticket (new, in
progress or waiting for the customer: the clock does not stop while waiting) past its due time is overdue.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from crm_tui.config import get_settings
from crm_tui.core.errors import StateError, ValidationError
from crm_tui.db.models.service import TICKET_KINDS, TICKET_PRIORITIES, TICKET_STATUSES
from crm_tui.i18n import _, gettext_in

OPEN = ("new", "in_progress", "waiting")

STATUS_LABELS = {"new": "New", "in_progress": "In progress", "waiting": "Waiting for customer",
                 "resolved": "Resolved", "closed": "Closed"}
KIND_LABELS = {"inquiry": "Question", "complaint": "Complaint", "repair": "Repair", "return": "Return or exchange"}
PRIORITY_LABELS = {"low": "Low", "normal": "Normal", "high": "High", "urgent": "Urgent"}
assert set(STATUS_LABELS) == set(TICKET_STATUSES) and set(KIND_LABELS) == set(TICKET_KINDS)
assert set(PRIORITY_LABELS) == set(TICKET_PRIORITIES)

# action -> (statuses it starts from, the status it leads to)
MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "start": (("new", "waiting"), "in_progress"),
    "wait": (("new", "in_progress"), "waiting"),
    "resolve": (OPEN, "resolved"),
    "close": (("resolved",), "closed"),
    "reopen": (("resolved", "closed"), "in_progress"),
}
ACTION_LABELS = {"start": "start work", "wait": "wait for the customer", "resolve": "resolve", "close": "close",
                 "reopen": "reopen"}
LOG_ACTION_LABELS = {"note": "Note", "assign": "Assigned", "status": "Status change", "resolve": "Resolved",
                     "close": "Closed", "reopen": "Reopened"}
# a follow-up log may move the ticket to one of these statuses
LOG_STATUS_ACTIONS = {"in_progress": "start", "waiting": "wait"}


def status_label(code: str) -> str:
    return _(STATUS_LABELS.get(code, code))


def kind_label(code: str) -> str:
    return _(KIND_LABELS.get(code, code))


def priority_label(code: str) -> str:
    return _(PRIORITY_LABELS.get(code, code))


def log_action_label(code: str) -> str:
    return _(LOG_ACTION_LABELS.get(code, code))


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _to) in MOVES.items() if status in sources]


def move(number: str, status: str, action: str) -> str:
    """The status ``action`` leads to from ``status``; a StateError naming what is possible when it cannot."""
    sources, target = MOVES[action]
    if status in sources:
        return target
    possible = ", ".join(_(ACTION_LABELS[a]) for a in allowed_actions(status)) or _("(none)")
    raise StateError(_("Ticket {number} is {status}: it cannot {action}. Possible now: {possible}.").format(
        number=number, status=status_label(status), action=_(ACTION_LABELS[action]), possible=possible))


def sla_hours(priority: str) -> int:
    hours = get_settings().get("tickets", {}).get("sla_hours", {})
    value = hours.get(priority)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValidationError(_("Settings [tickets] sla_hours: {priority} needs a whole number of hours above 0.")
                              .format(priority=priority), field="sla_hours")
    return value


def due_time(opened: datetime, priority: str) -> datetime:
    """Opened + the priority's SLA, in calendar hours."""
    return opened + timedelta(hours=sla_hours(priority))


def is_overdue(status: str, due_at: datetime, now: datetime) -> bool:
    return status in OPEN and due_at < now


def clean_kind(value: str) -> str:
    """A kind by its code (repair) or its label in English or Chinese (Repair, 维修), whatever the language."""
    return _clean(value, KIND_LABELS, "kind", _("Kind"))


def clean_priority(value: str | None) -> str:
    if value is None or not str(value).strip():
        return get_settings().get("tickets", {}).get("default_priority", "normal")
    return _clean(value, PRIORITY_LABELS, "priority", _("Priority"))


def _clean(value: str, labels: dict[str, str], field: str, name: str) -> str:
    text = (value or "").strip()
    for code, label in labels.items():
        if text.lower() in (code, label.lower()) or text == gettext_in("zh_CN", label):
            return code
    choices = ", ".join(f"{code} ({_(label)})" for code, label in labels.items())
    raise ValidationError(_("{field}: expected one of {choices}, got {value!r}").format(
        field=name, choices=choices, value=value), field=field)
