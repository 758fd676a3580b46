"""Products (商品), their images and their safety stock per warehouse."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow
from crm_tui.db.types import Money, Quantity, Rate


class Product(Audited, Versioned, Timestamped, Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    spec: Mapped[str | None] = mapped_column(String(200))  # 规格, e.g. 500ml*12瓶
    unit: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(64), index=True)
    barcode: Mapped[str | None] = mapped_column(String(64), index=True)
    tax_rate: Mapped[Decimal] = mapped_column(Rate, nullable=False, default=Decimal("0.13"))
    # The sale price is kept both ways; whichever was entered, the other is derived (round half-up).
    sale_price: Mapped[Decimal | None] = mapped_column(Money)
    sale_price_gross: Mapped[Decimal | None] = mapped_column(Money)
    purchase_price: Mapped[Decimal | None] = mapped_column(Money)  # net of tax: what a unit costs us
    # Default safety stock for every warehouse; a row in product_safety_stock overrides it per warehouse.
    safety_stock: Mapped[Decimal] = mapped_column(Quantity, nullable=False, default=Decimal(0))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, index=True)
    remarks: Mapped[str | None] = mapped_column(Text)
    # Maintained on write (services/pinyin.py): every reading of heteronyms, space-separated.
    name_pinyin: Mapped[str | None] = mapped_column(String(1000))
    name_initials: Mapped[str | None] = mapped_column(String(500), index=True)


class ProductImage(Audited, Base):
    """A picture of a product, stored as a file under the data folder (``attachments/products``)."""

    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)  # as the user named it
    stored_path: Mapped[str] = mapped_column(String(500), nullable=False)  # relative to the attachments folder
    added_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    added_by: Mapped[int | None] = mapped_column(Integer)


class SafetyStock(Audited, Base):
    """Safety stock of one product in one warehouse (overrides the product's default; 0 exempts)."""

    __tablename__ = "product_safety_stock"
    __table_args__ = (UniqueConstraint("product_id", "warehouse_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), nullable=False)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), nullable=False, index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False)
