"""Text rules shared by the layers: the NFKC form of pasted text, and the key two names are compared by."""

from __future__ import annotations

import unicodedata

# Format characters that web pages, chat apps and right-to-left marks leave in pasted text: zero-width
# spaces and joiners, the BOM, soft hyphens, direction marks and embeddings, invisible operators.
INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff",
    )
)


def nfkc(s: str) -> str:
    if s.isascii():
        return s
    if not unicodedata.is_normalized("NFKC", s):
        s = unicodedata.normalize("NFKC", s)
    # zero-width characters pasted from web pages are format characters, hence not printable
    return s if s.isprintable() else s.translate(INVISIBLE)


def normalize_key(text: str) -> str:
    """The form used to compare names: NFKC, case-folded, every space removed."""
    return "".join(nfkc(text).casefold().split())
