"""The text of a customer's search row: the document and its short grams (see db/search.py for how they are
indexed and queried). Pure functions with no database import, so the worker processes of a large import
(services/customers/imports_rows.py) start without loading SQLAlchemy."""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Iterable

_NON_DIGIT = re.compile(r"\D")


def normalize(text: str | None) -> str:
    """NFKC (full-width letters, digits and spaces become ASCII), lowercase, single spaces."""
    if not text:
        return ""
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.lower().split())


def digits(text: str | None) -> str:
    return _NON_DIGIT.sub("", text or "")


_SPLIT = re.compile(r"[^\w]+|_+")


def grams_of(texts: Iterable[str], variants: str = "") -> str:
    """Distinct 1- and 2-character grams of ``texts`` (already normalised), space-separated. Grams stay
    within runs of letters and digits, as the tokenizer that indexes them splits on anything else.

    ``variants``: the pinyin initials column, whose variants after the first differ from it in one letter."""
    grams: set[str] = set()
    add = grams.update
    pair = operator.add  # a C function: pairs come half again as fast as with str.__add__ (imports make millions)
    for run in dict.fromkeys(" ".join(texts).split()):  # imports build millions of these: the plain case first
        parts = (run,) if run.isalnum() else _SPLIT.split(run)
        for part in parts:
            add(part)
            add(map(pair, part, part[1:]))
    if variants:
        _add_variant_grams(grams, variants)
    grams.discard("")
    return " ".join(grams)


def _add_variant_grams(grams: set[str], variants: str) -> None:
    """The grams of every variant, taking from the second on only those around the letter that differs."""
    first, *others = variants.split()
    grams.update(first)
    grams.update(map(operator.add, first, first[1:]))
    last = len(first) - 1
    for v in others:
        i = 0
        if len(v) == len(first):
            while i <= last and v[i] == first[i]:
                i += 1
        if i > last or v[i + 1:] != first[i + 1:]:  # not a one-letter variant (cut short, Latin text): all of it
            grams.update(v)
            grams.update(map(operator.add, v, v[1:]))
            continue
        grams.add(v[i])
        if i:
            grams.add(v[i - 1:i + 1])
        if i < last:
            grams.add(v[i:i + 2])


def build_document(code: str, name: str, short_name: str | None, address: str | None, credit_code: str | None,
                   name_pinyin: str | None, name_initials: str | None,
                   contacts: Iterable[tuple[str | None, str | None, str | None]]) -> tuple[str, str]:
    """(doc, grams) for one customer; ``contacts`` are (name, mobile, landline)."""
    contacts = list(contacts)
    texts = [normalize(code), normalize(name), normalize(short_name), normalize(address)]
    texts += [normalize(c[0]) for c in contacts]
    phones = [digits(p) for c in contacts for p in (c[1], c[2]) if p]
    initials = normalize(name_initials)
    doc_parts = [*texts, normalize(credit_code), *phones, normalize(name_pinyin), initials]
    doc = " ".join(p for p in doc_parts if p)
    return doc, grams_of(texts, initials)
