"""The purchase return screens: the receipts tab, the returns tab, the return form from a receipt with its
question, and the return view (see tests/tui/test_snapshots.py for how recipes work)."""

from __future__ import annotations

import os

import pytest

from tests.tui.snapshot_kit import LANGS, SIZES, run_before

pytestmark = pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                reason="screens look the same on both engines; pictures are taken on SQLite")

RECIPES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "pret-receipts": ("purchasing", ("#receipts",), "admin"),
    "pret-returns": ("purchasing", ("#purchase-returns",), "admin"),
    "pret-form": ("purchasing", ("#receipts", "f6"), "admin"),
    "pret-confirm": ("purchasing", ("#receipts", "f6", "ctrl+s"), "admin"),
    "pret-view": ("purchasing", ("#purchase-returns", "enter"), "admin"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=run_before(area, keys))
