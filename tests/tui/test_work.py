"""The worker runner: work in a thread, results back as messages to the node that asked."""

import threading

from textual.app import App
from textual.widgets import Static

from crm_tui.core.errors import ValidationError
from crm_tui.widgets.work import WorkDone, WorkHost, WorkProgress, start_work
from tests.tui.helpers import settle


class _Asker(Static):
    """A widget that runs work and listens to what comes back (before the app hands it to the callbacks)."""

    def __init__(self):
        super().__init__()
        self.heard: list[str] = []

    def on_work_progress(self, message: WorkProgress) -> None:
        self.heard.append(f"progress {message.done}/{message.total} {message.stage}")

    def on_work_done(self, message: WorkDone) -> None:
        self.heard.append(f"done {message.result}")


class _App(WorkHost, App):
    def __init__(self):
        super().__init__()
        self.errors: list[BaseException] = []
        self.waits: list[str] = []

    def compose(self):
        yield _Asker()

    def report_error(self, exc: BaseException) -> None:
        self.errors.append(exc)

    def show_waiting(self, text: str) -> None:
        self.waits.append(text)


async def test_results_and_progress_come_back_as_messages_in_order():
    async with _App().run_test() as pilot:
        asker = pilot.app.query_one(_Asker)
        got, steps = [], []
        ui_thread = threading.get_ident()

        def work(job):
            assert threading.get_ident() != ui_thread  # really in a thread
            for i in range(3):
                job.progress(i + 1, 3, "step")
            return 42

        start_work(asker, work, done=lambda r: got.append((r, threading.get_ident())),
                   on_progress=lambda d, t, s: steps.append((d, t, s)))
        await settle(pilot)
        assert asker.heard == ["progress 1/3 step", "progress 2/3 step", "progress 3/3 step", "done 42"]
        assert steps == [(1, 3, "step"), (2, 3, "step"), (3, 3, "step")]
        assert got == [(42, ui_thread)]  # the callback ran on the UI thread
        assert pilot.app.errors == []


async def test_a_failure_goes_to_on_error_or_else_to_the_one_error_handler():
    async with _App().run_test() as pilot:
        asker = pilot.app.query_one(_Asker)
        handled, done = [], []

        def fail(_job):
            raise ValidationError("bad input")

        start_work(asker, fail, done=done.append, on_error=handled.append, group="a")
        await settle(pilot)
        assert [e.message for e in handled] == ["bad input"] and pilot.app.errors == [] and done == []
        start_work(asker, fail, done=done.append, group="b")
        await settle(pilot)
        assert [e.message for e in pilot.app.errors] == ["bad input"] and done == []


async def test_cancel_is_seen_by_the_work():
    async with _App().run_test() as pilot:
        asker = pilot.app.query_one(_Asker)
        started, results = threading.Event(), []

        def long_work(job):
            started.set()
            while not job.cancelled:
                job.cancel_event.wait(0.01)
            return "stopped"

        job = start_work(asker, long_work, done=results.append)
        while not started.is_set():
            await pilot.pause(0.01)
        await pilot.pause(0.1)
        assert results == []  # still running until told
        job.cancel()
        await settle(pilot)
        assert results == ["stopped"]


async def test_the_result_reaches_the_app_when_the_asker_is_gone():
    async with _App().run_test() as pilot:
        asker = pilot.app.query_one(_Asker)
        started, release, results = threading.Event(), threading.Event(), []

        def slow(_job):
            started.set()
            return release.wait(5) and "late"

        start_work(asker, slow, done=results.append)
        while not started.is_set():
            await pilot.pause(0.01)
        await asker.remove()
        release.set()
        await settle(pilot)
        assert results == ["late"]


async def test_a_wait_for_the_database_is_said_and_cleared(engine, admin):
    """Through the services runner: a SQLite write lock held elsewhere makes the job wait, and say so."""
    import sqlite3
    import time

    import pytest
    from sqlalchemy import text

    from crm_tui.db.engine import is_sqlite, sqlite_path

    if not is_sqlite(engine):
        pytest.skip("the write lock of another connection is a SQLite matter")
    con = sqlite3.connect(sqlite_path(str(engine.url)), isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    app = _App()
    async with app.run_test() as pilot:
        app.engine, app.actor = engine, admin
        results = []
        start_work(pilot.app.query_one(_Asker), lambda job: job.run(lambda s: s.execute(text("SELECT 7")).scalar(),
                                                                    write=True), done=results.append)
        deadline = time.monotonic() + 30
        while not app.waits and time.monotonic() < deadline:
            await pilot.pause(0.05)
        con.execute("ROLLBACK")
        con.close()
        await settle(pilot)
        assert results == [7]
        assert app.waits == ["Waiting for another user's write…", ""]
