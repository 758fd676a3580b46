"""``crm db check``: the engine's integrity check plus the invariants each area registers."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from crm_tui.db.session import read_session

# name -> function(session) returning a list of problems (empty when the invariant holds)
INVARIANTS: dict[str, Callable[[Session], list[str]]] = {}


def invariant(name: str):
    def register(fn):
        INVARIANTS[name] = fn
        return fn

    return register


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


def run_checks(engine: Engine) -> dict[str, list[str]]:
    """{check name: problems}; every list empty means the database is sound."""
    results = {"integrity": integrity(engine)}
    _load_area_invariants()
    with read_session(engine) as session:
        for name, fn in INVARIANTS.items():
            results[name] = fn(session)
    return results


def _load_area_invariants() -> None:
    import crm_tui.services.common.registry as registry

    registry.load_areas()
