"""Snapshots of the knowledge base area and the attachments dialog on the still demo company (see
snapshot_kit.py): 80×24 and 120×36, Chinese and English."""

import os

import pytest

from tests.tui.snapshot_kit import LANGS, SIZES, run_before

pytestmark = pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                reason="screens look the same on both engines; pictures are taken on SQLite")

# name: (area, keys pressed after opening it, login)
RECIPES = {
    "kb": ("kb", (), "admin"),
    "kb-article": ("kb", ("#kb-list", "enter"), "admin"),
    "kb-article-new": ("kb", ("f2",), "admin"),
    "customer-attachments": ("customers", ("#customer-table", "enter", "ctrl+o"), "admin"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=run_before(area, keys))
