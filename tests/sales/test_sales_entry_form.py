"""Quote entry on the form base: Esc on a quote with a line asks before anything is lost, and a quote
being typed survives a crash as a recovery file that the next new quote offers back."""

from __future__ import annotations

import os
from decimal import Decimal as D

from sqlalchemy import func, select

from crm_tui.app import CrmApp
from crm_tui.db.models.sales import Quote
from crm_tui.db.session import read_session
from crm_tui.widgets.drafts import draft_path
from crm_tui.widgets.forms import SaveChangesDialog
from tests.tui.helpers import settle

# 120×36: at 80×24 the product suggestions still crash the entry screen (issue 13 item 1, fixed on another
# branch); move these to 80×24 once that is merged.
SIZE = (80, 24)  # a laptop terminal: the size that used to crash the product suggestions


async def _new_quote(pilot):
    from crm_tui.screens.sales.entry import DocumentEntry

    await settle(pilot)
    await settle(pilot)
    entry = DocumentEntry("quote")
    pilot.app.push_screen(entry)
    await settle(pilot)
    return entry


async def _type(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def _type_a_line(pilot, entry) -> None:
    """临沂大酒店 by its initials, 4 × 青岛啤酒 at the offered 113.00."""
    await _type(pilot, *"lydjd")
    await _type(pilot, "enter")
    assert entry.customer is not None and entry.customer.code == "K001"
    await _type(pilot, "P", "1")
    await _type(pilot, "enter")
    await _type(pilot, "backspace", "4", "enter", "enter")
    assert len(entry.lines) == 1


def _quotes(engine) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(Quote))


async def test_esc_on_a_new_quote_with_a_line_asks_and_discard_writes_nothing(engine, world):
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=SIZE) as pilot:
        entry = await _new_quote(pilot)
        await _type_a_line(pilot, entry)
        await _type(pilot, "escape")
        assert isinstance(app.screen, SaveChangesDialog)
        await _type(pilot, "escape")  # keep editing
        assert app.screen is entry and len(entry.lines) == 1
        await _type(pilot, "escape")
        await pilot.click("#discard")
        await settle(pilot)
        assert app.screen is not entry and not isinstance(app.screen, SaveChangesDialog)
    assert _quotes(engine) == 0
    assert not draft_path("sales-quote", "clerk").exists()


async def test_a_quote_being_typed_survives_a_crash_and_is_offered_back(engine, world):
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=SIZE) as pilot:
        entry = await _new_quote(pilot)
        await _type_a_line(pilot, entry)
        await pilot.pause(1.5)  # the recovery file is written a moment after the last change
        path = draft_path("sales-quote", "clerk")
        assert path.exists() and os.stat(path).st_mode & 0o777 == 0o600
    # the app is gone without Esc or a save (a crash); the file is still there
    assert path.exists() and _quotes(engine) == 0

    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=SIZE) as pilot:
        entry = await _new_quote(pilot)
        assert "Restore the unsaved document?" in str(app.screen.question)
        await _type(pilot, "enter")
        assert app.screen is entry
        assert entry.customer.code == "K001" and len(entry.lines) == 1
        line = entry.lines[0]
        assert (line.code, line.quantity, line.amounts.gross) == ("P1", D(4), D("452.00"))
        await _type(pilot, "ctrl+s")
        assert not path.exists()
    with read_session(engine) as s:
        quote = s.scalars(select(Quote)).one()
        assert quote.status == "draft" and quote.gross_total == D("452.00")


async def test_a_recovery_file_that_is_refused_is_deleted(engine, world):
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=SIZE) as pilot:
        entry = await _new_quote(pilot)
        await _type_a_line(pilot, entry)
        entry.write_recovery()
    path = draft_path("sales-quote", "clerk")
    assert path.exists()
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=SIZE) as pilot:
        entry = await _new_quote(pilot)
        await _type(pilot, "escape")  # no, thanks
        assert app.screen is entry and entry.lines == [] and entry.customer is None
        assert not path.exists()
