"""Pilot flows of the customers area: find by pinyin initials, add a contact, log a visit, review it as the
manager, transfer customers, run an import with errors and read them on screen."""

import pytest
from sqlalchemy import select
from textual.widgets import Input, Select, TextArea

from crm_tui.app import CrmApp
from crm_tui.db.models.customers import Contact, ContactLog, Customer
from crm_tui.db.session import read_session, transaction
from crm_tui.services.customers import contact_logs
from crm_tui.services.customers import records as customers
from crm_tui.widgets.record_table import RecordTable
from tests.io.io_builders import write_xlsx
from tests.tui.helpers import fill, screen_text, settle


@pytest.fixture
def team(engine, admin, make_user):
    mgr = make_user("mgr", "manager", "钱经理")
    s1 = make_user("s1", "salesperson", "孙伟", supervisor_id=mgr.id, staff_number="S003")
    s2 = make_user("s2", "salesperson", "李娜", supervisor_id=mgr.id, staff_number="S004")
    with transaction(engine, admin) as s:
        ids = {
            "bjhx": customers.create_customer(s, admin, code="K1", name="北京华夏科技有限公司", owner_id=s1.id,
                                              area="河东片区"),
            "lyhx": customers.create_customer(s, admin, code="K2", name="临沂华夏商贸", owner_id=s1.id),
            "other": customers.create_customer(s, admin, code="K3", name="深圳华联超市", owner_id=s1.id),
        }
    return mgr, s1, s2, ids


async def start(pilot):
    await settle(pilot)
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "MainScreen", type(pilot.app.screen).__name__


async def type_into(pilot, selector, text):
    await fill(pilot, selector, text)
    await pilot.pause(0.3)  # the list follows the search box after a short pause in typing
    await settle(pilot)


async def until(pilot, condition, timeout: float = 30.0) -> None:
    """Wait until ``condition()`` holds (results reach the screen through workers and refreshes)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the screen never showed what was expected:\n" + screen_text(pilot.app)
        await pilot.pause(0.05)


async def open_import(pilot, path) -> None:
    """F7 on the list, then the file's path in the wizard."""
    await pilot.press("f7")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "ImportScreen"
    pilot.app.screen.query_one("#import-path", Input).value = str(path)


def table(app) -> RecordTable:
    return app.screen.query_one("#customer-table", RecordTable)


async def test_find_by_initials_add_contact_and_log_a_visit(engine, team):
    mgr, s1, s2, ids = team
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        assert "北京华夏科技有限公司" in screen_text(app) and "3 customers" in screen_text(app)
        await pilot.press("f3")
        await type_into(pilot, "#customer-search", "bjhx")
        assert table(app).total == 1 and table(app).cursor_key == ids["bjhx"]
        text = screen_text(app)
        assert "北京华夏科技有限公司" in text and "临沂华夏商贸" not in text
        table(app).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerScreen" and "K1" in screen_text(app)

        await pilot.press("f6")  # new contact
        await pilot.pause()
        await fill(pilot, "#name", "张建国")
        await fill(pilot, "#mobile", "1380013")
        assert "11-digit mobile" in screen_text(app)  # checked as you type
        await fill(pilot, "#mobile", "13800138000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerScreen" and "张建国" in screen_text(app)

        await pilot.press("f2")  # log a visit
        await pilot.pause()
        assert type(app.screen).__name__ == "LogForm"
        app.screen.query_one("#summary", TextArea).insert("拜访店长，谈年货团购")
        await fill(pilot, "#next_follow_up", "2099-01-05")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "拜访店长，谈年货团购" in screen_text(app)
    with read_session(engine) as s:
        contact = s.scalar(select(Contact).where(Contact.customer_id == ids["bjhx"]))
        assert (contact.name, contact.mobile, contact.is_primary) == ("张建国", "13800138000", True)
        log = s.scalar(select(ContactLog).where(ContactLog.customer_id == ids["bjhx"]))
        assert (log.kind, log.contact_id, log.author_id, str(log.next_follow_up)) == (
            "visit", contact.id, s1.id, "2099-01-05")


async def test_manager_reviews_and_the_author_reads_it(engine, team):
    mgr, s1, s2, ids = team
    with transaction(engine, s1) as s:
        log_id = contact_logs.add_log(s, s1, ids["lyhx"], "visit", "第一次拜访临沂华夏")
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        app.run_area_action("contact_logs", "review_queue")  # what "Contact logs: review queue" in ctrl+p runs
        await settle(pilot)
        await until(pilot, lambda: "第一次拜访临沂华夏" in screen_text(app))
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewForm"
        app.screen.query_one("#comment", TextArea).insert("下次带上新品目录")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    with read_session(engine) as s:
        log = s.get(ContactLog, log_id)
        assert (log.review_comment, log.reviewed_by_id) == ("下次带上新品目录", mgr.id)
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await pilot.press("f3")
        await type_into(pilot, "#customer-search", "lyhx")
        table(app).focus()
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: "钱经理: 下次带上新品目录" in screen_text(app))


async def test_manager_transfers_marked_customers(engine, team):
    mgr, s1, s2, ids = team
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        t = table(app)
        t.focus()
        await pilot.press("space", "space")  # K1 and K2 marked
        await settle(pilot)
        assert "2 marked" in screen_text(app)
        await pilot.press("f6")
        await settle(pilot)
        assert type(app.screen).__name__ == "TransferForm"
        app.screen.query_one("#user", Select).value = s2.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert any("2 customers" in str(n.message) for n in app._notifications)
    with read_session(engine) as s:
        owners = {c.code: c.owner_id for c in s.scalars(select(Customer))}
    assert owners == {"K1": s2.id, "K2": s2.id, "K3": s1.id}


async def test_import_with_errors_shows_every_bad_row(engine, team, tmp_path):
    mgr, s1, s2, ids = team
    path = write_xlsx(tmp_path / "客户导入.xlsx", [
        ["客户名称", "手机", "业务员", "信用额度"],
        ["新客户甲", "13800138000", "S004", "1,000"],
        ["新客户乙", "1380013", "S004", None],
        ["新客户丙", None, "无此人", "abc"],
        ["合计", None, None, 1000],
    ])
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await open_import(pilot, path)
        await pilot.press("f5")
        await settle(pilot)
        text = screen_text(app)
        assert "3 data rows" in text and "Would create 1" in text and "2 rows have problems" in text
        assert "11-digit mobile" in text and "no user has this staff number" in text and "amount" in text
        assert "Rows passed over, not customers: 5 (totals)" in text
        await pilot.press("ctrl+s")  # without "import the good rows": nothing is written
        await settle(pilot)
        assert "Nothing written" in screen_text(app)
        with read_session(engine) as s:
            assert s.scalar(select(Customer.id).where(Customer.name == "新客户甲")) is None
        app.screen.query_one("#skip-invalid").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Imported: created 1" in screen_text(app)
    with read_session(engine) as s:
        assert s.scalar(select(Customer.owner_id).where(Customer.name == "新客户甲")) == s2.id


async def test_command_palette_finds_only_visible_customers(engine, team, make_user):
    make_user("s9", "salesperson", "外人")
    app = CrmApp(engine=engine, auto_login=("s9", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"hx")
        await pilot.pause(0.8)
        assert "Customer:" not in screen_text(app)
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"bjhx")
        await pilot.pause(0.8)
        assert "Customer: K1 北京华夏科技有限公司" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerScreen"


async def test_undo_the_last_import_from_the_wizard(engine, team, tmp_path):
    mgr, s1, s2, ids = team
    path = write_xlsx(tmp_path / "ok.xlsx", [["客户名称", "业务员"], ["撤销测试客户", "S004"]])
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await open_import(pilot, path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: "Imported: created 1" in screen_text(app))
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmDialog" and "ok.xlsx" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: "1 customer removed" in screen_text(app))
    with read_session(engine) as s:
        assert s.scalar(select(Customer.id).where(Customer.name == "撤销测试客户")) is None


# --- defects found walking the area in a real terminal ------------------------------------------------------


async def open_customer(pilot, term):
    app = pilot.app
    await pilot.press("f3")
    await type_into(pilot, "#customer-search", term)
    table(app).focus()
    await pilot.press("enter")
    await settle(pilot)
    assert type(app.screen).__name__ == "CustomerScreen"


async def test_forms_focus_their_first_field_and_survive_a_half_typed_landline(engine, team):
    """Typing went nowhere (the form's scroll box had the focus); a lone "0" in 电话 closed the app."""
    mgr, s1, s2, ids = team
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await open_customer(pilot, "bjhx")
        await pilot.press("f6")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#name", Input)
        await pilot.press(*"Wang")
        assert app.screen.query_one("#name", Input).value == "Wang"
        await fill(pilot, "#landline", "0")  # the checker raised IndexError on this
        assert type(app.screen).__name__ == "ContactForm" and app.is_running
        await fill(pilot, "#landline", "0539-8123456")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerScreen" and "0539-8123456" in screen_text(app)
        await pilot.press("f4")  # F4 edits the customer even with the contacts list focused
        await pilot.pause()
        assert type(app.screen).__name__ == "CustomerForm"
        assert app.focused is app.screen.query_one("#name", Input)
        await fill(pilot, "#credit_limit", "9" * 30)  # Decimal InvalidOperation in the checker
        assert type(app.screen).__name__ == "CustomerForm" and app.is_running
        await pilot.press("escape")  # a changed form asks first: 保存 / 放弃 / 继续编辑
        await pilot.pause()
        assert type(app.screen).__name__ == "SaveChangesDialog"
        await pilot.click("#discard")
        await pilot.pause()
        app.screen.query_one("#contacts").focus()
        await pilot.press("enter")  # Enter on a contact edits it
        await pilot.pause()
        assert type(app.screen).__name__ == "ContactForm" and "Wang" in screen_text(app)


async def test_log_form_says_what_is_wrong_as_you_type_and_reads_dates_like_the_importer(engine, team):
    mgr, s1, s2, ids = team
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await open_customer(pilot, "bjhx")
        await pilot.press("f2")
        await pilot.pause()
        form = app.screen
        assert app.focused is form.query_one("#summary", TextArea)
        assert form.query_one("#summary", TextArea).size.height > 1  # several lines, not one
        await fill(pilot, "#at", "2026-13-01")
        assert "Time: expected a time" in screen_text(app)  # was cleared by the base form's handler
        await fill(pilot, "#at", "2026/11/3 9:05")
        assert "expected a time" not in screen_text(app)
        await fill(pilot, "#next_follow_up", "2099-1-5")
        assert "expected a date" not in screen_text(app)
        form.query_one("#summary", TextArea).insert("电话约下周拜访")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerScreen"
    with read_session(engine) as s:
        log = s.scalar(select(ContactLog).where(ContactLog.customer_id == ids["bjhx"]))
        assert (str(log.at)[:16], str(log.next_follow_up)) == ("2026-11-03 09:05", "2099-01-05")


async def test_zh_list_keys_and_columns_fit(engine, team):
    """In Chinese the footer said Open/Mark/Mark all/palette; 市区西片区 and （公海） were cut; at 100 columns the
    name column had 8 cells."""
    from crm_tui.i18n import set_language

    mgr, s1, s2, ids = team
    with transaction(engine, mgr) as s:
        customers.create_customer(s, mgr, code="K4", name="临沂公海客户有限公司", area="市区西片区")
    set_language("zh")
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        table(app).focus()
        keys = ("选择", "导出", "更多筛选", "按键", "命令")
        # every key of the list fits the footer at 120 columns, in Chinese (Enter, ctrl+a and F5 are in F1);
        # the footer follows the focus a frame or two later
        await until(pilot, lambda: all(k in screen_text(app).splitlines()[-1] for k in keys))
        text = screen_text(app)
        assert "Mark" not in text and "palette" not in text.splitlines()[-1]
        row = next(line for line in text.splitlines() if "K4" in line)
        assert "市区西片区" in row and "公海" in row and "…" not in row
        await pilot.press("f6")
        await settle(pilot)
        assert "转移或共享 1 个客户" in screen_text(app)  # the cursor row; the title says what the dialog does
        await pilot.press("escape")
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        await pilot.pause(0.2)
        row = next(line for line in screen_text(app).splitlines() if "K4" in line)
        assert "临沂公海客户有限公司" in row


async def test_export_asks_before_replacing_a_file(engine, team, tmp_path):
    mgr, s1, s2, ids = team
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"keep me")
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await pilot.press("f9")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#path", Input)
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog" and "Replace it?" in screen_text(app))
        await pilot.press("escape")  # no: nothing is written, the dialog stays
        await until(pilot, lambda: type(app.screen).__name__ == "ExportDialog")
        assert target.read_bytes() == b"keep me"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("enter")  # yes
        await settle(pilot)
        await until(pilot, lambda: type(app.screen).__name__ == "MainScreen")
    assert target.read_bytes()[:2] == b"PK"


async def test_import_error_shows_in_full_on_enter(engine, team, tmp_path):
    mgr, s1, s2, ids = team
    path = write_xlsx(tmp_path / "bad.xlsx", [["客户名称", "统一社会信用代码"], ["新客户甲", "913713122"]])
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        await open_import(pilot, path)
        await pilot.press("f5")
        await settle(pilot)
        await until(pilot, lambda: "1 row has problems" in screen_text(app))
        app.screen.query_one("#import-errors", RecordTable).focus()
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog" and "913713122" in screen_text(app))
        text = screen_text(app)
        assert "row 2" in text and "913713122" in text and "18-character" in text


async def test_more_filters_industry_owner_dates_overdue_and_descending(engine, admin, team):
    import datetime as dt

    from textual.widgets import Checkbox

    mgr, s1, s2, ids = team
    with transaction(engine, admin) as s:
        ids["s2"] = customers.create_customer(s, admin, code="K4", name="兰山商超", owner_id=s2.id, industry="商超",
                                              created_on=dt.date(2026, 3, 1))
        ids["s2b"] = customers.create_customer(s, admin, code="K5", name="罗庄商超", owner_id=s2.id, industry="商超",
                                               created_on=dt.date(2026, 9, 1))
        customers.update_customer(s, admin, ids["lyhx"], 1, industry="商超")
    with transaction(engine, s2) as s:
        contact_logs.add_log(s, s2, ids["s2b"], "visit", "送样品", at=dt.datetime(2026, 1, 2, 10, 0),
                             next_follow_up=dt.date(2026, 1, 5))
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await until(pilot, lambda: table(app).total == 5)
        table(app).focus()
        await pilot.press("ctrl+f")
        await until(pilot, lambda: type(app.screen).__name__ == "MoreFiltersDialog")
        assert app.focused is app.screen.query_one("#industry", Select)
        app.screen.query_one("#industry", Select).value = "商超"
        await fill(pilot, "#created_from", "2026-13-01")
        assert "Created from" in screen_text(app)  # checked as you type
        await fill(pilot, "#created_from", "2026/1/1")
        await fill(pilot, "#created_to", "2025-12-31")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "end date is before the start date" in screen_text(app)
        await fill(pilot, "#created_to", "2026年12月31日")
        app.screen.query_one("#owner", Select).value = s2.id
        app.screen.query_one("#descending", Checkbox).value = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: type(app.screen).__name__ == "MainScreen" and table(app).total == 2)
        assert table(app).cursor_key == ids["s2b"]  # K5 before K4: descending
        await until(pilot, lambda: "Industry 商超" in screen_text(app) and "Owner 李娜" in screen_text(app))

        await pilot.press("ctrl+f")
        await until(pilot, lambda: type(app.screen).__name__ == "MoreFiltersDialog")
        assert app.screen.query_one("#created_from", Input).value == "2026-01-01"  # the filters in force
        await pilot.press("ctrl+r")  # clear all, then only overdue follow-ups
        app.screen.query_one("#overdue", Checkbox).value = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: type(app.screen).__name__ == "MainScreen" and table(app).total == 1)
        assert table(app).cursor_key == ids["s2b"] and "follow-up overdue" in screen_text(app)
        assert "Industry" not in screen_text(app).split("customers", 1)[-1]


async def test_ranking_by_contacts_with_a_period_and_open_a_customer(engine, admin, team):
    import datetime as dt

    from textual.widgets import DataTable

    mgr, s1, s2, ids = team
    today = dt.date.today()
    with transaction(engine, s1) as s:
        for n, key in enumerate(("other", "other", "lyhx")):
            contact_logs.add_log(s, s1, ids[key], "phone", f"电话 {n}", at=dt.datetime.combine(today, dt.time(9, n)))
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        assert app.focused is app.screen.query_one("#customer-search", Input)
        await pilot.press("ctrl+r")  # from the search box, where the list opens (ctrl+k would edit the box)
        await until(pilot, lambda: type(app.screen).__name__ == "RankingScreen")
        ranked = app.screen.query_one("#ranking", DataTable)
        await until(pilot, lambda: ranked.row_count == 2)
        assert "by number of contacts" in screen_text(app)
        assert [ranked.get_row_at(i)[1:3] for i in range(2)] == [["K3", "深圳华联超市"], ["K2", "临沂华夏商贸"]]
        assert [str(ranked.get_row_at(i)[5]) for i in range(2)] == ["2", "1"]  # contacts in the period
        await fill(pilot, "#rank-to", "2020-01-01")
        await pilot.press("enter")
        await pilot.pause()
        assert "before it starts" in screen_text(app) and ranked.row_count == 2  # nothing reloaded
        await fill(pilot, "#rank-to", today.isoformat())
        await pilot.press("enter")
        ranked.focus()
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "CustomerScreen" and "K3" in screen_text(app))
