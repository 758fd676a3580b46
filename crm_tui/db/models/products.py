"""Products (商品), their images and their safety stock per warehouse."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, String, Text, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow
from crm_tui.db.types import Money, Quantity, Rate


class Product(Audited, Versioned, Timestamped, Base, table=True):
    __tablename__ = "products"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(40), unique=True)
    name: str = Field(sa_type=String(200), index=True)
    spec: str | None = Field(default=None, sa_type=String(200))  # 规格, e.g. 500ml*12瓶
    unit: str | None = Field(default=None, sa_type=String(20))
    category: str | None = Field(default=None, sa_type=String(64), index=True)
    barcode: str | None = Field(default=None, sa_type=String(64), index=True)
    tax_rate: Decimal = Field(default=Decimal("0.13"), sa_type=Rate)
    # The sale price is kept both ways; whichever was entered, the other is derived (round half-up).
    sale_price: Decimal | None = Field(default=None, sa_type=Money)
    sale_price_gross: Decimal | None = Field(default=None, sa_type=Money)
    purchase_price: Decimal | None = Field(default=None, sa_type=Money)  # net of tax: what a unit costs us
    # Default safety stock for every warehouse; a row in product_safety_stock overrides it per warehouse.
    safety_stock: Decimal = Field(default=Decimal(0), sa_type=Quantity)
    active: bool = Field(default=True, index=True)
    remarks: str | None = Field(default=None, sa_type=Text)
    # Maintained on write (core/pinyin.py): every reading of heteronyms, space-separated.
    name_pinyin: str | None = Field(default=None, sa_type=String(1000))
    name_initials: str | None = Field(default=None, sa_type=String(500), index=True)


class ProductImage(Audited, Base, table=True):
    """A picture of a product, stored as a file under the data folder (``attachments/products``)."""

    __tablename__ = "product_images"

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="products.id", ondelete="CASCADE", index=True)
    file_name: str = Field(sa_type=String(255))  # as the user named it
    stored_path: str = Field(sa_type=String(500))  # relative to the attachments folder
    added_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    added_by: int | None = None


class SafetyStock(Audited, Base, table=True):
    """Safety stock of one product in one warehouse (overrides the product's default; 0 exempts)."""

    __tablename__ = "product_safety_stock"
    __table_args__ = (UniqueConstraint("product_id", "warehouse_id"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="products.id", ondelete="CASCADE")
    warehouse_id: int = Field(foreign_key="warehouses.id", index=True)
    quantity: Decimal = Field(sa_type=Quantity)
