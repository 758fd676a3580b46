"""The messages area driven with Pilot: a new template (an unknown field is named, nothing saved), F7 sends what
waits in the outbox, F6 walks the lists."""

from __future__ import annotations

from sqlalchemy import select

from crm_tui.db.models.messaging import MessageTemplate, OutboxMessage
from crm_tui.db.session import read_session, transaction
from tests.tui.helpers import fill, screen_text, settle, wait_for_text


async def test_new_template_send_pending_and_lists(engine, team, _app_errors):
    from textual.widgets import TabbedContent, TextArea

    from crm_tui.app import create_app
    from crm_tui.services.messaging import sending, templates

    with transaction(engine, team.admin) as s:
        templates.add_template(s, team.admin, "问候", "sms", "{联系人}您好")
        sending.send(s, team.admin, "问候", customer_codes=[team.codes["北京华夏科技有限公司"]])
    app = create_app(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_area("messages")
        await settle(pilot)
        app.screen.show_area("messages", focus=True)
        await settle(pilot)
        assert await wait_for_text(pilot, "13800138000")
        assert "queued" in screen_text(app)

        await pilot.press("f7")  # the file adapter (the default) takes the SMS
        await settle(pilot, rounds=5)
        assert await wait_for_text(pilot, "sent 1")

        await pilot.press("f2")
        await settle(pilot)
        assert type(app.screen).__name__ == "TemplateForm"
        await fill(pilot, "#name", "发货")
        app.screen.query_one("#body", TextArea).text = "{联系人}：货已发出{单号}"
        await settle(pilot)
        assert str(app.screen.query_one("#sms-length").content) == "14 characters (ucs2), 1 SMS"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await wait_for_text(pilot, "{单号}")
        assert type(app.screen).__name__ == "TemplateForm"
        app.screen.query_one("#body", TextArea).text = "{联系人}：货已由{快递公司}发出，单号{快递单号}"
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        assert type(app.screen).__name__ == "MainScreen"
        tabs = app.screen.query_one("#messages-tabs", TabbedContent)
        assert tabs.active == "tab-templates"
        await pilot.press("f6")
        assert tabs.active == "tab-campaigns"
    with read_session(engine) as s:
        assert s.scalar(select(MessageTemplate.body).where(MessageTemplate.name == "发货")).endswith("{快递单号}")
        assert s.scalar(select(OutboxMessage.status)) == "sent"
    assert [e for e in _app_errors if "Unknown merge field" not in e] == []  # no other error reached the user
