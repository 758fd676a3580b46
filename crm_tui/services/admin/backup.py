"""Backups and restore. SQLite: the online backup API (never a file copy); PostgreSQL: pg_dump/pg_restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from crm_tui.core.errors import CrmError, ValidationError
from crm_tui.db.engine import sqlite_path
from crm_tui.i18n import _
from crm_tui.paths import ensure_dir, get_paths, make_private


def default_backup_path(engine: Engine, reason: str = "manual") -> Path:
    # A file name unique to the microsecond: the real time, not the business clock (which tests may stop).
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    ext = "db" if engine.dialect.name == "sqlite" else "dump"
    return get_paths().backups / f"crm-{reason}-{stamp}.{ext}"


def _pg_args(engine: Engine) -> tuple[list[str], dict[str, str]]:
    u = engine.url
    args = ["-h", u.host or "localhost", "-p", str(u.port or 5432), "-U", u.username or os.environ.get("USER", "")]
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = u.password
    return args, env


def backup(engine: Engine, target: Path | None = None, reason: str = "manual") -> Path:
    """Write a consistent copy of the database to ``target`` (default: the backups folder)."""
    target = Path(target) if target else default_backup_path(engine, reason)
    ensure_dir(target.parent) if not target.parent.exists() else None
    if target.exists():
        raise ValidationError(_("Backup target already exists: {path}").format(path=target))
    if engine.dialect.name == "sqlite":
        source = sqlite_path(engine.url.render_as_string(hide_password=False))
        if source is None:
            raise CrmError(_("An in-memory database cannot be backed up."))
        fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
        src = sqlite3.connect(source)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    else:
        if not shutil.which("pg_dump"):
            raise CrmError(_("pg_dump is not installed; install the PostgreSQL client tools to back up."))
        args, env = _pg_args(engine)
        # The file is ours and private before the first byte of the dump lands in it (pg_dump -f made it 0644).
        fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        try:
            r = subprocess.run(["pg_dump", "-Fc", *args, engine.url.database or ""], stdout=fd,
                               stderr=subprocess.PIPE, text=True, env=env)
        finally:
            os.close(fd)
        if r.returncode != 0:
            target.unlink(missing_ok=True)
            raise CrmError(_("pg_dump failed: {err}").format(err=r.stderr.strip().splitlines()[-1:]))
    make_private(target)
    prune_automatic_backups()
    return target


def prune_automatic_backups() -> None:
    from crm_tui.config import get_settings

    keep = int(get_settings()["backup"].get("keep", 30))
    folder = get_paths().backups
    if not folder.exists():
        return
    auto = sorted(p for p in folder.iterdir() if p.name.startswith("crm-auto-") or p.name.startswith("crm-upgrade-"))
    for old in auto[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database or fails ``PRAGMA integrity_check``."""
    if not path.is_file():
        raise ValidationError(_("No such backup file: {path}").format(path=path))
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ValidationError(_("{path} is not a usable database: {err}").format(path=path, err=exc)) from exc
    if result != [("ok",)]:
        raise ValidationError(_("{path} fails the integrity check: {err}").format(
            path=path, err="; ".join(r[0] for r in result[:3])))


def restore(engine: Engine, source: Path) -> Path:
    """Replace the database with ``source``, after checking it and backing up the current one."""
    source = Path(source)
    if engine.dialect.name == "sqlite":
        check_sqlite_file(source)
        safety = backup(engine, reason="auto-before-restore")
        engine.dispose()
        target = sqlite_path(engine.url.render_as_string(hide_password=False))
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        make_private(target)
        return safety
    if not source.is_file():
        raise ValidationError(_("No such backup file: {path}").format(path=source))
    if not shutil.which("pg_restore"):
        raise CrmError(_("pg_restore is not installed; install the PostgreSQL client tools to restore."))
    check_pg_archive(source)
    safety = backup(engine, reason="auto-before-restore")
    engine.dispose()
    args, env = _pg_args(engine)
    # One transaction that stops at the first error: a dump that breaks half-way leaves the database as it was.
    r = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "--exit-on-error", *args, "-d", engine.url.database or "", str(source)],
                       capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise CrmError(_("pg_restore failed, the database is unchanged: {err}").format(err=_last_line(r.stderr)))
    return safety


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


def check_pg_archive(source: Path) -> None:
    """Read the whole archive, data included, before anything is dropped: ``pg_restore -l`` reads only the table
    of contents at its head and passes a truncated dump."""
    listing = subprocess.run(["pg_restore", "-l", str(source)], capture_output=True, text=True)
    if listing.returncode == 0:
        listing = subprocess.run(["pg_restore", "--exit-on-error", "-f", os.devnull, str(source)],
                                 capture_output=True, text=True)
    if listing.returncode != 0:
        raise ValidationError(_("{path} is not a usable database: {err}").format(
            path=source, err=_last_line(listing.stderr)))
