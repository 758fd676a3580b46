"""CrmApp: start-up (database, setup or login), the main screen, global keys, one error handler."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")  # before textual is imported (see __main__.py)

from textual.app import App, ComposeResult  # noqa: E402
from textual.binding import Binding  # noqa: E402
from textual.widgets import LoadingIndicator, Static  # noqa: E402

from crm_tui.i18n import _, get_language, set_language  # noqa: E402
from crm_tui.screens.base import translate_bindings  # noqa: E402
from crm_tui.screens.commands import CrmCommands  # noqa: E402
from crm_tui.screens.customers.commands import CustomerFinder  # noqa: E402
from crm_tui.widgets.textual_i18n import CrmCommandPalette, key_display, set_widget_defaults  # noqa: E402
from crm_tui.widgets.work import WorkHost, start_work  # noqa: E402


class CrmApp(WorkHost, App):
    CSS_PATH = "app.tcss"
    TITLE = "crm-tui"
    COMMANDS = App.COMMANDS | {CrmCommands, CustomerFinder}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f1", "toggle_help", "Keys", id="app.help"),
        Binding("ctrl+t", "toggle_dark", "Theme", id="app.theme", show=False),
        Binding("f12", "switch_language", "中文/English", id="app.language", show=False),
        Binding("ctrl+y", "logout", "Log out / switch user", id="app.logout", show=False),
        # Moved here from the screen, and first: the keys typed before a Tab are already queued at the field
        # they were typed into, and the ones after it must go to the next field, even when a scanner or a paste
        # sends them within a few milliseconds (a screen binding would run only after they were handed out).
        Binding("tab", "focus_next", "Next field", id="app.focus_next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", id="app.focus_previous", show=False,
                priority=True),
    ]

    def __init__(self, db_url: str | None = None, engine=None, auto_login: tuple[str, str] | None = None,
                 install_plugins: Callable[[], None] | None = None):
        super().__init__()
        self.install_plugins = install_plugins
        translate_bindings(self)
        set_widget_defaults()
        self.db_url = db_url
        self.engine = engine
        self.actor = None
        self.auto_login = auto_login
        self.db_ready = threading.Event()  # set once the database is open (or failed to open)
        self.db_error: Exception | None = None
        self.early_login = False
        from crm_tui.config import get_settings

        self.theme = get_settings()["general"].get("theme", "textual-dark")

    def compose(self) -> ComposeResult:
        yield Static(_("Opening the database…"), id="boot-message")
        yield LoadingIndicator()

    def on_mount(self) -> None:
        self.title = _("crm-tui · Customers and sales")
        if self.engine is None and self._database_probably_set_up():
            # Show the login form at once; the database (and the model imports, ~1 s) opens behind it.
            from crm_tui.screens.start import LoginScreen

            self.early_login = True
            self.push_screen(LoginScreen(auto_login=self.auto_login))
            self._first_screen_shown()
        start_work(self, lambda _job: self._open_database(), done=lambda ready: self._database_ready(*ready),
                   on_error=self._boot_failed, group="boot")

    # --- start-up ------------------------------------------------------------------------------

    def _database_probably_set_up(self) -> bool:
        """A non-empty SQLite file, or a server database, is most likely set up. Decided without SQLAlchemy."""
        from crm_tui.paths import get_paths

        url = self.db_url or os.environ.get("CRM_DATABASE_URL")
        if not url:
            path = get_paths().default_database
        elif url.startswith("sqlite:///"):
            path = Path(url[len("sqlite:///"):])
        else:
            return True
        return path.is_file() and path.stat().st_size > 0

    def _first_screen_shown(self) -> None:
        probe = os.environ.get("CRM_STARTUP_PROBE")
        if probe:  # bench/startup.py: note when the first real screen is drawn, then leave
            def drawn() -> None:
                import time

                Path(probe).write_text(repr(time.time()))
                self.exit()

            self.call_after_refresh(drawn)

    def _open_database(self) -> tuple[bool, str | None]:
        """In a worker: open (and upgrade) the database; says whether it is set up, and the backup taken."""
        from crm_tui.config import write_defaults_if_missing
        from crm_tui.log import setup_logging
        from crm_tui.services.admin.database import ensure_schema, is_initialized

        write_defaults_if_missing()
        setup_logging()
        if self.engine is None:
            from crm_tui.db.engine import make_engine

            self.engine = make_engine(self.db_url)
        backup_path = ensure_schema(self.engine)
        initialized = is_initialized(self.engine)
        if self.install_plugins is not None:  # last: the first screen is drawn meanwhile
            self.install_plugins()
        if initialized:  # once a day: customers with no contact for N days back to the public pool
            from crm_tui.services.customers.pool import run_daily_at_start

            run_daily_at_start(self.engine)
            from crm_tui.services.customers.search_index import catch_up_later

            catch_up_later(self.engine)  # search rows an import left unindexed (it was stopped before it)
        return initialized, backup_path

    def _boot_failed(self, exc: Exception) -> None:
        self.db_error = exc
        self.db_ready.set()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.query_one("#boot-message", Static).update(
            _("Cannot open the database: {err}").format(err=self._describe(exc)) + "\n" + _("Press ctrl+q to quit.")
        )
        for widget in self.query(LoadingIndicator):
            widget.remove()

    def _database_ready(self, initialized: bool, backup_path: str | None) -> None:
        if backup_path:
            self.notify(_("Database upgraded; a backup was taken first: {path}").format(path=backup_path))
        from crm_tui.screens.start import LoginScreen, SetupScreen

        self.db_ready.set()
        if self.early_login:
            if not initialized:
                self.switch_screen(SetupScreen())
            return
        if not initialized:
            self.push_screen(SetupScreen())
        else:
            self.push_screen(LoginScreen(auto_login=self.auto_login))
        self._first_screen_shown()

    def logged_in(self, actor) -> None:
        """Called by the login and setup screens: replace them with the main screen."""
        from crm_tui.screens.main import MainScreen

        self.actor = actor
        self.switch_screen(MainScreen())
        from crm_tui.screens.messaging import background

        background.start(self)  # pending messages go out in the background

    @property
    def database_label(self) -> str:
        if self.engine is None:
            return ""
        return self.engine.url.render_as_string(hide_password=True)

    # --- Textual's own words, in our language ------------------------------------------------------

    def get_key_display(self, binding: Binding) -> str:
        return key_display(binding)

    def get_system_commands(self, screen):
        """Textual's system commands a clerk may use, translated (ours, in CrmCommands, cover the rest)."""
        from textual.app import SystemCommand

        if screen.maximized is not None:
            yield SystemCommand(_("Minimize"), _("Minimize the widget and restore to normal size"),
                                screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(_("Maximize"), _("Maximize the focused widget"), screen.action_maximize)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CrmCommandPalette.is_open(self):
            self.push_screen(CrmCommandPalette(id="--command-palette"))

    # --- actions -------------------------------------------------------------------------------

    def action_toggle_help(self) -> None:
        from textual.widgets import HelpPanel

        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_toggle_dark(self) -> None:
        from crm_tui.config import update_settings

        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"
        update_settings("general", theme=self.theme)

    def action_switch_language(self) -> None:
        from crm_tui.config import update_settings
        from crm_tui.screens.main import MainScreen

        if self.actor is not None and not isinstance(self.screen, MainScreen):
            # the switch rebuilds the main screen: a form open over it would be thrown away with what was typed
            self.notify(_("Close this window first, then switch the language."), severity="warning")
            return
        lang = set_language("en" if get_language() == "zh_CN" else "zh_CN")
        update_settings("general", language=lang)
        translate_bindings(self)
        set_widget_defaults()
        self.title = _("crm-tui · Customers and sales")
        if self.actor is not None:
            area = self.screen.current_area if isinstance(self.screen, MainScreen) else None
            self.switch_screen(MainScreen(area))
        self.notify(_("Language: English") if lang == "en" else _("Language: 中文"))

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "logout" and self.actor is None:
            return False  # nobody to log out (login and setup screens)
        return super().check_action(action, parameters)

    def action_logout(self) -> None:
        """Back to the login form: every open screen and dialog closes, and the next login gets its own rights."""
        from crm_tui.screens.start import LoginScreen

        if self.actor is None:
            return
        self.actor = None
        self._close_screens_above_main()
        self.clear_notifications()
        self.switch_screen(LoginScreen())

    def action_fill_demo(self) -> None:
        """Palette: the demo company, into a database with no users but administrators (the service checks)."""
        from crm_tui.screens.admin.demo import DemoDialog
        from crm_tui.screens.main import MainScreen

        def filled(done: bool | None) -> None:
            if done and isinstance(self.screen, MainScreen):
                self.switch_screen(MainScreen(self.screen.current_area))  # the areas show the new data

        self.push_screen(DemoDialog(), filled)

    def _close_screens_above_main(self) -> None:
        while len(self.screen_stack) > 2:  # the base screen, then the main screen
            self.pop_screen()

    def open_area(self, area_id: str) -> None:
        from crm_tui.screens.main import MainScreen

        if isinstance(self.screen, MainScreen):
            self.screen.show_area(area_id)

    def open_link(self, link: str) -> None:
        """Open the record ``link`` names ("customer:12", "order:3", "user:5" …; screens/today/links.py)."""
        from crm_tui.screens.today.links import open_link

        open_link(self.screen, link)

    def run_area_action(self, area_id: str, action: str) -> None:
        from crm_tui.screens.main import MainScreen

        if isinstance(self.screen, MainScreen):
            self.screen.run_area_action(area_id, action)

    def show_waiting(self, text: str) -> None:
        """A job waits for another user's write (``text``), or no longer does (empty): say so in the status line."""
        from crm_tui.screens.main import MainScreen

        if not text:  # the wait is over wherever it was said
            for screen in self.screen_stack:
                if hasattr(screen, "show_waiting"):
                    screen.show_waiting("")
            return
        if hasattr(self.screen, "show_waiting"):  # a form says it in its message line, as information
            self.screen.show_waiting(text)
            return
        for screen in reversed(self.screen_stack):
            if isinstance(screen, MainScreen):
                screen.show_waiting(text)
                return
        if text:
            self.notify(text, timeout=3)

    # --- the one error handler -----------------------------------------------------------------

    @staticmethod
    def _describe(exc: BaseException) -> str:
        from crm_tui.log import describe

        return describe(exc, "the app")

    def _handle_exception(self, error: Exception) -> None:
        """A crash Textual ends the app for: its traceback goes to the log file too, not only to the screen."""
        from crm_tui.log import log_unexpected

        log_unexpected(error, "the app (it stopped)")
        super()._handle_exception(error)

    def report_error(self, exc: BaseException) -> None:
        """Every failed service call ends here: one line for the user; an unexpected error's traceback goes to
        the log file, whose path the line gives."""
        self.notify(self._describe(exc), title=_("Error"), severity="error", timeout=8)


def create_app(db_url: str | None = None, engine=None, auto_login: tuple[str, str] | None = None) -> CrmApp:
    """The app with every area's plug-ins (installed by the boot worker, off the first screen's path)."""
    from crm_tui.bootstrap import install_plugins

    return CrmApp(db_url=db_url, engine=engine, auto_login=auto_login, install_plugins=install_plugins)


def run_app(db_url: str | None = None, lang: str | None = None) -> None:
    from crm_tui.config import get_settings

    set_language(lang or get_settings()["general"].get("language"))
    user, password = os.environ.get("CRM_USER"), os.environ.get("CRM_PASSWORD")
    create_app(db_url=db_url, auto_login=(user, password) if user and password else None).run()
