"""Recovery files of documents being entered: ``<data dir>/drafts/<kind>-<user>.json``, mode 0600.

A form writes what was entered a moment after each change and deletes the file when it is saved or
discarded, so a file that is still there when the same user opens a new document of that kind is what a
crash (or a killed terminal) lost. Decimals and dates are stored as text; the form turns them back.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from crm_tui.paths import ensure_dir, get_paths


def draft_path(kind: str, user: str) -> Path:
    safe = re.sub(r"[^\w.-]", "_", f"{kind}-{user}")  # a login never reaches outside the folder
    return get_paths().data / "drafts" / f"{safe}.json"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"not storable in a draft: {type(value).__name__}")


def write_draft(kind: str, user: str, state: dict) -> Path:
    """Replace the recovery file at once (written beside it, then renamed): a crash mid-write keeps the old one."""
    path = draft_path(kind, user)
    ensure_dir(path.parent)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(state, out, ensure_ascii=False, default=_plain)
    os.replace(temp, path)
    return path


def read_draft(kind: str, user: str) -> dict | None:
    """The recovery file's state, or None when there is none (or it cannot be read: nothing to offer)."""
    path = draft_path(kind, user)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def drop_draft(kind: str, user: str) -> None:
    draft_path(kind, user).unlink(missing_ok=True)
