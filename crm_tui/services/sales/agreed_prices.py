"""The price agreed for a customer (their own, else their class's): read when a new line is priced
(``pricing.price_values``); written by ``price_levels``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import literal, select, union_all
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


def agreed_prices(session: Session, customer_id: int | None, product_ids) -> dict[int, AgreedPrice]:
    """``agreed_price`` of several products in one query (a document's lines are priced together)."""
    ids = set(product_ids)
    if customer_id is None or not ids:
        return {}
    own = select(CustomerPrice.product_id, literal("customer").label("source"), CustomerPrice.basis,
                 CustomerPrice.price).where(CustomerPrice.customer_id == customer_id, CustomerPrice.product_id.in_(ids))
    of_class = (select(ClassPrice.product_id, ClassPrice.price_class, ClassPrice.basis, ClassPrice.price)
                .join(CustomerTerms, CustomerTerms.price_class == ClassPrice.price_class)
                .where(CustomerTerms.customer_id == customer_id, ClassPrice.product_id.in_(ids)))
    found: dict[int, AgreedPrice] = {}
    for pid, source, basis, price in session.execute(union_all(own, of_class)):
        if pid not in found or source == "customer":  # the customer's own price wins over the class's
            found[pid] = AgreedPrice(source, basis, price)
    return found
