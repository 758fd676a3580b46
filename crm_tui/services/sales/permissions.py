"""Who may do what in the sales flow, and which sales documents a user sees.

Actions (administrators hold all):

- ``sales.edit``: write and confirm quotes and orders, delivery notices (salespeople, clerks, managers);
- ``sales.ship``: sales stock-outs and tracking numbers (clerks, warehouse staff); warehouse staff also see
  every delivery notice and stock-out, since they work from them;
- ``sales.money``: receipts, their applications to orders, invoices, receipt accounts (clerks);
- ``sales.approve``: decide discount and expense approvals (managers), each within their own discount limit;
- ``expenses.claim``: file expense claims (everyone who sells or supports selling).

Visibility: a sales document is seen by whoever may see its customer (``customer_visibility``: own,
subordinates', shared and public-pool customers; everything for administrators, clerks and statisticians).
Every read path of the area joins ``visible_clause``; expense claims follow their claimant instead.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import PermissionDenied
from crm_tui.db.models.customers import Customer
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.customers.visibility import no_such_customer, sees_everything, visible_customers_clause


def require(actor: Actor, action: str) -> None:
    permissions.require(actor, action)


def visible_clause(session: Session, actor: Actor, customer_column, *, shipping: bool = False) -> ColumnElement[bool]:
    """WHERE clause over a document's ``customer_column``: the documents of customers ``actor`` may see.

    ``shipping``: delivery notices and stock-outs, which everyone holding ``sales.ship`` sees.
    """
    if sees_everything(actor) or (shipping and permissions.can(actor, "sales.ship")):
        return true()
    return customer_column.in_(select(Customer.id).where(visible_customers_clause(session, actor)))


def can_see_customer(session: Session, actor: Actor, customer_id: int, *, shipping: bool = False) -> bool:
    if sees_everything(actor) or (shipping and permissions.can(actor, "sales.ship")):
        return True
    stmt = select(Customer.id).where(Customer.id == customer_id, visible_customers_clause(session, actor))
    return session.scalar(stmt) is not None


def require_customer(session: Session, actor: Actor, customer_id: int, what: str, *, shipping: bool = False) -> None:
    """PermissionDenied unless ``actor`` may see the customer ``what`` (a document label) belongs to."""
    if not can_see_customer(session, actor, customer_id, shipping=shipping):
        raise PermissionDenied(_("You may not see {what}.").format(what=what))


def require_customer_record(session: Session, actor: Actor, customer_id: int, *, shipping: bool = False) -> Customer:
    """The customer a new document is for: the same NotFound for a missing one and one ``actor`` may not see."""
    customer = session.get(Customer, customer_id)
    if customer is None or not can_see_customer(session, actor, customer_id, shipping=shipping):
        raise no_such_customer(customer_id)
    return customer


SALES_ACTIONS = ("sales.edit", "sales.ship", "sales.money", "sales.approve", "sales.reports", "expenses.claim")


def can_use(actor: Actor) -> bool:
    """Whether the sales area shows at all for ``actor``."""
    return any(permissions.can(actor, a) for a in SALES_ACTIONS)
