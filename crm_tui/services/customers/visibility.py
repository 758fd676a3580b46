"""Which customers a user may see and change (客户权限). Every read path asks ``visible_customers_clause``.

The rule extends ``permissions.owner_filter`` (own + subordinates', everything for administrators and roles
holding ``records.read_all``) with two more grants:

- customers shared with the user, or with anyone the user sees (a manager sees what was shared with their
  people);
- the public pool (公海): customers without an owner are visible to everyone, so that anyone may claim them.

Lists, search, detail, export, reports, printing and the command palette all filter through the clause; other
areas reach a customer's documents through ``customer_visible`` / ``require_visible`` or by joining the clause.
Changing a customer needs more than seeing it (``can_edit``): shared users and the pool are read-only until the
customer is theirs.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, event, or_, select, true
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied
from crm_tui.db.models.customers import Customer, CustomerShare
from crm_tui.db.models.people import Department, User
from crm_tui.i18n import _
from crm_tui.services.admin import permissions


def sees_everything(actor: Actor) -> bool:
    return actor.is_admin or permissions.can(actor, "records.read_all")


_CACHE = "customer_visibility.owners"


def owner_ids(session: Session, actor: Actor) -> frozenset[int] | None:
    """``permissions.visible_owner_ids``, remembered for the session: the walk over the department tree and
    supervisor chain costs two queries, and a batch of writes asks it for every record. Any change to users or
    departments in the session forgets it."""
    cache = session.info.setdefault(_CACHE, {})
    if actor.id not in cache:
        cache[actor.id] = permissions.visible_owner_ids(session, actor)
    return cache[actor.id]


def subordinates(session: Session, actor: Actor) -> frozenset[int]:
    ids = owner_ids(session, actor)
    if ids is None:  # sees everyone's records; the people below still come from the tree
        return frozenset(permissions.subordinate_ids(session, actor.id)) if actor.id else frozenset()
    return ids - {actor.id}


@event.listens_for(Session, "before_flush")
def _forget(session: Session, _ctx, _instances) -> None:
    if _CACHE in session.info and any(isinstance(o, (User, Department))
                                      for o in (*session.new, *session.dirty, *session.deleted)):
        session.info.pop(_CACHE, None)


def can_see_owner(session: Session, actor: Actor, owner_id: int | None) -> bool:
    ids = owner_ids(session, actor)
    return ids is None or (owner_id is not None and owner_id in ids)


def visible_customers_clause(session: Session, actor: Actor, customer=Customer) -> ColumnElement[bool]:
    """WHERE clause over ``customer`` (the Customer entity or an alias) for the customers ``actor`` may see."""
    if sees_everything(actor):
        return true()
    ids = sorted(owner_ids(session, actor) or ())
    # The shared customers as constants, not a subquery: planners then see how few rows the rule lets
    # through (PostgreSQL guessed half the table for the subquery and scanned it for every search).
    shared = sorted(set(session.scalars(select(CustomerShare.customer_id).where(CustomerShare.user_id.in_(ids)))))
    clauses = [customer.owner_id.in_(ids), customer.owner_id.is_(None)]
    if shared:
        clauses.append(customer.id.in_(shared))
    return or_(*clauses)


def customer_visible(session: Session, actor: Actor, customer_id: int) -> bool:
    stmt = select(Customer.id).where(Customer.id == customer_id, visible_customers_clause(session, actor))
    return session.scalar(stmt) is not None


def no_such_customer(key) -> NotFound:
    """The one answer for a customer that does not exist and for one the actor may not see: a different
    message would tell a salesperson that a colleague's customer K00162 exists."""
    return NotFound(_("No such customer: {id}").format(id=key))


def require_visible(session: Session, actor: Actor, customer_id: int, key=None) -> Customer:
    """The customer, when ``actor`` may see it; the same NotFound, naming ``key`` (default: the id), for a
    missing one and for one the actor may not see."""
    customer = session.get(Customer, customer_id)
    if customer is None or not (sees_everything(actor) or customer_visible(session, actor, customer_id)):
        raise no_such_customer(customer_id if key is None else key)
    return customer


def can_edit(session: Session, actor: Actor, customer: Customer) -> bool:
    """Administrators and clerks edit any customer; others their own and their subordinates' customers."""
    if actor.is_admin or permissions.can(actor, "customers.edit_all"):
        return True
    if customer.owner_id is None:
        return False
    return can_see_owner(session, actor, customer.owner_id)


def require_editable(session: Session, actor: Actor, customer_id: int) -> Customer:
    customer = require_visible(session, actor, customer_id)
    if not can_edit(session, actor, customer):
        raise PermissionDenied(_("You may not change customer {code}; it belongs to someone else.").format(
            code=customer.code))
    return customer
