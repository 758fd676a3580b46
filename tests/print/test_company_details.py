"""Company details: stored in the database for every user, edited by an administrator (screen and CLI), audited,
validated, and printed at the head of every document."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from print_samples import make_doc, pages_text, squash
from sqlalchemy import select

from crm_tui.cli import cli
from crm_tui.config import update_settings
from crm_tui.core.errors import PermissionDenied, ValidationError
from crm_tui.db.models.system import AuditEntry
from crm_tui.db.session import read_session, transaction
from crm_tui.services.admin import company
from crm_tui.services.printing import documents as printing


@pytest.fixture
def stand_in_order(monkeypatch):
    """An order adapter whose document leaves the company to the printing service (as the real ones do)."""
    doc = make_doc("order", 3, number="SO202612-0001")
    doc.company = None
    monkeypatch.setitem(printing._adapters, "order", lambda session, actor, number: doc)


def _details(engine) -> dict[str, str]:
    with read_session(engine) as s:
        return company.get_details(s)


def test_the_settings_file_stands_in_until_an_administrator_saves(engine, admin, make_user):
    from crm_tui.db.models.system import CompanyDetails

    with transaction(engine, admin) as s:  # a database set up before the details were stored
        s.delete(s.get(CompanyDetails, company.ROW_ID))
    update_settings("company", name="设置里的公司", address="设置里的地址", tax_number="91371300MA3C8XXX1Q")
    assert _details(engine)["address"] == "设置里的地址"
    with transaction(engine, admin) as s:
        company.update_details(s, admin, address="临沂市兰山区金雀山路8号", phone="0539-8123456")
    update_settings("company", address="以后改的设置")  # the database wins once the details are saved
    details = _details(engine)
    assert details["address"] == "临沂市兰山区金雀山路8号" and details["name"] == "设置里的公司"
    assert details["tax_number"] == "91371300MA3C8XXX1Q"
    with read_session(engine) as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "company_details")).all()[-1]
    assert entry.user_login == "admin" and "临沂市兰山区金雀山路8号" in entry.changes

    clerk = make_user("wangli", role="clerk")
    with pytest.raises(PermissionDenied), transaction(engine, clerk) as s:
        company.update_details(s, clerk, address="别处")
    assert _details(engine)["address"] == "临沂市兰山区金雀山路8号"


@pytest.mark.parametrize("tax_number, ok", [
    ("91371300MA3C8XXX1Q", True), ("91371300ma3c8xxx1q", True),  # 18: unified social credit code
    ("371302123456789", True), ("37130212345678901234", True),  # 15 and 20: older registrations
    ("", True),
    ("91371300MA3C8XXX1", False), ("91371300MA3C8-XX1Q", False), ("9137130 0MA3C8XX1Q", False),
    ("913713000MA3C8XXX1Q", False),
])
def test_tax_number_rule(engine, admin, tax_number, ok):
    with transaction(engine, admin) as s:
        company.update_details(s, admin, name="临沂华夏商贸有限公司")
    if ok:
        with transaction(engine, admin) as s:
            company.update_details(s, admin, tax_number=tax_number)
        assert _details(engine)["tax_number"] == tax_number.upper()
    else:
        with pytest.raises(ValidationError) as err, transaction(engine, admin) as s:
            company.update_details(s, admin, tax_number=tax_number, address="不该写入")
        assert err.value.field == "tax_number" and "15, 18 or 20" in str(err.value)
        assert _details(engine)["address"] == ""  # nothing written


def test_name_required_and_lengths(engine, admin):
    with pytest.raises(ValidationError, match="Company name is required"), transaction(engine, admin) as s:
        company.update_details(s, admin, name="  ")
    with pytest.raises(ValidationError, match="at most 300 characters"), transaction(engine, admin) as s:
        company.update_details(s, admin, address="路" * 301)


def test_setup_stores_the_name_given(engine):
    from crm_tui.services.admin.database import initialize

    update_settings("company", phone="0539-1111111")
    initialize(engine, "boss", "boss-pass-1", "新公司有限公司")
    details = _details(engine)
    assert details["name"] == "新公司有限公司" and details["phone"] == "0539-1111111"


def test_cli_show_and_set(db_url, admin, make_user, monkeypatch, stand_in_order, tmp_path):
    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")

    def crm(*args):
        return CliRunner().invoke(cli, ["--db", db_url, *args], catch_exceptions=False)

    result = crm("company", "set", "--name", "临沂华夏商贸有限公司", "--tax-number", "91371300ma3c8xxx1q",
                 "--address", "临沂市兰山区通达路100号", "--bank", "中国工商银行临沂分行", "--account", "1610002109200123456")
    assert result.exit_code == 0, result.output
    shown = json.loads(crm("company", "show", "--format", "json").output)
    assert shown["tax_number"] == "91371300MA3C8XXX1Q" and shown["account"] == "1610002109200123456"

    result = crm("company", "set", "--tax-number", "12345")
    assert result.exit_code == 1 and "15, 18 or 20" in result.output
    assert crm("company", "set").exit_code != 0  # nothing to change

    target = tmp_path / "order.pdf"
    assert crm("print", "order", "SO202612-0001", "-o", str(target)).exit_code == 0
    text = squash("".join(pages_text(target.read_bytes())))
    assert "临沂市兰山区通达路100号" in text and "91371300MA3C8XXX1Q" in text and "1610002109200123456" in text

    make_user("wangli", role="clerk", password="wangli-pass")
    monkeypatch.setenv("CRM_USER", "wangli")
    monkeypatch.setenv("CRM_PASSWORD", "wangli-pass")
    result = crm("company", "set", "--address", "别处")
    assert result.exit_code == 1 and "administrator" in result.output
    assert json.loads(crm("company", "show", "--format", "json").output)["address"] == "临沂市兰山区通达路100号"


@pytest.mark.parametrize("language", ["zh_CN", "en"])
async def test_edit_in_the_screen_then_print(engine, admin, stand_in_order, tmp_path, language):
    from crm_tui.app import CrmApp
    from crm_tui.i18n import set_language
    from tests.tui.helpers import fill, screen_text, settle, wait_for_text

    set_language(language)
    try:
        app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await settle(pilot)
            app.open_area("admin")
            await settle(pilot)
            await pilot.press("f6")
            await settle(pilot)
            assert type(app.screen).__name__ == "CompanyForm"
            assert app.screen.focused.id == "name"
            await fill(pilot, "#name", "临沂华夏商贸有限公司")
            await fill(pilot, "#tax_number", "91371300MA3C8XXX1")  # one short
            assert await wait_for_text(pilot, "15, 18" if language == "en" else "15、18")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert type(app.screen).__name__ == "CompanyForm"  # refused, nothing written
            assert _details(engine)["tax_number"] == ""
            await pilot.press("Q")
            assert "15, 18" not in screen_text(app) and "15、18" not in screen_text(app)  # right now: gone
            await fill(pilot, "#address", "临沂市罗庄区新城路66号")
            await fill(pilot, "#phone", "0539-8123456")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert type(app.screen).__name__ == "MainScreen"
    finally:
        set_language("en")
    details = _details(engine)
    assert details["address"] == "临沂市罗庄区新城路66号" and details["tax_number"] == "91371300MA3C8XXX1Q"
    with read_session(engine) as s:
        doc = printing.load_document(s, admin, "order", "SO202612-0001")
    target = printing.write_document(doc, "pdf", tmp_path / "order.pdf")
    text = squash("".join(pages_text(target.read_bytes())))
    assert "临沂市罗庄区新城路66号" in text and "0539-8123456" in text
