"""Unexpected errors: one line for the user (no SQL), the traceback in the rotating log file."""

import logging.handlers

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from crm_tui.core.describe import describe_error
from crm_tui.core.errors import ConflictError
from crm_tui.db.models.people import User
from crm_tui.db.session import read_session
from crm_tui.i18n import _, set_language
from crm_tui.log import log_file, setup_logging
from crm_tui.services.admin import users


def _sql_error() -> IntegrityError:
    return IntegrityError("UPDATE users SET active=? WHERE users.id = ?", (0, 2),
                          Exception("UNIQUE constraint failed: users.login"))


def _raise_from_service(*args, **kwargs):
    raise _sql_error()


def test_describe_error_gives_one_line_without_sql(tmp_path):
    line = describe_error(_sql_error(), tmp_path / "crm.log")
    assert line == f"Database error: UNIQUE constraint failed: users.login Details are in {tmp_path / 'crm.log'}"
    assert describe_error(ConflictError("Saved by someone else.\nReload.")) == "Saved by someone else. Reload."
    odd = ValueError("first line\n[SQL: SELECT 1]\nmore")
    assert describe_error(odd) == "Unexpected error: ValueError: first line"
    assert describe_error(KeyError()) == "Unexpected error: KeyError"
    assert "\n" not in describe_error(ValueError("x" * 500)) and len(describe_error(ValueError("x" * 500))) < 240


def test_describe_error_speaks_the_callers_language(tmp_path):
    set_language("zh_CN")
    line = describe_error(OperationalError("SELECT 1", {}, Exception("database is locked")), "/x/crm.log", _)
    assert line == "数据库出错：database is locked 详情见 /x/crm.log"


def test_cli_unexpected_error_is_one_line_and_logged(engine, admin, make_user, db_url, monkeypatch, crm_home):
    from crm_tui.cli import cli

    make_user("wangwu")
    monkeypatch.setattr(users, "set_active", _raise_from_service)
    result = CliRunner().invoke(cli, ["--db", db_url, "users", "disable", "wangwu"],
                                env={"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"})
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    path = crm_home / "logs" / "crm.log"
    assert lines == [f"Error: Database error: UNIQUE constraint failed: users.login Details are in {path}"]
    logged = path.read_text(encoding="utf-8")
    assert "unexpected error in crm users" in logged and "Traceback (most recent call last)" in logged
    assert "_raise_from_service" in logged and "UPDATE users SET active" in logged  # the SQL stays in the log


def test_cli_domain_error_is_not_logged(engine, admin, db_url, crm_home):
    from crm_tui.cli import cli

    result = CliRunner().invoke(cli, ["--db", db_url, "users", "disable", "nobody"],
                                env={"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"})
    assert result.exit_code == 1 and "nobody" in result.output and "Details" not in result.output
    assert not (crm_home / "logs" / "crm.log").exists()


async def test_tui_unexpected_error_is_one_line_and_logged(engine, admin, make_user, monkeypatch, crm_home):
    from crm_tui.app import create_app
    from tests.tui.helpers import settle

    make_user("wangwu", name="王五")
    monkeypatch.setattr(users, "set_active", _raise_from_service)
    app = create_app(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await settle(pilot)
        app.open_area("admin")
        await settle(pilot)
        table = app.screen.query_one("#users")
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications if n.severity == "error"]
    path = crm_home / "logs" / "crm.log"
    assert messages == [f"Database error: UNIQUE constraint failed: users.login Details are in {path}"]
    logged = path.read_text(encoding="utf-8")
    assert "unexpected error in the app" in logged and "_raise_from_service" in logged
    with read_session(engine) as s:
        assert s.scalar(select(User.active).where(User.login == "wangwu")) is True


def test_log_file_rotates_and_follows_crm_home(tmp_path, monkeypatch, crm_home):
    path = setup_logging()
    assert path == log_file() == crm_home / "logs" / "crm.log"
    handler = next(h for h in logging.getLogger("crm_tui").handlers
                   if isinstance(h, logging.handlers.RotatingFileHandler))
    assert handler.maxBytes > 0 and handler.backupCount > 0
    monkeypatch.setenv("CRM_HOME", str(tmp_path / "elsewhere"))
    assert setup_logging() == tmp_path / "elsewhere" / "logs" / "crm.log"
    assert [h.baseFilename for h in logging.getLogger("crm_tui").handlers
            if isinstance(h, logging.handlers.RotatingFileHandler)] == [str(tmp_path / "elsewhere" / "logs" / "crm.log")]


@pytest.fixture(autouse=True)
def _english():
    set_language("en")


async def test_tui_crash_is_logged_with_its_traceback(engine, admin, crm_home):
    from crm_tui.app import create_app
    from tests.tui.helpers import settle

    app = create_app(engine=engine, auto_login=("admin", "admin-pass"))

    def broken() -> None:
        raise RuntimeError("a handler that breaks")

    with pytest.raises(RuntimeError, match="a handler that breaks"):
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            app.call_later(broken)
            await pilot.pause(0.2)
    logged = (crm_home / "logs" / "crm.log").read_text(encoding="utf-8")
    assert "unexpected error in the app (it stopped)" in logged and "in broken" in logged
