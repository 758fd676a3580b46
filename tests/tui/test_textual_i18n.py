"""Textual's own words in Chinese: every key description the footer and F1 show, key names, the palette."""

import re

import pytest

from crm_tui.app import CrmApp
from crm_tui.i18n import set_language
from tests.tui.helpers import screen_text, settle, wait_for_text

LETTERS = re.compile(r"[A-Za-z]")
LANGUAGE_NEUTRAL = {"中文/English"}


@pytest.fixture
def chinese():
    set_language("zh_CN")
    yield
    set_language("en")


def _english_descriptions(app) -> set[str]:
    found = set()
    for _node, binding, _enabled, tooltip in app.screen.active_bindings.values():
        for text in (binding.description, tooltip):
            if text and text not in LANGUAGE_NEUTRAL and LETTERS.search(text):
                found.add(text)
    return found


async def test_every_key_description_of_every_area_is_chinese(engine, admin, chinese):
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    english: dict[str, set[str]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        for area in app.screen.areas:
            app.open_area(area.id)
            await settle(pilot)
            kinds = {}  # one widget of each kind: the keys come from the kind (and the screen, the app)
            for widget in app.screen.query("*"):
                if widget.focusable and widget.display:
                    kinds.setdefault(type(widget), widget)
            focusable = list(kinds.values())
            assert focusable
            for widget in focusable:
                widget.focus()
                await pilot.pause()
                found = _english_descriptions(app)
                if found:
                    english.setdefault(f"{area.id}/{type(widget).__name__}", set()).update(found)
        assert not english, english
        await pilot.press("f1")
        await pilot.pause(0.2)
        from textual.widgets import KeyPanel

        panel = app.screen.query_one(KeyPanel)
        assert panel.display
        text = screen_text(app)
        for word in ("Scroll Left", "Focus Next", "Cursor", "ideographic", "Input"):
            assert word not in text


async def test_key_names_show_as_the_key():
    from textual.binding import Binding

    app = CrmApp()
    assert app.get_key_display(Binding("ideographic_comma", "find", "Find")) == "、"
    assert app.get_key_display(Binding("slash", "find", "Find")) == "/"
    assert app.get_key_display(Binding("ctrl+s", "save", "Save")) == "^s"
    assert app.get_key_display(Binding("escape", "cancel", "Cancel")) == "Esc"
    assert app.get_key_display(Binding("full_stop", "x", "X")) == "."


async def test_the_palette_speaks_chinese(engine, admin, chinese):
    from textual.widgets import Select

    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert Select([]).prompt == "选择"
        assert app.screen.query_one("HeaderIcon").tooltip == "打开命令面板"
        await pilot.press("ctrl+p")
        assert await wait_for_text(pilot, "搜索命令…")
        assert not _english_descriptions(app)
        await pilot.press(*"qqqqxyz")
        assert await wait_for_text(pilot, "没有匹配的命令", timeout=5)
        await pilot.press("escape")
        await pilot.pause()
        # Textual's system commands: only maximize/minimize stay, in Chinese (ours cover keys, theme, quit)
        app.screen.query_one("#nav").focus()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles == ["最大化"]


async def test_the_palette_in_english(engine, admin):
    set_language("en")
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        await pilot.press("ctrl+p")
        assert await wait_for_text(pilot, "Search for commands…")
        await pilot.press(*"qqqqxyz")
        assert await wait_for_text(pilot, "No matches found", timeout=5)
