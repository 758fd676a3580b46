"""Demo step: a month of the mobile app's visit log for the demo salespeople, so ``crm visits tally`` has work.

The last full month before the demo's "today". Each salesperson with a rule in the shipped policy uploads at
their own customers (read from the customers table, so this step runs after the customers step) on working
days: most days meet the quota, some fall short, a few rows are void (no address, too few photos, too soon, a
customer not in the CRM), there are new-customer uploads and banquets (帮送喜宴), one person takes leave and
one has a flex month. With no customers in the database the step writes nothing.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import Department, User
from crm_tui.db.models.visits import VisitAbsence, VisitEvent, VisitImport, VisitUpload
from crm_tui.services.visits.calendar import add_months, month_bounds, to_seconds
from crm_tui.services.visits.policy import default_policy_path, load_policy

TITLE = "A month of store visits"
NEW_SHOPS = ["福满楼饭店", "鑫源便利店", "好邻居超市", "老乡鸡酒楼", "金穗副食"]


def demo_month(today: date) -> tuple[int, int]:
    return add_months(today.year, today.month, -1)


def run(session, ctx) -> None:
    policy = load_policy(default_policy_path())
    rng = ctx.rng
    year, month = demo_month(ctx.today)
    first, last = month_bounds(year, month)
    staff = session.execute(select(User.id, User.login, Department.name, User.position, User.area)
                            .join(Department, Department.id == User.department_id).order_by(User.id)).all()
    owned: dict[int, list[tuple[int, str]]] = {}
    for cid, code, owner in session.execute(select(Customer.id, Customer.code, Customer.owner_id)
                                            .order_by(Customer.id)):
        if owner is not None:
            owned.setdefault(owner, []).append((cid, code))
    if not owned:
        ctx.made["visit uploads (no customers yet)"] = 0
        return
    batch = VisitImport(file_name="demo", user_id=ctx.actor.id)
    session.add(batch)
    session.flush()
    uploads, events, absences = [], [], []
    people = [(uid, login, dept, rule) for uid, login, dept, position, area in staff
              if (rule := policy.role_for(dept, position, area)) is not None and owned.get(uid)]
    for n, (uid, _login, dept, rule) in enumerate(people):
        mine = sorted(owned[uid])
        rng.shuffle(mine)
        rounds = itertools.cycle(mine)   # a salesperson goes round their customers
        quota = rule.uploads_per_day or 4
        if n == 1:
            absences.append({"user_id": uid, "kind": "flex", "start_date": first, "end_date": last,
                             "note": "陪同客户外出考察"})
        if n == 2:
            absences.append({"user_id": uid, "kind": "leave", "start_date": first + timedelta(days=9),
                             "end_date": first + timedelta(days=11), "note": "事假"})
        day = first
        while day <= last:
            if policy.is_working_weekday(day) or rng.random() < 0.15:
                uploads += _day(rng, uid, day, quota if policy.is_working_weekday(day) else 2, rule.photos, rounds)
                if dept in ("商团部", "流通部", "餐饮部") and rng.random() < 0.04:
                    cid, code = rng.choice(mine)
                    events.append({"user_id": uid, "at": to_seconds(datetime.combine(day, time(18, 30))),
                                   "kind": "帮送喜宴", "customer_key": code, "customer_code": code,
                                   "customer_id": cid, "remarks": "帮送喜宴", "import_id": batch.id})
            day += timedelta(days=1)
    for row in uploads:
        row["import_id"] = batch.id
    session.execute(insert(VisitUpload.__table__), uploads)
    if events:
        session.execute(insert(VisitEvent.__table__), events)
    for values in absences:
        session.add(VisitAbsence(**values))
    batch.rows_read = batch.uploads_added = len(uploads)
    batch.events_added = len(events)
    session.flush()
    ctx.made["visit uploads"] = len(uploads)


def _day(rng, uid: int, day: date, quota: int, photos: int, rounds) -> list[dict]:
    """One working day: usually the quota, sometimes fewer; now and then a void or a new customer."""
    count = quota if rng.random() < 0.75 else rng.randint(max(0, quota // 3), quota)
    moment = datetime.combine(day, time(8, rng.randint(0, 40)))
    rows = []
    for _ in range(count):
        moment += timedelta(minutes=rng.randint(12, 55))
        cid, code = next(rounds)
        row = {"user_id": uid, "at": to_seconds(moment), "kind": 1, "customer_key": code, "customer_code": code,
               "customer_id": cid, "customer_name": None, "address": "山东省临沂市", "has_address": True, "photos": photos,
               "remarks": None, "remarks_ok": False}
        roll = rng.random()
        if roll < 0.02:
            row.update(address=None, has_address=False)
        elif roll < 0.04:
            row["photos"] = max(0, photos - 1)
        elif roll < 0.05:
            row.update(customer_id=None, customer_key="K99999", customer_code="K99999")
        elif roll < 0.08:
            shop = rng.choice(NEW_SHOPS)
            row.update(kind=2, customer_id=None, customer_key=f"{shop}{moment:%H%M}", customer_code=None,
                       customer_name=shop, remarks=f"新开发:{shop} 王经理 139{rng.randint(0, 99999999):08d}",
                       remarks_ok=True)
        rows.append(row)
        if rng.random() < 0.03:   # uploaded again three minutes later: void, too soon
            again = dict(row, at=row["at"] + 180, customer_key=row["customer_key"] + "+")
            rows.append(again)
            moment += timedelta(minutes=3)
    return rows
