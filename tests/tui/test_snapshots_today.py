"""Pictures of the today view (the home screen), the customer page (客户360), the employee page and an
announcement, on the still demo company (see tests/tui/snapshot_kit.py). Update with
``pytest tests/tui/test_snapshots_today.py --snapshot-update`` and look at the SVGs before committing them."""

from __future__ import annotations

import os

import pytest

from tests.tui.snapshot_kit import LANGS, SIZES, run_before

pytestmark = [pytest.mark.today_home,
              pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                 reason="screens look the same on both engines; pictures are taken on SQLite")]

# name: (area, keys pressed from the area's list, login). 孙伟's first line is a reminder on a customer: Enter
# opens the customer page; below his two reminders and two notifications (each section under its title row)
# come his announcements.
RECIPES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "today": ("today", (), "sunwei"),
    "today-admin": ("today", (), "admin"),
    "today-customer-page": ("today", ("enter",), "sunwei"),
    "today-employee-page": ("today", ("f7",), "sunwei"),
    "today-announcement": ("today", ("down",) * 6 + ("enter",), "sunwei"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=run_before(area, keys))
