"""A large import's search rows wait in customer_search_pending for search.catch_up (db/search.py): searches
find exactly the same customers before and after the catch-up, on both engines; edits, undo and a rebuild
keep one truth per customer."""

import pytest
from sqlalchemy import func, select

from crm_tui.db import search
from crm_tui.db.models.customers import Customer, CustomerSearch, CustomerSearchPending
from crm_tui.db.session import read_session
from crm_tui.services.customers import contacts, imports_write
from crm_tui.services.customers import records as customers
from crm_tui.services.customers.checks import _search_rows
from crm_tui.services.customers.imports import import_customers
from crm_tui.services.customers.imports_write import undo_last_import
from crm_tui.services.customers.search import CustomerFilter, count, list_page
from tests.io.io_builders import write_xlsx

HEADER = ["客户编号", "客户名称", "简称", "联系人", "手机", "电话", "地址", "统一社会信用代码"]
ROWS = [
    ["K1", "深圳华联商贸有限公司", None, "张建国", "13800138000", "0539-8123456", "临沂市兰山区通达路8号", None],
    ["K2", "北京华夏科技有限公司", "华夏科技", "李华", "13912345678", None, "北京市海淀区", None],
    ["K3", "单县百货大楼", None, None, None, None, "菏泽市单县", None],
    ["K4", "临沂银行股份有限公司", None, None, None, None, None, "9144030071526726XG"],
    ["K5", "ABC-超市 a_b 100%", None, "王五", None, None, None, None],
]
QUERIES = ["华", "联", "李", "a", "1", "-", "%", "_", "华联", "深圳", "临沂", "ab", "a_", "华联商", "华夏科技有限",
           "海淀", "张建国", "建国", "bjhx", "szhl", "beijing", "danxian", "13800", "138-0013", "8123456",
           "0539-8123", "k2", "9144030071526726", "华 科技", "华 商贸", "abc-超市", "100%", "a_b", "没有这个"]


def found(engine, query: str) -> list[str]:
    with read_session(engine) as s:
        clause = search.search_clause(engine.dialect.name, query)
        return s.scalars(select(Customer.code).where(clause).order_by(Customer.code)).all()


def pending(engine) -> int:
    with read_session(engine) as s:
        return search.pending_count(s)


@pytest.fixture
def deferred(monkeypatch):
    monkeypatch.setattr(imports_write, "DEFER_INDEX_FROM", 1)  # the small file's rows wait, as a large one's


@pytest.fixture
def imported(engine, admin, tx, tmp_path, deferred):
    """K0 indexed (written by the form), K1-K5 imported and pending."""
    with tx(admin) as s:
        customers.create_customer(s, admin, code="K0", name="临沂华联超市", address="临沂市河东区")
    path = write_xlsx(tmp_path / "customers.xlsx", [HEADER, *ROWS])
    summary = import_customers(engine, admin, path)
    assert summary.written and summary.created == len(ROWS)
    assert pending(engine) == len(ROWS)
    return summary


def test_pending_rows_are_found_as_indexed_ones(engine, admin, imported):
    before = {q: found(engine, q) for q in QUERIES}
    assert before["华联"] == ["K0", "K1"] and before["bjhx"] == ["K2"] and before["13800"] == ["K1"]
    assert search.catch_up(engine, chunk=2) == len(ROWS)
    assert pending(engine) == 0
    after = {q: found(engine, q) for q in QUERIES}
    assert before == after
    assert search.catch_up(engine) == 0


def test_lists_find_pending_rows(engine, admin, imported):
    """The list's first-word join of the index (search.driver) steps aside while rows are pending."""
    def page(text, sort="code"):
        with read_session(engine) as s:
            return [r.code for r in list_page(s, admin, CustomerFilter(text=text), sort=sort)], \
                count(s, admin, CustomerFilter(text=text))

    queries = [("华", "code"), ("华联", "code"), ("华联", "name"), ("临沂", "name"), ("华联商", "code"),
               ("bjhx", "code")]
    before = [page(q, sort) for q, sort in queries]
    assert before[1] == (["K0", "K1"], 2)
    with read_session(engine) as s:
        assert search.driver(engine.dialect.name, "华", s) is None
    search.catch_up(engine)
    assert [page(q, sort) for q, sort in queries] == before


def test_edit_while_pending_leaves_one_row(engine, admin, tx, imported):
    with tx(admin) as s:
        k1 = s.scalar(select(Customer).where(Customer.code == "K1"))
        customers.update_customer(s, admin, k1.id, k1.version, name="深圳新名字有限公司")
        contacts.add_contact(s, admin, k1.id, name="赵六", mobile="13700000009")
    assert pending(engine) == len(ROWS) - 1
    assert found(engine, "新名字") == ["K1"] and found(engine, "赵六") == ["K1"] and found(engine, "华联商") == []
    search.catch_up(engine)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(CustomerSearch)) == len(ROWS) + 1
        assert _search_rows(s) == []
    assert found(engine, "新名字") == ["K1"] and found(engine, "华联商") == []


def test_undo_removes_pending_rows(engine, admin, tx, imported):
    with tx(admin) as s:
        assert undo_last_import(s, admin).removed == len(ROWS)
    assert pending(engine) == 0
    assert found(engine, "华联") == ["K0"]


def test_rebuild_clears_pending(engine, admin, tx, imported):
    with tx(admin) as s:
        assert search.rebuild_all(s.connection()) == len(ROWS) + 1
    assert pending(engine) == 0
    assert found(engine, "bjhx") == ["K2"] and found(engine, "华联") == ["K0", "K1"]


def test_check_counts_pending_rows_as_searchable(engine, admin, imported):
    with read_session(engine) as s:
        assert _search_rows(s) == []


def test_catch_up_later_runs_behind(engine, admin, imported):
    thread = search.catch_up_later(engine)
    assert thread is not None
    thread.join(30)
    assert pending(engine) == 0 and found(engine, "szhl") == ["K1"]
    assert search.catch_up_later(engine) is None  # nothing pending: one probe, no thread


def test_small_import_indexes_at_once(engine, admin, tmp_path):
    path = write_xlsx(tmp_path / "customers.xlsx", [HEADER, *ROWS])
    assert import_customers(engine, admin, path).created == len(ROWS)
    assert pending(engine) == 0 and found(engine, "华联") == ["K1"]


def test_pending_rows_are_not_in_the_index_tables(engine, admin, imported):
    with read_session(engine) as s:
        ids = s.scalars(select(CustomerSearchPending.customer_id)).all()
        assert not s.scalars(select(CustomerSearch.customer_id).where(CustomerSearch.customer_id.in_(ids))).all()


def test_cli_import_catches_up_and_db_check_tells_of_pending_rows(engine, db_url, admin, tmp_path, deferred):
    import json

    from click.testing import CliRunner

    from crm_tui.cli import cli

    def run(*args):
        env = {"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"}
        return CliRunner().invoke(cli, ["--db", db_url, *args], env=env, catch_exceptions=False)

    path = write_xlsx(tmp_path / "customers.xlsx", [HEADER, *ROWS])
    assert run("import", "customers", str(path)).exit_code == 0
    assert pending(engine) == 0 and found(engine, "华联") == ["K1"]
    with engine.begin() as conn:  # as a stopped catch-up leaves it
        k1 = conn.scalar(select(Customer.id).where(Customer.code == "K1"))
        row = conn.execute(select(CustomerSearch.doc, CustomerSearch.grams)
                           .where(CustomerSearch.customer_id == k1)).one()
        conn.execute(CustomerSearch.__table__.delete().where(CustomerSearch.customer_id == k1))
        conn.execute(CustomerSearchPending.__table__.insert().values(customer_id=k1, doc=row.doc, grams=row.grams))
    report = run("db", "check", "--format", "json")
    assert report.exit_code == 0, report.output
    assert json.loads(report.output)["search_pending"] == 1
    assert "info  1 customers wait for the search index" in run("db", "check").output
    assert found(engine, "华联") == ["K1"]
