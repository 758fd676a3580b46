"""The database path (covering-index read, quality packed in SQL, late customer look-up) gives exactly what the
pure engine gives on the same rows."""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import insert

from crm_tui.db.models.visits import VisitUpload
from crm_tui.db.session import read_session, transaction
from crm_tui.services.visits.calendar import to_seconds
from crm_tui.services.visits.loader import load_customers, load_people, run_month
from crm_tui.services.visits.policy import default_policy_path, load_policy
from crm_tui.services.visits.tally import NEW_CUSTOMER, VISIT, Upload, group_uploads, tally_month


def _figures(result):
    return {pm.person.id: (pm.uploads, pm.visits, pm.void_uploads, pm.daily_fines, pm.customers_not_visited,
                           pm.customers_under_minimum, [(d.uploads, d.visits, d.void) for d in pm.days],
                           sorted((v.at, v.reasons) for v in pm.voids)) for pm in result.people}


def test_database_and_pure_engine_agree(engine, company, admin):
    rng = random.Random(5)
    policy = load_policy(default_policy_path())
    customers = list(company.customers.values())
    staff = [company.users[k] for k in ("sunwei", "lina", "zhengkai", "fengjun", "chuyang", "jiangtao")]
    records, pairs = [], []
    start = to_seconds(datetime(2027, 1, 25))
    for uid in staff:
        t = start
        while t < to_seconds(datetime(2027, 4, 5)):
            t += rng.choice([60, 240, 300, 301, 420, 900, 3600, 20000])
            kind = NEW_CUSTOMER if rng.random() < 0.05 else VISIT
            known = rng.random() < 0.95
            cid = rng.choice(customers) if known and kind == VISIT else None
            has_address, photos, remarks_ok = rng.random() > 0.05, rng.choice([0, 1, 2, 2, 3]), rng.random() > 0.3
            remarks_ok = remarks_ok and kind == NEW_CUSTOMER
            key = f"K{cid}" if cid else f"X{t}"
            records.append({"user_id": uid, "at": t, "kind": kind, "customer_key": key, "customer_id": cid,
                            "has_address": has_address, "photos": photos, "remarks_ok": remarks_ok})
            pairs.append((uid, Upload.of(t, kind, cid, has_address=has_address, photos=photos,
                                         remarks_ok=remarks_ok, ref=key)))
    with transaction(engine, admin) as session:
        session.execute(insert(VisitUpload), records)
    for month in (2, 3):
        with read_session(engine) as session:
            from_db = run_month(session, policy, 2027, month)
            people, custs = load_people(session), load_customers(session)
        pure = tally_month(policy, 2027, month, people, custs, group_uploads(pairs))
        assert _figures(from_db) == _figures(pure)
        assert sum(pm.uploads for pm in pure.people) > 100 and sum(pm.void_uploads for pm in pure.people) > 10
