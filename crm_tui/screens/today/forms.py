"""The reminder form (on any record, or none) and the announcement form (公告)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from textual.app import ComposeResult
from textual.widgets import Input, Select, TextArea

from crm_tui.core import clock
from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _
from crm_tui.screens.customers.forms import CheckedForm, tall
from crm_tui.services.today import announcements, reminders
from crm_tui.widgets.forms import Field, FieldError


def _check_due(field: str, value: str) -> str | None:
    if field != "due":
        return None
    try:
        reminders.parse_due(value)
    except ValidationError as exc:
        return str(exc).split(": ", 1)[-1]
    return None


class ReminderForm(CheckedForm):
    """A reminder for me, on the record given (kind and id) or on nothing."""

    LABELS = {"due": "Due", "note": "Note"}
    checker = staticmethod(_check_due)

    def __init__(self, kind: str = "none", record_id: int | None = None, about: str = ""):
        super().__init__()
        self.kind, self.record_id = kind, record_id
        self.title_text = _("Reminder: {about}").format(about=about) if about else _("New reminder")

    def fields(self) -> ComposeResult:
        tomorrow = datetime.combine(clock.today() + timedelta(days=1), time(9, 0))
        yield Field(_("Due"), Input(tomorrow.strftime("%Y-%m-%d %H:%M"), id="due",
                                    placeholder="2026-11-30 09:00"), required=True)
        yield Field(_("Note"), Input("", id="note", max_length=reminders.NOTE_MAX), required=True)

    def collect(self) -> dict:
        try:
            due = reminders.parse_due(self.value("due"))
        except ValidationError as exc:
            raise FieldError("due", str(exc)) from exc
        note = self.value("note")
        if not note:
            raise FieldError("note", f"{_('Note')}: {_('required')}")
        return {"due": due, "note": note}

    def save(self, values: dict) -> None:
        actor, kind, rid = self.app.actor, self.kind, self.record_id
        self.save_with(lambda s: reminders.add_reminder(s, actor, values["due"], values["note"], kind=kind,
                                                        record_id=rid))


class AnnouncementForm(CheckedForm):
    """Post an announcement to everyone or to one department (and those under it)."""

    AUTO_FOCUS = "#title"
    save_label = "Post"

    def __init__(self, departments: dict[int, str] | None = None):
        super().__init__()
        self.departments = departments or {}
        self.title_text = _("New announcement")

    def fields(self) -> ComposeResult:
        yield Field(_("Title"), Input("", id="title", max_length=announcements.TITLE_MAX), required=True)
        options = [(_("Everyone"), 0)] + [(path, did) for did, path in sorted(self.departments.items(),
                                                                               key=lambda p: p[1])]
        yield Field(_("Posted to"), Select(options, value=0, allow_blank=False, id="department"))
        yield tall(Field(_("Text"), TextArea("", id="body")))

    def collect(self) -> dict:
        title = self.value("title")
        if not title:
            raise FieldError("title", f"{_('Title')}: {_('required')}")
        return {"title": title, "body": self.query_one("#body", TextArea).text,
                "department": self.choice("department") or None}

    def save(self, values: dict) -> None:
        actor = self.app.actor
        self.save_with(lambda s: announcements.post(s, actor, values["title"], values["body"],
                                                    department_id=values["department"]))
