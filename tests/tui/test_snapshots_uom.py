"""The units of measure dialog (see tests/tui/test_snapshots.py for how recipes work)."""

from __future__ import annotations

import os

import pytest

from tests.tui.snapshot_kit import LANGS, SIZES, run_before

pytestmark = pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                reason="screens look the same on both engines; pictures are taken on SQLite")

RECIPES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "uom-units": ("products", ("#products", "enter", "ctrl+u"), "admin"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=run_before(area, keys))
