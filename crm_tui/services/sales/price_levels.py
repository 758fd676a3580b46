"""Price levels: price lists per customer class (批发价 / 零售价 / VIP价) and prices agreed with one customer.

The price a new line starts from, when none is typed, is the first of: the customer's last price (the latest
confirmed order line, ``pricing.last_price``), the customer's own price for the product, the price of the
customer's class (``customer_terms.price_class``), the product's list price. Each price is kept on the basis it
was set on (net 单价 or gross 含税单价).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, ValidationError
from crm_tui.db.models.credit import ClassPrice, CustomerPrice
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.products import Product
from crm_tui.i18n import _
from crm_tui.services.sales import permissions as perms
from crm_tui.services.sales.agreed_prices import AgreedPrice, agreed_price  # noqa: F401 (read here too)
from crm_tui.services.sales.pricing import BASES, parse_price
from crm_tui.services.sales.terms import parse_price_class


def _basis(value: str) -> str:
    if value not in BASES:
        raise ValidationError(_("Unknown price basis {basis}: expected net or gross.").format(basis=value),
                              field="basis")
    return value


def _product(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(_("No such product: {id}").format(id=product_id))
    return product


def set_class_price(session: Session, actor: Actor, price_class: str, product_id: int, price: object | None,
                    basis: str = "gross") -> None:
    """Set (or with ``price`` None / empty, remove) a class's price for a product."""
    perms.require(actor, "sales.edit")
    code = parse_price_class(price_class)
    if code is None:
        raise ValidationError(_("Give the price class (wholesale, retail or vip)."), field="price_class")
    product = _product(session, product_id)
    row = session.scalar(select(ClassPrice).where(ClassPrice.price_class == code,
                                                  ClassPrice.product_id == product.id))
    _write(session, row, price, basis, product, lambda: ClassPrice(price_class=code, product_id=product.id))


def set_customer_price(session: Session, actor: Actor, customer_id: int, product_id: int, price: object | None,
                       basis: str = "gross") -> None:
    """Set (or with ``price`` None / empty, remove) the price agreed with a customer for a product."""
    perms.require(actor, "sales.edit")
    customer = perms.require_customer_record(session, actor, customer_id)
    product = _product(session, product_id)
    row = session.scalar(select(CustomerPrice).where(CustomerPrice.customer_id == customer.id,
                                                     CustomerPrice.product_id == product.id))
    _write(session, row, price, basis, product,
           lambda: CustomerPrice(customer_id=customer.id, product_id=product.id))


def _write(session: Session, row, price: object | None, basis: str, product: Product, make) -> None:
    if price is None or not str(price).strip():
        if row is not None:
            session.delete(row)
        session.flush()
        return
    value = parse_price(price, product.code)
    if row is None:
        row = make()
        session.add(row)
    row.basis, row.price = _basis(basis), value
    session.flush()


@dataclass(frozen=True)
class PriceRow:
    source: str  # customer | wholesale | retail | vip
    customer_code: str | None
    customer_name: str | None
    product_id: int
    product_code: str
    product_name: str
    basis: str
    price: Decimal
    list_price: Decimal | None  # the product's list price on the same basis

    def as_json(self) -> dict:
        return {"source": self.source, "customer_code": self.customer_code, "product_code": self.product_code,
                "product_name": self.product_name, "basis": self.basis, "price": f"{self.price:.2f}",
                "list_price": None if self.list_price is None else f"{self.list_price:.2f}"}


def list_prices(session: Session, actor: Actor, *, product_id: int | None = None,
                customer_id: int | None = None) -> list[PriceRow]:
    """The class prices (all of them, or a product's) and the customer prices ``actor`` may see."""
    out: list[PriceRow] = []
    if customer_id is None:
        stmt = (select(ClassPrice.price_class, ClassPrice.product_id, Product.code, Product.name, ClassPrice.basis,
                       ClassPrice.price, Product.sale_price, Product.sale_price_gross)
                .join(Product, Product.id == ClassPrice.product_id).order_by(Product.code, ClassPrice.price_class))
        if product_id is not None:
            stmt = stmt.where(ClassPrice.product_id == product_id)
        for cls, pid, code, name, basis, price, net, gross in session.execute(stmt):
            out.append(PriceRow(cls, None, None, pid, code, name, basis, price, net if basis == "net" else gross))
    stmt = (select(Customer.code, Customer.name, CustomerPrice.product_id, Product.code, Product.name,
                   CustomerPrice.basis, CustomerPrice.price, Product.sale_price, Product.sale_price_gross)
            .join(Customer, Customer.id == CustomerPrice.customer_id)
            .join(Product, Product.id == CustomerPrice.product_id)
            .where(perms.visible_clause(session, actor, CustomerPrice.customer_id))
            .order_by(Customer.code, Product.code))
    if product_id is not None:
        stmt = stmt.where(CustomerPrice.product_id == product_id)
    if customer_id is not None:
        stmt = stmt.where(CustomerPrice.customer_id == customer_id)
    for ccode, cname, pid, code, name, basis, price, net, gross in session.execute(stmt):
        out.append(PriceRow("customer", ccode, cname, pid, code, name, basis, price,
                            net if basis == "net" else gross))
    return out
