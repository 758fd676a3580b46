"""Migration 0007_salesB: requests written before it keep their stored text and are routed to the chain of their
customer's salesperson (orders) or of their writer (expenses)."""

from datetime import datetime

import pytest
from sqlalchemy import inspect, text

from tests.conftest import ON_PG

pytestmark = pytest.mark.skipif(ON_PG, reason="builds an old SQLite database of its own")


def _insert(conn, table: str, **values) -> None:
    """A row with ``values`` and a plain value in every other NOT NULL column of the old schema."""
    plain = {"INTEGER": 0, "BOOLEAN": 1, "DATETIME": datetime(2026, 1, 1), "DATE": "2026-01-01"}
    for col in inspect(conn).get_columns(table):
        if col["name"] not in values and not col["nullable"] and col["name"] != "id":
            values[col["name"]] = plain.get(str(col["type"]).split("(")[0], f"{col['name']}-{len(values)}")
    names = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + k for k in values)})"), values)


def test_old_requests_are_routed_and_keep_their_text(crm_home):
    from crm_tui.core.actor import Actor
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine
    from crm_tui.db.session import read_session
    from crm_tui.services.sales import approvals

    engine = make_engine()
    migrate.upgrade(engine, "0006")
    with engine.begin() as conn:
        for uid, login, role, boss in ((1, "admin", "administrator", None), (2, "boss", "manager", None),
                                       (3, "sun", "salesperson", 2), (4, "clerk", "clerk", None)):
            _insert(conn, "users", id=uid, login=login, display_name=login, role=role, active=1,
                    supervisor_id=boss)
        _insert(conn, "customers", id=1, code="K1", name="孙伟的客户", owner_id=3, status="active")
        _insert(conn, "approvals", id=1, kind="order_discount", doc_id=7, status="pending", requested_by=4,
                customer_id=1, summary="订单 #7：折扣 8.00% 超出内勤的权限 5.00%")
        _insert(conn, "approvals", id=2, kind="expense", doc_id=8, status="pending", requested_by=3,
                customer_id=None, summary="孙伟 的报销单 EX1：招待 100.00")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, route_owner_id, message_code, summary FROM approvals ORDER BY id")).all()
    assert [(r.id, r.route_owner_id, r.message_code) for r in rows] == [(1, 3, None), (2, 3, None)]
    boss = Actor(2, "boss", "boss", "manager", None)
    with read_session(engine, boss) as s:
        seen = {r.id: r.summary for r in approvals.queue(s, boss)}
    assert seen == {1: "订单 #7：折扣 8.00% 超出内勤的权限 5.00%", 2: "孙伟 的报销单 EX1：招待 100.00"}
    engine.dispose()
