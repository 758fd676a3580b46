"""The opportunities area as a person sees it (list, new-opportunity form, detail with stage history, the move
and lose dialogs, the funnel): at 80×24 and 120×36, in Chinese and English, on the demo company's pipeline.
Harness: ``tests/tui/snapshot_kit.py``; to accept deliberate changes, ``--snapshot-update`` and look at the SVGs."""

from __future__ import annotations

import os

import pytest

from tests.tui.snapshot_kit import LANGS, SIZES, run_before

pytestmark = pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                reason="screens look the same on both engines; pictures are taken on SQLite")

# name: (area, keys pressed from the area's list — "#id" focuses that widget instead —, login)
RECIPES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "opportunities": ("opportunities", ("#opp-table",), "admin"),
    "opportunity-new": ("opportunities", ("f2",), "admin"),
    "opportunity-detail": ("opportunities", ("#opp-table", "enter"), "admin"),
    "opportunity-move": ("opportunities", ("#opp-table", "enter", "f6"), "admin"),
    "opportunity-lose": ("opportunities", ("#opp-table", "enter", "f8"), "admin"),
    "opportunity-funnel": ("opportunities", ("ctrl+u",), "admin"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=run_before(area, keys))
