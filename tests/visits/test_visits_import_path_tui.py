"""The visit-log import with no path typed asked for "No such file: ." — it asks for the path instead."""

from crm_tui.app import CrmApp
from crm_tui.db.session import transaction
from crm_tui.i18n import set_language
from tests.tui.helpers import settle


async def test_an_empty_path_asks_for_one(engine, company, admin):
    from crm_tui.core.actor import SYSTEM
    from crm_tui.services.admin import users

    with transaction(engine, SYSTEM) as session:
        users.set_password(session, SYSTEM, company.users["shenyan"], "pass-1234")
    set_language("zh_CN")
    app = CrmApp(engine=engine, auto_login=("shenyan", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        app.screen.show_area("visits")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert type(app.screen).__name__ == "ImportDialog"
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = str(app.screen.query_one("#import-result").render())
    assert said == "请输入要导入的文件路径。"
