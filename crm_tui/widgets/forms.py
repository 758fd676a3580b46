"""Form building blocks: a labelled field row and a modal form with save/cancel and validation."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, Select, Static

from crm_tui.i18n import _
from crm_tui.widgets.base import MessageLine, Translated


class Field(Horizontal):
    """``label: [widget]`` on one line; the label column has a fixed width so wide characters line up."""

    def __init__(self, label: str, widget: Widget, required: bool = False):
        super().__init__(classes="field")
        self.label = label + (" *" if required else "")
        self.widget = widget

    def compose(self) -> ComposeResult:
        if isinstance(self.widget, Select) and self.widget.prompt in ("Select", _("Select")):  # Textual's default
            self.widget.prompt = _("(none)")
        if hasattr(self.widget, "compact"):
            self.widget.compact = True  # one line per field: a clerk sees the whole form at once
        yield Label(self.label, classes="field-label")
        yield self.widget


class FormDialog(Translated, ModalScreen[Any]):
    """A modal form: subclasses yield ``Field``s from ``fields()`` and implement ``collect()`` and ``save()``.

    ``collect`` returns the values or raises ``ValueError`` with a message; ``save(values)`` starts the service
    call and calls ``self.finish(result)`` when it is done. ctrl+s saves, Esc cancels.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]
    title_text = ""
    save_label = "Save"  # the msgid of the first button's label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="form-fields"):
                yield from self.fields()
            yield MessageLine("", id="form-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_(self.save_label) + " (ctrl+s)", variant="primary", id="save")
                yield Button(_("Cancel") + " (Esc)", id="cancel")
        yield Footer()

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def collect(self) -> dict[str, Any]:
        raise NotImplementedError

    def save(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def show_error(self, text: str) -> None:
        self.query_one("#form-message", MessageLine).show_error(text)

    def action_save(self) -> None:
        try:
            values = self.collect()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self.save(values)

    def finish(self, result: Any = True) -> None:
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    # helpers for subclasses

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def choice(self, widget_id: str) -> Any:
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else value
