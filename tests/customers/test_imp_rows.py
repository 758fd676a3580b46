"""A large import builds its pinyin and search columns in worker processes: the rows must come out exactly as
the in-process build makes them, in order, and a cancel must stop the workers with nothing written."""

import multiprocessing

import pytest
from sqlalchemy import func, select

from crm_tui.core import pinyin
from crm_tui.db import search
from crm_tui.db.models.customers import Customer, CustomerSearch
from crm_tui.db.session import transaction
from crm_tui.services.customers import imports_rows
from crm_tui.services.customers.imports import import_customers
from tests.customers.test_customers_import import _many_rows
from tests.io.io_builders import write_xlsx


@pytest.fixture
def pooled(monkeypatch):
    monkeypatch.setattr(imports_rows, "POOL_FROM", 5)
    monkeypatch.setattr(imports_rows, "CHUNK", 3)  # many chunks: order across them matters
    monkeypatch.setattr(imports_rows, "_workers", lambda: 2)


def _search_rows(engine, admin):
    with transaction(engine, admin) as s:
        # grams are a set: their order follows each process's string hashing
        return {r.customer_id: (r.doc, set(r.grams.split())) for r in s.scalars(select(CustomerSearch))}


def test_workers_build_what_the_process_builds(engine, org, ro, tmp_path, pooled):
    path = write_xlsx(tmp_path / "many.xlsx", _many_rows(23))
    summary = import_customers(engine, org.clerk, path)
    assert (summary.created, summary.written) == (23, True)
    imported = _search_rows(engine, org.admin)
    with ro(org.admin) as s:
        names = {c.id: (c.name, c.name_pinyin, c.name_initials) for c in s.scalars(select(Customer))}
    assert all((py, ini) == pinyin.name_fields(name) for name, py, ini in names.values())
    with transaction(engine, org.admin) as s:
        search.rebuild_all(s.connection())  # the same rows built again, one by one, in this process
    assert imported == _search_rows(engine, org.admin) and len(imported) == 23
    assert not multiprocessing.active_children()  # the pool ended with the import


def test_cancel_while_writing_stops_the_workers_and_writes_nothing(engine, org, ro, tmp_path, pooled):
    path = write_xlsx(tmp_path / "many.xlsx", _many_rows(23))

    class Cancelled(Exception):
        pass

    def progress(phase, done, total):
        if phase == "write" and done:
            assert len(multiprocessing.active_children()) == 2
            raise Cancelled

    with pytest.raises(Cancelled):
        import_customers(engine, org.clerk, path, progress=progress)
    assert not multiprocessing.active_children()
    with ro(org.admin) as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 0


def test_small_imports_start_no_workers(tmp_path):
    with imports_rows.row_builder(imports_rows.POOL_FROM - 1) as rows:
        assert rows.pool is None
        assert list(rows.built([("K1", "华联超市", None, None, None, ())])) == [
            (*pinyin.name_fields("华联超市"),
             *search.build_document("K1", "华联超市", None, None, None, *pinyin.name_fields("华联超市"), ()))]


def test_a_bulk_load_has_a_large_page_cache_for_its_block_only(engine):
    from crm_tui.db import bulk

    if engine.dialect.name != "sqlite":
        pytest.skip("a page cache size is SQLite's")
    with engine.connect() as conn:
        size = lambda: conn.exec_driver_sql("PRAGMA cache_size").scalar_one()  # noqa: E731
        before = size()
        with pytest.raises(RuntimeError), bulk.large_cache(conn):
            assert size() == -bulk.LARGE_CACHE_KIB
            raise RuntimeError("the load failed")
        assert size() == before != -bulk.LARGE_CACHE_KIB
