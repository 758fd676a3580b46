"""Users and staff attributes: add, edit, disable, passwords, login. Disabled users keep their records."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import AuthError, ConflictError, NotFound, ValidationError
from crm_tui.db.models.people import ROLES, Department, User
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.admin.passwords import check_strength, hash_password, verify_password
from crm_tui.services.common import audit

LOGIN_RE = re.compile(r"^[A-Za-z0-9_.\-@]{2,64}$")
EDITABLE = ("display_name", "role", "staff_number", "department_id", "position", "area", "supervisor_id",
            "phone", "email")


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    display_name: str
    role: str
    active: bool
    staff_number: str | None
    department_id: int | None
    department: str | None
    position: str | None
    area: str | None
    supervisor_id: int | None
    supervisor: str | None
    phone: str | None
    email: str | None
    version: int


def _row(user: User, dept_names: dict[int, str], user_names: dict[int, str]) -> UserRow:
    return UserRow(
        user.id, user.login, user.display_name, user.role, user.active, user.staff_number, user.department_id,
        dept_names.get(user.department_id) if user.department_id else None, user.position, user.area,
        user.supervisor_id, user_names.get(user.supervisor_id) if user.supervisor_id else None,
        user.phone, user.email, user.version,
    )


def list_users(session: Session, include_inactive: bool = True) -> list[UserRow]:
    stmt = select(User).order_by(User.login)
    if not include_inactive:
        stmt = stmt.where(User.active.is_(True))
    users = list(session.scalars(stmt))
    from crm_tui.services.admin.departments import department_paths

    depts = department_paths(session)
    names = {u.id: u.display_name for u in users}
    return [_row(u, depts, names) for u in users]


def get_user(session: Session, user_id: int) -> UserRow:
    from crm_tui.services.admin.departments import department_paths

    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user: {id}").format(id=user_id))
    names = {} if user.supervisor_id is None else {user.supervisor_id: session.get(User, user.supervisor_id).display_name}
    return _row(user, department_paths(session), names)


def find_user(session: Session, key: str) -> User:
    """A user by login, staff number (工号) or exact display name; ambiguity is an error."""
    key = key.strip()
    for column in (User.login, User.staff_number):
        user = session.scalar(select(User).where(column == key))
        if user is not None:
            return user
    matches = list(session.scalars(select(User).where(User.display_name == key)))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ValidationError(_("Several users are called {name}; use the login or staff number.").format(name=key))
    raise NotFound(_("No such user: {id}").format(id=key))


def _validate(session: Session, values: dict, user_id: int | None = None) -> None:
    if "display_name" in values and not (values["display_name"] or "").strip():
        raise ValidationError(_("Display name is required."), field="display_name")
    if "role" in values and values["role"] not in ROLES:
        raise ValidationError(
            _("Unknown role {role}; expected one of: {roles}").format(role=values["role"], roles=", ".join(ROLES)),
            field="role",
        )
    number = values.get("staff_number")
    if number:
        clash = session.scalar(select(User.id).where(User.staff_number == number, User.id != (user_id or -1)))
        if clash:
            raise ConflictError(_("Staff number {number} is already used.").format(number=number))
    dept = values.get("department_id")
    if dept is not None and session.get(Department, dept) is None:
        raise ValidationError(_("No such department: {id}").format(id=dept), field="department_id")
    sup = values.get("supervisor_id")
    if sup is not None:
        if session.get(User, sup) is None:
            raise ValidationError(_("No such user: {id}").format(id=sup), field="supervisor_id")
        if user_id is not None and (sup == user_id or sup in permissions.subordinate_ids(session, user_id)):
            raise ValidationError(_("A supervisor cannot be the person or one of their subordinates."),
                                  field="supervisor_id")


def add_user(session: Session, actor: Actor, login: str, display_name: str, role: str = "salesperson",
             password: str | None = None, **attrs) -> int:
    """Create a user; without a password the user exists (for records and the roster) but cannot log in yet."""
    permissions.require(actor, "admin.users")
    login = (login or "").strip()
    if not LOGIN_RE.match(login):
        raise ValidationError(_("Login must be 2-64 letters, digits or . _ - @."), field="login")
    if session.scalar(select(User.id).where(func.lower(User.login) == login.lower())):
        raise ConflictError(_("Login {login} is already taken.").format(login=login))
    values = {"display_name": display_name.strip() if display_name else "", "role": role, **attrs}
    _validate(session, values)
    if password is not None:
        _check_password(password)
    user = User(login=login, password_hash=hash_password(password) if password else None, active=True, **values)
    session.add(user)
    session.flush()
    return user.id


def update_user(session: Session, actor: Actor, user_id: int, expected_version: int, **values) -> None:
    permissions.require(actor, "admin.users")
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"cannot edit {', '.join(sorted(unknown))}")
    user = _load_current(session, user_id, expected_version)
    _validate(session, values, user_id)
    if user.role == "administrator" and values.get("role", "administrator") != "administrator":
        _ensure_another_admin(session, user_id)
    for key, value in values.items():
        setattr(user, key, value)
    session.flush()


def _load_current(session: Session, user_id: int, expected_version: int | None) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user: {id}").format(id=user_id))
    if expected_version is not None and user.version != expected_version:
        raise ConflictError(
            _("User {login} was changed by someone else; reload and try again.").format(login=user.login)
        )
    return user


def _ensure_another_admin(session: Session, user_id: int) -> None:
    others = session.scalar(
        select(func.count()).select_from(User).where(
            User.role == "administrator", User.active.is_(True), User.id != user_id
        )
    )
    if not others:
        raise ValidationError(_("The last active administrator cannot be disabled or demoted."))


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> None:
    """Disable (or re-enable) a user. Their customers and documents stay; transfer them separately."""
    permissions.require(actor, "admin.users")
    user = _load_current(session, user_id, None)
    if not active and user.role == "administrator":
        _ensure_another_admin(session, user_id)
    user.active = active
    session.flush()


def _check_password(password: str) -> None:
    problem = check_strength(password)
    if problem:
        raise ValidationError(_(problem), field="password")


def set_password(session: Session, actor: Actor, user_id: int, password: str) -> None:
    """Administrators set anyone's password; users their own."""
    if actor.id != user_id:
        permissions.require(actor, "admin.users")
    _check_password(password)
    user = _load_current(session, user_id, None)
    user.password_hash = hash_password(password)
    session.flush()
    audit.record(session, "users", user_id, "password")


def authenticate(session: Session, login: str, password: str) -> Actor:
    user = session.scalar(select(User).where(func.lower(User.login) == (login or "").strip().lower()))
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise AuthError(_("Wrong login or password."))
    if not user.active:
        raise AuthError(_("This user is disabled."))
    return Actor.from_user(user)


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


@dataclass(frozen=True)
class StaffChoice:
    """A person as a picker shows them: ``code`` is the staff number (工号), else the login."""

    id: int
    code: str
    name: str
    login: str
    department: str | None
    position: str | None

    @classmethod
    def of(cls, u: UserRow) -> StaffChoice:
        return cls(u.id, u.staff_number or u.login, u.display_name, u.login, u.department, u.position)


def lookup_staff(session: Session, actor: Actor, text: str, limit: int = 8) -> list[StaffChoice]:
    """For pickers: active users by staff number, login, name, pinyin or initials, best match first."""
    from crm_tui.services.common.lookups import best_first, matches

    rows = [StaffChoice.of(u) for u in list_users(session, include_inactive=False)]
    rows = [r for r in rows if matches(text, r.code, r.name, r.login)]
    return best_first(rows, text, lambda r: r.code, lambda r: r.name, limit)
