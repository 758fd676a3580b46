"""The one translation layer: ``_("English text")`` returns the text in the current language.

Message ids are the English strings (``en/`` only labels stored codes such as ``pending_approval``). A message
with a count goes through ``n_(singular, plural, n)``: English picks the form by ``n``; Chinese has one form,
stored under the singular msgid.
Chinese lives in ``zh_CN/*.toml`` (one file per area, so areas never
edit the same file); a missing entry falls back to English. The language comes from ``--lang``, the settings
file, or the locale (``zh*`` -> Chinese, anything else -> English).
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from importlib import resources

LANGUAGES = ("zh_CN", "en")
_current: str | None = None


def normalize_language(value: str | None) -> str | None:
    if not value:
        return None
    v = value.strip().lower().replace("-", "_")
    if v in ("auto", ""):
        return None
    if v.startswith("zh"):
        return "zh_CN"
    if v.startswith("en") or v in ("c", "posix"):
        return "en"
    return None


def locale_language() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        lang = normalize_language(os.environ.get(var, "").split(".")[0])
        if lang:
            return lang
    return "en"


def set_language(value: str | None) -> str:
    """Set the language (``zh``, ``zh_CN``, ``en``, ``auto`` or None for the locale); returns it."""
    global _current
    _current = normalize_language(value) or locale_language()
    return _current


def get_language() -> str:
    return _current or set_language(None)


@cache
def catalog(language: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    folder = resources.files(__package__) / language
    if not folder.is_dir():
        return merged
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            merged.update(tomllib.loads(entry.read_text(encoding="utf-8")))
    return merged


def _(message: str) -> str:
    return catalog(get_language()).get(message, message)


def n_(singular: str, plural: str, n: int) -> str:
    """The message for a count ``n`` in the current language (format it with ``n`` afterwards)."""
    return ngettext_in(get_language(), singular, plural, n)


def ngettext_in(language: str, singular: str, plural: str, n: int) -> str:
    translated = catalog(language).get(singular)
    if translated is not None and language != "en":
        return translated  # one form for every count
    return singular if n == 1 else plural


def gettext_in(language: str, message: str) -> str:
    return catalog(language).get(message, message)
