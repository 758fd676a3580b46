"""From the database to the tally engine's plain inputs, and the tally run on them.

The uploads are read per person, in time order, straight from the DB-API cursor through the covering index
``ix_visit_uploads_tally``: a million rows arrive as plain tuples in the engine's ``Upload`` layout (five
columns: the three checked flags come packed into one), with no ORM object and no per-row conversion.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from datetime import date, timedelta

from sqlalchemy import Connection, Engine, or_, select
from sqlalchemy.orm import Session

from crm_tui.db.models.customers import Customer as CustomerRow
from crm_tui.db.models.people import Department, User
from crm_tui.db.models.visits import VisitAbsence, VisitEvent
from crm_tui.services.visits.calendar import DAY, add_months, day_number, month_bounds, weeks_of_month
from crm_tui.services.visits.customers import CustomerIndex
from crm_tui.services.visits.policy import Policy
from crm_tui.services.visits.tally import (
    VISIT,
    Absence,
    Customer,
    Event,
    MonthTally,
    Person,
    classification_labels,
    tally_month,
)


def read_window(policy: Policy, year: int, month: int) -> tuple[date, date]:
    """The days whose rows the tally of a month reads: the longest cycle back, to the last belonging week."""
    first, last = month_bounds(year, month)
    mondays = weeks_of_month(year, month)
    cy, cm = add_months(year, month, -(policy.longest_cycle_months - 1))
    start = min(date(cy, cm, 1), mondays[0]) - timedelta(days=1)   # the day before moves the clock
    end = max(last, mondays[-1] + timedelta(days=6))
    return start, end


def load_people(session: Session) -> list[Person]:
    rows = session.execute(
        select(User.id, User.display_name, Department.name, User.position, User.area, User.staff_number,
               User.active).outerjoin(Department, Department.id == User.department_id).order_by(User.id))
    return [Person(uid, name, dept, position, area, number, bool(active))
            for uid, name, dept, position, area, number, active in rows]


def load_customers(session: Session) -> list[Customer]:
    """Customers with an owner (负责客户) or a promotion store flag (促销主管's), archived ones left out."""
    rows = session.execute(
        select(CustomerRow.id, CustomerRow.code, CustomerRow.owner_id, CustomerRow.classification, CustomerRow.name,
               CustomerRow.promotion_store, CustomerRow.area)
        .where(or_(CustomerRow.owner_id.is_not(None), CustomerRow.promotion_store.is_not(None)),
               CustomerRow.status != "archived"))
    return [Customer(cid, code, owner, classification_labels(cls), name, promo, area)
            for cid, code, owner, cls, name, promo, area in rows]


def load_absences(session: Session, start: date, end: date) -> list[Absence]:
    rows = session.execute(select(VisitAbsence.user_id, VisitAbsence.kind, VisitAbsence.start_date,
                                  VisitAbsence.end_date)
                           .where(VisitAbsence.cancelled.is_(False), VisitAbsence.start_date <= end,
                                  VisitAbsence.end_date >= start))
    return [Absence(uid, kind, s, e) for uid, kind, s, e in rows]


def load_events(session: Session, lo: int, hi: int) -> list[Event]:
    rows = session.execute(select(VisitEvent.user_id, VisitEvent.at, VisitEvent.kind, VisitEvent.id)
                           .where(VisitEvent.at >= lo, VisitEvent.at < hi))
    return [Event(*row) for row in rows]


def _late_customers(session: Session, lo: int, hi: int) -> dict[int, int | None]:
    """Rows whose customer was unknown at import: look them up again (the customer may have come since)."""
    from crm_tui.db.models.visits import VisitUpload as U

    rows = session.execute(select(U.id, U.customer_code, U.customer_name).where(
        U.customer_id.is_(None), U.kind == VISIT, U.at >= lo, U.at < hi)).all()
    if not rows:
        return {}
    index = CustomerIndex(session)
    return {rid: index.find(code, name) for rid, code, name in rows}


# Upload.quality computed by the database (see tally.quality): one column instead of three.
QUALITY_SQL = ("(CASE WHEN has_address THEN 1 ELSE 0 END + CASE WHEN remarks_ok THEN 2 ELSE 0 END "
               "+ CASE WHEN backdated THEN 4 ELSE 0 END + CASE WHEN late THEN 8 ELSE 0 END + 16 * photos)")


def iter_uploads(session: Session, user_ids: list[int], lo: int, hi: int,
                 late: dict[int, int | None] | None = None) -> Iterator[tuple[int, list[tuple]]]:
    """Each person's uploads with lo <= at < hi in time order, as (person, rows in the ``Upload`` layout)."""
    conn = session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"SELECT at, kind, customer_id, {QUALITY_SQL}, id FROM visit_uploads "
           f"WHERE user_id = {mark} AND at >= {mark} AND at < {mark} "
           f"ORDER BY at, kind, customer_id, has_address, photos, remarks_ok, backdated, late")
    cursor = conn.connection.cursor()
    try:
        for uid in user_ids:
            cursor.execute(sql, (uid, lo, hi))
            rows = cursor.fetchall()
            if not rows:
                continue
            if late:
                rows = [(at, kind, late[rid], q, rid) if cust is None and rid in late else (at, kind, cust, q, rid)
                        for at, kind, cust, q, rid in rows]
            yield uid, rows
    finally:
        cursor.close()


def run_month(session: Session, policy: Policy, year: int, month: int, as_of: date | None = None) -> MonthTally:
    """Tally one month from the database, as of a day (None: the whole month and its weeks)."""
    start, end = read_window(policy, year, month)
    lo, hi = day_number(start) * DAY, (day_number(end) + 1) * DAY
    people = load_people(session)
    late = _late_customers(session, lo, hi)
    uploads = iter_uploads(session, [p.id for p in people], lo, hi, late)
    return tally_month(policy, year, month, people, load_customers(session), uploads,
                       load_events(session, lo, hi), load_absences(session, start, end), as_of)


def upload_details(bind: Engine | Connection, ids: list[int]) -> dict[int, tuple]:
    """id → (customer_code, customer_name, address, photos, remarks) of the rows a report lists (a chunk of a
    report's void uploads at a time: at most 900 ids)."""
    if not ids:
        return {}
    with bind.connect() if isinstance(bind, Engine) else nullcontext(bind) as conn:
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        cursor = conn.connection.cursor()   # straight from the DB-API: no ORM row per upload
        try:
            cursor.execute("SELECT id, customer_code, customer_name, address, photos, remarks FROM visit_uploads "
                           f"WHERE id IN ({', '.join([mark] * len(ids))})", ids)
            return {rid: rest for rid, *rest in cursor.fetchall()}
        finally:
            cursor.close()
