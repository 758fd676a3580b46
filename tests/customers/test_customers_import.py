"""Customer import: every rule of the file, nothing written on failure, duplicates, dry run, undo, export
round trip, and the CLI's exit codes."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from crm_tui.core.errors import ConflictError, NotFound, PermissionDenied
from crm_tui.db.models.customers import Contact, Customer, CustomerImportBatch
from crm_tui.db.models.system import AuditEntry
from crm_tui.db.session import transaction
from crm_tui.services.customers import contact_logs
from crm_tui.services.customers import records as customers
from crm_tui.services.customers.imports import import_customers
from crm_tui.services.customers.imports_write import undo_last_import
from tests.io.io_builders import write_xls, write_xlsx

HEADER = ["序号", "客户编号", "客户名称", "简称", "联系人", "手机", "电话", "邮箱", "地址", "片区", "行业", "客户分类",
          "业务员", "信用额度(元)", "期初余额", "建档日期", "统一社会信用代码", "备注"]


def row(n, code, name, **kw):
    values = {"short": None, "contact": None, "mobile": None, "phone": None, "email": None, "address": None,
              "area": None, "industry": None, "cls": None, "owner": None, "limit": None, "balance": None,
              "date": None, "credit": None, "remarks": None, **kw}
    return [n, code, name, *values.values()]


def customers_in(ro, admin):
    with ro(admin) as s:
        return {c.code: c for c in s.scalars(select(Customer))}


@pytest.fixture
def good_file(tmp_path):
    rows = [
        HEADER,
        row(1, None, "临沂华夏商贸有限公司", short="华夏商贸", contact="张三", mobile=13800138000.0,
            phone="0539-8123456", email="zs@example.com", address="临沂市兰山区通达路8号", area="河东片区",
            industry="商超", cls="A类，县城", owner="S003", limit="1,000.50", balance="￥2000",
            date=dt.datetime(2026, 11, 3), credit="9144030071526726XG", remarks="老客户\n月结"),
        None,  # blank row
        row(2, "K900", "ＡＢＣ　超市", mobile="+86 139-1234-5678", owner="孙伟", date="2026年11月3日", limit=5000.0),
        row(3, None, "北京华夏科技有限公司", phone="13700000001", date=46329.0),  # serial 2026-11-03
        [4],  # a template row with only 序号
    ]
    return write_xlsx(tmp_path / "客户.xlsx", rows, title="2026年客户资料（内部）")


def test_good_file_end_to_end(engine, org, ro, good_file):
    summary = import_customers(engine, org.clerk, good_file)
    assert (summary.created, summary.updated, summary.rejected, summary.written) == (3, 0, 0, True)
    got = customers_in(ro, org.admin)
    assert set(got) == {"K00001", "K00002", "K900"}
    first = got["K00001"]
    assert first.name == "临沂华夏商贸有限公司" and first.classification == "A类,县城"
    assert first.credit_limit == Decimal("1000.50") and first.opening_balance == Decimal("2000.00")
    assert first.created_on == dt.date(2026, 11, 3) and first.owner_id == org.s1.id
    assert first.remarks == "老客户\n月结" and first.name_initials.startswith("lyhxsmyxgs")
    assert got["K900"].name == "ABC 超市" and got["K900"].owner_id == org.s1.id  # by display name
    assert got["K900"].created_on == dt.date(2026, 11, 3) and got["K00002"].created_on == dt.date(2026, 11, 3)
    assert got["K00002"].owner_id is None  # a clerk's import without 业务员 goes to the pool
    with ro(org.admin) as s:
        contacts = {c.customer_id: c for c in s.scalars(select(Contact))}
        c = contacts[first.id]
        assert (c.name, c.mobile, c.landline, c.email, c.is_primary) == (
            "张三", "13800138000", "0539-8123456", "zs@example.com", True)
        assert contacts[got["K900"].id].name == "ABC 超市" and contacts[got["K900"].id].mobile == "13912345678"
        assert contacts[got["K00002"].id].mobile == "13700000001"  # a mobile in 电话 goes to 手机
        from crm_tui.services.customers.search import CustomerFilter, list_page

        assert [r.code for r in list_page(s, org.admin, CustomerFilter(text="bjhx"))] == ["K00002"]
        assert [r.code for r in list_page(s, org.admin, CustomerFilter(text="华夏"))] == ["K00001", "K00002"]
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import")) == 1


BAD_ROWS = [
    (row(1, None, "甲商贸", mobile="1380013800"), "手机", "11-digit mobile"),
    (row(2, None, "乙商贸", phone="8123456"), "电话", "landline"),
    (row(3, None, "丙商贸", credit=913701001234567890.0), "统一社会信用代码", "Excel has already rounded"),
    (row(4, None, "丁商贸", credit="9144030071526726XA"), "统一社会信用代码", "check character"),
    (row(5, None, "戊商贸", limit="一千"), "信用额度(元)", "amount"),
    (row(6, None, "己商贸", limit=-5), "信用额度(元)", "not negative"),
    (row(7, None, "庚商贸", date="2026-13-01"), "建档日期", "date"),
    (row(8, None, "辛商贸", email="x@"), "邮箱", "e-mail"),
    (row(9, None, None, mobile="13800138000"), "客户名称", "required"),
    (row(10, None, "甲 商贸"), "客户名称", "repeats row 2"),   # the same name as row 2 after normalisation
    (row(11, None, "壬商贸", owner="nobody"), "业务员", "no user"),
    (row(12, "A 1", "癸商贸"), "客户编号", "letters, digits"),
]


def test_every_bad_row_is_reported_and_nothing_written(engine, org, ro, tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", [HEADER, *[r for r, _c, _m in BAD_ROWS], row(13, None, "好客户")])
    summary = import_customers(engine, org.clerk, path)
    assert not summary.written and summary.created == 1 and summary.rejected == len(BAD_ROWS)
    lines = [str(e) for e in summary.errors]
    for excel_row, (_r, column, message) in enumerate(BAD_ROWS, start=2):
        hit = [line for line in lines if f"row {excel_row}," in line]
        assert hit and column in hit[0] and message in hit[0], (excel_row, hit)
    assert lines[0].startswith("bad.xlsx, sheet 客户, row 2, column 手机")
    assert customers_in(ro, org.admin) == {}


def test_skip_invalid_writes_good_rows_and_an_error_workbook(engine, org, ro, tmp_path):
    from python_calamine import CalamineWorkbook

    path = write_xlsx(tmp_path / "mixed.xlsx", [HEADER, BAD_ROWS[0][0], row(3, None, "好客户")])
    summary = import_customers(engine, org.clerk, path, skip_invalid=True)
    assert summary.written and summary.created == 1 and summary.rejected == 1
    assert summary.error_file.endswith("mixed.errors.xlsx")
    sheet = CalamineWorkbook.from_path(summary.error_file).get_sheet_by_index(0).to_python()
    assert sheet[0][-1] == "Error reason" and sheet[1][2] == "甲商贸" and "11-digit mobile" in sheet[1][-1]
    assert set(customers_in(ro, org.admin)) == {"K00001"}


def test_duplicates_error_skip_update_and_no_duplicates_on_rerun(engine, org, ro, tmp_path, add_customer):
    existing = add_customer(org.clerk, "临沂华夏商贸有限公司", code="C1", owner_id=org.s1.id, industry="餐饮",
                            credit_code="9144030071526726XG")
    by_credit = row(1, None, "改了名字的公司", credit="9144030071526726XG", industry="商超")
    by_name = row(2, None, "临沂华夏商贸 有限公司", area="河东片区")
    path = write_xlsx(tmp_path / "dup.xlsx", [HEADER, by_credit, row(3, None, "新公司")])
    default = import_customers(engine, org.clerk, path)
    assert not default.written and default.rejected == 1 and "already exists" in str(default.errors[0])
    skipped = import_customers(engine, org.clerk, path, on_duplicate="skip")
    assert (skipped.created, skipped.skipped, skipped.updated) == (1, 1, 0)
    again = import_customers(engine, org.clerk, path, on_duplicate="skip")
    assert (again.created, again.skipped) == (0, 2)  # re-running creates nothing
    path2 = write_xlsx(tmp_path / "dup2.xlsx", [HEADER, by_credit])
    updated = import_customers(engine, org.clerk, path2, on_duplicate="update")
    assert updated.updated == 1
    c = customers_in(ro, org.admin)["C1"]
    assert (c.name, c.industry, c.owner_id, c.version) == ("改了名字的公司", "商超", org.s1.id, 2)
    assert c.name_initials.startswith("glmzdgs")
    path3 = write_xlsx(tmp_path / "dup3.xlsx", [HEADER, row(1, None, "改了名字的公司"), by_name])
    result = import_customers(engine, org.clerk, path3, on_duplicate="update")
    assert result.updated == 0 and result.created == 1 and result.skipped == 1  # nothing new in row 1
    assert customers_in(ro, org.admin)["C1"].id == existing


def test_two_rows_matching_one_customer_and_conflicting_codes(engine, org, tmp_path, add_customer):
    add_customer(org.clerk, "甲记", code="C1")
    add_customer(org.clerk, "乙记", code="C2", credit_code="9144030071526726XG")
    path = write_xlsx(tmp_path / "x.xlsx", [HEADER, row(1, "C1", "甲"), row(2, "C9", "甲公司", credit=None),
                                            row(3, "C1", "丙", credit="9144030071526726XG")])
    summary = import_customers(engine, org.clerk, path, on_duplicate="update")
    messages = " | ".join(str(e) for e in summary.errors)
    assert "repeats row 2" in messages  # 客户编号 C1 twice in the file
    path = write_xlsx(tmp_path / "y.xlsx", [HEADER, row(1, "C1", "丙", credit="9144030071526726XG")])
    summary = import_customers(engine, org.clerk, path, on_duplicate="update")
    assert "matches customer C1 but the credit code matches customer C2" in str(summary.errors[0])


def test_dry_run_writes_nothing(engine, org, ro, good_file):
    summary = import_customers(engine, org.clerk, good_file, dry_run=True)
    assert (summary.created, summary.written) == (3, False)
    assert customers_in(ro, org.admin) == {}
    with ro(org.admin) as s:
        assert s.scalar(select(func.count()).select_from(CustomerImportBatch)) == 0


def test_undo_last_import(engine, org, ro, tx, tmp_path, good_file, add_customer):
    add_customer(org.clerk, "老客户", code="OLD", industry="餐饮", owner_id=org.s1.id)
    import_customers(engine, org.clerk, good_file)
    update_file = write_xlsx(tmp_path / "u.xlsx", [HEADER, row(1, "OLD", "老客户", industry="商超", contact="新联系人",
                                                             mobile="13800000009")])
    import_customers(engine, org.clerk, update_file, on_duplicate="update")
    assert customers_in(ro, org.admin)["OLD"].industry == "商超"
    with tx(org.clerk) as s:
        result = undo_last_import(s, org.clerk)
    assert (result.removed, result.restored) == (0, 1)
    old = customers_in(ro, org.admin)["OLD"]
    assert old.industry == "餐饮"
    with ro(org.admin) as s:
        assert s.scalar(select(func.count()).select_from(Contact).where(Contact.customer_id == old.id)) == 0
    # the import before it: one of its customers got a contact log since, so it cannot be undone
    ids = customers_in(ro, org.admin)
    with tx(org.s1) as s:
        contact_logs.add_log(s, org.s1, ids["K900"].id, "visit", "拜访")
    with pytest.raises(ConflictError, match="K900"), tx(org.clerk) as s:
        undo_last_import(s, org.clerk)
    assert len(customers_in(ro, org.admin)) == 4
    with pytest.raises(PermissionDenied), tx(org.s2) as s:
        undo_last_import(s, org.s2)


def test_undo_removes_created_customers(engine, org, ro, tx, good_file):
    import_customers(engine, org.clerk, good_file)
    with tx(org.clerk) as s:
        assert undo_last_import(s, org.clerk).removed == 3
    assert customers_in(ro, org.admin) == {}
    with ro(org.admin) as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 0
        assert s.execute(select(func.count()).select_from(Customer)).scalar() == 0
    with pytest.raises(NotFound), tx(org.clerk) as s:
        undo_last_import(s, org.clerk)


def test_undo_refused_after_an_edit(engine, org, tx, good_file):
    import_customers(engine, org.clerk, good_file)
    with tx(org.clerk) as s:
        c = customers.find_customer(s, org.clerk, "K900")
        customers.update_customer(s, org.clerk, c.id, c.version, industry="批发")
    with pytest.raises(ConflictError, match="changed or contacted"), tx(org.clerk) as s:
        undo_last_import(s, org.clerk)


def test_salesperson_imports_own_customers_only(engine, org, ro, tmp_path):
    path = write_xlsx(tmp_path / "mine.xlsx", [HEADER, row(1, None, "我的客户"), row(2, None, "别人的", owner="S007")])
    with pytest.raises(PermissionDenied):
        import_customers(engine, org.s1, path)  # salespeople do not import
    summary = import_customers(engine, org.mgr, path)
    assert summary.rejected == 1 and "may not give customers" in str(summary.errors[0])
    summary = import_customers(engine, org.mgr, path, skip_invalid=True)
    assert customers_in(ro, org.admin)["K00001"].owner_id == org.mgr.id


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_encodings(engine, org, ro, tmp_path, encoding):
    text = "客户名称,手机,信用额度\n临沂华夏,13800138000,\"1,000.50\"\n单县百货,,2000\n"
    path = tmp_path / "c.csv"
    path.write_bytes(text.encode(encoding))
    summary = import_customers(engine, org.clerk, path)
    assert summary.created == 2, summary.errors
    got = {c.name: c for c in customers_in(ro, org.admin).values()}
    assert got["临沂华夏"].credit_limit == Decimal("1000.50")


def test_xls(engine, org, ro, tmp_path):
    path = write_xls(tmp_path / "old.xls", [["客户名称", "手机", "建档日期"], ["老式表格客户", 13800138000.0, 46329.0]])
    summary = import_customers(engine, org.clerk, path)
    assert summary.created == 1, summary.errors
    assert next(iter(customers_in(ro, org.admin).values())).created_on == dt.date(2026, 11, 3)


def test_export_then_import_changes_nothing(engine, org, ro, tmp_path, good_file):
    from crm_tui.services.customers.export import export_customers
    from crm_tui.services.customers.imports import HEADERS

    import_customers(engine, org.clerk, good_file)
    out = tmp_path / "export.xlsx"
    with ro(org.clerk) as s:
        assert export_customers(s, org.clerk, out) == 3
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert tuple(sheet[0]) == HEADERS
    summary = import_customers(engine, org.clerk, out, on_duplicate="update")
    assert (summary.created, summary.updated, summary.skipped, summary.rejected) == (0, 0, 3, 0), summary.errors


def test_cli_exit_codes_and_messages(db_url, engine, org, admin, tmp_path, good_file):
    from crm_tui.cli import cli

    bad = write_xlsx(tmp_path / "bad.xlsx", [HEADER, BAD_ROWS[0][0]])
    runner = CliRunner()
    env = {"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"}

    def run(*args):
        return runner.invoke(cli, ["--lang", "en", "--db", db_url, *args], env=env, catch_exceptions=False)

    r = run("import", "customers", str(bad))
    assert r.exit_code == 1 and "row 2, column 手机" in r.output and "Nothing written" in r.output
    r = run("import", "customers", str(good_file), "--dry-run", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.output)["created"] == 3
    extra = write_xlsx(tmp_path / "extra.xlsx", [[*HEADER, "微信号"], [*row(1, None, "甲商贸"), "wx1"],
                                                 [None, "合计", *[None] * 16]])
    r = run("import", "customers", str(extra), "--dry-run")
    assert r.exit_code == 0 and "Columns not imported (no such field): 微信号" in r.output
    assert "Rows passed over, not customers: 3 (totals)" in r.output
    r = run("import", "customers", str(extra), "--dry-run", "--format", "json")
    assert json.loads(r.output)["passed_over"] == [{"row": 3, "why": "total"}]
    r = run("import", "customers", str(bad), "--skip-invalid", "--errors", str(tmp_path / "e.xlsx"))
    assert r.exit_code == 0 and (tmp_path / "e.xlsx").exists()
    r = run("import", "customers", str(good_file))
    assert r.exit_code == 0 and "created 3" in r.output
    r = run("export", "customers", str(tmp_path / "out.xlsx"), "--area", "河东片区")
    assert r.exit_code == 0 and "1 customer written" in r.output
    r = run("customers", "undo-import", "--yes")
    assert r.exit_code == 0 and "3 customers removed" in r.output


def _many_rows(n):
    cities = ["临沂", "济南", "深圳", "青岛", "潍坊"]
    return [HEADER] + [row(i, None, f"{cities[i % 5]}第{i}号商贸有限公司", contact=f"联系人{i}",
                           mobile=f"138{i:08d}", address=f"{cities[i % 5]}市人民路{i}号") for i in range(1, n + 1)]


def test_import_written_in_steps_is_searchable_whole(engine, org, ro, tmp_path, monkeypatch):
    """The write goes a step at a time with SQLite indexing each step on another thread: every row of every
    step must be found afterwards, and later edits still reach the index (its trigger is back)."""
    from crm_tui.services.customers import imports_write as customer_import_write
    from crm_tui.services.customers.search import CustomerFilter, list_page

    monkeypatch.setattr(customer_import_write, "STEP", 4)
    monkeypatch.setattr(customer_import_write, "BULK_REINDEX_AFTER", 5)  # the deferred-index path too
    path = write_xlsx(tmp_path / "many.xlsx", _many_rows(23))

    def indexes():
        from sqlalchemy import inspect

        found = inspect(engine)
        return {t: sorted(i["name"] for i in found.get_indexes(t)) for t in ("customers", "contacts",
                                                                              "customer_search")}

    before = indexes()
    summary = import_customers(engine, org.clerk, path)
    assert (summary.created, summary.written) == (23, True)
    assert indexes() == before and before["customers"]  # dropped for the load and built again

    def found(text):
        with ro(org.admin) as s:
            return {r.name for r in list_page(s, org.admin, CustomerFilter(text=text), limit=100)}

    assert len(found("深圳")) == 5 and len(found("商贸有限")) == 23  # 2-character grams and trigrams
    assert found("第17号") == {"深圳第17号商贸有限公司"} and found("13800000023") == {"青岛第23号商贸有限公司"}
    assert found("qdd18hsm") == {"青岛第18号商贸有限公司"}  # pinyin initials, step 5 of 6
    with transaction(engine, org.admin) as s:
        first = s.scalar(select(Customer).where(Customer.name == "临沂第5号商贸有限公司"))
        customers.update_customer(s, org.admin, first.id, first.version, name="蒙阴新华书店")
    assert found("新华") == {"蒙阴新华书店"} and found("第5号") == set()


def test_a_failed_index_step_writes_nothing(engine, org, ro, tmp_path, monkeypatch):
    import sqlite3

    from crm_tui.db import search
    from crm_tui.services.customers import imports_write as customer_import_write

    if engine.dialect.name != "sqlite":
        pytest.skip("only SQLite indexes the search rows on a thread of its own")

    class FailingCursor:
        def __init__(self, real):
            self.real = real

        def executemany(self, sql, params):
            raise sqlite3.OperationalError("disk I/O error")

        def close(self):
            self.real.close()

    real_index = search.DocumentWriter._index
    monkeypatch.setattr(search.DocumentWriter, "_index", lambda self, cur, ranges: real_index(
        self, FailingCursor(cur), ranges))
    monkeypatch.setattr(customer_import_write, "STEP", 5)
    path = write_xlsx(tmp_path / "many.xlsx", _many_rows(12))
    with pytest.raises(Exception, match="disk I/O error"):
        import_customers(engine, org.clerk, path)
    assert customers_in(ro, org.admin) == {}
    with ro(org.admin) as s:  # the trigger is back: the rollback undid the drop
        assert s.connection().exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 'customer_search_ai'").scalar() == 1


def test_a_full_disk_is_reported_as_such_and_leaves_the_index_whole(engine, org, ro, tmp_path, monkeypatch):
    """SQLite rolls a transaction back by itself when the file cannot grow; the bulk path must then report
    that, not a failure of its own clean-up (re-creating the search trigger the rollback already restored)."""
    from sqlalchemy import event

    from crm_tui.services.customers import imports_write as customer_import_write

    if engine.dialect.name != "sqlite":
        pytest.skip("a size cap on the database file is SQLite's")
    monkeypatch.setattr(customer_import_write, "STEP", 50)
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    engine.dispose()

    @event.listens_for(engine, "connect")
    def cap(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 40}")

    path = write_xlsx(tmp_path / "many.xlsx", _many_rows(600))
    with pytest.raises(Exception, match="full") as caught:
        import_customers(engine, org.clerk, path)
    assert "already exists" not in str(caught.value)
    event.remove(engine, "connect", cap)
    engine.dispose()
    assert customers_in(ro, org.admin) == {}
    with ro(org.admin) as s:
        assert s.connection().exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 'customer_search_ai'").scalar() == 1
