"""Form building blocks: a labelled field row, the behaviour every form shares (``FormBase``) and the modal
form built on it (``FormDialog``).

What every form does, in one place:
- the first editable field has the focus when it opens (``AUTO_FOCUS``);
- Esc on a changed form asks 保存 / 放弃 / 继续编辑 (``form_state`` is compared with the state after mount);
- ``collect`` may raise ``FieldError``: that field is marked and focused; the mark and the message go as soon
  as it changes (a plain ``ValueError`` message goes when any field changes);
- ctrl+s saves;
- a form with a ``recovery_kind`` writes what was entered to a recovery file a moment after each change and
  offers it back when the same user opens a new one of that kind after a crash;
- a service call that waits for the database says so in the message line, as information.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static, TextArea

from crm_tui.i18n import _
from crm_tui.widgets.base import ConfirmDialog, MessageLine, Translated
from crm_tui.widgets.picker import Picker

PICKED = ("id", "code", "name")  # what a form remembers of a picker's choice

STATE_WIDGETS = (Input, Select, TextArea, Checkbox)
CHANGE_MESSAGES = (Input.Changed, Select.Changed, TextArea.Changed, Checkbox.Changed)
RECOVERY_DELAY = 1.0  # seconds of quiet after a change before the recovery file is written


class FieldError(ValueError):
    """A value that is not right, and the id of the field that holds it (the form marks and focuses it)."""

    def __init__(self, field_id: str, message: str):
        super().__init__(message)
        self.field_id = field_id
        self.message = message


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


class SaveChangesDialog(Translated, ModalScreen[str]):
    """Esc on a changed form: save, discard or keep editing. Esc here keeps editing; answers "save",
    "discard" or "keep"."""

    BINDINGS = [Binding("escape", "keep", "Keep editing", id="unsaved.keep")]
    AUTO_FOCUS = "#save"
    DEFAULT_CSS = "SaveChangesDialog .dialog { width: 64; max-width: 100%; }"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("This form has changes that are not saved."), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Discard"), variant="error", id="discard")
                yield Button(_("Keep editing"), id="keep")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)

    def action_keep(self) -> None:
        self.dismiss("keep")


def widget_value(widget: Widget) -> Any:
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    return widget.value


def in_picker(widget: Widget) -> bool:
    """Pickers own their text box: typing into it starts a search, so a restore leaves it alone."""
    return any(type(node).__name__.endswith("Picker") for node in widget.ancestors)


class FormBase:
    """What every form screen shares (see the module docstring). Mixed into a Screen before the Textual class.

    A screen names its message line (``message_id``), implements ``action_save`` and may extend
    ``form_state``/``restore_state`` with what is not in a widget (a document's lines).
    """

    AUTO_FOCUS = "Input, Select, TextArea, Checkbox, SelectionList"  # the first editable field
    message_id = "form-message"
    recovery_kind: str | None = None  # set (e.g. "sales-order") on a new document that survives a crash
    _clean_state: Any = None
    _problem: tuple[str, str] | None = None  # (field id or "*", the message shown)
    _waiting_before: tuple[str, bool] | None = None
    _recovery_timer = None

    # --- what was entered ----------------------------------------------------------------------------

    def state_widgets(self) -> list[Widget]:
        return [w for w in self.query("*") if isinstance(w, STATE_WIDGETS) and w.id]

    def form_state(self) -> dict:
        """A comparable snapshot of what was entered (JSON-able, Decimals allowed); a picker by its choice."""
        state = {w.id: widget_value(w) for w in self.state_widgets()}
        for picker in self.query(Picker):
            if picker.id:
                row = picker.chosen
                state[f"picker:{picker.id}"] = None if row is None else {k: getattr(row, k, None) for k in PICKED}
        return state

    def restore_state(self, state: dict) -> None:
        """Put a snapshot back into the widgets (not the pickers': see ``in_picker``)."""
        for widget in self.state_widgets():
            if widget.id not in state or in_picker(widget):
                continue
            value = state[widget.id]
            if isinstance(widget, TextArea):
                widget.text = value or ""
            elif isinstance(widget, Select):
                widget.value = Select.NULL if value is None else value
            elif isinstance(widget, Checkbox):
                widget.value = bool(value)
            else:
                widget.value = "" if value is None else str(value)
        for picker in self.query(Picker):
            row = state.get(f"picker:{picker.id}")
            if row:
                picker.set_choice(SimpleNamespace(**row))

    def mark_clean(self) -> None:
        """What is entered now counts as unchanged (after mount, after loading, after saving)."""
        self._clean_state = self.form_state()

    def is_dirty(self) -> bool:
        return self._clean_state is not None and self.form_state() != self._clean_state

    def on_mount(self) -> None:
        # After the subclass's own on_mount (Textual calls the handlers of every class, the subclass first)
        # and after the first refresh, when Selects and late values have settled.
        self.call_after_refresh(self._after_open)

    def _after_open(self) -> None:
        self.mark_clean()
        self._offer_recovery()

    # --- closing -------------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if not self.is_dirty():
            self.discard_form()
            return
        self.app.push_screen(SaveChangesDialog(), self._unsaved_answer)

    def _unsaved_answer(self, answer: str | None) -> None:
        if answer == "save":
            self.save_and_close()
        elif answer == "discard":
            self.discard_form()

    def save_and_close(self) -> None:
        """Save from the question; a screen that stays open after a save (a document entry) closes too."""
        self.action_save()

    def discard_form(self) -> None:
        self.drop_recovery()
        self.close_form()

    def close_form(self) -> None:
        """Close without saving; a screen that returns something on close overrides it."""
        self.dismiss(None)

    def close_saved(self, result: Any = True) -> None:
        """The save went through: no recovery file any more, and close with the result."""
        self.drop_recovery()
        self.dismiss(result)

    # --- problems --------------------------------------------------------------------------------------

    def _find(self, selector: str) -> Widget | None:
        return next(iter(self.query(selector)), None)

    def show_error(self, text: str) -> None:
        self.query_one(f"#{self.message_id}", MessageLine).show_error(text)

    def show_problem(self, exc: ValueError) -> None:
        """Say what is wrong; a ``FieldError`` also marks its field and puts the focus there."""
        text = str(exc)
        self._clear_mark()
        field = getattr(exc, "field_id", None)
        target = self._find(f"#{field}") if field else None
        if target is not None:
            target.add_class("-invalid")
            if target.focusable:
                target.focus()
            else:
                focusable = [w for w in target.query("*") if w.focusable]
                if focusable:
                    focusable[0].focus()
        self._problem = (field if target is not None else "*", text)
        self.show_error(text)

    def _clear_mark(self) -> None:
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")

    def _field_changed(self, control: Widget) -> None:
        """A field changed: its problem (or a form-wide one) is no longer true; the recovery file follows."""
        if self._problem is not None:
            field, text = self._problem
            ids = {control.id, *(a.id for a in control.ancestors)}
            if field == "*" or field in ids:
                self._problem = None
                self._clear_mark()
                line = self._find(f"#{self.message_id}")
                if isinstance(line, MessageLine) and line.text == text:
                    self.show_error("")
        self.state_changed()

    async def _on_message(self, message) -> None:
        # Before the screen's own handlers: a handler that checks as you type may show a new message, which
        # must not be cleared after it.
        if isinstance(message, CHANGE_MESSAGES) and self.is_attached and message.control is not None:
            self._field_changed(message.control)
        await super()._on_message(message)

    # --- waiting for the database ---------------------------------------------------------------------

    def show_waiting(self, text: str) -> None:
        """Information, not an error: what a save waits for; the line goes back when the wait is over."""
        line = self._find(f"#{self.message_id}")
        if not isinstance(line, MessageLine):
            return
        if text:
            if self._waiting_before is None:
                self._waiting_before = (line.text, line.has_class("error"))
            line.show_info(text)
        elif self._waiting_before is not None:
            before, was_error = self._waiting_before
            self._waiting_before = None
            (line.show_error if was_error else line.show_info)(before)

    # --- the recovery file ----------------------------------------------------------------------------

    def _recovery_user(self) -> str | None:
        actor = getattr(self.app, "actor", None)
        return getattr(actor, "login", None)

    def state_changed(self) -> None:
        """Call after a change that is not a widget's (a line added or deleted)."""
        if self.recovery_kind is None or self._clean_state is None:
            return
        if self._recovery_timer is not None:
            self._recovery_timer.stop()
        self._recovery_timer = self.set_timer(RECOVERY_DELAY, self.write_recovery)

    def write_recovery(self) -> None:
        from crm_tui.widgets import drafts

        user = self._recovery_user()
        if self.recovery_kind is None or user is None or not self.is_attached:
            return
        if self.is_dirty():
            drafts.write_draft(self.recovery_kind, user, self.form_state())
        else:
            drafts.drop_draft(self.recovery_kind, user)

    def drop_recovery(self) -> None:
        from crm_tui.widgets import drafts

        if self._recovery_timer is not None:
            self._recovery_timer.stop()
        user = self._recovery_user()
        if self.recovery_kind is not None and user is not None:
            drafts.drop_draft(self.recovery_kind, user)

    def _offer_recovery(self) -> None:
        from crm_tui.widgets import drafts

        user = self._recovery_user()
        if self.recovery_kind is None or user is None:
            return
        state = drafts.read_draft(self.recovery_kind, user)
        if state is None:
            return

        def answer(restore: bool | None) -> None:
            if restore:
                self.restore_state(state)
                self.call_after_refresh(self.state_changed)  # a changed form: kept in the file
            else:
                self.drop_recovery()

        self.app.push_screen(ConfirmDialog(_("Restore the unsaved document?"), _("Restore")), answer)


FORM_FIELD_ROWS = 26  # as many field rows as a tall terminal shows before the fields scroll
FORM_CHROME = 13  # rows the dialog spends on anything but its fields (border, padding, title, message, buttons)


class FormDialog(FormBase, Translated, ModalScreen[Any]):
    """A modal form: subclasses yield ``Field``s from ``fields()`` and implement ``collect()`` and ``save()``.

    ``collect`` returns the values or raises ``ValueError`` (``FieldError`` names the field); ``save(values)``
    starts the service call and calls ``self.finish(result)`` when it is done. ctrl+s saves, Esc cancels.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]
    AUTO_FOCUS = ".form-fields Input, .form-fields Select, .form-fields TextArea, .form-fields Checkbox"
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

    def on_resize(self) -> None:
        # The fields scroll and the message line and buttons stay in view, however short the terminal: the dialog
        # may take 90% of the rows, and its border, padding, title, message and buttons take FORM_CHROME of them.
        rows = max(3, min(FORM_FIELD_ROWS, int(self.size.height * 0.9) - FORM_CHROME))
        for box in self.query(".form-fields"):
            box.styles.max_height = rows

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def collect(self) -> dict[str, Any]:
        raise NotImplementedError

    def save(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def action_save(self) -> None:
        try:
            values = self.collect()
        except ValueError as exc:
            self.show_problem(exc)
            return
        self.show_error("")
        self.save(values)

    def finish(self, result: Any = True) -> None:
        self.close_saved(result)

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
