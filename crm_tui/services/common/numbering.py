"""Document numbers, taken at confirmation inside the caller's transaction.

A mask such as ``QT{yyyy}{mm}-{seq:4}`` is rendered with the confirmation date and a counter kept per kind and
period (the date fields the mask uses). The counter row is incremented with ``UPDATE … RETURNING`` in the
caller's transaction, so it stays locked until that transaction ends: concurrent takers queue, and a rolled-back
document gives its number back. Document tables keep a UNIQUE constraint on their number as the last guard.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from crm_tui.config import get_settings
from crm_tui.core import clock
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.system import Counter

_TOKEN = re.compile(r"\{(yyyy|yy|mm|dd|seq(?::(\d+))?)\}")


def validate_mask(mask: str) -> None:
    if "{seq" not in mask:
        raise ValidationError(f"numbering mask {mask!r} needs a {{seq}} or {{seq:N}} field", field="mask")
    leftover = _TOKEN.sub("", mask)
    if "{" in leftover or "}" in leftover:
        raise ValidationError(
            f"numbering mask {mask!r} has an unknown field; use {{yyyy}} {{yy}} {{mm}} {{dd}} {{seq:N}}", field="mask"
        )


def period_of(mask: str, on: date) -> str:
    """The counter period a mask implies: year+month for ``{yyyy}{mm}``, empty for a mask without dates."""
    parts = []
    if "{yyyy}" in mask or "{yy}" in mask:
        parts.append(f"{on.year:04d}")
    if "{mm}" in mask:
        parts.append(f"{on.month:02d}")
    if "{dd}" in mask:
        parts.append(f"{on.day:02d}")
    return "".join(parts)


def render(mask: str, on: date, seq: int) -> str:
    def field(m: re.Match) -> str:
        name = m.group(1)
        if name == "yyyy":
            return f"{on.year:04d}"
        if name == "yy":
            return f"{on.year % 100:02d}"
        if name == "mm":
            return f"{on.month:02d}"
        if name == "dd":
            return f"{on.day:02d}"
        width = int(m.group(2) or 1)
        return f"{seq:0{width}d}"

    return _TOKEN.sub(field, mask)


def mask_for(kind: str) -> str:
    masks = get_settings().get("numbering", {})
    if kind not in masks:
        raise ValidationError(f"no numbering mask for document kind {kind!r}", field="numbering")
    mask = masks[kind]
    validate_mask(mask)
    return mask


def _next_value(session: Session, kind: str, period: str) -> int:
    """Create the counter at 1 or add one to it, in one statement: the row stays locked until the caller's
    transaction ends, so the fewer statements after this one, the shorter other takers queue."""
    dialect = session.bind.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(Counter).values(kind=kind, period=period, value=1)
    stmt = stmt.on_conflict_do_update(index_elements=[Counter.kind, Counter.period],
                                      set_={"value": Counter.value + 1}).returning(Counter.value)
    with session.no_autoflush:  # the document's pending changes are flushed after, with its number
        return session.execute(stmt).scalar_one()


def take_number(session: Session, kind: str, on: date | None = None, mask: str | None = None) -> str:
    """Take the next number for ``kind``; call it inside the transaction that confirms the document, as late
    in it as possible (the counter is locked from here to the commit)."""
    on = on or clock.today()
    mask = mask or mask_for(kind)
    return render(mask, on, _next_value(session, kind, period_of(mask, on)))
