"""A checkbox whose state shows without colour."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    """✓ when ticked, blank when not. Textual draws an X either way and tells the two apart by colour alone,
    which a monochrome terminal, a screenshot in a chat or a screen reader's text does not carry."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - the name Textual reads
        return "✓" if self.value else " "
