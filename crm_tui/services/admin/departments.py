"""The department tree (e.g. 销售部 › 商团部)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, ValidationError
from crm_tui.db.models.people import Department, User
from crm_tui.i18n import _
from crm_tui.services.admin import permissions

SEPARATOR = " › "


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    path: str
    parent_id: int | None
    depth: int
    manager_id: int | None
    manager: str | None
    members: int
    version: int


def department_paths(session: Session) -> dict[int, str]:
    rows = session.execute(select(Department.id, Department.name, Department.parent_id)).all()
    by_id = {r.id: r for r in rows}
    paths: dict[int, str] = {}

    def path(did: int, guard: int = 0) -> str:
        if did in paths:
            return paths[did]
        r = by_id[did]
        p = r.name if r.parent_id is None or guard > 50 else path(r.parent_id, guard + 1) + SEPARATOR + r.name
        paths[did] = p
        return p

    for did in by_id:
        path(did)
    return paths


def list_departments(session: Session) -> list[DepartmentRow]:
    """Depth-first, children under their parent, names in order."""
    depts = list(session.scalars(select(Department).order_by(Department.name)))
    paths = department_paths(session)
    managers = dict(session.execute(select(User.id, User.display_name)).all())
    counts: dict[int, int] = {}
    for (dept,) in session.execute(select(User.department_id).where(User.department_id.is_not(None))):
        counts[dept] = counts.get(dept, 0) + 1
    children: dict[int | None, list[Department]] = {}
    for d in depts:
        children.setdefault(d.parent_id, []).append(d)
    out: list[DepartmentRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for d in children.get(parent, []):
            out.append(DepartmentRow(d.id, d.name, paths[d.id], d.parent_id, depth, d.manager_id,
                                     managers.get(d.manager_id), counts.get(d.id, 0), d.version))
            walk(d.id, depth + 1)

    walk(None, 0)
    return out


def find_department(session: Session, key: str) -> Department:
    """By id, by full path (销售部 › 商团部 or 销售部/商团部), or by a unique name."""
    key = key.strip()
    if key.isdigit():
        dept = session.get(Department, int(key))
        if dept:
            return dept
    normalized = key.replace("/", SEPARATOR).replace(">", SEPARATOR)
    normalized = SEPARATOR.join(part.strip() for part in normalized.split(SEPARATOR.strip()))
    for did, path in department_paths(session).items():
        if path == normalized:
            return session.get(Department, did)
    matches = list(session.scalars(select(Department).where(Department.name == key)))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ValidationError(_("Several departments are called {name}; give the full path.").format(name=key))
    raise NotFound(_("No such department: {name}").format(name=key))


def add_department(session: Session, actor: Actor, name: str, parent_id: int | None = None,
                   manager_id: int | None = None) -> int:
    permissions.require(actor, "admin.departments")
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Department name is required."), field="name")
    if parent_id is not None and session.get(Department, parent_id) is None:
        raise NotFound(_("No such department: {name}").format(name=parent_id))
    if manager_id is not None and session.get(User, manager_id) is None:
        raise ValidationError(_("No such user: {id}").format(id=manager_id), field="manager_id")
    clash = select(Department.id).where(Department.name == name)
    clash = clash.where(Department.parent_id.is_(None) if parent_id is None else Department.parent_id == parent_id)
    if session.scalar(clash):
        raise ConflictError(_("Department {name} already exists there.").format(name=name))
    dept = Department(name=name, parent_id=parent_id, manager_id=manager_id)
    session.add(dept)
    session.flush()
    return dept.id


def update_department(session: Session, actor: Actor, dept_id: int, expected_version: int, *,
                      name: str | None = None, parent_id: int | None | type = ..., manager_id=...) -> None:
    permissions.require(actor, "admin.departments")
    dept = session.get(Department, dept_id)
    if dept is None:
        raise NotFound(_("No such department: {name}").format(name=dept_id))
    if dept.version != expected_version:
        raise ConflictError(_("Department {name} was changed by someone else; reload and try again.").format(
            name=dept.name))
    if name is not None:
        if not name.strip():
            raise ValidationError(_("Department name is required."), field="name")
        dept.name = name.strip()
    if parent_id is not ...:
        if parent_id is not None and (parent_id == dept_id or _is_below(session, parent_id, dept_id)):
            raise ValidationError(_("A department cannot be moved under itself."), field="parent_id")
        dept.parent_id = parent_id
    if manager_id is not ...:
        dept.manager_id = manager_id
    session.flush()


def _is_below(session: Session, node: int, ancestor: int) -> bool:
    parents = dict(session.execute(select(Department.id, Department.parent_id)).all())
    seen = set()
    while node is not None and node not in seen:
        if node == ancestor:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


def ensure_path(session: Session, actor: Actor, path: str) -> int:
    """The id of 销售部/商团部, creating missing levels (used by the staff roster import and the demo)."""
    parent: int | None = None
    for part in [p.strip() for p in path.replace(SEPARATOR, "/").replace(">", "/").split("/") if p.strip()]:
        stmt = select(Department.id).where(Department.name == part)
        stmt = stmt.where(Department.parent_id.is_(None) if parent is None else Department.parent_id == parent)
        found = session.scalar(stmt)
        parent = found if found is not None else add_department(session, actor, part, parent)
    if parent is None:
        raise ValidationError(_("Department name is required."), field="department")
    return parent


def add_department_path(session: Session, actor: Actor, name: str, parent_id: int | None = None,
                        manager_id: int | None = None) -> int:
    """``crm departments add``: a name under ``parent_id``, or a whole path (销售部/商团部) with its missing
    levels; the manager heads the last level."""
    if "/" not in name or parent_id is not None:
        return add_department(session, actor, name, parent_id, manager_id)
    dept_id = ensure_path(session, actor, name)
    if manager_id is not None:
        update_department(session, actor, dept_id, session.get(Department, dept_id).version, manager_id=manager_id)
    return dept_id
