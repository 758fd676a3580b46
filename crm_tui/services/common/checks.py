"""``crm db check``: the engine's integrity check plus the invariants the composition root registers.

An area marks its invariants with ``@invariant(name)``; marking registers nothing. ``crm_tui/bootstrap.py``
hands each area's module (or its name, imported when the check runs) to ``register_invariants``, so what
``crm db check`` verifies never depends on which modules happen to be imported."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from crm_tui.db.session import read_session
from crm_tui.services.common.plugins import resolve

Invariant = Callable[[Session], list[str]]  # the problems found; empty when the invariant holds

# The modules (or their names) whose marked invariants ``crm db check`` runs, in the order registered.
INVARIANT_MODULES: list[ModuleType | str] = []


def invariant(name: str):
    """Mark a function of an area's module as the invariant ``name``."""
    def mark(fn):
        fn.invariant_name = name
        return fn

    return mark


def invariants_of(module: ModuleType) -> dict[str, Invariant]:
    """The invariants ``module`` marks, in the order they are defined."""
    return {fn.invariant_name: fn for fn in vars(module).values()
            if callable(fn) and getattr(fn, "__module__", None) == module.__name__ and hasattr(fn, "invariant_name")}


def register_invariants(*modules: ModuleType | str) -> None:
    INVARIANT_MODULES.extend(m for m in modules if m not in INVARIANT_MODULES)


def invariants() -> dict[str, Invariant]:
    """Every registered invariant by name."""
    found: dict[str, Invariant] = {}
    for module in INVARIANT_MODULES:
        found.update(invariants_of(resolve(module)))
    return found


@invariant("counters are never negative")
def _counters(session: Session) -> list[str]:
    from sqlalchemy import select

    from crm_tui.db.models.system import Counter

    bad = session.execute(select(Counter.kind, Counter.period, Counter.value).where(Counter.value < 0)).all()
    return [f"counter {k}/{p} = {v}" for k, p, v in bad]


@invariant("every user's supervisor and department exist")
def _people(session: Session) -> list[str]:
    rows = session.execute(text(
        "SELECT u.login FROM users u LEFT JOIN users s ON s.id = u.supervisor_id "
        "LEFT JOIN departments d ON d.id = u.department_id "
        "WHERE (u.supervisor_id IS NOT NULL AND s.id IS NULL) OR (u.department_id IS NOT NULL AND d.id IS NULL)"
    )).all()
    return [f"user {r[0]} points at a missing supervisor or department" for r in rows]


def integrity(engine: Engine) -> list[str]:
    if engine.dialect.name != "sqlite":
        return []
    with engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    problems = [] if rows == ["ok"] else rows
    problems += [f"foreign key broken: {r}" for r in fk]
    return problems


SET_UP = "the database is set up"


def schema_problems(engine: Engine) -> list[str]:
    """Whether the database has tables and this version's schema."""
    from crm_tui.db import migrate
    from crm_tui.i18n import _

    if migrate.is_empty(engine):
        return [_("The database has no tables: it is empty or not a crm-tui database.")]
    current = migrate.current_revision(engine)
    if current is None:
        return [_("The database has no schema version: it was not created by crm-tui.")]
    if current != migrate.head_revision():
        return [_("The schema version is {rev}, this crm-tui expects {head}; run `crm db upgrade`.").format(
            rev=current, head=migrate.head_revision())]
    return []


def administrator_problems(session: Session) -> list[str]:
    from sqlalchemy import func, select

    from crm_tui.db.models.people import User
    from crm_tui.i18n import _

    admins = session.scalar(select(func.count()).select_from(User).where(
        User.role == "administrator", User.active.is_(True)))
    return [] if admins else [_("The database has no active administrator: it was never set up (`crm init`).")]


def run_checks(engine: Engine) -> dict[str, list[str]]:
    """{check name: problems}; every list empty means the database is sound. A restore that broke off, or a
    client pointed at the wrong database, leaves an empty database that is otherwise 'sound': the first check
    is that it is set up at all, and without this version's schema the invariants are not run."""
    results = {SET_UP: schema_problems(engine)}
    if results[SET_UP]:
        return results
    with read_session(engine) as session:
        results[SET_UP] = administrator_problems(session)
    results["integrity"] = integrity(engine)
    with read_session(engine) as session:
        for name, fn in invariants().items():
            results[name] = fn(session)
    return results
