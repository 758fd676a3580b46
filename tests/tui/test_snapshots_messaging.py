"""The messages area (消息) as a person sees it: outbox, templates, campaigns and the new-template form, at 80×24 and
120×36, in Chinese and English, on the demo company (harness: tests/tui/snapshot_kit.py)."""

from __future__ import annotations

import os

import pytest

from tests.tui.snapshot_kit import LANGS, SIZES, run_before

pytestmark = pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                reason="screens look the same on both engines; pictures are taken on SQLite")

# name: (area, keys pressed from the area's list — "#id" focuses that widget instead —, login)
RECIPES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "messages-outbox": ("messages", ("#outbox",), "admin"),
    "messages-templates": ("messages", ("#outbox", "f6"), "admin"),
    "messages-campaigns": ("messages", ("#outbox", "f6", "f6"), "admin"),
    "message-template-new": ("messages", ("#outbox", "f2"), "admin"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=run_before(area, keys))
