"""Helpers for the stock and purchasing tests: warehouses, products and a customer in one call."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from crm_tui.db.session import read_session, transaction


@pytest.fixture
def tx(engine, admin):
    """``with tx() as s:`` — a write transaction as the administrator."""
    return lambda actor=None: transaction(engine, actor or admin)


@pytest.fixture
def rd(engine, admin):
    return lambda: read_session(engine, admin)


@pytest.fixture
def world(tx):
    """Two warehouses (WH1 主仓, WH2 分仓), three products and one customer; returns their ids."""
    from crm_tui.db.models.customers import Customer
    from crm_tui.services.stock import products
    from crm_tui.services.stock import warehouses as stock_warehouses

    ids = {}
    with tx() as s:
        from crm_tui.core.actor import SYSTEM

        ids["w1"] = stock_warehouses.add_warehouse(s, SYSTEM, "WH1", "主仓")
        ids["w2"] = stock_warehouses.add_warehouse(s, SYSTEM, "WH2", "分仓")
        ids["p1"] = products.add_product(s, SYSTEM, code="P001", name="青岛啤酒", spec="500ml*12", unit="箱",
                                         purchase_price=D("40"), safety_stock=D("5"))
        ids["p2"] = products.add_product(s, SYSTEM, code="P002", name="茅台飞天", spec="53度 500ml", unit="瓶",
                                         purchase_price=D("1499"))
        ids["p3"] = products.add_product(s, SYSTEM, code="P003", name="海天酱油", spec="1.9L", unit="桶")
        customer = Customer(code="K00001", name="临沂大酒店", status="active")
        s.add(customer)
        s.flush()
        ids["c1"] = customer.id
    return ids
