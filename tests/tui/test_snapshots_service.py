"""The service area (服务) as a person sees it: the ticket list (overdue marked), a ticket with its follow-ups,
the new-ticket form and the follow-up form, at 80×24 and 120×36, in Chinese and English, on the demo company
as it stood on 2026-11-30 09:30 (six open tickets overdue). Harness: tests/tui/snapshot_kit.py.
To accept deliberate changes: ``pytest tests/tui/test_snapshots_service.py --snapshot-update``, then look.
"""

from __future__ import annotations

import os

import pytest

from tests.tui.snapshot_kit import LANGS, SIZES, run_before

pytestmark = pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                reason="screens look the same on both engines; pictures are taken on SQLite")

# name: (area, keys pressed from the area's list — "#id" focuses that widget instead —, login)
RECIPES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "service-tickets": ("service", (), "admin"),
    "service-ticket": ("service", ("#tickets", "enter"), "admin"),
    "service-ticket-new": ("service", ("f2",), "admin"),
    "service-ticket-log": ("service", ("#tickets", "enter", "f6"), "admin"),
    "service-tickets-salesperson": ("service", (), "sunwei"),  # his customers' tickets only
    "service-mine": ("service", ("#tickets", "f6", "f6"), "sunwei"),  # open, overdue, then assigned to me
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=run_before(area, keys))
