"""Widget plumbing shared by every screen and widget: translated key bindings, a yes/no dialog, a message line.

It lives under widgets so widgets never import screens; ``crm_tui.screens.base`` re-exports it.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from crm_tui.i18n import _


def translate_bindings(node) -> None:
    """Binding descriptions are English msgids; show them in the current language.

    Textual gives each node its own copy of its bindings at construction (the App adds the command palette's
    key to that copy). The first call keeps that English copy; every call replaces the node's bindings with a
    translation of it, so a node re-translated after a language switch speaks the new language.
    """
    source: BindingsMap | None = getattr(node, "_crm_english_bindings", None)
    if source is None:
        source = node._bindings.copy()
        node._crm_english_bindings = source
    translated = {
        key: [replace(b, description=_(b.description), tooltip=_(b.tooltip) if b.tooltip else b.tooltip)
              for b in bindings]
        for key, bindings in source.key_to_bindings.items()
    }
    node._bindings = BindingsMap.from_keys(translated)


def translate_select_menus(root) -> None:
    """The menus of the Selects under ``root`` (Textual's own widget) name their keys in English ("Dismiss
    menu"): translate them so the footer speaks the interface language."""
    from textual.widgets._select import SelectOverlay

    for widget in root.query(SelectOverlay):
        translate_bindings(widget)


class Translated:
    """Mixin for screens and widgets with BINDINGS: descriptions go through the translation layer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    @property
    def active_bindings(self):
        """On a screen: the keys the footer and F1 show, Textual's own widgets' keys in our language too."""
        from crm_tui.widgets.textual_i18n import translate_active

        return translate_active(super().active_bindings)


class ConfirmDialog(Translated, ModalScreen[bool]):
    """Yes/no question; Enter confirms, Esc cancels. Used before every destructive action."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("enter", "confirm", "Confirm", id="dialog.confirm"),
    ]

    def __init__(self, question: str, confirm_label: str | None = None):
        super().__init__()
        self.question = question
        self.confirm_label = confirm_label or _("Confirm")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm_label, variant="error", id="confirm")
                yield Button(_("Cancel"), id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class MessageLine(Label):
    """A line under a form that says what is wrong, in words (or, as information, what a save waits for)."""

    text = ""  # what it shows now

    def show_error(self, text: str) -> None:
        self.text = text
        self.update(text)
        self.set_class(bool(text), "error")
        self.remove_class("waiting")

    def show_info(self, text: str) -> None:
        self.text = text
        self.update(text)
        self.remove_class("error")
        self.set_class(bool(text), "waiting")
