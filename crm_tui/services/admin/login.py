"""Logging in, with a delay that grows after repeated failures (per login name, known or not).

Three failures are free; then each attempt waits 0.5 s, doubling up to 8 s, before the password is checked.
The count lives in the database, so it holds across `crm` processes and both front ends; it is forgotten on a
successful login or a quarter of an hour after the last failure. A name nobody has is counted like any other,
so the delay does not tell which logins exist.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import AuthError
from crm_tui.db.models.system import LoginFailure
from crm_tui.services.admin import users
from crm_tui.services.runner import run

FREE_FAILURES = 3
FIRST_DELAY = 0.5  # seconds
MAX_DELAY = 8.0
FORGET_AFTER = timedelta(minutes=15)
pause: Callable[[float], None] = time.sleep  # how the delay is waited for, unless a caller hands its own


def delay_after(failures: int) -> float:
    """Seconds to wait before checking a password after ``failures`` recent failures."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(FIRST_DELAY * 2 ** min(failures - FREE_FAILURES, 8), MAX_DELAY)


def _key(login: str) -> str:
    return (login or "").strip().lower()[:64]


def recent_failures(session: Session, login: str) -> int:
    row = session.execute(select(LoginFailure.failures, LoginFailure.last_failed_at)
                          .where(LoginFailure.login == _key(login))).first()
    if row is None or row.last_failed_at < clock.now() - FORGET_AFTER:
        return 0
    return row.failures


def record_failure(session: Session, login: str) -> None:
    at = clock.now()
    session.execute(delete(LoginFailure).where(LoginFailure.last_failed_at < at - FORGET_AFTER))
    bump = (update(LoginFailure).where(LoginFailure.login == _key(login))
            .values(failures=LoginFailure.failures + 1, last_failed_at=at))
    if session.execute(bump).rowcount:
        return
    try:
        with session.begin_nested():  # another attempt may insert the same name at the same moment
            session.execute(insert(LoginFailure).values(login=_key(login), failures=1, last_failed_at=at))
    except IntegrityError:
        session.execute(bump)


def forget_failures(session: Session, login: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.login == _key(login)))


def log_in(engine: Engine, login: str, password: str, *, sleep: Callable[[float], None] | None = None,
           on_wait: Callable[[str], None] | None = None) -> Actor:
    """The user with this login and password, after the delay their recent failures have earned."""
    failures = run(engine, None, lambda s: recent_failures(s, login), write=False, on_wait=on_wait)
    wait = delay_after(failures)
    if wait:
        (pause if sleep is None else sleep)(wait)
    try:
        actor = run(engine, None, lambda s: users.authenticate(s, login, password), write=False, on_wait=on_wait)
    except AuthError:
        run(engine, None, lambda s: record_failure(s, login), on_wait=on_wait)
        raise
    if failures:
        run(engine, None, lambda s: forget_failures(s, login), on_wait=on_wait)
    return actor
