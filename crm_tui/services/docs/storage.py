"""The attachment files: stored once each in the data folder, named by their sha256, private to the user.

``<data>/attachments/<sha256>`` (mode 0600, folder 0700). A file is copied in while its checksum is taken,
into a private temporary file that is renamed to its checksum name at the end, so a half-copied file never
carries a checksum name. Storing the same content twice keeps one file; nothing here ever deletes one (a
soft-deleted attachment keeps its file, and a backup's files come back on restore, see admin/backup.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from crm_tui.core.errors import NotFound, ValidationError
from crm_tui.i18n import _
from crm_tui.paths import ensure_dir, get_paths

CHUNK = 1 << 20
CHECKSUM = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Stored:
    checksum: str
    size: int


def folder() -> Path:
    return get_paths().attachments


def max_bytes() -> int:
    from crm_tui.config import get_settings

    mb = get_settings().get("docs", {}).get("max_attachment_mb", 20)
    return int(float(mb) * 1024 * 1024)


def _too_big(name: str, size: int, cap: int) -> ValidationError:
    return ValidationError(_("{name} is {size} MB; attachments may be at most {cap} MB (setting "
                             "docs.max_attachment_mb).").format(name=name, size=f"{size / 1048576:.1f}",
                                                               cap=f"{cap / 1048576:g}"), "file")


def check_source(path: Path) -> int:
    """The size of the file to attach; a clear error for a missing, unreadable, empty or too large one."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(_("No such file: {path}").format(path=path), "file")
    if not os.access(path, os.R_OK):
        raise ValidationError(_("Cannot read {path}: permission denied.").format(path=path), "file")
    size = path.stat().st_size
    cap = max_bytes()
    if size > cap:
        raise _too_big(path.name, size, cap)
    return size


def path_of(checksum: str) -> Path:
    if not CHECKSUM.match(checksum or ""):
        raise ValidationError(_("Not a sha256 checksum: {value}").format(value=checksum))
    return folder() / checksum


def store(source: Path) -> Stored:
    """Copy ``source`` into the store (if its content is not there yet); its checksum and size."""
    source = Path(source)
    check_source(source)
    cap = max_bytes()
    dest_dir = ensure_dir(folder())
    digest = hashlib.sha256()
    size = 0
    tmp = dest_dir / f".incoming-{os.getpid()}-{os.urandom(6).hex()}"
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    try:
        with open(source, "rb") as src, os.fdopen(fd, "wb") as out:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > cap:  # the file grew after it was measured
                    raise _too_big(source.name, size, cap)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        checksum = digest.hexdigest()
        final = dest_dir / checksum
        if final.exists() and final.stat().st_size == size:
            tmp.unlink()
        else:
            os.replace(tmp, final)
        os.chmod(final, 0o600)
        return Stored(checksum, size)
    finally:
        tmp.unlink(missing_ok=True)


def verify(checksum: str) -> Path:
    """The stored file of ``checksum``, after checking its content still has that checksum."""
    path = path_of(checksum)
    if not path.is_file():
        raise NotFound(_("The stored file {checksum} is missing from {folder}.").format(
            checksum=checksum[:12], folder=folder()))
    if sha256_of(path) != checksum:
        raise ValidationError(_("The stored file {checksum} is damaged (its checksum no longer matches).").format(
            checksum=checksum[:12]))
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_out(checksum: str, target: Path) -> Path:
    """Write the stored file to ``target`` (a new file, never over an existing one); returns ``target``."""
    source = verify(checksum)
    target = Path(target)
    if target.exists():
        raise ValidationError(_("{path} exists already; choose another name.").format(path=target), "target")
    if not target.parent.is_dir():
        raise ValidationError(_("No such folder: {path}").format(path=target.parent), "target")
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    with open(source, "rb") as src, os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(src, out, CHUNK)
    return target


def safe_name(name: str) -> str:
    """A file name without folders or control characters (for exports and the open-with copy)."""
    name = os.path.basename(name.replace("\\", "/")).strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name if name not in ("", ".", "..") else "attachment"
