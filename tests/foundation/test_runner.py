"""The use-case runner: one transaction per run, retried whole while another user's write holds the database."""

import sqlite3
import threading
import time

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from crm_tui.cli import cli
from crm_tui.db.engine import is_sqlite, sqlite_path
from crm_tui.services.runner import BusyError, run


class _WriteLock:
    """Another user's write: a connection that takes the SQLite write lock and keeps it until released.

    ``release_after_wait(seconds)`` lets go that long after the run under test said it waits, so a slow
    start of the command (the tests share the machine) cannot make the lock go before it is needed.
    """

    def __init__(self, db_url: str):
        self.waiting, self.release = threading.Event(), threading.Event()
        held = threading.Event()

        def hold():
            con = sqlite3.connect(sqlite_path(db_url), isolation_level=None)
            con.execute("BEGIN IMMEDIATE")
            held.set()
            self.release.wait(60)
            con.execute("ROLLBACK")
            con.close()

        self.thread = threading.Thread(target=hold, daemon=True)
        self.thread.start()
        assert held.wait(5)

    def release_after_wait(self, seconds: float) -> None:
        def later():
            if self.waiting.wait(60):
                time.sleep(seconds)
            self.release.set()

        threading.Thread(target=later, daemon=True).start()

    def let_go(self) -> None:
        self.release.set()
        self.thread.join()


@pytest.fixture
def sqlite_url(db_url):
    if not is_sqlite(db_url):
        pytest.skip("the write lock of another connection is a SQLite matter")
    return db_url


@pytest.fixture
def said(monkeypatch):
    """What the commands said about waiting, as they said it (a lock may listen to it)."""
    from crm_tui.cli.common import CliState

    lines, listeners = [], []
    real = CliState.say_waiting

    def say_waiting(self, text):
        lines.append(text)
        for listener in listeners:
            listener.set()
        return real(self, text)

    monkeypatch.setattr(CliState, "say_waiting", say_waiting)
    return lines, listeners


def _crm(db_url: str, *args):
    env = {"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"}
    return CliRunner().invoke(cli, ["--lang", "en", "--db", db_url, *args], env=env)


def _add_customer(db_url: str, name: str):
    return _crm(db_url, "customers", "add", name)


def test_customers_add_waits_for_another_write_and_succeeds(sqlite_url, admin, said):
    lock = _WriteLock(sqlite_url)
    said[1].append(lock.waiting)
    lock.release_after_wait(1.0)
    result = _add_customer(sqlite_url, "北京华夏科技有限公司")
    lock.let_go()
    assert result.exit_code == 0, result.output
    assert "Customer K00001 北京华夏科技有限公司 added." in result.stdout
    assert result.stderr.count("Waiting for another user's write") == 1  # said once, on stderr
    assert result.stderr.strip() == "Waiting for another user's write…"


def test_customers_add_gives_up_with_one_line_when_the_lock_outlives_the_retries(sqlite_url, admin, monkeypatch):
    monkeypatch.setenv("CRM_LOCK_WAIT", "0.5")
    lock = _WriteLock(sqlite_url)
    result = _add_customer(sqlite_url, "甲记")
    lock.let_go()
    assert result.exit_code == 1
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert error_lines == ["Error: The database stayed busy with another user's write; try again later."]
    assert "Traceback" not in result.output and "locked" not in result.output
    assert "Customer K00001 乙记 added." in _add_customer(sqlite_url, "乙记").output  # the failed run wrote nothing


def test_a_retry_runs_the_work_whole_in_a_new_transaction(sqlite_url, engine, admin):
    calls, waits = [], []

    def work(session):
        calls.append(session)
        session.execute(text("INSERT INTO counters (kind, period, value) VALUES (:k, '', 1)"),
                        {"k": f"try-{len(calls)}"})
        return len(calls)

    lock = _WriteLock(sqlite_url)
    lock.release_after_wait(0.5)

    def on_wait(text):
        waits.append(text)
        lock.waiting.set()

    attempts = run(engine, admin, work, on_wait=on_wait)
    lock.let_go()
    assert attempts >= 2 and len({id(s) for s in calls}) == attempts  # a fresh session each time
    assert waits == ["Waiting for another user's write…"]
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT kind FROM counters WHERE kind LIKE 'try-%'")).scalars().all()
    assert keys == [f"try-{attempts}"]  # only the attempt that got the lock wrote anything


def test_a_read_never_waits_for_a_writer(sqlite_url, engine, admin):
    lock = _WriteLock(sqlite_url)
    waits = []
    started = time.monotonic()
    assert run(engine, admin, lambda s: s.execute(text("SELECT 1")).scalar(), write=False, on_wait=waits.append) == 1
    elapsed = time.monotonic() - started
    lock.let_go()
    assert waits == [] and elapsed < 5  # under the 5 s busy timeout: it never queued for the lock


def test_busy_error_is_a_conflict_the_user_can_read(sqlite_url, engine, admin, monkeypatch):
    from crm_tui.core.errors import ConflictError

    monkeypatch.setenv("CRM_LOCK_WAIT", "0")
    lock = _WriteLock(sqlite_url)
    with pytest.raises(BusyError) as caught:
        run(engine, admin, lambda s: s.execute(text("SELECT 1")).scalar())
    lock.let_go()
    assert isinstance(caught.value, ConflictError) and "busy" in caught.value.message


def test_a_customer_import_waits_for_another_write_too(sqlite_url, admin, tmp_path, said):
    data = tmp_path / "customers.csv"
    data.write_text("客户名称,地址\n北京华夏科技有限公司,北京\n临沂大酒店,临沂\n", encoding="utf-8")
    lock = _WriteLock(sqlite_url)
    said[1].append(lock.waiting)
    lock.release_after_wait(1.0)
    result = _crm(sqlite_url, "import", "customers", str(data))
    lock.let_go()
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Waiting for another user's write") == 1
    assert "2 of 2 customers" in _crm(sqlite_url, "customers", "list").output


def test_a_postgresql_serialization_failure_is_retried_whole(engine, admin):
    """The server says 40001 (as a serializable transaction that lost a race would): the work runs again."""
    if is_sqlite(engine):
        pytest.skip("a PostgreSQL error code")
    calls, waits = [], []

    def work(session):
        calls.append(len(calls) + 1)
        session.execute(text("INSERT INTO counters (kind, period, value) VALUES (:k, '', 1)"),
                        {"k": f"pg-try-{len(calls)}"})
        if len(calls) == 1:
            session.execute(text("DO $$ BEGIN RAISE EXCEPTION 'lost a race' USING ERRCODE = '40001'; END $$"))
        return len(calls)

    assert run(engine, admin, work, on_wait=waits.append) == 2
    assert waits == ["Waiting for another user's write…"]
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT kind FROM counters WHERE kind LIKE 'pg-try-%'")).scalars().all()
    assert keys == ["pg-try-2"]  # the failed attempt left nothing behind


def test_other_database_errors_are_not_retried(engine, admin):
    from sqlalchemy.exc import DBAPIError

    calls = []

    def work(session):
        calls.append(1)
        session.execute(text("SELECT * FROM no_such_table"))

    with pytest.raises(DBAPIError):
        run(engine, admin, work)
    assert calls == [1]
