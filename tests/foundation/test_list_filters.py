"""The shared list filters: blank filters do nothing, search text is a literal substring, dates are inclusive."""

from datetime import date

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, create_engine, select

from crm_tui.services.common import list_filters as lf

meta = MetaData()
docs = Table("docs", meta, Column("id", Integer, primary_key=True), Column("number", String),
             Column("status", String), Column("day", Date))


def _ids(stmt) -> list[int]:
    engine = create_engine("sqlite://")
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(docs.insert(), [
            {"id": 1, "number": "SO-100%", "status": "draft", "day": date(2026, 11, 1)},
            {"id": 2, "number": "SO-1000", "status": "confirmed", "day": date(2026, 11, 15)},
            {"id": 3, "number": "SO_200", "status": "confirmed", "day": date(2026, 11, 30)},
        ])
        return [r[0] for r in conn.execute(stmt.order_by(docs.c.id))]


def test_wildcards_typed_in_the_search_box_are_literal():
    base = select(docs.c.id)
    assert _ids(lf.search(base, "100%", docs.c.number)) == [1]
    assert _ids(lf.search(base, "_", docs.c.number)) == [3]
    assert _ids(lf.search(base, "  so-1  ", docs.c.number, docs.c.status)) == [1, 2]
    assert _ids(lf.search(base, "   ", docs.c.number)) == [1, 2, 3]


def test_equal_to_skips_empty_values_and_between_is_inclusive():
    base = select(docs.c.id)
    assert _ids(lf.equal_to(base, (docs.c.status, "confirmed"), (docs.c.number, None))) == [2, 3]
    assert _ids(lf.between(base, docs.c.day, date(2026, 11, 15), date(2026, 11, 30))) == [2, 3]
    assert _ids(lf.between(base, docs.c.day, None, date(2026, 11, 15))) == [1, 2]
