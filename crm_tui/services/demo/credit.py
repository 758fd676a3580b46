"""Demo step: payment terms and price classes of the customers who buy, the due dates they give their orders
and invoices, class prices (批发价 / VIP价) and a customer's own prices, and the courier companies the demo's
tracking numbers use. The credit limits come with the customers step. Runs last, with a generator of its own,
so the earlier steps' data stays as it was; on the demo's "today" the dunning list has customers at every level.
"""

from __future__ import annotations

import random
from decimal import Decimal as D

from sqlalchemy import select

from crm_tui.db.models.credit import ClassPrice, Courier, CustomerPrice, CustomerTerms
from crm_tui.db.models.products import Product
from crm_tui.db.models.sales import SalesInvoice, SalesOrder
from crm_tui.services.sales import terms

TITLE = "Payment terms, price levels and couriers"
SEED = 18
COURIERS = [("顺丰速运", "95338"), ("中通快递", "95311"), ("德邦物流", "95353"), ("圆通速递", "95554"),
            ("韵达快递", "95546"), ("京东物流", "950616")]
TERMS = ["30", "M30", "60", "M0", "15"]
CLASSES = [("wholesale", D("0.92")), ("vip", D("0.88"))]


def run(session, ctx) -> None:
    rng = random.Random(SEED)
    session.add_all(Courier(name=name, phone=phone, active=True) for name, phone in COURIERS)
    buyers = sorted(set(session.scalars(select(SalesOrder.customer_id))))
    for cid in buyers:
        cls = rng.choice([None, None, "wholesale", "vip"])
        session.add(CustomerTerms(customer_id=cid, terms=rng.choice(TERMS), price_class=cls))
    session.flush()
    # the due dates the terms give (the orders were confirmed before the terms were entered)
    for order in session.scalars(select(SalesOrder).where(SalesOrder.status.in_(("confirmed", "done")))
                                 .order_by(SalesOrder.id)):
        terms.stamp_order(session, order)
    for invoice in session.scalars(select(SalesInvoice).order_by(SalesInvoice.id)):
        terms.stamp_invoice(session, invoice)
    products = list(session.scalars(select(Product).where(Product.sale_price_gross.is_not(None))
                                    .order_by(Product.code)))
    for product in products[:12]:
        for cls, factor in CLASSES:
            session.add(ClassPrice(price_class=cls, product_id=product.id, basis="gross",
                                   price=(product.sale_price_gross * factor).quantize(D("0.01"))))
    if buyers and products:
        for product in products[:3]:
            session.add(CustomerPrice(customer_id=buyers[0], product_id=product.id, basis="gross",
                                      price=(product.sale_price_gross * D("0.9")).quantize(D("0.01"))))
    session.flush()
    ctx.made["customer terms"] = len(buyers)
    ctx.made["couriers"] = len(COURIERS)
