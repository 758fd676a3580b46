"""Every key a screen offers, pressed at 80×24 on the demo company: nothing may crash.

For each area the pane's bindings are pressed one by one; a key that opens a screen or dialog has that
screen's own bindings pressed too (one level down), then the screen is closed again with Esc (or popped when
a question keeps it open). A domain error shown to the user (nothing selected, not allowed) is fine; any other
exception, in a handler or reported through ``report_error``, fails the test.
"""

from __future__ import annotations

import pytest

from crm_tui.core.errors import CrmError
from tests.tui.helpers import settle

pytestmark = [pytest.mark.xdist_group("demo"), pytest.mark.skipif(
    __import__("os").environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
    reason="presses write keys; the PostgreSQL demo schema is shared read-only")]

AREAS = ("today", "customers", "contact_logs", "opportunities", "service", "sales", "credit", "products", "stock",
         "purchasing", "visits", "messages", "kb", "analysis", "admin")
# keys that leave the app, restart its screens or only change the look: pressed elsewhere, not here
SKIP = {"ctrl+q", "ctrl+c", "ctrl+l", "ctrl+p", "f1", "ctrl+backslash", "ctrl+z", "tab", "shift+tab"}


def _keys(app) -> list[str]:
    keys = []
    for key, active in app.screen.active_bindings.items():
        if key not in SKIP and active.enabled and key not in keys:
            keys.append(key)
    return keys


async def _back_to(pilot, screen) -> None:
    """Close what the key opened; a dialog that closed itself (a key saved it) is gone already."""
    for _ in range(4):
        if pilot.app.screen is screen or screen not in pilot.app.screen_stack:
            return
        await pilot.press("escape")
        await settle(pilot, rounds=2)
    while pilot.app.screen is not screen and screen in pilot.app.screen_stack:
        pilot.app.pop_screen()
        await settle(pilot, rounds=2)


async def _press_all(pilot, depth: int, pressed: list[str]) -> None:
    home = pilot.app.screen
    focused = pilot.app.focused
    for key in _keys(pilot.app):
        pressed.append(f"{type(home).__name__}:{key}")
        await pilot.press(key)
        await settle(pilot, rounds=2, timeout=10)
        if pilot.app.screen is not home and depth > 0:
            await _press_all(pilot, depth - 1, pressed)
        await _back_to(pilot, home)
        if focused is not None and focused.is_attached:
            focused.focus()  # a key may have moved the focus (F3 to the search box): start each key from the list
            await pilot.pause()


@pytest.mark.parametrize("area", AREAS)
async def test_every_key_at_80x24(demo, area, _app_errors):
    from crm_tui.app import create_app

    app = create_app(engine=demo.engine, auto_login=("admin", "admin-pass"))
    pressed: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_area(area)
        await settle(pilot)
        await _press_all(pilot, depth=1, pressed=pressed)
        assert app.is_running, pressed[-1:]
    assert len(pressed) >= 3, pressed  # the area offered keys and they were pressed
    domain = {c.__name__ for c in _domain_errors()}
    unexpected = [e for e in _app_errors if _error_class(e) not in domain]
    assert not unexpected, (pressed, unexpected)


def _error_class(traceback_text: str) -> str:
    """``crm_tui.core.errors.ValidationError: ...`` (a traceback's last line) -> ``ValidationError``."""
    last = traceback_text.strip().splitlines()[-1]
    return last.split(":", 1)[0].rsplit(".", 1)[-1]


def _domain_errors() -> list[type]:
    found, todo = [], [CrmError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found
