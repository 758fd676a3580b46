"""Fixtures of the snapshot harness (see ``tests/tui/snapshot_kit.py``)."""

from __future__ import annotations

import shutil

import pytest

from tests.tui.snapshot_kit import DAY, PASSWORDS


@pytest.fixture(scope="session")
def _still_demo(tmp_path_factory):
    """The demo company as it stood on ``DAY``: a SQLite file each snapshot copies."""
    from click.testing import CliRunner

    from crm_tui.cli import cli
    from crm_tui.core import clock
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine

    path = tmp_path_factory.mktemp("still-demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    home = tmp_path_factory.mktemp("still-demo-home")
    with clock.frozen(DAY):
        result = CliRunner().invoke(cli, ["--db", f"sqlite:///{path}", "demo"],
                                    env={"CRM_HOME": str(home), "CRM_PASSWORD": "admin-pass"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the copies take the file alone, not its WAL
    engine.dispose()
    return path


@pytest.fixture
def still_app(_still_demo, tmp_path, monkeypatch):
    """Makes the app for a recipe on a copy of the still demo, with the clock stopped and a fixed database label."""
    from crm_tui.app import CrmApp, create_app
    from crm_tui.core import clock
    from crm_tui.db.engine import make_engine
    from crm_tui.i18n import get_language, set_language

    path = tmp_path / "demo.db"
    shutil.copyfile(_still_demo, path)
    engine = make_engine(f"sqlite:///{path}")
    monkeypatch.setattr(CrmApp, "database_label", property(lambda self: "sqlite:///crm.db"))
    before = get_language()

    def make(lang: str, login: str):
        set_language(lang)
        app = create_app(engine=engine, auto_login=(login, PASSWORDS[login]) if login else None)
        app.animation_level = "none"  # a tab's underline caught half-way moved from one picture to the next
        return app

    with clock.frozen(DAY):
        yield make
    set_language(before)
    engine.dispose()
