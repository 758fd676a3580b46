"""The Analysis area as a person sees it (see tests/tui/test_snapshots.py): the dashboard, a list with its
chart, the cohort's line chart and the target dialog, at 80×24 and 120×36, in Chinese and English. The clock is
frozen by the harness and the charts are drawn from the still demo company, so the pictures do not move."""

from __future__ import annotations

import os

import pytest

from tests.tui.snapshot_kit import LANGS, SIZES, run_before

pytestmark = pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                reason="screens look the same on both engines; pictures are taken on SQLite")

# name: (area, keys pressed from the area's list — "#id" focuses that widget instead —, login)
RECIPES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "analysis-dashboard": ("analysis", (), "admin"),
    "analysis-churn": ("analysis", ("#analysis-list", "down"), "admin"),
    "analysis-by-region": ("analysis", ("#analysis-list", "down", "down", "down", "down"), "admin"),
    "analysis-target": ("analysis", ("f6",), "admin"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=run_before(area, keys))
