"""Every screen and dialog, as a person sees it: at 80×24 and 120×36, in Chinese and English, on the demo company.

The demo company is built once per test process with the clock stopped at a fixed day, and each snapshot runs
with the clock stopped there too, so the pictures do not move with the calendar. A recipe is the area to open
and the keys a clerk presses from its list; ``login`` is the login screen. To accept deliberate changes:
``pytest tests/tui/test_snapshots.py --snapshot-update``, then look at the SVGs before committing them.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime

import pytest

from tests.tui.helpers import settle

pytestmark = pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                reason="screens look the same on both engines; pictures are taken on SQLite")

DAY = datetime(2026, 11, 30, 9, 30)  # a Monday: the month has data, the week has a plan
SIZES = {"80x24": (80, 24), "120x36": (120, 36)}
LANGS = ("zh_CN", "en")

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
PASSWORDS = {"admin": "admin-pass", "sunwei": "demo1234"}


@pytest.fixture(scope="session")
def _still_demo(tmp_path_factory):
    """The demo company as it stood on ``DAY``: a SQLite file each snapshot copies."""
    from click.testing import CliRunner

    from crm_tui.cli import cli
    from crm_tui.core import clock
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine

    path = tmp_path_factory.mktemp("still-demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    home = tmp_path_factory.mktemp("still-demo-home")
    with clock.frozen(DAY):
        result = CliRunner().invoke(cli, ["--db", f"sqlite:///{path}", "demo"],
                                    env={"CRM_HOME": str(home), "CRM_PASSWORD": "admin-pass"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the copies take the file alone, not its WAL
    engine.dispose()
    return path


@pytest.fixture
def still_app(_still_demo, tmp_path, monkeypatch):
    """Makes the app for a recipe on a copy of the still demo, with the clock stopped and a fixed database label."""
    from crm_tui.app import CrmApp, create_app
    from crm_tui.core import clock
    from crm_tui.db.engine import make_engine
    from crm_tui.i18n import get_language, set_language

    path = tmp_path / "demo.db"
    shutil.copyfile(_still_demo, path)
    engine = make_engine(f"sqlite:///{path}")
    monkeypatch.setattr(CrmApp, "database_label", property(lambda self: "sqlite:///crm.db"))
    before = get_language()

    def make(lang: str, login: str):
        set_language(lang)
        app = create_app(engine=engine, auto_login=(login, PASSWORDS[login]) if login else None)
        app.animation_level = "none"  # a tab's underline caught half-way moved from one picture to the next
        return app

    with clock.frozen(DAY):
        yield make
    set_language(before)
    engine.dispose()


async def _hold_still(pilot) -> None:
    """What moves on its own leaves the picture: blinking cursors stay on, toasts (they time out) go."""
    from textual.widgets import Input, TextArea

    for widget in pilot.app.screen.query(Input).results():
        widget.cursor_blink = False
    for widget in pilot.app.screen.query(TextArea).results():
        widget.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


def _run_before(area: str | None, keys: tuple[str, ...]):
    async def run_before(pilot) -> None:
        await settle(pilot)
        if area is None:
            await _hold_still(pilot)
            return
        pilot.app.open_area(area)
        await settle(pilot)
        pilot.app.screen.show_area(area, focus=True)
        await settle(pilot)
        for key in keys:
            if key.startswith("#"):  # put the focus on a list first (a pane may open with its search box focused)
                pilot.app.screen.query_one(key).focus()
            else:
                await pilot.press(key)
            await settle(pilot, rounds=4)
        await pilot.pause(0.2)  # let the last layout and the scrollbars come to rest
        await settle(pilot)
        await _hold_still(pilot)

    return run_before


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=_run_before(area, keys))
