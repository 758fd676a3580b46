"""Where crm-tui keeps its files.

Everything derives from platformdirs, or from ``CRM_HOME`` when it is set (tests always set it).
Nothing here touches the disk at import time; ``ensure_dir`` creates folders with mode 0700.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "crm-tui"


@dataclass(frozen=True)
class Paths:
    data: Path
    config: Path
    backups: Path
    logs: Path
    cache: Path  # derived data that can be rebuilt at any time (the pinyin tables)

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.toml"

    @property
    def default_database(self) -> Path:
        return self.data / "crm.db"

    @property
    def templates(self) -> Path:
        return self.config / "templates"

    @property
    def attachments(self) -> Path:
        return self.data / "attachments"


def get_paths() -> Paths:
    home = os.environ.get("CRM_HOME")
    if home:
        root = Path(home).expanduser()
        return Paths(root / "data", root / "config", root / "backups", root / "logs", root / "cache")
    import platformdirs

    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    data = Path(dirs.user_data_dir)
    return Paths(data, Path(dirs.user_config_dir), data / "backups", Path(dirs.user_log_dir),
                 Path(dirs.user_cache_dir))


def ensure_dir(path: Path) -> Path:
    """Create ``path`` private to the user (mode 0700), and every missing folder above it too, so a new CRM_HOME
    is not left readable by others (``mkdir(parents=True)`` makes parents 0755). Existing folders above stay as
    they are."""
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
    os.chmod(path, 0o700)
    return path


def make_private(path: Path) -> None:
    """Set mode 0600 on a file if it exists."""
    if path.exists():
        os.chmod(path, 0o600)
