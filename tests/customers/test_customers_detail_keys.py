"""The customer screen's keys for what had no key before: F7 makes a contact primary, ctrl+e corrects one's own log,
ctrl+d marks its follow-up done."""

from datetime import datetime

from sqlalchemy import select
from textual.widgets import DataTable, TextArea

from crm_tui.app import CrmApp
from crm_tui.db.models.customers import Contact, ContactLog
from crm_tui.db.session import read_session, transaction
from crm_tui.services.customers import contact_logs, contacts
from crm_tui.services.customers import records as customers
from tests.customers.test_customers_tui import open_customer, start, until
from tests.tui.helpers import screen_text, settle


def _setup(engine, admin, make_user):
    mgr = make_user("mgr", "manager", "钱经理")
    s1 = make_user("s1", "salesperson", "孙伟", supervisor_id=mgr.id)
    with transaction(engine, admin) as s:
        cid = customers.create_customer(s, admin, code="K1", name="北京华夏科技有限公司", owner_id=s1.id)
        first = contacts.add_contact(s, admin, cid, name="张建国")
        second = contacts.add_contact(s, admin, cid, name="王小红")
    with transaction(engine, s1) as s:
        reviewed = contact_logs.add_log(s, s1, cid, "phone", "电话问候", at=datetime(2026, 11, 1, 10, 0))
        open_log = contact_logs.add_log(s, s1, cid, "visit", "拜访店长", at=datetime(2026, 11, 2, 9, 30),
                                        contact_id=first, next_step="送样品", next_follow_up="2099-01-05")
    with transaction(engine, mgr) as s:
        contact_logs.review_log(s, mgr, reviewed, "好")
    return cid, first, second, open_log, reviewed


async def test_primary_contact_edit_log_and_follow_up_done_by_keys(engine, admin, make_user):
    cid, first, second, open_log, reviewed = _setup(engine, admin, make_user)
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await open_customer(pilot, "K1")
        await until(pilot, lambda: "王小红" in screen_text(app))
        people = app.screen.query_one("#contacts", DataTable)
        people.focus()
        people.move_cursor(row=1)  # 王小红, listed after the primary contact
        await pilot.press("f7")
        await settle(pilot)
        await until(pilot, lambda: app.screen.view.contacts[0].name == "王小红")

        logs = app.screen.query_one("#logs", DataTable)
        logs.focus()
        logs.move_cursor(row=1)  # the reviewed log can no longer be changed
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert type(app.screen).__name__ == "CustomerScreen"
        assert any("can no longer be changed" in str(n.message) for n in app._notifications)

        logs.move_cursor(row=0)  # the newest: the visit with an open follow-up
        await pilot.press("ctrl+e")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "LogForm"
        summary = form.query_one("#summary", TextArea)
        assert summary.text == "拜访店长" and form.query_one("#at").disabled
        summary.text = "拜访店长，谈年货团购"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerScreen"
        await until(pilot, lambda: "拜访店长，谈年货团购" in screen_text(app))

        app.screen.query_one("#logs", DataTable).move_cursor(row=0)
        await pilot.press("ctrl+d")
        await settle(pilot)
        await until(pilot, lambda: "送样品 ✓" in screen_text(app))
        await pilot.press("ctrl+d")  # done already: said, nothing changes
        await pilot.pause()
        assert any("no open follow-up" in str(n.message) for n in app._notifications)
    with read_session(engine) as s:
        assert {c.name: c.is_primary for c in s.scalars(select(Contact).where(Contact.customer_id == cid))} == {
            "张建国": False, "王小红": True}
        log = s.get(ContactLog, open_log)
        assert (log.summary, log.at, log.kind, log.contact_id) == (
            "拜访店长，谈年货团购", datetime(2026, 11, 2, 9, 30), "visit", first)
        assert log.follow_up_done_at is not None and str(log.next_follow_up) == "2099-01-05"
        assert s.get(ContactLog, reviewed).summary == "电话问候"


async def test_only_the_author_edits_a_log(engine, admin, make_user):
    cid, _first, _second, open_log, _reviewed = _setup(engine, admin, make_user)
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await open_customer(pilot, "K1")
        await until(pilot, lambda: "拜访店长" in screen_text(app))
        logs = app.screen.query_one("#logs", DataTable)
        logs.focus()
        logs.move_cursor(row=0)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert type(app.screen).__name__ == "CustomerScreen"
        assert any("Only the author" in str(n.message) for n in app._notifications)


async def test_log_keys_on_a_customer_without_logs_say_so(engine, admin):
    with transaction(engine, admin) as s:
        customers.create_customer(s, admin, code="K9", name="临沂新客户")
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await open_customer(pilot, "K9")
        await until(pilot, lambda: "临沂新客户" in screen_text(app))
        await pilot.press("ctrl+e")
        await settle(pilot)
        notices = [n.message for n in app._notifications]
        assert any("no contact log" in m for m in notices), notices
        assert type(app.screen).__name__ != "LogForm"
