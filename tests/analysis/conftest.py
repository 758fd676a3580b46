"""A small hand-counted sales history for the analyses (orders and stock-outs written as rows, like the bench).

People: ``boss`` (manager, supervises ``wang``), ``wang`` and ``li`` (salespeople). Customers (owner, region,
industry, classification) and their orders (tax-inclusive = net, one line each):

- C1 wang 河东 商超 "A类,重点": 2026-01-10, 02-10, 03-12 at 1,000 (P1)      -> churned, reorder overdue
- C2 wang 南坊 餐饮 "B类": 2026-05-01 500 (P1 ×10), 06-01 500 (P1 ×9), 06-20 2,000 (P2 ×20)
- C3 li 河东 商超: 2025-06-15 700, 2025-12-01 4,000 (P2)                      -> churned
- C4 li: 2024-01-01 100, 2026-04-01 600 (done); a draft 2026-06-10 9,999 and a cancelled 2026-01-05 8,888
- C5 public pool: 2026-06-25 100 (P2 ×1)

June stock-outs: P1 net 500 at cost 450; P2 net 2,000 at cost 1,000. P3 lies in stock (5, 100.00), never out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import insert

from crm_tui.db.session import read_session, transaction

AS_OF = date(2026, 6, 30)


@dataclass
class History:
    admin: object
    boss: object
    wang: object
    li: object
    customers: dict[str, int]


@pytest.fixture
def rd(engine, admin):
    return lambda actor=None: read_session(engine, actor or admin)


@pytest.fixture
def history(engine, admin, make_user) -> History:
    from crm_tui.db.models.customers import Customer
    from crm_tui.db.models.products import Product
    from crm_tui.db.models.sales import SalesOrder, SalesOrderLine, SalesStockOut, SalesStockOutLine
    from crm_tui.db.models.stock import StockBalance, Warehouse

    boss = make_user("boss", "manager", "老板")
    wang = make_user("wang", "salesperson", "王业务", supervisor_id=boss.id)
    li = make_user("li", "salesperson", "李业务")
    owners = {"C1": wang.id, "C2": wang.id, "C3": li.id, "C4": li.id, "C5": None}
    attrs = {"C1": ("河东片区", "商超", "A类,重点"), "C2": ("南坊片区", "餐饮", "B类"), "C3": ("河东片区", "商超", None),
             "C4": (None, None, None), "C5": (None, None, None)}
    ids: dict[str, int] = {}
    with transaction(engine, admin) as s:
        for code, owner in owners.items():
            area, industry, cls = attrs[code]
            ids[code] = s.execute(insert(Customer).values(
                code=code, name=f"客户{code}", owner_id=owner, area=area, industry=industry, classification=cls,
                status="active", created_on=date(2024, 1, 1)).returning(Customer.id)).scalar_one()
        products = {}
        for code, category in (("P1", "酒"), ("P2", "酒"), ("P3", "酒")):
            products[code] = s.execute(insert(Product).values(code=code, name=f"商品{code}", category=category)
                                       .returning(Product.id)).scalar_one()
        wh = s.execute(insert(Warehouse).values(code="W1", name="总仓").returning(Warehouse.id)).scalar_one()
        lines: dict[tuple[str, date], int] = {}

        def order(code, day, amount, product="P1", qty="1", status="confirmed"):
            oid = s.execute(insert(SalesOrder).values(
                customer_id=ids[code], owner_id=owners[code], order_date=day, status=status,
                net_total=D(amount), tax_total=D(0), gross_total=D(amount)).returning(SalesOrder.id)).scalar_one()
            lines[(code, day)] = s.execute(insert(SalesOrderLine).values(
                order_id=oid, line_no=1, product_id=products[product], quantity=D(qty), entered_price=D(amount),
                tax_rate=D(0), net_price=D(amount) / D(qty), gross_price=D(amount) / D(qty), net_amount=D(amount),
                tax_amount=D(0), gross_amount=D(amount)).returning(SalesOrderLine.id)).scalar_one()

        for day in (date(2026, 1, 10), date(2026, 2, 10), date(2026, 3, 12)):
            order("C1", day, "1000")
        order("C2", date(2026, 5, 1), "500", qty="10")
        order("C2", date(2026, 6, 1), "500", qty="9")
        order("C2", date(2026, 6, 20), "2000", product="P2", qty="20")
        order("C3", date(2025, 6, 15), "700", product="P2")
        order("C3", date(2025, 12, 1), "4000", product="P2")
        order("C4", date(2024, 1, 1), "100")
        order("C4", date(2026, 4, 1), "600", status="done")
        order("C4", date(2026, 6, 10), "9999", status="draft")
        order("C4", date(2026, 1, 5), "8888", status="cancelled")
        order("C5", date(2026, 6, 25), "100", product="P2", qty="1")
        for code, day, product, net, cost in (("C2", date(2026, 6, 1), "P1", "500", "450"),
                                              ("C2", date(2026, 6, 20), "P2", "2000", "1000")):
            so = s.execute(insert(SalesStockOut).values(
                customer_id=ids[code], warehouse_id=wh, out_date=day, status="confirmed", net_total=D(net),
                tax_total=D(0), gross_total=D(net), cost_total=D(cost)).returning(SalesStockOut.id)).scalar_one()
            s.execute(insert(SalesStockOutLine).values(
                stock_out_id=so, line_no=1, order_line_id=lines[(code, day)], product_id=products[product],
                warehouse_id=wh, quantity=D(1), net_amount=D(net), tax_amount=D(0), gross_amount=D(net),
                cost_amount=D(cost)))
        s.execute(insert(StockBalance).values(warehouse_id=wh, product_id=products["P3"], quantity=D(5),
                                              value=D(100), unit_cost=D(20)))
    return History(admin, boss, wang, li, ids)
