"""Backups and restore. SQLite: the online backup API (never a file copy); PostgreSQL: pg_dump/pg_restore.

The attached files (services/docs/storage.py) live outside the database: a backup writes them into a tar
archive next to the database copy, ``<backup>.attachments.tar`` (mode 0600, only when there are files), and a
restore puts that archive's files back into the attachments folder before it replaces the database. Files are
named by their sha256, so restoring adds what is missing and never overwrites or deletes one.
"""

from __future__ import annotations

import os
import re
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
    _backup_attachments(target)
    prune_automatic_backups()
    return target


FILES_SUFFIX = ".attachments.tar"


def attachments_archive(backup_path: Path) -> Path:
    """Where the backup ``backup_path`` keeps its attached files."""
    backup_path = Path(backup_path)
    return backup_path.with_name(backup_path.name + FILES_SUFFIX)


# The attachment store's layout (services/docs/storage.py, which sits above this package): files named by
# their sha256 in the data folder's ``attachments``.
CHECKSUM = re.compile(r"^[0-9a-f]{64}$")


def _sha256_of(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_files() -> list[Path]:
    store = get_paths().attachments
    if not store.is_dir():
        return []
    return sorted(p for p in store.iterdir() if p.is_file() and CHECKSUM.match(p.name))


def _backup_attachments(target: Path) -> Path | None:
    """Archive every stored attachment file next to the backup ``target``; None when there are none."""
    import tarfile

    files = _stored_files()
    if not files:
        return None
    archive = attachments_archive(target)
    fd = os.open(archive, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
            for path in files:
                tar.add(path, arcname=f"attachments/{path.name}", recursive=False)
    except BaseException:
        archive.unlink(missing_ok=True)
        raise
    return archive


def _attachment_members(archive: Path):
    """The archive's files, checked to be plain files named by a checksum (nothing else is ever extracted)."""
    import tarfile

    try:
        with tarfile.open(archive, mode="r:") as tar:
            members = tar.getmembers()
    except (tarfile.TarError, OSError) as exc:
        raise ValidationError(_("{path} is not a usable attachments archive: {err}").format(path=archive, err=exc)) from exc
    for m in members:
        folder_name, _sep, name = m.name.partition("/")
        if not (m.isfile() and folder_name == "attachments" and CHECKSUM.match(name)):
            raise ValidationError(_("{path} holds an unexpected entry: {name}").format(path=archive, name=m.name))
    return members


def restore_attachments(archive: Path) -> int:
    """Put the archive's files back into the attachments folder (those missing or damaged there), each checked
    against its checksum name; how many were written."""
    import hashlib
    import tarfile

    members = _attachment_members(archive)
    store = ensure_dir(get_paths().attachments)
    written = 0
    with tarfile.open(archive, mode="r:") as tar:
        for m in members:
            name = m.name.partition("/")[2]
            final = store / name
            if final.is_file() and _sha256_of(final) == name:
                continue
            digest = hashlib.sha256()
            tmp = store / f".restoring-{os.getpid()}-{name}"
            fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            try:
                with os.fdopen(fd, "wb") as out, tar.extractfile(m) as src:
                    while chunk := src.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != name:
                    raise ValidationError(_("{path}: the file {name} does not match its checksum.").format(
                        path=archive, name=name[:12]))
                os.replace(tmp, final)
                os.chmod(final, 0o600)
                written += 1
            finally:
                tmp.unlink(missing_ok=True)
    return written


def prune_automatic_backups() -> None:
    from crm_tui.config import get_settings

    keep = int(get_settings()["backup"].get("keep", 30))
    folder = get_paths().backups
    if not folder.exists():
        return
    auto = sorted(p for p in folder.iterdir() if (p.name.startswith("crm-auto-") or p.name.startswith("crm-upgrade-"))
                  and not p.name.endswith(FILES_SUFFIX))
    for old in auto[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
        attachments_archive(old).unlink(missing_ok=True)


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
    files = attachments_archive(source)
    if files.exists():
        _attachment_members(files)  # a damaged archive is refused before anything changes
    if engine.dialect.name == "sqlite":
        check_sqlite_file(source)
        safety = backup(engine, reason="auto-before-restore")
        if files.exists():
            restore_attachments(files)
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
    if files.exists():
        restore_attachments(files)
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
