"""Shared fixtures. Every test runs with CRM_HOME in its own tmp folder.

The ``engine`` fixture gives a migrated, empty database: SQLite in tmp_path by default, or PostgreSQL when
``CRM_TEST_DATABASE`` holds a URL (``.ci/run`` runs the suite once each way). On PostgreSQL each test run gets
its own schema, so parallel runs never see each other; tables are emptied between tests.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")

PG_URL = os.environ.get("CRM_TEST_DATABASE", "")
ON_PG = PG_URL.startswith("postgresql")
_SCHEMA = f"crm_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"


def pytest_report_header(config):
    return f"crm-tui database under test: {'PostgreSQL ' + PG_URL if ON_PG else 'SQLite'}"


def _drives_screens(item) -> bool:
    """A test that drives the app with Pilot: an async test in a module that calls ``run_test``."""
    import inspect

    fn = getattr(item, "function", None)
    if fn is None or not inspect.iscoroutinefunction(fn):
        return False
    return "run_test(" in inspect.getsource(item.module)


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL the screen tests are skipped unless CRM_TEST_SCREENS=1: screens reach the database only
    through services, whose own tests run on both engines, and the Pilot tests are half of the suite's time."""
    if not ON_PG or os.environ.get("CRM_TEST_SCREENS") == "1":
        return
    skip = pytest.mark.skip(reason="screen test: runs on SQLite (CRM_TEST_SCREENS=1 runs it on PostgreSQL too)")
    for item in items:
        if _drives_screens(item):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _plugins():
    """The areas' plug-ins, registered as the app and the CLI register them (crm_tui/bootstrap.py)."""
    from crm_tui.bootstrap import install_plugins

    install_plugins()


@pytest.fixture(autouse=True)
def crm_home(tmp_path, monkeypatch):
    home = tmp_path / "crm-home"
    monkeypatch.setenv("CRM_HOME", str(home))
    for var in ("CRM_DATABASE_URL", "CRM_USER", "CRM_PASSWORD", "CRM_NEW_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    from crm_tui import config
    from crm_tui.i18n import set_language

    config.reload_settings()
    set_language("en")
    yield home
    config.reload_settings()


@pytest.fixture(autouse=True)
def _today_home(request, crm_home, monkeypatch):
    """The today view opens first after login (issue 15). The areas' Pilot tests and pictures start from their own
    list, as they did before it came, so it opens first only in tests marked ``today_home``."""
    from crm_tui import config

    if request.node.get_closest_marker("today_home") is None:
        monkeypatch.setitem(config.DEFAULTS["today"], "home", False)
        config.reload_settings()


@pytest.fixture(scope="session", autouse=True)
def _pinyin_cache(tmp_path_factory):
    """One pinyin table cache for the run (the app's entry point names one in the user's cache folder)."""
    from crm_tui.core import pinyin

    pinyin.set_cache_dir(tmp_path_factory.getbasetemp().parent / "pinyin-cache")


_HASHES: dict[str, str] = {}
_VERIFIED: dict[tuple[str, str], bool] = {}


@pytest.fixture(autouse=True)
def _memoized_password_hashing(monkeypatch):
    """argon2id with 64 MiB costs ~0.1 s a call; tests hash the same few passwords hundreds of times.

    The real algorithm and parameters are used (once per password per run); only repeats are served from memory.
    """
    from crm_tui.services.admin import passwords

    real_hash, real_verify = passwords.hash_password, passwords.verify_password

    def hash_password(password: str) -> str:
        if password not in _HASHES:
            _HASHES[password] = real_hash(password)
        return _HASHES[password]

    def verify_password(password_hash, password: str) -> bool:
        key = (password_hash or "", password)
        if key not in _VERIFIED:
            _VERIFIED[key] = real_verify(password_hash, password)
        return _VERIFIED[key]

    monkeypatch.setattr(passwords, "hash_password", hash_password)
    monkeypatch.setattr(passwords, "verify_password", verify_password)
    for module in ("crm_tui.services.admin.users", "crm_tui.services.demo.people"):
        mod = __import__(module, fromlist=["x"])
        if hasattr(mod, "hash_password"):
            monkeypatch.setattr(mod, "hash_password", hash_password)
        if hasattr(mod, "verify_password"):
            monkeypatch.setattr(mod, "verify_password", verify_password)


def _pg_url_with_schema() -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{_SCHEMA}"


@pytest.fixture(scope="session")
def _pg_schema():
    from sqlalchemy import create_engine, text

    from crm_tui.db.engine import resolve_url

    admin = create_engine(resolve_url(PG_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{_SCHEMA}"'))
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine

    engine = make_engine(_pg_url_with_schema())
    migrate.upgrade(engine)
    engine.dispose()
    yield _pg_url_with_schema()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{_SCHEMA}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine

    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _truncate_all(engine) -> None:
    from sqlalchemy import inspect, text

    names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
    if names:
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))


@pytest.fixture
def db_url(request, tmp_path) -> str:
    """URL of a migrated, empty database for this test."""
    if ON_PG:
        url = request.getfixturevalue("_pg_schema")
        from crm_tui.db.engine import make_engine

        eng = make_engine(url)
        _truncate_all(eng)
        eng.dispose()
        return url
    template = request.getfixturevalue("_sqlite_template")
    path = tmp_path / "crm-home" / "data" / "crm.db"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.copyfile(template, path)  # a fresh copy of a closed, checkpointed template: fine for tests
    os.chmod(path, 0o600)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(db_url):
    from crm_tui.db.engine import make_engine

    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def admin(engine):
    """The first administrator (login ``admin``, password ``admin-pass``) as an Actor."""
    from crm_tui.services.admin.database import initialize

    return initialize(engine, "admin", "admin-pass", "测试公司", "管理员")


@pytest.fixture
def make_user(engine, admin):
    """``make_user("lisi", "salesperson", supervisor_id=..., department_id=...)`` -> Actor."""
    from crm_tui.core.actor import Actor
    from crm_tui.db.session import transaction
    from crm_tui.services.admin import users

    def make(login: str, role: str = "salesperson", name: str | None = None, password: str | None = "pass-1234",
             **attrs) -> Actor:
        with transaction(engine, admin) as session:
            uid = users.add_user(session, admin, login, name or login, role, password, **attrs)
        return Actor(uid, login, name or login, role, attrs.get("department_id"))

    return make


# --- the demo company, built once per test process ------------------------------------------------------------

@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory):
    """The demo company, made by ``crm demo`` in a database of its own: (url, admin, counts, output).

    Building it takes 10-50 s, so the tests that only read it share one build (they are grouped on one worker:
    ``xdist_group("demo")``)."""
    from click.testing import CliRunner
    from sqlalchemy import create_engine, select, text

    from crm_tui.cli import cli
    from crm_tui.core.actor import Actor
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine, resolve_url
    from crm_tui.db.models.people import User
    from crm_tui.i18n import set_language

    if ON_PG:
        schema = f"{_SCHEMA}_demo"
        admin_engine = create_engine(resolve_url(PG_URL))
        with admin_engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in PG_URL else "?"
        url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    set_language("en")
    home = tmp_path_factory.mktemp("demo-home")  # session fixtures run before the per-test CRM_HOME
    result = CliRunner().invoke(cli, ["--db", url, "demo"], env={"CRM_HOME": str(home), "CRM_PASSWORD": "admin-pass"},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    ready = next(line for line in result.output.splitlines() if line.startswith("Demo company ready: "))
    counts = {k: int(v) for k, v in (item.rsplit(" ", 1) for item in ready.split(": ", 1)[1].split(", "))}
    with engine.connect() as conn:
        user = conn.execute(select(User).where(User.login == "admin")).one()
    if not ON_PG:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    admin = Actor(user.id, user.login, user.display_name, user.role, user.department_id)
    engine.dispose()
    yield url, admin, counts, result.output
    if ON_PG:
        with admin_engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin_engine.dispose()


@pytest.fixture
def demo(_demo_template, tmp_path):
    """The demo company for a test that reads it: ``demo.engine``, ``demo.url``, ``demo.admin`` (password
    ``admin-pass``), ``demo.counts``, ``demo.output`` (what ``crm demo`` printed). On SQLite
    each test gets its own copy; on PostgreSQL the tests share the schema and must not write."""
    from types import SimpleNamespace

    from crm_tui.db.engine import make_engine

    url, admin, counts, output = _demo_template
    if not ON_PG:
        path = tmp_path / "demo.db"
        shutil.copyfile(url.removeprefix("sqlite:///"), path)
        url = f"sqlite:///{path}"
    engine = make_engine(url)
    yield SimpleNamespace(engine=engine, admin=admin, counts=counts, url=url, output=output)
    engine.dispose()


# --- errors a screen reported: kept for the failure report (a notification expires before a test gives up) -----

@pytest.fixture(autouse=True)
def _app_errors(request, monkeypatch):
    import traceback

    from crm_tui.app import CrmApp

    seen: list[str] = []
    real = CrmApp.report_error

    def report_error(self, exc):
        seen.append("".join(traceback.format_exception(exc)))
        return real(self, exc)

    monkeypatch.setattr(CrmApp, "report_error", report_error)
    request.node.crm_app_errors = seen
    return seen


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    errors = getattr(item, "crm_app_errors", None)
    if report.when == "call" and report.failed and errors:
        report.sections.append(("crm app errors", "\n".join(errors)))
    return report
