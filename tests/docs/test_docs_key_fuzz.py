"""Every key of the knowledge base area and of the attachments dialog, pressed at 80×24 on the demo company
(as tests/tui/test_key_fuzz.py does for the other areas): nothing may crash."""

from __future__ import annotations

import pytest

from tests.tui.helpers import settle
from tests.tui.test_key_fuzz import _domain_errors, _error_class, _press_all

pytestmark = [pytest.mark.xdist_group("demo"), pytest.mark.skipif(
    __import__("os").environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
    reason="presses write keys; the PostgreSQL demo schema is shared read-only")]


def _unexpected(errors: list[str]) -> list[str]:
    domain = {c.__name__ for c in _domain_errors()}
    return [e for e in errors if _error_class(e) not in domain]


async def test_every_key_of_the_knowledge_base(demo, _app_errors, monkeypatch):
    from crm_tui.app import create_app
    from crm_tui.services.docs import attachments

    monkeypatch.setattr(attachments, "open_with_system", lambda path: None)
    app = create_app(engine=demo.engine, auto_login=("admin", "admin-pass"))
    pressed: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_area("kb")
        await settle(pilot)
        app.screen.query_one("#kb-list").focus()
        await _press_all(pilot, depth=1, pressed=pressed)
        assert app.is_running, pressed[-1:]
    assert {"MainScreen:f2", "MainScreen:f4", "MainScreen:enter"} <= set(pressed), pressed
    assert not _unexpected(_app_errors), (pressed, _app_errors)


async def test_every_key_of_the_attachments_dialog(demo, _app_errors, monkeypatch):
    from sqlalchemy import select

    from crm_tui.app import create_app
    from crm_tui.db.models.docs import Attachment
    from crm_tui.db.session import read_session
    from crm_tui.screens.docs.attachments import AttachmentsDialog
    from crm_tui.services.docs import attachments

    monkeypatch.setattr(attachments, "open_with_system", lambda path: None)
    with read_session(demo.engine) as s:
        customer_id = s.scalars(select(Attachment.customer_id).order_by(Attachment.id)).first()
    app = create_app(engine=demo.engine, auto_login=("admin", "admin-pass"))
    pressed: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(AttachmentsDialog("customer", customer_id, "附件"))
        await settle(pilot)
        await _press_all(pilot, depth=1, pressed=pressed)
        assert app.is_running, pressed[-1:]
    assert {"AttachmentsDialog:f8", "AttachmentsDialog:f9", "AttachmentsDialog:ctrl+o"} <= set(pressed), pressed
    assert not _unexpected(_app_errors), (pressed, _app_errors)
