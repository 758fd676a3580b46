"""Demo step: cases (箱) of the products sold by the bottle, and one order written, priced and shipped in 箱.
Runs after the other steps with nothing random, so their data stays as it was."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal as D

from sqlalchemy import select

from crm_tui.db.models.products import Product
from crm_tui.db.models.sales import SalesOrder
from crm_tui.services.sales import orders
from crm_tui.services.sales import stock_outs as outs
from crm_tui.services.sales.pricing import LineInput
from crm_tui.services.stock import units
from crm_tui.services.stock.ledger import on_hand

TITLE = "Units of measure"
CASES = [("BJ001", "6"), ("BJ003", "12"), ("BJ005", "12"), ("TW006", "12")]  # 1 箱 = n 瓶
ORDER_DAYS_AGO = 100


def run(session, ctx) -> None:
    ids = dict(session.execute(select(Product.code, Product.id).where(Product.code.in_([c for c, _f in CASES]))).all())
    for code, factor in CASES:
        units.add_unit(session, ctx.actor, ids[code], "箱", factor)
    ctx.made["unit conversions"] = len(CASES)
    customer = session.scalar(select(SalesOrder.customer_id).where(SalesOrder.status == "done")
                              .order_by(SalesOrder.id).limit(1))
    warehouse = _warehouse(session)
    if customer is None or warehouse is None or on_hand(session, warehouse, ids["BJ003"]) < 24:
        return
    day = ctx.today - timedelta(days=ORDER_DAYS_AGO)
    at = datetime.combine(day, time(10))
    oid = orders.create_order(session, ctx.actor, customer, [LineInput(ids["BJ003"], D(2), unit="箱"),
                                                             LineInput(ids["BJ001"], D(1), unit="箱")],
                              order_date=day, remarks="整箱订货")
    if orders.confirm_order(session, ctx.actor, oid, at=at) != "confirmed":
        return
    line = orders.order_lines(session, oid)[0]
    out = outs.create_stock_out(session, ctx.actor, customer, warehouse, [outs.OutLineInput(line.id, D(2))],
                                out_date=day)
    outs.confirm_stock_out(session, ctx.actor, out, at=at + timedelta(hours=4))
    ctx.made["orders in cases"] = 1


def _warehouse(session) -> int | None:
    from crm_tui.db.models.stock import Warehouse

    return session.scalar(select(Warehouse.id).where(Warehouse.code == "WH01"))
