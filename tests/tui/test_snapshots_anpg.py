"""The Analysis area's narrow layout (see tests/tui/test_snapshots.py for how recipes work): reorder overdue, whose
nine columns do not fit at 80×24 (the table keeps those that do, the highlighted row's others written under it),
and the same list with F8 pressed once (the table alone)."""

from __future__ import annotations

import os

import pytest

from tests.tui.snapshot_kit import LANGS, SIZES, run_before

pytestmark = pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                reason="screens look the same on both engines; pictures are taken on SQLite")

RECIPES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "anpg-reorder": ("analysis", ("#analysis-list", "down", "down"), "admin"),
    "anpg-reorder-table": ("analysis", ("#analysis-list", "down", "down", "f8"), "admin"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=run_before(area, keys))
