"""Importing the staff roster: 工号, 姓名, 部门, 岗位, 片区, 上级 -> users and departments.

A row matches an existing user by staff number (工号), else by a login equal to it, else by a unique display
name without a staff number yet. New users get the staff number, lowercased, as login, the role salesperson
and NO password: they own customers and appear in the visit tally at once, and can log in after an
administrator sets a password (``crm users passwd LOGIN``). Nobody's password is ever shown or written.
Departments are paths (销售部/商团部), created when missing; 上级 is a staff number or name, in the file or
already in the database. The whole file is checked first; one bad row and nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.db.models.people import User
from crm_tui.i18n import _
from crm_tui.io import cells
from crm_tui.io.importing import FieldSpec, ImportResult, ParsedRow, RowError, read_and_validate
from crm_tui.services.admin import departments, permissions, users

SPECS = (
    FieldSpec("staff_number", "工号", ("员工编号", "员工号", "编号", "staff number", "staff no", "employee id"),
              cells.code_text, required=True, unique=True, kind="text"),
    FieldSpec("name", "姓名", ("名字", "员工姓名", "name", "full name"), cells.text_max(100), required=True),
    FieldSpec("department", "部门", ("所属部门", "department", "dept"), cells.text_max(200)),
    FieldSpec("position", "岗位", ("职位", "职务", "position", "job title", "title"), cells.text_max(64)),
    FieldSpec("area", "片区", ("所属片区", "区域", "area", "region"), cells.text_max(64)),
    FieldSpec("supervisor", "上级", ("直属上级", "主管", "上级工号", "supervisor", "manager", "reports to"),
              cells.text_max(100)),
)
_LOGIN_OK = re.compile(r"^[A-Za-z0-9_.\-@]{2,64}$")


@dataclass
class StaffSummary:
    file: str
    created: list[str] = field(default_factory=list)  # logins of new users (no password yet)
    updated: int = 0
    unchanged: int = 0
    departments: list[str] = field(default_factory=list)  # department paths created
    errors: tuple[RowError, ...] = ()
    written: bool = False


def _find(session: Session, number: str, name: str) -> User | None:
    user = session.scalar(select(User).where(User.staff_number == number))
    if user is None and _LOGIN_OK.match(number):
        user = session.scalar(select(User).where(User.login == number.lower()))
    if user is None:
        named = session.scalars(select(User).where(User.display_name == name, User.staff_number.is_(None))).all()
        user = named[0] if len(named) == 1 else None
    return user


def _supervisor_keys(result: ImportResult) -> dict[str, str]:
    """工号 and 姓名 of the file's people (normalised) -> 工号."""
    keys: dict[str, str] = {}
    for row in result.good_rows:
        number = row.values["staff_number"]
        keys[cells.normalize_key(number)] = number
        keys.setdefault(cells.normalize_key(row.values["name"]), number)
    return keys


def _check(session: Session, result: ImportResult) -> None:
    """Problems only the database can show: an unknown 上级, a login already taken by someone else."""
    in_file = _supervisor_keys(result)
    for row in result.good_rows:
        v = row.values
        sup = v.get("supervisor")
        if sup and cells.normalize_key(sup) not in in_file:
            try:
                users.find_user(session, sup)
            except Exception:  # noqa: BLE001 - NotFound or ambiguous: both are the row's problem
                result.reject(row, _("no one in the file or the database has this staff number or name"),
                              "supervisor")
        if sup and cells.normalize_key(sup) in (cells.normalize_key(v["staff_number"]),
                                                cells.normalize_key(v["name"])):
            result.reject(row, _("a person cannot be their own supervisor"), "supervisor")
        if _find(session, v["staff_number"], v["name"]) is None and not _LOGIN_OK.match(v["staff_number"]):
            result.reject(row, _("a new user's login is made from the staff number, which must be letters, "
                                 "digits or . _ - @"), "staff_number")


def _write_row(session: Session, actor: Actor, row: ParsedRow, summary: StaffSummary) -> int:
    v = row.values
    attrs = {"display_name": v["name"], "staff_number": v["staff_number"]}
    for key in ("position", "area"):
        if v.get(key) is not None:
            attrs[key] = v[key]
    if v.get("department"):
        before = set(departments.department_paths(session).values())
        attrs["department_id"] = departments.ensure_path(session, actor, v["department"])
        summary.departments += sorted(set(departments.department_paths(session).values()) - before)
    user = _find(session, v["staff_number"], v["name"])
    if user is None:
        login = v["staff_number"].lower()
        uid = users.add_user(session, actor, login, v["name"], "salesperson", None,
                             **{k: a for k, a in attrs.items() if k != "display_name"})
        summary.created.append(login)
        return uid
    changes = {k: a for k, a in attrs.items() if getattr(user, k) != a}
    if changes:
        users.update_user(session, actor, user.id, user.version, **changes)
        summary.updated += 1
    else:
        summary.unchanged += 1
    return user.id


def _set_supervisors(session: Session, actor: Actor, result: ImportResult, ids: dict[str, int]) -> None:
    in_file = _supervisor_keys(result)
    for row in result.good_rows:
        sup = row.values.get("supervisor")
        if not sup:
            continue
        number = in_file.get(cells.normalize_key(sup))
        sup_id = ids[number] if number else users.find_user(session, sup).id
        user = session.get(User, ids[row.values["staff_number"]])
        if user.supervisor_id != sup_id:
            users.update_user(session, actor, user.id, user.version, supervisor_id=sup_id)


def import_staff(engine: Engine, actor: Actor, path: str | Path, *, dry_run: bool = False,
                 progress: Callable[[int, int], None] | None = None,
                 on_wait: Callable[[str], None] | None = None) -> StaffSummary:
    """Check the whole roster, then (unless ``dry_run`` or any row is bad) write it in one transaction
    (through the use-case runner: it waits while another user's write holds the database)."""
    from crm_tui.services.runner import run

    permissions.require(actor, "admin.users")
    result = read_and_validate(path, SPECS, progress=progress)
    parsed_errors = [len(row.errors) for row in result.rows]

    def write(session) -> StaffSummary:
        for row, n in zip(result.rows, parsed_errors, strict=True):  # a retry checks again from the file alone
            del row.errors[n:]
        summary = StaffSummary(result.file)  # a retry counts afresh
        _check(session, result)
        summary.errors = tuple(result.errors)
        if not result.ok:
            raise _Stop(summary)
        ids = {row.values["staff_number"]: _write_row(session, actor, row, summary) for row in result.rows}
        _set_supervisors(session, actor, result, ids)
        if dry_run:
            raise _Stop(summary)
        summary.written = True
        return summary

    try:
        return run(engine, actor, write, on_wait=on_wait)
    except _Stop as stop:
        return stop.summary


class _Stop(Exception):
    """Leave the transaction without committing (bad rows, or a dry run that has counted what it would do)."""

    def __init__(self, summary: StaffSummary):
        super().__init__("nothing to write")
        self.summary = summary
