"""Fixtures of the sales tests: people, customers, products and stock in one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import pytest

from crm_tui.db.session import read_session, transaction


@dataclass
class World:
    """What ``world`` made: actors and ids by short names."""

    admin: object
    manager: object  # wang: heads the sales department, li's supervisor
    li: object  # salesperson under wang
    zhao: object  # salesperson of another team
    clerk: object
    keeper: object  # warehouse
    c1: int  # li's customer 临沂大酒店
    c2: int  # zhao's customer 济南百货
    c3: int  # li's customer 兰山超市 (opening balance 1,000.00)
    w1: int
    w2: int
    p1: int  # 青岛啤酒: list price 113.00 tax-inclusive at 13%
    p2: int  # 酱油: list price 10.00 net at 13%
    p3: int  # 大米: list price 50.00 tax-inclusive at 9%


@pytest.fixture
def tx(engine, admin):
    """``with tx(actor) as s:`` — one write transaction (as the administrator by default)."""
    return lambda actor=None: transaction(engine, actor or admin)


@pytest.fixture
def rd(engine, admin):
    return lambda actor=None: read_session(engine, actor or admin)


@pytest.fixture
def world(engine, admin, make_user, tx) -> World:
    from crm_tui.services.customers import records as customers
    from crm_tui.services.stock import documents as stock_documents
    from crm_tui.services.stock import products
    from crm_tui.services.stock import warehouses as stock_warehouses
    from crm_tui.services.stock.documents import LineInput

    wang = make_user("wang", "manager", "王经理")
    li = make_user("li", "salesperson", "李业务", supervisor_id=wang.id)
    zhao = make_user("zhao", "salesperson", "赵业务")
    clerk = make_user("clerk", "clerk", "内勤")
    keeper = make_user("keeper", "warehouse", "仓管")
    with tx() as s:
        c1 = customers.create_customer(s, admin, code="K001", name="临沂大酒店", owner_id=li.id, address="临沂市兰山区")
        c2 = customers.create_customer(s, admin, code="K002", name="济南百货", owner_id=zhao.id)
        c3 = customers.create_customer(s, admin, code="K003", name="兰山超市", owner_id=li.id,
                                       opening_balance="1000.00", created_on=date(2026, 1, 1))
        w1 = stock_warehouses.add_warehouse(s, admin, "WH1", "主仓")
        w2 = stock_warehouses.add_warehouse(s, admin, "WH2", "分仓")
        p1 = products.add_product(s, admin, code="P1", name="青岛啤酒", spec="500ml*12", unit="箱",
                                  sale_price_gross=D("113.00"), purchase_price=D("60"))
        p2 = products.add_product(s, admin, code="P2", name="海天酱油", spec="1.9L", unit="桶",
                                  sale_price=D("10.00"), purchase_price=D("6"))
        p3 = products.add_product(s, admin, code="P3", name="五常大米", spec="10kg", unit="袋", tax_rate=D("0.09"),
                                  sale_price_gross=D("50.00"), purchase_price=D("30"))
        for w in (w1, w2):
            doc = stock_documents.create_document(s, admin, "stock_in", w, lines=[
                LineInput(p1, D(100), unit_cost=D("60")), LineInput(p2, D(100), unit_cost=D("6")),
                LineInput(p3, D(100), unit_cost=D("30"))])
            stock_documents.confirm(s, admin, doc)
    return World(admin, wang, li, zhao, clerk, keeper, c1, c2, c3, w1, w2, p1, p2, p3)


@pytest.fixture
def sales_settings(crm_home):
    """``sales_settings(receivable_basis="stock_outs")`` changes [sales] for one test."""
    from crm_tui import config

    def change(**values):
        config.update_settings("sales", **values)

    return change


@pytest.fixture
def crm(db_url, world, monkeypatch):
    """``crm("orders", "list", user="li")`` runs the command line as a user of the world (password pass-1234)."""
    from click.testing import CliRunner

    from crm_tui.cli import cli

    def run(*args, user="clerk", ok=True):
        monkeypatch.setenv("CRM_USER", user)
        monkeypatch.setenv("CRM_PASSWORD", "admin-pass" if user == "admin" else "pass-1234")
        result = CliRunner().invoke(cli, ["--db", db_url, "--lang", "en", *map(str, args)], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


@pytest.fixture
def sales_adapters():
    """The sales print adapters in place (another test may have put stand-ins there)."""
    from crm_tui.bootstrap import register_print_adapters

    register_print_adapters()
