"""Demo step: monthly sales targets for the demo salespeople (the demo month and the two before it), so the
Analysis area's targets view has something to compare. Amounts follow from the person, not the random
generator, so the steps before keep their data."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from crm_tui.db.models.analysis import SalesTarget
from crm_tui.db.models.people import User

TITLE = "Sales targets"


def run(session, ctx) -> None:
    months = []
    year, month = ctx.today.year, ctx.today.month
    for _ in range(3):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    people = session.scalars(select(User.id).where(User.role == "salesperson", User.active.is_(True))
                             .order_by(User.id)).all()
    for uid in people:
        for n, m in enumerate(months):
            session.add(SalesTarget(user_id=uid, month=m, amount=Decimal(20_000 + (uid % 4) * 5_000 - n * 2_000)))
    session.flush()
