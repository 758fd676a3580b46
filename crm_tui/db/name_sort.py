"""Two small integers that order customers as ``name_pinyin`` does, kept in the narrow table ``customer_sort``.

A name-sorted search over a frequent term (深圳: 45,000 of 1,000,000 customers) must look at the sort key of
every match; reading it from the wide customers rows cost most of 80 ms. ``customer_sort`` (migration
0010_srch, SQLite only) holds per customer its id, owner, status and ``prefix_keys(name_pinyin)`` in a few
bytes, kept by triggers on ``customers`` (no application code writes it).

``prefix_keys`` reads up to ``2 * LENGTH`` characters, each as a digit of base ``BASE``: end of text 0,
``0-9`` and ``a-z`` exactly, anything else as one of three coarse codes (below ``0``, between ``9`` and ``a``,
above ``z``) after which the rest is ignored. So ``a < b`` (SQLite's binary order) implies
``prefix_keys(a) <= prefix_keys(b)``; equal keys are told apart by the name itself. NULL is (-1, 0): SQLite
sorts NULL first.
"""

from __future__ import annotations

LENGTH = 11  # characters per key
BASE = 40  # 40**11 < 2**63


def _code(ch: str) -> tuple[int, bool]:
    """(digit, exact) of one character."""
    u = ord(ch)
    if 97 <= u <= 122:
        return u - 84, True  # a-z: 13..38
    if 48 <= u <= 57:
        return u - 46, True  # 0-9: 2..11
    if u < 48:
        return 1, False
    return (12, False) if u < 97 else (39, False)


def prefix_keys(text: str | None) -> tuple[int, int]:
    """The reference of what the triggers store (tests compare the two)."""
    if text is None:
        return -1, 0
    keys, exact = [0, 0], True
    for i in range(2 * LENGTH):
        code = 0
        if exact and i < len(text):
            code, exact = _code(text[i])
        keys[i // LENGTH] = keys[i // LENGTH] * BASE + code
    return keys[0], keys[1]


def prefix_key_sql(col: str, part: int) -> str:
    """Key ``part`` (0 or 1) of ``prefix_keys`` as a SQLite expression over column ``col``."""
    terms = []
    for i in range(part * LENGTH + 1, (part + 1) * LENGTH + 1):
        u = f"unicode(substr({col}, {i}, 1))"
        code = (f"CASE WHEN {u} IS NULL THEN 0 WHEN {u} BETWEEN 97 AND 122 THEN {u} - 84 "
                f"WHEN {u} BETWEEN 48 AND 57 THEN {u} - 46 WHEN {u} < 48 THEN 1 WHEN {u} < 97 THEN 12 ELSE 39 END")
        if i > 1:  # only while every character before was taken exactly
            code = f"(CASE WHEN substr({col}, 1, {i - 1}) GLOB '*[^0-9a-z]*' THEN 0 ELSE {code} END)"
        terms.append(f"{code} * {BASE ** ((part + 1) * LENGTH - i)}")
    return f"CASE WHEN {col} IS NULL THEN {-1 if part == 0 else 0} ELSE {' + '.join(terms)} END"
