"""Every screen and dialog, as a person sees it: at 80×24 and 120×36, in Chinese and English, on the demo company.

The demo company is built once per test process with the clock stopped at a fixed day, and each snapshot runs
with the clock stopped there too, so the pictures do not move with the calendar. A recipe is the area to open
and the keys a clerk presses from its list; ``login`` is the login screen. To accept deliberate changes:
``pytest tests/tui/test_snapshots.py --snapshot-update``, then look at the SVGs before committing them.
"""

from __future__ import annotations

import os

import pytest

from tests.tui.snapshot_kit import LANGS, SIZES, run_before

pytestmark = pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                reason="screens look the same on both engines; pictures are taken on SQLite")

# The import screen and the export dialog have no picture: they show this machine's folders and paths. Nor has
# a new log over the customer detail: the detail's loads still land while the form opens, so it drew differently.
# name: (area, keys pressed from the area's list — "#id" focuses that widget instead —, login)
RECIPES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "login": (None, (), ""),
    "customers": ("customers", (), "admin"),
    "customer-new": ("customers", ("f2",), "admin"),
    "customer-detail": ("customers", ("#customer-table", "enter"), "admin"),
    "customer-filters": ("customers", ("ctrl+f",), "admin"),
    "contact-logs": ("contact_logs", (), "admin"),
    "sales-orders": ("sales", (), "admin"),
    "order-new": ("sales", ("f2",), "admin"),
    "order-detail": ("sales", ("enter",), "admin"),
    "order-ship": ("sales", ("enter", "f7"), "admin"),
    "order-receipt": ("sales", ("enter", "f11"), "admin"),
    "order-invoice": ("sales", ("enter", "ctrl+f"), "admin"),
    "order-print": ("sales", ("enter", "f9"), "admin"),
    "products": ("products", (), "admin"),
    "product-new": ("products", ("f2",), "admin"),
    "product-detail": ("products", ("#products", "enter"), "admin"),
    "stock": ("stock", (), "admin"),
    "stock-document-new": ("stock", ("f2",), "admin"),
    "purchasing": ("purchasing", (), "admin"),
    "purchase-order-new": ("purchasing", ("f2",), "admin"),
    "visits": ("visits", (), "admin"),
    "visits-person": ("visits", ("#visits-summary", "down", "enter"), "admin"),
    "week": ("week", (), "sunwei"),
    "week-plan-item": ("week", ("f2",), "sunwei"),
    "admin-users": ("admin", (), "admin"),
    "admin-user-new": ("admin", ("f2",), "admin"),
    "customer-transfer": ("customers", ("f6",), "admin"),
    "customer-ranking": ("customers", ("ctrl+r",), "admin"),
    "order-notice": ("sales", ("enter", "f6"), "admin"),
    "visits-absence": ("visits", ("f2",), "admin"),
    "week-outing": ("week", ("f7",), "sunwei"),
    "company-details": ("admin", ("f6",), "admin"),
    # F3 first: what F1 lists depends on the focused widget, so the recipe fixes it. The palette has no picture:
    # its providers answer in their own time, so the list differs from run to run (test_textual_i18n reads it)
    "help-keys": ("customers", ("f3", "f1"), "admin"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=run_before(area, keys))
