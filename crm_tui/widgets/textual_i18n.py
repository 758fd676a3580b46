"""Textual's own words in the interface language: key descriptions of its widgets, key names, the command
palette (placeholder, "No matches found", system commands) and the Select prompt.

Textual builds its widget classes lazily and copies their bindings into every node, so translating the
classes once would miss those imported later. Instead the descriptions are translated where they are shown:
a screen's ``active_bindings`` (what the footer and the F1 key panel read) goes through ``translate_active``.
The English texts are msgids like any other (their Chinese is in ``i18n/zh_CN/shell.toml``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from functools import lru_cache

from rich.align import Align
from rich.text import Text
from textual.binding import ActiveBinding, Binding
from textual.command import CommandList, CommandPalette
from textual.keys import format_key
from textual.widgets.option_list import Option

from crm_tui.i18n import _, get_language

# Textual's own key names are kept (⏎, ⌫, ↑, pgup, ^s), except Esc, which a clerk knows from the keyboard;
# a key named after its Unicode character (ideographic_comma) is shown as that character (、).
KEY_NAMES = {"escape": "Esc"}


@lru_cache(maxsize=4096)
def _translated(binding: Binding, language: str) -> Binding:
    description = _(binding.description) if binding.description else binding.description
    tooltip = _(binding.tooltip) if binding.tooltip else binding.tooltip
    if (description, tooltip) == (binding.description, binding.tooltip):
        return binding
    return replace(binding, description=description, tooltip=tooltip)


def translate_binding(binding: Binding) -> Binding:
    return _translated(binding, get_language())


def translate_active(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """A screen's active bindings with their descriptions and tooltips in the interface language."""
    for node, *_rest in bindings.values():
        title = type(node).BINDING_GROUP_TITLE  # the F1 panel's heading of the node's keys ("Input")
        if title:
            node.BINDING_GROUP_TITLE = _(title)
    return {key: ActiveBinding(node, translate_binding(binding), enabled, _(tooltip) if tooltip else tooltip)
            for key, (node, binding, enabled, tooltip) in bindings.items()}


def key_name(key: str) -> str:
    """One key (no modifiers) as a person reads it: ``、`` for ``ideographic_comma``, ``Esc`` for escape."""
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    shown = format_key(key)
    if "_" in shown:
        try:
            return unicodedata.lookup(shown.replace("_", " "))
        except KeyError:
            return shown.replace("_", " ")
    return shown


def key_display(binding: Binding) -> str:
    """``ctrl+s`` -> ``^s``, ``slash`` -> ``/``, ``ideographic_comma`` -> ``、`` (the app's get_key_display)."""
    if binding.key_display:
        return binding.key_display
    modifiers, key = binding.parse_key()
    name = key_name(key)
    if "ctrl" in modifiers:
        modifiers.remove("ctrl")
        name = f"^{name}"
    return "+".join([*modifiers, name])


class CrmCommandPalette(CommandPalette):
    """Textual's palette with its placeholder, its "No matches found" and its keys in the interface language."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("placeholder", _("Search for commands…"))
        super().__init__(*args, **kwargs)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translate_active(super().active_bindings)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own countdown with its English text; the same, translated.
        self._stop_no_matches_countdown()

        def show() -> None:
            self._list_visible = bool(search_value)
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(_("No matches found"), style="not bold")), disabled=True, id=self._NO_MATCHES))

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)


def set_widget_defaults() -> None:
    """Textual's defaults that are words: the Select prompt. Call again after a language switch."""
    from textual.widgets import Select

    defaults = Select.__init__.__kwdefaults__
    if defaults is not None and "prompt" in defaults:
        defaults["prompt"] = _("Select")
