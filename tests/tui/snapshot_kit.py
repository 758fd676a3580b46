"""The snapshot harness every ``test_snapshots*.py`` file shares: the frozen day, the sizes and languages, the
logins, and the ``run_before`` that opens an area and presses a recipe's keys. The fixtures (the still demo company
and the app made on a copy of it) live in ``tests/tui/conftest.py``.

A new area adds its own ``tests/tui/test_snapshots_<area>.py`` with a ``RECIPES`` dict and the same three-line test.
"""

from __future__ import annotations

from datetime import datetime

from tests.tui.helpers import settle

DAY = datetime(2026, 11, 30, 9, 30)  # a Monday: the month has data, the week has a plan
SIZES = {"80x24": (80, 24), "120x36": (120, 36)}
LANGS = ("zh_CN", "en")
PASSWORDS = {"admin": "admin-pass", "sunwei": "demo1234"}
STILL_ROUNDS = 20  # at most this many frames to wait for the screen to stop changing


async def _hold_still(pilot) -> None:
    """What moves on its own leaves the picture: blinking cursors stay on, toasts (they time out) go."""
    from textual.widgets import Input, TextArea

    for widget in pilot.app.screen.query(Input).results():
        widget.cursor_blink = False
    for widget in pilot.app.screen.query(TextArea).results():
        widget.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()
    # A tab's underline is placed a refresh after the tabs are laid out: wait until two frames agree.
    frame = pilot.app.export_screenshot()
    for _ in range(STILL_ROUNDS):
        await pilot.pause(0.05)
        again = pilot.app.export_screenshot()
        if again == frame:
            return
        frame = again


def run_before(area: str | None, keys: tuple[str, ...]):
    async def run_before(pilot) -> None:
        await settle(pilot)
        if area is None:
            await _hold_still(pilot)
            return
        pilot.app.open_area(area)
        await settle(pilot)
        pilot.app.screen.show_area(area, focus=True)
        await settle(pilot)
        for key in keys:
            if key.startswith("#"):  # put the focus on a list first (a pane may open with its search box focused)
                pilot.app.screen.query_one(key).focus()
            else:
                await pilot.press(key)
            await settle(pilot, rounds=4)
        await pilot.pause(0.2)  # let the last layout and the scrollbars come to rest
        await settle(pilot)
        await _hold_still(pilot)

    return run_before
