"""The sales entry screen keeps the version it loaded: saving twice works, and a save after someone else
changed the draft shows the conflict in the form (no crash, nothing overwritten)."""

from crm_tui.app import CrmApp
from crm_tui.services.runner import read, run
from crm_tui.services.sales import quotes
from crm_tui.services.sales.actions import save_draft
from crm_tui.services.sales.pricing import LineInput
from tests.tui.helpers import screen_text, settle, wait_for_text


async def test_a_stale_save_shows_the_conflict_in_the_entry_form(engine, world, _app_errors):
    from crm_tui.screens.sales.entry import DocumentEntry

    qid = run(engine, world.li, lambda s: save_draft(s, world.li, "quote", None, world.c1,
                                                     [LineInput(world.p1, 2)], {}))
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(DocumentEntry("quote", qid))
        await settle(pilot)
        entry = app.screen
        assert isinstance(entry, DocumentEntry) and len(entry.lines) == 1
        for _round in range(2):  # the form carries the version it saved: its own saves never conflict
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert entry.version == read(engine, world.li, lambda s: quotes.get_quote(s, world.li, qid).version)

        # 王经理 changes the quote meanwhile (5 instead of 2)
        run(engine, world.manager, lambda s: save_draft(s, world.manager, "quote", qid, world.c1,
                                                        [LineInput(world.p1, 5)], {}, version=entry.version))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await wait_for_text(pilot, "王经理"), screen_text(app)
        assert app.screen is entry and not _app_errors  # in the form, not an error report
    stored = read(engine, world.li, lambda s: quotes.get_quote(s, world.li, qid).lines)
    assert [ln.quantity for ln in stored] == [5]
