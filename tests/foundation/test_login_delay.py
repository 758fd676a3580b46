"""The growing delay after repeated failed logins: per login name, known or not, in the CLI and the TUI."""

from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from crm_tui.core import clock
from crm_tui.core.errors import AuthError
from crm_tui.services.admin import login as logins

NINE_WRONG = [0.0, 0.0, 0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


class Sleeps(list):
    """An injected sleep: remembers the delays instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _attempt(engine, login, password):
    sleeps = Sleeps()
    try:
        logins.log_in(engine, login, password, sleep=sleeps)
        ok = True
    except AuthError:
        ok = False
    return ok, sum(sleeps)


@pytest.mark.parametrize("login", ["admin", "nobody-here"], ids=["known", "unknown"])
def test_the_delay_grows_after_three_failures_to_a_cap(engine, admin, login):
    with clock.frozen(datetime(2026, 12, 7, 9, 0)):
        delays = [_attempt(engine, login, "wrong-guess") for _ in range(9)]
    assert delays == [(False, d) for d in NINE_WRONG]


def test_a_success_pays_the_delay_then_resets_it(engine, admin):
    with clock.frozen(datetime(2026, 12, 7, 9, 0)):
        for _ in range(5):
            _attempt(engine, "admin", "wrong-guess")
        assert _attempt(engine, "ADMIN", "admin-pass") == (True, 2.0)  # the name's case does not matter
        assert _attempt(engine, "admin", "wrong-guess") == (False, 0.0)


def test_failures_are_forgotten_after_a_quarter_hour(engine, admin):
    start = datetime(2026, 12, 7, 9, 0)
    with clock.frozen(start):
        for _ in range(4):
            _attempt(engine, "admin", "wrong-guess")
        assert _attempt(engine, "admin", "wrong-guess") == (False, 1.0)
    with clock.frozen(start + timedelta(minutes=16)):
        assert _attempt(engine, "admin", "wrong-guess") == (False, 0.0)


def test_one_logins_failures_do_not_slow_another(engine, admin, make_user):
    make_user("lisi")
    with clock.frozen(datetime(2026, 12, 7, 9, 0)):
        for _ in range(6):
            _attempt(engine, "admin", "wrong-guess")
        assert _attempt(engine, "lisi", "pass-1234") == (True, 0.0)


def test_the_command_line_waits_across_processes(db_url, admin, monkeypatch):
    from crm_tui.cli import cli

    sleeps = Sleeps()
    monkeypatch.setattr(logins, "pause", sleeps)
    wrong = {"CRM_USER": "admin", "CRM_PASSWORD": "wrong-guess"}
    codes = [CliRunner().invoke(cli, ["--db", db_url, "users", "list"], env=wrong).exit_code for _ in range(5)]
    assert codes == [1] * 5 and sleeps == [0.5, 1.0]
    r = CliRunner().invoke(cli, ["--db", db_url, "users", "list"], env={"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"})
    assert r.exit_code == 0 and sleeps == [0.5, 1.0, 2.0]


async def test_the_login_screen_waits_too(engine, admin, monkeypatch):
    from crm_tui.app import CrmApp
    from tests.tui.helpers import fill, settle

    sleeps = Sleeps()
    monkeypatch.setattr(logins, "pause", sleeps)
    app = CrmApp(engine=engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(4):
            await fill(pilot, "#login", "admin")
            await fill(pilot, "#password", "wrong-guess")
            await pilot.press("enter")
            await settle(pilot)
        assert type(app.screen).__name__ == "LoginScreen"
        assert sleeps == [0.5]
        await fill(pilot, "#password", "admin-pass")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert sleeps == [0.5, 1.0]
