"""Pinyin of names for search and sorting: full readings and initials, every reading of heteronyms.

``bjhx`` must find 北京华夏, ``shanxian`` must find 单县 (which pypinyin reads "dan" by default), and names must
sort in pinyin order (重庆 under C). pypinyin's own ``pinyin()`` costs about 60 µs a name, too slow for a
100,000-row import, so this module uses pypinyin's character and phrase tables directly: a greedy longest match
over the phrases whose reading differs from the characters' usual one gives the reading in context
(重庆 -> chongqing), and each heteronym character adds its other readings as variants. Results are plain
lowercase ASCII (ü is written ``v``, as input methods do).

Importing pypinyin and reducing its tables costs about a second, so the reduced tables are kept in a cache
folder (one file per pypinyin version) and load in a few tens of milliseconds after the first time. The
composition root (the ``crm`` entry point, the test set-up) names that folder with ``set_cache_dir``; without one
the tables are built in memory each process.

Customers, products and suppliers all take their pinyin columns from ``name_fields``.
"""

from __future__ import annotations

import logging
import marshal
import os
import re
import unicodedata
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

MAX_PHRASE = 4  # longer phrases are rare in names; their characters still get their own readings
MAX_FULL_VARIANTS = 3
MAX_INITIAL_VARIANTS = 8
TABLES_FORMAT = 1  # bump when the reduced tables change shape or content rules

# Place names pypinyin reads wrongly (its own reading stays as a variant, so both are found).
PLACES = {"单县": ("shan", "xian"), "费县": ("bi", "xian"), "长清": ("chang", "qing"), "朝阳": ("chao", "yang"),
          "乐亭": ("lao", "ting"), "六安": ("lu", "an"), "铅山": ("yan", "shan"), "大城": ("dai", "cheng")}

Tables = tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], frozenset[str]]

_cache_dir: Path | None = None


def set_cache_dir(folder: str | os.PathLike | None) -> None:
    """Where the reduced tables are kept between runs; None keeps them in memory only."""
    global _cache_dir
    _cache_dir = Path(folder) if folder is not None else None


def cache_dir() -> Path | None:
    """The folder ``set_cache_dir`` named (worker processes are handed it, to load the same tables)."""
    return _cache_dir


def _plain(reading: str) -> str:
    """``lǜ`` -> ``lv``, ``zhōng`` -> ``zhong``."""
    for u in "üǖǘǚǜ":
        reading = reading.replace(u, "v")
    decomposed = unicodedata.normalize("NFD", reading)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _build_tables() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(character -> toneless readings, most common first; phrase -> reading in context) from pypinyin, the
    phrases kept only where their reading differs from their characters' usual readings."""
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    plain = cache(_plain)
    chars = {chr(code): tuple(dict.fromkeys(plain(r) for r in raw.split(",") if r))
             for code, raw in pinyin_dict.items()}
    phrases: dict[str, tuple[str, ...]] = {}
    for text, readings in phrases_dict.items():
        if not 2 <= len(text) <= MAX_PHRASE or len(readings) != len(text):
            continue
        context = tuple(plain(r[0]) for r in readings)
        if context != tuple((chars.get(c) or ("",))[0] for c in text):
            phrases[text] = context
    phrases.update(PLACES)
    return chars, phrases


def _cache_file() -> Path | None:
    if _cache_dir is None:
        return None
    from importlib.metadata import version

    return _cache_dir / f"pinyin-{version('pypinyin')}-{TABLES_FORMAT}.marshal"


@cache
def _tables() -> Tables:
    """The reduced tables, from the cache file when it is there and readable, else built (and saved)."""
    path = _cache_file()
    loaded = _load(path) if path is not None else None
    if loaded is None:
        loaded = _build_tables()
        if path is not None:
            _save(path, marshal.dumps(loaded))
    chars, phrases = loaded
    return chars, phrases, frozenset(t[:2] for t in phrases)


def _load(path: Path):
    try:
        chars, phrases = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return chars, phrases


def _save(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # whole or not at all: another process may be reading
    except OSError as exc:  # a read-only home only costs the second next time
        log.warning("pinyin tables not cached: %s", exc)


def char_readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one Chinese character, most common first; () for anything else."""
    return _tables()[0].get(ch, ())


def segments(text: str) -> list[tuple[tuple[str, ...], bool]]:
    """The readings of ``text`` position by position, as (readings, is_han): for a Chinese character its
    readings with the one the context implies first; for a run of other letters or digits one lowercased item.
    Other characters are dropped."""
    chars, phrases, starts = _tables()
    out: list[tuple[tuple[str, ...], bool]] = []
    append = out.append
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        readings = chars.get(ch)
        if readings:
            if text[i:i + 2] in starts:
                size = _phrase_at(text, i, phrases)
                if size:
                    for offset, first in enumerate(phrases[text[i:i + size]]):
                        own = chars.get(text[i + offset], ())
                        append(((first, *(r for r in own if r != first)), True))
                    i += size
                    continue
            append((readings, True))
            i += 1
        elif ch.isalnum():
            j = i + 1
            while j < n and text[j].isalnum() and text[j] not in chars:
                j += 1
            append(((text[i:j].lower(),), False))
            i = j
        else:
            i += 1
    return out


def _phrase_at(text: str, i: int, phrases: dict) -> int:
    """The length of the longest phrase starting at ``i``; 0 when none."""
    for size in range(min(MAX_PHRASE, len(text) - i), 1, -1):
        if text[i:i + size] in phrases:
            return size
    return 0


def _variants(default: list[str], alternatives: list[tuple[int, tuple[str, ...]]], limit: int) -> list[str]:
    """The usual reading, then each other reading of each heteronym substituted alone, up to ``limit``.

    A full cartesian product explodes (公司 alone has si/ci); users type either the usual reading or the one
    pypinyin got wrong, rarely two unusual ones at once. ``alternatives``: (position, other readings)."""
    out = ["".join(default)]
    for i, alts in alternatives:
        if len(out) >= limit:
            break
        head, tail = "".join(default[:i]), "".join(default[i + 1:])
        for alt in alts:
            variant = head + alt + tail
            if variant not in out:
                out.append(variant)
                if len(out) >= limit:
                    break
    return out


@cache
def _initials_of(readings: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r[0] for r in readings))


def _split(segs) -> tuple[list[str], list, list[str], list]:
    """Usual readings and alternatives, for full readings and for initials."""
    full, full_alts, initials, initial_alts = [], [], [], []
    for pos, (readings, han) in enumerate(segs):
        full.append(readings[0])
        if not han:  # Latin and digit runs keep their whole text: "ABC公司" -> "abcgs"
            initials.append(readings[0])
            continue
        if len(readings) > 1:
            full_alts.append((pos, readings[1:]))
            first = _initials_of(readings)
            initials.append(first[0])
            if len(first) > 1:
                initial_alts.append((pos, first[1:]))
        else:
            initials.append(readings[0][0])
    return full, full_alts, initials, initial_alts


def full_variants(text: str, limit: int = MAX_FULL_VARIANTS) -> list[str]:
    segs = segments(text or "")
    if not segs:
        return []
    full, full_alts, _i, _ia = _split(segs)
    return _variants(full, full_alts, limit)


def name_fields(name: str | None) -> tuple[str, str]:
    """(name_pinyin, name_initials) column values: space-separated variants, the usual reading first.

    The first variant of ``name_pinyin`` is the sort key (pinyin order)."""
    segs = segments(name or "")
    if not segs:
        return "", ""
    full, full_alts, initials, initial_alts = _split(segs)
    return (" ".join(_variants(full, full_alts, MAX_FULL_VARIANTS))[:1000],
            " ".join(_variants(initials, initial_alts, MAX_INITIAL_VARIANTS))[:500])


def sort_key(name: str) -> str:
    """The usual full reading: what ``ORDER BY name_pinyin`` compares."""
    variants = full_variants(name, 1)
    return variants[0] if variants else ""


_NON_WORD = re.compile(r"[^0-9a-z]+")


def search_term(text: str) -> str:
    """A user's search text as it is matched against the pinyin columns: lowercase letters and digits."""
    return _NON_WORD.sub("", text.lower())
