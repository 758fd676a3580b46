"""Name-sorted pages of a frequent term go through customer_sort (migration 0010_srch): the same pages as the
plain query, for frequent and rare terms, both directions, every visibility and scope; the triggers keep the
narrow table in step with every write; the deep-page index."""

import random
import sqlite3

import pytest
from sqlalchemy import select, text
from sqlalchemy.sql import column as sql_column
from sqlalchemy.sql import table as sql_table

from crm_tui.db import name_sort
from crm_tui.db.models.customers import Customer
from crm_tui.services.customers import records as customers
from crm_tui.services.customers import search as customer_search
from crm_tui.services.customers.search import CustomerFilter, list_page

PLACES = ["深圳", "临沂", "北京", "单县", "ABC", "zz", "9号"]
BRANDS = ["华联", "百盛", "金源", "华夏", "利群"]


def test_prefix_key_orders_as_the_text_and_matches_its_sql():
    rng = random.Random(3)
    alphabet = "ab yz09:_A~é中 "
    texts = [None, ""] + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    db = sqlite3.connect(":memory:")
    sql = f"SELECT {name_sort.prefix_key_sql('x')} FROM (SELECT ? AS x)"
    for t in texts:
        assert db.execute(sql, (t,)).fetchone()[0] == name_sort.prefix_key(t), t
    db.execute("CREATE TABLE t (x TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [(t,) for t in texts])
    ordered = [r[0] for r in db.execute("SELECT x FROM t ORDER BY x")]
    keys = [name_sort.prefix_key(t) for t in ordered]
    assert keys[0] is None and keys[1:] == sorted(keys[1:])  # SQLite's order (NULL first) is the keys' order


@pytest.mark.parametrize("descending", [False, True])
def test_up_to_a_bound_is_sqlites_order(descending):
    """``_key_within`` (Python) and ``_up_to`` (SQL) both say: the key comes no later than the bound."""
    from sqlalchemy import create_engine

    values = [None, "", "a", "ab", "b", "é", "中"]
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (k TEXT)")
        conn.exec_driver_sql("INSERT INTO t VALUES " + ", ".join("(?)" for _ in values), tuple(values))
        order = conn.exec_driver_sql(f"SELECT k FROM t ORDER BY k {'DESC' if descending else ''}").scalars().all()
        t = sql_table("t", sql_column("k"))
        for bound in values:
            expected = {k for k in values if order.index(k) <= order.index(bound)}
            found = set(conn.execute(select(t.c.k).where(customer_search._up_to(t.c.k, bound, descending))).scalars())
            assert found == expected, bound
            assert {k for k in values if customer_search._key_within(k, bound, descending)} == expected, bound


@pytest.fixture
def many(engine, admin, make_user, tx):
    """90 customers: 深圳 in most names (frequent), 单县 in few; owners split between two salespeople."""
    boss = make_user("boss", "manager")
    s1 = make_user("s1", "salesperson", supervisor_id=boss.id)
    s2 = make_user("s2", "salesperson")
    rng = random.Random(5)
    with tx(admin) as s:
        for i in range(90):
            place = "深圳" if i % 3 else rng.choice(PLACES)
            owner = (s1.id, s2.id, None)[i % 3 if i % 7 else 0]
            cid = customers.create_customer(s, admin, code=f"N{i:03d}", owner_id=owner,
                                            name=f"{place}{rng.choice(BRANDS)}{i % 11}商行{i}")
            if i % 10 == 0:
                customers.set_status(s, admin, cid, "archived")
    return {"admin": admin, "boss": boss, "s1": s1, "s2": s2}


def _pages(s, actor, f, descending, offset, limit, monkeypatch):
    monkeypatch.setattr(customer_search, "NAME_KEY_FROM", 1)
    fast = [r.code for r in list_page(s, actor, f, sort="name", descending=descending, offset=offset, limit=limit)]
    monkeypatch.setattr(customer_search, "NAME_KEY_FROM", 10**9)
    plain = [r.code for r in list_page(s, actor, f, sort="name", descending=descending, offset=offset, limit=limit)]
    return fast, plain


@pytest.mark.parametrize("margin", [50, 0])  # 0: the bound is always asked of the whole match set
@pytest.mark.parametrize("who", ["admin", "boss", "s1"])
@pytest.mark.parametrize("term, status, scope", [
    ("深圳", "active", "all"), ("深", "active", "all"), ("深圳 华联", "active", "all"), ("单县", "active", "all"),
    ("深圳", None, "all"), ("深圳", "archived", "all"), ("深圳", "active", "mine"), ("深圳", "active", "pool"),
    ("szhl", "active", "all"), ("商行", None, "all"),
])
def test_name_pages_through_the_key_are_the_plain_pages(engine, many, ro, monkeypatch, who, term, status, scope,
                                                        margin):
    monkeypatch.setattr(customer_search, "MARGIN", margin)
    actor = many[who]
    f = CustomerFilter(text=term, status=status, scope=scope)
    with ro(actor) as s:
        for descending in (False, True):
            for offset, limit in ((0, 7), (7, 7), (14, 7), (0, 100), (40, 9)):
                fast, plain = _pages(s, actor, f, descending, offset, limit, monkeypatch)
                assert fast == plain, (descending, offset, limit)


def test_the_key_way_is_taken_only_for_enough_matches_on_sqlite(engine, many, ro, monkeypatch):
    admin = many["admin"]
    with ro(admin) as s:
        monkeypatch.setattr(customer_search, "NAME_KEY_FROM", 1)
        taken = customer_search._by_name_key(s, admin, CustomerFilter(text="深圳"), False, 0, 10)
        assert (taken is not None) == (engine.dialect.name == "sqlite")
        assert customer_search._by_name_key(s, admin, CustomerFilter(text="深圳", area="x"), False, 0, 10) is None
        monkeypatch.setattr(customer_search, "NAME_KEY_FROM", 10**9)
        assert customer_search._by_name_key(s, admin, CustomerFilter(text="深圳"), False, 0, 10) is None


def _sort_rows(engine):
    with engine.connect() as conn:
        narrow = conn.execute(text("SELECT id, k, owner_id, status FROM customer_sort ORDER BY id")).all()
        wide = conn.execute(select(Customer.id, Customer.name_pinyin, Customer.owner_id, Customer.status)
                            .order_by(Customer.id)).all()
    return [tuple(r) for r in narrow], [(i, name_sort.prefix_key(p), o, st) for i, p, o, st in wide]


def test_triggers_keep_customer_sort_in_step(engine, admin, make_user, tx):
    if engine.dialect.name != "sqlite":
        pytest.skip("customer_sort is SQLite's")
    owner = make_user("s9", "salesperson")
    with tx(admin) as s:
        a = customers.create_customer(s, admin, code="T1", name="深圳华联")
        b = customers.create_customer(s, admin, code="T2", name="北京华夏", owner_id=owner.id)
    with tx(admin) as s:
        row = customers.get_customer(s, admin, a)
        customers.update_customer(s, admin, a, row.version, name="青岛海联")
        customers.set_status(s, admin, b, "archived")
    narrow, wide = _sort_rows(engine)
    assert narrow == wide and len(narrow) == 2 and narrow[1][3] == "archived"
    with tx(admin) as s:
        customers.delete_customer(s, admin, a)
    narrow, wide = _sort_rows(engine)
    assert narrow == wide and [r[0] for r in narrow] == [b]


def test_deep_page_of_the_default_list_walks_the_status_code_index(engine, admin, tx):
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            plan = " ".join(r[3] for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM customers WHERE status = 'active' ORDER BY code, id LIMIT 5 "
                "OFFSET 100"))
            assert "COVERING INDEX ix_customers_status_code" in plan
        else:
            names = conn.exec_driver_sql("SELECT indexname FROM pg_indexes WHERE tablename = 'customers'").scalars()
            assert "ix_customers_status_code" in set(names)


def test_an_import_fills_customer_sort(engine, admin, tx):
    if engine.dialect.name != "sqlite":
        pytest.skip("customer_sort is SQLite's")
    from crm_tui.io.importing import ParsedRow
    from crm_tui.services.customers.import_plan import ImportPlan, RowPlan
    from crm_tui.services.customers.imports_write import write_plan

    rows = [RowPlan(ParsedRow("t", i, {"code": f"I{i}", "name": name}, ()), "create", None, None, True)
            for i, name in enumerate(["深圳华联超市", "Ａ临沂百盛", "单县鲁南饭庄"], 1)]
    with tx(admin) as s:
        write_plan(s, admin, ImportPlan(None, "error", rows), "t")
    narrow, wide = _sort_rows(engine)
    assert narrow == wide and len(narrow) == 3
