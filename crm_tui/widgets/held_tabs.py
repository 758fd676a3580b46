"""A pane whose tabs a command can choose (ctrl+p, a menu entry, a drill-down) without being switched back.

Textual activates a new TabbedContent's first tab a moment after it mounts, and it activates the tab of any
widget that gets focus. On a busy machine either can land after a command has chosen a tab and silently undo
the choice. ``HeldTabs`` keeps the tab a command asked for until the user's own key or click.
"""

from __future__ import annotations

from textual.widgets import TabbedContent


class HeldTabs:
    """Mixin for an ``AreaPane`` with one TabbedContent; call ``hold_tab`` to switch from code.

    Subclasses that react to ``TabbedContent.TabActivated`` start with ``if self.undo_stray_tab(event): return``.
    """

    _held_tab: str | None = None

    def _tabbed(self) -> TabbedContent:
        return self.query_one(TabbedContent)

    def hold_tab(self, pane_id: str) -> bool:
        """Show ``pane_id`` and keep it shown; True when the tab changed (a TabActivated follows)."""
        self._held_tab = pane_id
        tabs = self._tabbed()
        changed = bool(tabs.active) and tabs.active != pane_id  # no active tab yet: its first activation is undone
        if changed:
            tabs.active = pane_id
        self.call_after_refresh(self.focus_first)
        return changed

    def undo_stray_tab(self, event: TabbedContent.TabActivated) -> bool:
        """True when ``event`` switched away from the held tab without the user: it is switched back."""
        held = self._held_tab
        if held is None or event.pane.id == held:
            return False
        self.call_later(self._restore_held_tab)
        return True

    def _restore_held_tab(self) -> None:
        held = self._held_tab
        if held is not None and self._tabbed().active != held:
            self._tabbed().active = held
            self.call_after_refresh(self.focus_first)

    def on_key(self, _event) -> None:
        self._held_tab = None

    def on_click(self, _event) -> None:
        self._held_tab = None
