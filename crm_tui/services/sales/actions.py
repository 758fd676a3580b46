"""Sales actions of several steps, one function each, called by both the screens and the ``crm`` commands.

Each runs inside the caller's transaction (the runner's), so its steps commit together or not at all, and
it takes its inputs as arguments without changing them: the runner may run it again after a busy database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _


@dataclass(frozen=True)
class Confirmed:
    """What confirming a quote or an order came to: ``confirmed`` with its number, or ``pending_approval``."""

    doc_id: int
    status: str
    number: str | None
    order: Any = None  # the order as read back after confirming (an OrderView); None for a quote


def save_draft(session: Session, actor: Actor, kind: str, doc_id: int | None, customer_id: int,
               lines: Sequence, header: dict, *, version: int | None = None) -> int:
    """Create a draft quote or order (``doc_id`` None), or replace a draft's lines and header; its id.
    ``version``: the version the editor loaded; a draft changed since is refused (ConflictError)."""
    from crm_tui.services.sales import orders, quotes

    service = quotes if kind == "quote" else orders
    if doc_id is None:
        create = quotes.create_quote if kind == "quote" else orders.create_order
        return create(session, actor, customer_id, list(lines), **header)
    service.set_lines(session, actor, doc_id, list(lines), expected_version=version)
    service.update_header(session, actor, doc_id, **{k: v for k, v in header.items()
                                                     if not (k == "valid_until" and v is None)})
    return doc_id


def draft_version(session: Session, kind: str, doc_id: int) -> int:
    """The version a quote or order is at now (what an editor keeps after saving)."""
    from sqlalchemy import select

    from crm_tui.db.models.sales import Quote, SalesOrder

    model = Quote if kind == "quote" else SalesOrder
    return session.scalar(select(model.version).where(model.id == doc_id))


def confirm_document(session: Session, actor: Actor, kind: str, doc_id: int) -> Confirmed:
    """Confirm a draft quote or order, then read back what it became."""
    from crm_tui.services.sales import orders, quotes

    if kind == "quote":
        return Confirmed(doc_id, "confirmed", quotes.confirm_quote(session, actor, doc_id))
    status = orders.confirm_order(session, actor, doc_id)
    view = orders.get_order(session, actor, doc_id)
    return Confirmed(doc_id, status, view.number, view)


def ship(session: Session, actor: Actor, warehouse_id: int, *, order_ids: Sequence[int] = (),
         notice_id: int | None = None, tracking: Sequence[tuple[str, str]] | None = None,
         quantities: Mapping[int, object] | None = None) -> str:
    """Ship a delivery notice, or everything unshipped of one customer's orders, in one confirmed stock-out;
    its number. ``quantities`` (order line id -> quantity, one order only) ships part: lines not named ship
    all that is left, 0 skips a line."""
    from crm_tui.services.sales import stock_outs as outs

    if quantities:
        if len(order_ids) != 1 or notice_id is not None:
            raise ValidationError(_("Quantities per line need exactly one order."), field="lines")
        return save_shipment(session, actor, order_ids[0], warehouse_id, quantities, tracking=tracking,
                             confirm=True).number
    if notice_id is not None:
        out = outs.from_notice(session, actor, notice_id, warehouse_id)
    else:
        out = outs.from_orders(session, actor, list(order_ids), warehouse_id)
    return outs.confirm_stock_out(session, actor, out, tracking=list(tracking) if tracking else None)


@dataclass(frozen=True)
class Shipment:
    out_id: int
    number: str | None  # None while it is a draft


def save_shipment(session: Session, actor: Actor, order_id: int, warehouse_id: int, quantities: Mapping[int, object],
                  *, notice_id: int | None = None, out_id: int | None = None,
                  tracking: Sequence[tuple[str, str]] | None = None, confirm: bool = False) -> Shipment:
    """What the stock-out dialog saves: a draft stock-out of the quantities typed per order line (created, or
    ``out_id`` changed) with its courier and tracking number; confirmed (stock posted) only if ``confirm``."""
    from crm_tui.services.sales import stock_outs as outs
    from crm_tui.services.sales.order_state import load_order

    lines = outs.pick_lines(outs.shippable(session, actor, order_id, notice_id=notice_id), dict(quantities))
    if out_id is None:
        order = load_order(session, actor, order_id, shipping=True)
        out_id = outs.create_stock_out(session, actor, order.customer_id, warehouse_id, lines,
                                       address=order.delivery_address, contact_name=order.contact_name,
                                       contact_phone=order.contact_phone)
    else:
        outs.update_draft(session, actor, out_id, warehouse_id, lines)
    pairs = [(c, n) for c, n in tracking or () if (c or "").strip() or (n or "").strip()]
    if pairs:
        outs.set_tracking(session, actor, out_id, *pairs[0])
    else:
        outs.clear_tracking(session, actor, out_id)
    return Shipment(out_id, outs.confirm_stock_out(session, actor, out_id) if confirm else None)


@dataclass(frozen=True)
class ClaimFiled:
    claim_id: int
    number: str | None  # None while it is a draft


def file_claim(session: Session, actor: Actor, amount, category: str, spent_on: date, *,
               customer: str | None = None, order: str | None = None, description: str | None = None,
               submit: bool = True) -> ClaimFiled:
    """File an expense claim (for a customer and an order given by code and number), submitted for approval
    unless ``submit`` is False."""
    from crm_tui.services.sales import expenses, orders
    from crm_tui.services.sales.documents import find_customer

    claim_id = expenses.create_claim(
        session, actor, amount, category, spent_on,
        customer_id=find_customer(session, actor, customer).id if customer else None,
        order_id=orders.find_order(session, actor, order) if order else None, description=description)
    return ClaimFiled(claim_id, expenses.submit_claim(session, actor, claim_id) if submit else None)


def receive(session: Session, actor: Actor, customer_id: int, amount, *, order_id: int | None = None,
            **details) -> Any:
    """Record money received (applied to ``order_id`` as far as it owes), then read the receipt back."""
    from crm_tui.services.sales import receipts

    receipt_id = receipts.record_receipt(session, actor, customer_id, amount, order_id=order_id, **details)
    return receipts.get_receipt(session, actor, receipt_id)
