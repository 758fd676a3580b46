"""Keyset pages (``list_page(after=…)``): walking a list page by page from the last row of each page gives the
same rows as the OFFSET pages, for every order, both directions, searches, visibility and empty values; the
virtual table asks for the page after a full one by its last key."""

import random
from decimal import Decimal

import pytest

from crm_tui.services.customers import records as customers
from crm_tui.services.customers import search as customer_search
from crm_tui.services.customers.search import SORTS, CustomerFilter, list_page

PLACES = ["深圳", "临沂", "北京", "单县"]
# two long names alike in their first 24 letters of pinyin (the customer_sort key): only the names tell them apart
LONG = "深圳华联超市连锁股份有限公司"


@pytest.fixture
def listed(engine, admin, make_user, tx):
    """60 customers: repeated names (ties broken by id), long names sharing a key, empty areas and credits."""
    boss = make_user("boss", "manager")
    s1 = make_user("s1", "salesperson", supervisor_id=boss.id)
    rng = random.Random(7)
    with tx(admin) as s:
        for i in range(60):
            place = "深圳" if i % 3 else rng.choice(PLACES)
            name = f"{LONG}第{i % 4}店" if i % 9 == 0 else f"{place}华联{i % 5}"
            values = {"area": rng.choice(["河东", "兰山", None])}
            if i % 4:
                values["credit_limit"] = Decimal(rng.choice([5000, 10000]))
            cid = customers.create_customer(s, admin, allow_duplicate=True, code=f"P{59 - i:03d}", name=name,
                                            owner_id=(s1.id, None, boss.id)[i % 3], **values)
            if i % 10 == 0:
                customers.set_status(s, admin, cid, "archived")
    return {"admin": admin, "boss": boss, "s1": s1}


def _walk(s, actor, f, sort, descending, size):
    """Every row, each page asked for as the rows after the last one of the page before."""
    rows = list_page(s, actor, f, sort=sort, descending=descending, limit=size)
    out = list(rows)
    while len(rows) == size:
        rows = list_page(s, actor, f, sort=sort, descending=descending, offset=len(out), limit=size,
                         after=out[-1].id)
        out += rows
    return [r.code for r in out]


@pytest.mark.parametrize("key_from", [2000, 1])  # 1: name pages of a search go through customer_sort (SQLite)
@pytest.mark.parametrize("who", ["admin", "boss", "s1"])
@pytest.mark.parametrize("f", [CustomerFilter(), CustomerFilter(text="深圳"), CustomerFilter(text="深圳 华联"),
                               CustomerFilter(status=None), CustomerFilter(text="szhl", status=None)])
def test_keyset_pages_are_the_offset_pages(engine, listed, ro, monkeypatch, key_from, who, f):
    monkeypatch.setattr(customer_search, "NAME_KEY_FROM", key_from)
    actor = listed[who]
    with ro(actor) as s:
        for sort in SORTS:
            for descending in (False, True):
                whole = [r.code for r in list_page(s, actor, f, sort=sort, descending=descending, limit=1000)]
                assert whole, (sort, descending)
                for size in (1, 4, 7):
                    assert _walk(s, actor, f, sort, descending, size) == whole, (sort, descending, size)


def test_a_page_after_a_row_gone_or_without_a_value_is_found_by_offset(engine, listed, ro):
    admin = listed["admin"]
    with ro(admin) as s:
        by_area = list_page(s, admin, CustomerFilter(), sort="area", limit=1000)
        empty = next(r for r in by_area if r.area is None)
        i = by_area.index(empty)
        page = list_page(s, admin, CustomerFilter(), sort="area", offset=i + 1, limit=5, after=empty.id)
        assert [r.code for r in page] == [r.code for r in by_area[i + 1:i + 6]]
        page = list_page(s, admin, CustomerFilter(), offset=3, limit=5, after=10**9)  # no such customer
        assert [r.code for r in page] == [r.code for r in list_page(s, admin, CustomerFilter(), limit=1000)[3:8]]


class Keyed:
    """A source that can start after a key; records how each page was asked for."""

    def __init__(self, total):
        self.total, self.calls = total, []

    def count(self):
        return self.total

    def fetch(self, offset, limit):
        self.calls.append(("offset", offset))
        return [(i, (f"K{i:07d}",)) for i in range(offset, min(offset + limit, self.total))]

    def fetch_after(self, key, offset, limit):
        self.calls.append(("after", key))
        return [(i, (f"K{i:07d}",)) for i in range(key + 1, min(key + 1 + limit, self.total))]


async def test_the_table_asks_for_the_page_below_a_full_one_by_its_last_key():
    from textual.app import App

    from crm_tui.widgets.record_table import Column, RecordTable
    from tests.tui.helpers import settle

    source = Keyed(1000)

    class One(App):
        def compose(self):
            yield RecordTable([Column("编号", 9)], source, page_size=10)

    app = One()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = app.query_one(RecordTable)
        table.focus()
        for _ in range(3):
            await pilot.press("pagedown")
            await settle(pilot)
        keyed = [key for how, key in source.calls if how == "after"]
        assert keyed and all(table.record(k + 1) in (None, (k + 1, (f"K{k + 1:07d}",))) for k in keyed)
        await pilot.press("end")  # a jump: nothing above it is held
        await settle(pilot)
        assert ("offset", 990) in source.calls and table.cursor_key == 999
