"""Search on both engines: 1-, 2- and 3+-character Chinese terms, pinyin, phones, codes; the index follows
every write of customers and contacts."""

import pytest
from sqlalchemy import select, text

from crm_tui.db import search
from crm_tui.db.models.customers import Customer
from crm_tui.services.customers import contacts
from crm_tui.services.customers import records as customers
from crm_tui.services.customers.search import CustomerFilter, count, list_page


def codes(engine, query: str) -> list[str]:
    from crm_tui.db.session import read_session

    with read_session(engine) as s:
        clause = search.search_clause(engine.dialect.name, query)
        return s.scalars(select(Customer.code).where(clause).order_by(Customer.code)).all()


@pytest.fixture
def shops(engine, admin, tx):
    with tx(admin) as s:
        a = customers.create_customer(s, admin, code="K1", name="深圳华联商贸有限公司", address="临沂市兰山区通达路8号")
        contacts.add_contact(s, admin, a, name="张建国", mobile="13800138000", landline="0539-8123456")
        b = customers.create_customer(s, admin, code="K2", name="北京华夏科技有限公司", short_name="华夏科技",
                                      address="北京市海淀区")
        contacts.add_contact(s, admin, b, name="李华", mobile="13912345678")
        customers.create_customer(s, admin, code="K3", name="单县百货大楼", address="菏泽市单县")
        customers.create_customer(s, admin, code="K4", name="临沂银行股份有限公司", credit_code="9144030071526726XG")


@pytest.mark.parametrize("query, expected", [
    ("华", ["K1", "K2"]),            # 1 character
    ("联", ["K1"]),
    ("华联", ["K1"]),                # 2 characters: trigram alone would find nothing
    ("深圳", ["K1"]),
    ("临沂", ["K1", "K4"]),          # name of one, address of the other
    ("华联商", ["K1"]),              # 3 characters: trigram
    ("华夏科技有限", ["K2"]),
    ("海淀", ["K2"]),
    ("张建国", ["K1"]),              # contact name
    ("建国", ["K1"]),
    ("李", ["K2"]),
    ("bjhx", ["K2"]),                # pinyin initials
    ("BJHX", ["K2"]),
    ("szhl", ["K1"]),
    ("beijing", ["K2"]),             # full pinyin
    ("shanxian", ["K3"]),            # the heteronym reading pypinyin does not choose
    ("danxian", ["K3"]),
    ("13800", ["K1"]),               # mobile
    ("138-0013", ["K1"]),            # typed with separators
    ("8123456", ["K1"]),             # landline
    ("0539-8123", ["K1"]),
    ("k2", ["K2"]),                  # code
    ("9144030071526726", ["K4"]),    # credit code
    ("华 科技", ["K2"]),             # every word must match
    ("华 商贸", ["K1"]),
    ("ＢＪＨＸ", ["K2"]),            # full-width input
    ("上海", []),
    ("", ["K1", "K2", "K3", "K4"]),
])
def test_search_terms(engine, shops, query, expected):
    if query == "":
        assert search.search_clause(engine.dialect.name, query) is None
        return
    assert codes(engine, query) == expected


def test_index_follows_writes(engine, admin, shops, tx):
    with tx(admin) as s:
        k1 = s.scalar(select(Customer.id).where(Customer.code == "K1"))
        row = customers.get_customer(s, admin, k1)
        customers.update_customer(s, admin, k1, row.version, name="青岛海联超市", address="青岛市")
    assert codes(engine, "华联") == []
    assert codes(engine, "海联") == ["K1"]
    assert codes(engine, "qdhl") == ["K1"]
    assert codes(engine, "张建国") == ["K1"]  # contacts still indexed after the customer changed
    with tx(admin) as s:
        c = contacts.list_contacts(s, admin, k1)[0]
        contacts.update_contact(s, admin, c.id, c.version, name="王小明", mobile="13700000001")
    assert codes(engine, "张建国") == []
    assert codes(engine, "小明") == ["K1"]
    assert codes(engine, "13700000001") == ["K1"]
    with tx(admin) as s:
        contacts.delete_contact(s, admin, c.id)
    assert codes(engine, "小明") == []
    with tx(admin) as s:
        customers.delete_customer(s, admin, k1)
    assert codes(engine, "海联") == []
    with tx(admin) as s:
        left = s.execute(text("SELECT count(*) FROM customer_search")).scalar()
    assert left == 3


def test_search_through_the_list_service(engine, admin, shops, ro):
    with ro(admin) as s:
        rows = list_page(s, admin, CustomerFilter(text="华"), sort="name")
        assert [r.code for r in rows] == ["K2", "K1"]  # beijing… before shenzhen…
        assert count(s, admin, CustomerFilter(text="华")) == 2
        assert rows[1].contact == "张建国" and rows[1].mobile == "13800138000"



def test_fts_integrity(engine, shops):
    if engine.dialect.name != "sqlite":
        pytest.skip("FTS5 is SQLite's")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO customer_fts(customer_fts) VALUES ('integrity-check')")
        conn.exec_driver_sql("INSERT INTO customer_grams(customer_grams) VALUES ('integrity-check')")


def test_long_term_needs_the_whole_substring(engine, admin, tx):
    """Trigrams of a term found in different places of a customer's text are not a match."""
    with tx(admin) as s:
        customers.create_customer(s, admin, code="X1", name="华联商城", address="联商贸路1号")
        customers.create_customer(s, admin, code="X2", name="华联商贸有限公司")
    assert codes(engine, "华联商贸") == ["X2"]
    assert codes(engine, "联商贸路") == ["X1"]


def _all_grams(texts):
    """Every 1- and 2-character piece of every alphanumeric run: what the grams must hold."""
    import re

    out = set()
    for run in re.findall(r"[^\W_]+", " ".join(texts)):
        out.update(run)
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


@pytest.mark.parametrize("name", ["兰陵百盛餐饮有限公司", "长沙重庆朝阳单县", "ABC超市2店", "乐乐乐", "行", "ＡＢ长行x"])
def test_grams_hold_every_piece_of_every_initials_variant(name):
    from crm_tui.core import pinyin

    py, initials = pinyin.name_fields(name)
    texts = [search.normalize(name), "山东省临沂市兰山区", "k00002"]
    got = set(search.grams_of(texts, initials).split())
    assert got == _all_grams([*texts, initials])
    if name == "兰陵百盛餐饮有限公司":
        assert len(initials.split()) > 3  # 百 bai/bo/mo, 有 you/..., 司 si/ci: the variants are really there


def test_grams_of_variants_that_are_not_one_letter_apart():
    got = set(search.grams_of([], "abcd abxy ab cdef").split())  # cut short or unlike the first: taken whole
    assert got == _all_grams(["abcd abxy ab cdef"])


@pytest.mark.parametrize("sort, descending", [("code", False), ("name", True), ("owner", False)])
def test_a_deep_page_is_the_same_found_by_its_ids_first(engine, admin, tx, ro, monkeypatch, sort, descending):
    from crm_tui.services.customers import search as customer_search

    with tx(admin) as s:
        for i in range(30):
            customers.create_customer(s, admin, code=f"D{i:03d}", name=f"{'甲乙丙丁戊'[i % 5]}记商行{i}")
    f = CustomerFilter()
    with ro(admin) as s:
        monkeypatch.setattr(customer_search, "DEFER_FROM", 5)
        deferred = [r.code for r in list_page(s, admin, f, sort=sort, descending=descending, offset=12, limit=7)]
        monkeypatch.setattr(customer_search, "DEFER_FROM", 10**9)
        plain = [r.code for r in list_page(s, admin, f, sort=sort, descending=descending, offset=12, limit=7)]
    assert deferred == plain and len(plain) == 7
