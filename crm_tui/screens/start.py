"""First run (setup with the demo company on offer) and login."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Checkbox, Footer, Input, ProgressBar, Static

from crm_tui.i18n import _
from crm_tui.screens.base import CrmScreen, MessageLine
from crm_tui.widgets.forms import Field
from crm_tui.widgets.tickbox import TickBox
from crm_tui.widgets.work import start_work


class SetupScreen(CrmScreen):
    """An empty database: name the company, create the administrator, optionally fill the demo company."""

    BINDINGS = [Binding("ctrl+s", "create", "Create", id="setup.create")]

    def compose(self) -> ComposeResult:
        with Center():
            with Vertical(classes="card"):
                yield Static(_("Welcome to crm-tui"), classes="card-title")
                yield Static(_("This database is empty. Set up your company and its first administrator."),
                             classes="card-text")
                yield Field(_("Company"), Input(placeholder=_("e.g. 临沂华夏商贸有限公司"), id="company"))
                yield Field(_("Administrator login"), Input("admin", id="login"), required=True)
                yield Field(_("Display name"), Input(_("Administrator"), id="name"))
                yield Field(_("Password"), Input(password=True, id="password"), required=True)
                yield Field(_("Repeat password"), Input(password=True, id="password2"), required=True)
                yield TickBox(_("Fill a demo company so I can look around at once"), True, id="demo")
                yield MessageLine("", id="message")
                yield ProgressBar(id="progress", show_eta=False)
                with Horizontal(classes="dialog-buttons"):
                    yield Button(_("Create") + " (ctrl+s)", variant="primary", id="create")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#progress").display = False
        self.query_one("#company", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_create()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "password2":
            self.action_create()
        else:
            self.focus_next()

    def _message(self, text: str) -> None:
        self.query_one("#message", MessageLine).show_error(text)

    def action_create(self) -> None:
        from crm_tui.services.admin.passwords import check_strength
        from crm_tui.services.admin.users import LOGIN_RE

        login = self.query_one("#login", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not LOGIN_RE.match(login):
            return self._message(_("Login must be 2-64 letters, digits or . _ - @."))
        problem = check_strength(password)
        if problem:
            return self._message(_(problem))
        if password != self.query_one("#password2", Input).value:
            return self._message(_("The two passwords differ."))
        self._message("")
        self.query_one("#create", Button).disabled = True
        self.query_one("#progress").display = True
        values = (login, password, self.query_one("#company", Input).value.strip(),
                  self.query_one("#name", Input).value.strip() or login, self.query_one("#demo", Checkbox).value)
        start_work(self, lambda job: self._create(job, *values), done=self.app.logged_in, on_error=self._failed,
                   on_progress=self._progress, group="setup")

    @staticmethod
    def _create(job, login: str, password: str, company: str, name: str, demo: bool):
        from crm_tui.services.admin.database import initialize

        actor = initialize(job.engine, login, password, company, name)
        if demo:
            from crm_tui.services.demo import run_demo

            run_demo(job.engine, actor, lambda title, i, n: job.progress(i, n, title))
        return actor

    def _progress(self, done: int, total: int | None, title: str) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=total, progress=done)
        line = self.query_one("#message", MessageLine)
        line.show_error("")  # progress, not an error: plain text
        line.update(f"[{done}/{total}] {title}")

    def _failed(self, exc: Exception) -> None:
        self.query_one("#create", Button).disabled = False
        self.app.report_error(exc)


class LoginScreen(CrmScreen):
    BINDINGS = [Binding("ctrl+s", "login", "Log in", id="login.submit", show=False)]

    def __init__(self, auto_login: tuple[str, str] | None = None):
        super().__init__()
        self.auto_login = auto_login

    def compose(self) -> ComposeResult:
        from crm_tui.config import get_settings

        company = get_settings()["company"].get("name") or "crm-tui"
        with Center():
            with Vertical(classes="card"):
                yield Static(company, classes="card-title")
                yield Static(_("Log in"), classes="card-text")
                yield Field(_("Login"), Input(id="login"))
                yield Field(_("Password"), Input(password=True, id="password"))
                yield MessageLine("", id="message")
                with Horizontal(classes="dialog-buttons"):
                    yield Button(_("Log in") + " (Enter)", variant="primary", id="submit")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#login", Input).focus()
        if self.auto_login:
            self._try(*self.auto_login)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "login":
            self.query_one("#password", Input).focus()
        else:
            self.action_login()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_login()

    def action_login(self) -> None:
        self._try(self.query_one("#login", Input).value, self.query_one("#password", Input).value)

    def _try(self, login: str, password: str) -> None:
        if self.app.db_error is not None:
            return
        if not self.app.db_ready.is_set():  # typed before the database finished opening: try once it has
            start_work(self, lambda _job: self.app.db_ready.wait(300), done=lambda _ready: self._try(login, password),
                       group="login-wait")
            return
        from crm_tui.services.admin.login import log_in

        def work(job):  # after repeated failures the attempt waits first: in the worker, not the UI
            return log_in(job.engine, login, password, on_wait=job.waiting)

        self.query_one("#message", MessageLine).show_error("")
        start_work(self, work, done=self.app.logged_in, group="login")
