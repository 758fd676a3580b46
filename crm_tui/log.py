"""The log file: every unexpected error of the app and the command line, with its traceback.

``crm.log`` in the logs folder (``paths.get_paths().logs``; ``CRM_HOME`` moves it), rotated at 1 MB with three
old files kept. The handler follows the logs folder: when ``CRM_HOME`` changes (tests), the next call moves it.
"""

from __future__ import annotations

import logging
import logging.handlers
import threading
from pathlib import Path

LOGGER = "crm_tui"
MAX_BYTES = 1_000_000
BACKUPS = 3

_lock = threading.Lock()


def log_file() -> Path:
    from crm_tui.paths import get_paths

    return get_paths().logs / "crm.log"


def setup_logging() -> Path:
    """Point the ``crm_tui`` logger at the log file (once per folder); returns the file's path."""
    from crm_tui.paths import ensure_dir

    path = log_file()
    logger = logging.getLogger(LOGGER)
    with _lock:
        current = [h for h in logger.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
        if current and Path(current[0].baseFilename) == path.absolute():
            return path
        for handler in current:
            logger.removeHandler(handler)
            handler.close()
        ensure_dir(path.parent)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                       encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
    return path


def log_unexpected(exc: BaseException, where: str) -> Path:
    """Write ``exc`` with its traceback to the log file (once, however often it is described); returns the
    file's path for the user's message."""
    path = setup_logging()
    if getattr(exc, "_crm_logged", False):
        return path
    logging.getLogger(LOGGER).error("unexpected error in %s", where, exc_info=exc)
    try:
        exc._crm_logged = True  # type: ignore[attr-defined]
    except AttributeError:  # an exception type with __slots__: logging it twice is harmless
        pass
    for handler in logging.getLogger(LOGGER).handlers:
        handler.flush()
    return path


def describe(exc: BaseException, where: str) -> str:
    """The user's one line for ``exc`` in their language; an unexpected error is logged first."""
    from crm_tui.core.describe import describe_error, is_expected
    from crm_tui.i18n import _

    path = None if is_expected(exc) else log_unexpected(exc, where)
    return describe_error(exc, path, _)
