"""Snapshots of the lists branch's screens: the contact-log quota check (稽核) and the quota form, at 80×24 and
120×36, in Chinese and English, on the demo company (its quotas come from the demo step services/demo/lists.py).
The list export dialog has no picture: like the customers' export dialog it shows this machine's folder.
``pytest tests/tui/test_snapshots_lists.py --snapshot-update`` accepts deliberate changes (look at the SVGs)."""

from __future__ import annotations

import os

import pytest

from tests.tui.snapshot_kit import LANGS, SIZES, run_before

pytestmark = pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                reason="screens look the same on both engines; pictures are taken on SQLite")

# name: (area, keys pressed from the area's list, login)
RECIPES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "contact-logs-quota-check": ("contact_logs", ("ctrl+k",), "admin"),
    "contact-logs-quota-month": ("contact_logs", ("ctrl+k", "f6"), "admin"),
    "contact-logs-quota-form": ("contact_logs", ("ctrl+k", "f4"), "admin"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=run_before(area, keys))
