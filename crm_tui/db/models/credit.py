"""Credit and terms of trade (issue 18): a customer's payment terms (账期) and price class, price lists per
class (批发价 / 零售价 / VIP) and per customer, and the courier companies (快递公司).

The credit limit itself is ``customers.credit_limit``; orders and invoices carry their due dates
(``sales_orders.due_date``, ``sales_invoices.due_date``).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned
from crm_tui.db.models.sales import UnitPrice

PRICE_CLASSES = ("wholesale", "retail", "vip")  # 批发价, 零售价, VIP价


class CustomerTerms(Audited, Versioned, Timestamped, Base, table=True):
    """A customer's payment terms and price class. ``terms``: ``30`` = 30 days after the document date,
    ``M30`` = the end of its month + 30 days (月结30天); None: the settings' default."""

    __tablename__ = "customer_terms"

    customer_id: int = Field(foreign_key="customers.id", primary_key=True, ondelete="CASCADE")
    terms: str | None = Field(default=None, sa_type=String(8))
    price_class: str | None = Field(default=None, sa_type=String(16))


class ClassPrice(Audited, Versioned, Timestamped, Base, table=True):
    """The price of a product for a customer class, on a price basis (net 单价 or gross 含税单价)."""

    __tablename__ = "class_prices"
    __table_args__ = (UniqueConstraint("price_class", "product_id"),)

    id: int | None = Field(default=None, primary_key=True)
    price_class: str = Field(sa_type=String(16))
    product_id: int = Field(foreign_key="products.id", index=True, ondelete="CASCADE")
    basis: str = Field(default="gross", sa_type=String(8))
    price: Decimal = Field(sa_type=UnitPrice)


class CustomerPrice(Audited, Versioned, Timestamped, Base, table=True):
    """A price agreed with one customer for one product (协议价)."""

    __tablename__ = "customer_prices"
    __table_args__ = (UniqueConstraint("customer_id", "product_id"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", index=True, ondelete="CASCADE")
    product_id: int = Field(foreign_key="products.id", index=True, ondelete="CASCADE")
    basis: str = Field(default="gross", sa_type=String(8))
    price: Decimal = Field(sa_type=UnitPrice)


class Courier(Audited, Versioned, Timestamped, Base, table=True):
    """A courier company (快递公司): the names a tracking number's courier is chosen from."""

    __tablename__ = "couriers"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(64), unique=True)
    phone: str | None = Field(default=None, sa_type=String(32))
    active: bool = Field(default=True)
