"""Who may do what, and whose records one may see. Every read path asks ``owner_filter`` or ``can_see``.

Visibility of records owned by a user (customers and everything hanging on them):
- administrators, and roles holding ``records.read_all`` (clerks, statisticians), see everything;
- everyone sees their own;
- a user sees the records of their subordinates: people below them in the supervisor chain, and people in the
  departments (with sub-departments) they head.
Areas add further grants (e.g. customers shared with a user) by OR-ing their own clause onto ``owner_filter``.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import PermissionDenied
from crm_tui.db.models.people import ROLES, Department, User

ALL = "*"

# The one table of who may do what; no module adds to it, so ``can`` answers the same whatever was imported.
# records.*: any owned record; customers.*: the customer area; sales.*, expenses.claim: the sales flow
# (services/sales/permissions.py says what each means); products.*, stock.*, purchase.*: products, stock
# and purchasing (services/stock/permissions.py); visits.manage: the visit tally and its publications.
PERMISSIONS: dict[str, frozenset[str]] = {
    "administrator": frozenset({ALL}),
    "manager": frozenset({
        "records.review", "records.approve", "records.assign", "reports.team",
        "customers.create", "customers.delete", "customers.import", "customers.export",
        "sales.edit", "sales.approve", "expenses.claim",
        "purchase.approve",
    }),
    "salesperson": frozenset({
        "records.create",
        "customers.create",
        "sales.edit", "expenses.claim",
    }),
    "clerk": frozenset({
        "records.read_all", "records.create", "records.assign", "documents.manage",
        "customers.create", "customers.edit_all", "customers.delete", "customers.import", "customers.export",
        "sales.edit", "sales.ship", "sales.money", "expenses.claim",
        "products.manage", "stock.manage", "purchase.manage",
    }),
    "statistician": frozenset({
        "records.read_all", "visits.manage",
        "customers.export",
        "sales.reports",
    }),
    "warehouse": frozenset({
        "stock.manage",
        "sales.ship",
        "products.manage",
    }),
}
assert set(PERMISSIONS) == set(ROLES)


def can(actor: Actor, action: str) -> bool:
    held = PERMISSIONS.get(actor.role, frozenset())
    return ALL in held or action in held


def require(actor: Actor, action: str) -> None:
    if not can(actor, action):
        from crm_tui.i18n import _

        raise PermissionDenied(_("You are not allowed to do this: {action}").format(action=action))


def subordinate_ids(session: Session, user_id: int) -> set[int]:
    """Everyone below ``user_id``: the supervisor chain downward and the departments they head (transitively)."""
    users = session.execute(select(User.id, User.supervisor_id, User.department_id)).all()
    depts = session.execute(select(Department.id, Department.parent_id, Department.manager_id)).all()
    reports: dict[int, list[int]] = {}
    for uid, sup, _dept in users:
        if sup is not None:
            reports.setdefault(sup, []).append(uid)
    children: dict[int, list[int]] = {}
    for did, parent, _mgr in depts:
        if parent is not None:
            children.setdefault(parent, []).append(did)
    members: dict[int, list[int]] = {}
    for uid, _sup, dept in users:
        if dept is not None:
            members.setdefault(dept, []).append(uid)
    headed = {did: mgr for did, _p, mgr in depts}

    seen: set[int] = set()
    frontier = [user_id]
    while frontier:
        boss = frontier.pop()
        below = list(reports.get(boss, []))
        for did, mgr in headed.items():
            if mgr == boss:
                for sub in _subtree(did, children):
                    below.extend(members.get(sub, []))
        for uid in below:
            if uid != user_id and uid not in seen:
                seen.add(uid)
                frontier.append(uid)
    return seen


def _subtree(root: int, children: dict[int, list[int]]) -> list[int]:
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(children.get(node, []))
    return out


def visible_owner_ids(session: Session, actor: Actor) -> frozenset[int] | None:
    """The owners whose records ``actor`` sees, or None for everyone's."""
    if actor.is_admin or can(actor, "records.read_all"):
        return None
    if actor.id is None:
        return frozenset()
    return frozenset({actor.id} | subordinate_ids(session, actor.id))


def owner_filter(session: Session, actor: Actor, owner_column) -> ColumnElement[bool]:
    """A WHERE clause limiting rows to those whose ``owner_column`` the actor may see."""
    ids = visible_owner_ids(session, actor)
    if ids is None:
        return true()
    if not ids:
        return false()
    return owner_column.in_(sorted(ids))


def can_see_owner(session: Session, actor: Actor, owner_id: int | None) -> bool:
    ids = visible_owner_ids(session, actor)
    return ids is None or (owner_id is not None and owner_id in ids)


def require_owner_visible(session: Session, actor: Actor, owner_id: int | None, what: str) -> None:
    if not can_see_owner(session, actor, owner_id):
        from crm_tui.i18n import _

        raise PermissionDenied(_("You may not see {what}.").format(what=what))
