"""Who may message whom. Salespeople message their own customers only (not shared or pool customers); other
roles message the customers they see (customers.visibility). Templates and target lists are kept by managers,
clerks and administrators; campaigns need a manager (or an administrator)."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import PermissionDenied
from crm_tui.db.models.customers import Customer
from crm_tui.i18n import _
from crm_tui.services.customers.visibility import visible_customers_clause

TEMPLATE_ROLES = ("administrator", "manager", "clerk")
CAMPAIGN_ROLES = ("administrator", "manager")


def messageable_clause(session: Session, actor: Actor, customer=Customer) -> ColumnElement[bool]:
    """WHERE clause over ``customer`` for the customers ``actor`` may send messages to."""
    if actor.role == "salesperson":
        return customer.owner_id == actor.id
    return visible_customers_clause(session, actor, customer)


def require_templates(actor: Actor) -> None:
    if actor.role not in TEMPLATE_ROLES:
        raise PermissionDenied(_("Only a manager, a clerk or an administrator may change message templates "
                                 "and target lists."))


def require_campaigns(actor: Actor) -> None:
    if actor.role not in CAMPAIGN_ROLES:
        raise PermissionDenied(_("Campaigns need a manager."))
