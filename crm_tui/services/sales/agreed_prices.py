"""The price agreed for a customer (their own, else their class's): read when a new line is priced
(``pricing.price_values``); written by ``price_levels``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.db.models.credit import ClassPrice, CustomerPrice, CustomerTerms
from crm_tui.i18n import _

CLASS_LABELS = {"wholesale": "Wholesale price", "retail": "Retail price", "vip": "VIP price"}


@dataclass(frozen=True)
class AgreedPrice:
    """A customer's or a class's price for a product; ``source`` is ``customer`` or the class code."""

    source: str
    basis: str
    price: Decimal

    @property
    def label(self) -> str:
        return _("Customer price") if self.source == "customer" else _(CLASS_LABELS.get(self.source, self.source))


def agreed_price(session: Session, customer_id: int | None, product_id: int) -> AgreedPrice | None:
    """The customer's own price, else their class's; None when neither is set."""
    if customer_id is None:
        return None
    own = session.execute(select(CustomerPrice.basis, CustomerPrice.price).where(
        CustomerPrice.customer_id == customer_id, CustomerPrice.product_id == product_id)).first()
    if own is not None:
        return AgreedPrice("customer", own.basis, own.price)
    row = session.execute(
        select(ClassPrice.price_class, ClassPrice.basis, ClassPrice.price)
        .join(CustomerTerms, CustomerTerms.price_class == ClassPrice.price_class)
        .where(CustomerTerms.customer_id == customer_id, ClassPrice.product_id == product_id)).first()
    return AgreedPrice(row.price_class, row.basis, row.price) if row else None
