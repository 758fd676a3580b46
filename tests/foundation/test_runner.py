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


def _hold_write_lock(db_url: str, seconds: float) -> threading.Thread:
    """Another user's write: a connection that takes the write lock and keeps it for ``seconds``."""
    held = threading.Event()

    def hold():
        con = sqlite3.connect(sqlite_path(db_url), isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        con.execute("ROLLBACK")
        con.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert held.wait(5)
    return thread


@pytest.fixture
def sqlite_url(db_url):
    if not is_sqlite(db_url):
        pytest.skip("the write lock of another connection is a SQLite matter")
    return db_url


def _add_customer(db_url: str, name: str):
    env = {"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"}
    return CliRunner().invoke(cli, ["--lang", "en", "--db", db_url, "customers", "add", name], env=env)


def test_customers_add_waits_for_another_write_and_succeeds(sqlite_url, admin):
    holder = _hold_write_lock(sqlite_url, 1.0)
    started = time.monotonic()
    result = _add_customer(sqlite_url, "北京华夏科技有限公司")
    holder.join()
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started >= 0.9  # it really waited for the lock
    assert "Customer K00001 北京华夏科技有限公司 added." in result.stdout
    assert result.stderr.count("Waiting for another user's write") == 1  # said once, on stderr


def test_customers_add_gives_up_with_one_line_when_the_lock_outlives_the_retries(sqlite_url, admin, monkeypatch):
    monkeypatch.setenv("CRM_LOCK_WAIT", "0.5")
    holder = _hold_write_lock(sqlite_url, 3.0)
    result = _add_customer(sqlite_url, "甲")
    holder.join()
    assert result.exit_code == 1
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert error_lines == ["Error: The database stayed busy with another user's write; try again later."]
    assert "Traceback" not in result.output and "locked" not in result.output
    assert "Customer K00001 乙 added." in _add_customer(sqlite_url, "乙").output  # the failed run wrote nothing


def test_a_retry_runs_the_work_whole_in_a_new_transaction(sqlite_url, engine, admin):
    calls, waits = [], []

    def work(session):
        calls.append(session)
        session.execute(text("INSERT INTO counters (kind, period, value) VALUES (:k, '', 1)"),
                        {"k": f"try-{len(calls)}"})
        return len(calls)

    holder = _hold_write_lock(sqlite_url, 0.8)
    attempts = run(engine, admin, work, on_wait=waits.append)
    holder.join()
    assert attempts >= 2 and len({id(s) for s in calls}) == attempts  # a fresh session each time
    assert waits == ["Waiting for another user's write…"]
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT kind FROM counters WHERE kind LIKE 'try-%'")).scalars().all()
    assert keys == [f"try-{attempts}"]  # only the attempt that got the lock wrote anything


def test_a_read_never_waits_for_a_writer(sqlite_url, engine, admin):
    holder = _hold_write_lock(sqlite_url, 1.0)
    waits = []
    started = time.monotonic()
    assert run(engine, admin, lambda s: s.execute(text("SELECT 1")).scalar(), write=False, on_wait=waits.append) == 1
    assert time.monotonic() - started < 0.5 and waits == []
    holder.join()


def test_busy_error_is_a_conflict_the_user_can_read(sqlite_url, engine, admin, monkeypatch):
    from crm_tui.core.errors import ConflictError

    monkeypatch.setenv("CRM_LOCK_WAIT", "0")
    holder = _hold_write_lock(sqlite_url, 1.0)
    with pytest.raises(BusyError) as caught:
        run(engine, admin, lambda s: s.execute(text("SELECT 1")).scalar())
    holder.join()
    assert isinstance(caught.value, ConflictError) and "busy" in caught.value.message


def test_a_customer_import_waits_for_another_write_too(sqlite_url, admin, tmp_path):
    data = tmp_path / "customers.csv"
    data.write_text("客户名称,地址\n北京华夏科技有限公司,北京\n临沂大酒店,临沂\n", encoding="utf-8")
    holder = _hold_write_lock(sqlite_url, 1.0)
    env = {"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"}
    result = CliRunner().invoke(cli, ["--lang", "en", "--db", sqlite_url, "import", "customers", str(data)], env=env)
    holder.join()
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Waiting for another user's write") == 1
    assert "2 customers" in _list_total(sqlite_url)


def _list_total(db_url: str) -> str:
    env = {"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"}
    return CliRunner().invoke(cli, ["--lang", "en", "--db", db_url, "customers", "list"], env=env).output
