"""The terminal shell driven as a person would: setup, login, administration, language, keys."""

from sqlalchemy import select

from crm_tui.app import CrmApp
from crm_tui.db.models.people import Department, User
from crm_tui.db.session import read_session
from crm_tui.screens.commands import CrmCommands
from tests.tui.helpers import fill, screen_text, settle, wait_for_text


async def test_setup_on_an_empty_database_creates_the_administrator(engine):
    app = CrmApp(engine=engine)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "SetupScreen"
        await fill(pilot, "#company", "临沂华夏商贸有限公司")
        await fill(pilot, "#login", "boss")
        await fill(pilot, "#password", "short")
        await fill(pilot, "#password2", "short")
        app.screen.query_one("#demo").value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "at least 6 characters" in screen_text(app)
        await fill(pilot, "#password", "long-enough")
        await fill(pilot, "#password2", "long-enough")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        app.open_area("admin")
        await settle(pilot)
        assert "boss" in screen_text(app)
    with read_session(engine) as s:
        assert s.scalar(select(User.role).where(User.login == "boss")) == "administrator"
    from crm_tui.config import get_settings

    assert get_settings()["company"]["name"] == "临沂华夏商贸有限公司"


async def test_setup_with_the_demo_company(engine, monkeypatch):
    from crm_tui.i18n import _
    from crm_tui.screens.start import SetupScreen
    from crm_tui.services import demo as demo_service
    from crm_tui.services.common.plugins import resolve

    seen: list[tuple[int, int | None, str]] = []
    real = SetupScreen._progress

    def progress(self, done, total, title):
        real(self, done, total, title)
        seen.append((done, total, str(self.query_one("#message").content)))

    monkeypatch.setattr(SetupScreen, "_progress", progress)
    app = CrmApp(engine=engine)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await fill(pilot, "#password", "long-enough")
        await fill(pilot, "#password2", "long-enough")
        await pilot.press("ctrl+s")
        await settle(pilot, 6, timeout=180)  # the whole demo company is written in this worker
        assert type(app.screen).__name__ == "MainScreen"
        app.open_area("admin")
        await settle(pilot)
        text = screen_text(app)
        assert "zhaogang" in text and "赵刚" in text
    n = len(demo_service.STEPS)
    titles = [*(_(resolve(step).TITLE) for step in demo_service.STEPS), _("Done")]
    assert seen == [(i, n, f"[{i}/{n}] {title}") for i, title in enumerate(titles)]  # every step, in order
    with read_session(engine) as s:
        assert len(s.scalars(select(User)).all()) > 10


async def test_wrong_password_then_login(engine, admin):
    app = CrmApp(engine=engine)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "LoginScreen"
        await fill(pilot, "#login", "admin")
        await fill(pilot, "#password", "nope-nope")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "LoginScreen"
        assert any("Wrong login or password" in str(n.message) for n in app._notifications)
        await fill(pilot, "#password", "admin-pass")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert app.actor.login == "admin"


async def _logged_in(engine, pilot, area: str = "admin"):
    await settle(pilot)
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "MainScreen", type(pilot.app.screen).__name__
    pilot.app.open_area(area)
    await settle(pilot)


async def test_add_a_user_and_a_department(engine, admin):
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(120, 36)) as pilot:
        await _logged_in(engine, pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "UserForm"
        await fill(pilot, "#login", "bad login!")
        assert "letters, digits" in screen_text(app)  # validated as you type
        await fill(pilot, "#login", "lisi")
        await fill(pilot, "#display_name", "李四")
        await fill(pilot, "#staff_number", "S100")
        await fill(pilot, "#position", "商超业务员")
        await fill(pilot, "#password", "lisi-pass")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert "李四" in screen_text(app)

        app.screen.query_one("#admin-tabs").active = "tab-departments"
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "DepartmentForm"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Department name is required" in screen_text(app)
        await fill(pilot, "#name", "销售部")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "销售部" in screen_text(app)
    with read_session(engine) as s:
        user = s.scalar(select(User).where(User.login == "lisi"))
        assert (user.display_name, user.staff_number, user.position) == ("李四", "S100", "商超业务员")
        assert s.scalar(select(Department.name)) == "销售部"


async def test_disable_asks_first(engine, admin, make_user):
    make_user("wangwu", name="王五")
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(120, 36)) as pilot:
        await _logged_in(engine, pilot)
        table = app.screen.query_one("#users")
        table.focus()
        table.move_cursor(row=1)  # admin, wangwu (sorted by login)
        await pilot.press("f8")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("escape")
        await settle(pilot)
        with read_session(engine) as s:
            assert s.scalar(select(User.active).where(User.login == "wangwu")) is True
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
    with read_session(engine) as s:
        assert s.scalar(select(User.active).where(User.login == "wangwu")) is False


async def test_language_switch_and_help(engine, admin):
    from crm_tui.i18n import set_language

    set_language("zh_CN")
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(120, 36)) as pilot:
        await _logged_in(engine, pilot)
        # area and footer keys in Chinese (the footer is drawn a moment after the area)
        assert await wait_for_text(pilot, "系统管理") and await wait_for_text(pilot, "新建")
        last = "admin"  # an area whose footer has a "New" key
        app.screen.show_area(last)
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert await wait_for_text(pilot, "Administration") and await wait_for_text(pilot, "New")
        assert app.screen.current_area == last and len(app.screen.areas) > 1  # the switch keeps the area open
        await pilot.press("f1")
        await pilot.pause()
        from textual.widgets import HelpPanel

        assert app.screen.query(HelpPanel)


async def test_command_palette_lists_area_commands(engine, admin):
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(120, 36)) as pilot:
        await _logged_in(engine, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"add user")
        await pilot.pause(0.5)
        assert "Administration: add user" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "UserForm"


def test_long_chinese_commit_arrives_as_characters():
    """With the Kitty keyboard protocol off, an input method's commit of a long phrase arrives intact."""
    import os

    import crm_tui.__main__  # noqa: F401 - sets the variable before textual is used

    assert os.environ["TEXTUAL_DISABLE_KITTY_KEY"] == "1"
    from textual._xterm_parser import XTermParser
    from textual.events import Key

    phrase = "北京华夏科技有限公司"
    events = list(XTermParser().feed(phrase))
    keys = [e.character for e in events if isinstance(e, Key)]
    assert "".join(keys) == phrase


def test_main_screen_snapshot(snap_compare, engine, admin, make_user, monkeypatch):
    make_user("zhangsan", name="张三", staff_number="S001", position="商超业务员")
    monkeypatch.setattr(CrmApp, "database_label", property(lambda self: "sqlite:///crm.db"))

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_area("admin")
        for _ in range(500):  # until the users table shows both users (at most ~10 s)
            await settle(pilot)
            tables = pilot.app.screen.query("#users")
            if tables and tables.first().row_count == 2:
                break
        pilot.app.screen.query_one("#users").focus()
        await settle(pilot)

    assert snap_compare(CrmApp(engine=engine, auto_login=("admin", "admin-pass")), terminal_size=(120, 36),
                        run_before=run_before)


async def test_login_form_shows_before_the_database_is_open(db_url, admin):
    """With a set-up database file the login form is drawn at once; a login typed early waits for the database."""
    if not db_url.startswith("sqlite"):
        import pytest

        pytest.skip("the early form is decided from the SQLite file")
    app = CrmApp(db_url=db_url, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.early_login and type(app.screen).__name__ in ("LoginScreen", "MainScreen")
        await settle(pilot)
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert app.actor.login == "admin"


async def test_an_empty_database_file_still_gets_the_setup_screen(tmp_path):
    path = tmp_path / "new.db"
    app = CrmApp(db_url=f"sqlite:///{path}")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "SetupScreen"


async def _first_hit(pilot, title: str) -> bool:
    """Wait until the palette's search has settled with ``title`` as its first hit."""
    from textual.command import CommandList

    for _ in range(100):
        await pilot.pause(0.05)
        hits = pilot.app.screen.query_one(CommandList)
        if hits.option_count and title in str(hits.get_option_at_index(0).prompt):
            return True
    return False


async def test_log_out_and_log_in_as_someone_else(engine, admin, make_user):
    """注销 / 切换用户: open dialogs close, the login form comes back, the next user gets only their own rights."""
    make_user("zhangsan", name="张三", password="zhang-pass")
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await _logged_in(engine, pilot)
        commands = [title for title, _cb in CrmCommands(app.screen)._commands()]
        assert "Administration: add user" in commands
        await pilot.press("f2")  # a dialog is open when the user leaves
        await pilot.pause()
        assert type(app.screen).__name__ == "UserForm"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"log out / switch user")
        assert await _first_hit(pilot, "System: log out / switch user")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "LoginScreen" and app.actor is None
        assert [type(s).__name__ for s in app.screen_stack][1:] == ["LoginScreen"]
        await fill(pilot, "#login", "zhangsan")
        await fill(pilot, "#password", "zhang-pass")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen" and app.actor.login == "zhangsan"
        assert "张三" in app.screen.status_text()
        commands = [title for title, _cb in CrmCommands(app.screen)._commands()]
        assert "Administration: add user" not in commands and "System: log out / switch user" in commands
        assert "admin" not in [a.id for a in app.screen.areas]
        await pilot.press("ctrl+y")  # the key does the same
        await settle(pilot)
        assert type(app.screen).__name__ == "LoginScreen" and app.actor is None
