"""Shared set-up of the visit benchmarks: a company of 200 staff and 20,000 customers in a fresh database."""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

ROLES = [("商团部", "商超业务员", None), ("商团部", "团购业务员", None), ("流通部", "联营体分销代表", "南坊片区"),
         ("流通部", "联营体分销代表", "河东片区"), ("流通部", "流通客户业务代表", None), ("餐饮部", "餐饮业务员", None)]


def fresh_database(url: str | None):
    """An engine on an empty, migrated database: a temporary SQLite file unless ``url`` is given (a PostgreSQL
    database whose name contains "bench": it is emptied)."""
    if url is None:
        home = Path(tempfile.mkdtemp(prefix="crm-visits-bench-"))
        os.environ["CRM_HOME"] = str(home)
        url = f"sqlite:///{home / 'bench.db'}"
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine

    engine = make_engine(url)
    if not migrate.is_empty(engine):
        from sqlalchemy import text

        if "bench" not in (engine.url.database or ""):
            raise SystemExit(f"refusing to empty {engine.url.database!r}: use a database named *bench*")
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate.upgrade(engine)
    return engine, url


def make_company(engine, staff: int = 200, customers: int = 20000, seed: int = 7):
    """Departments, ``staff`` salespeople over the policy's roles, ``customers`` customers spread over them.
    Returns (user ids, {user id: [customer ids]}, customer codes by id, names of staff)."""
    from sqlalchemy import insert

    from crm_tui.core.actor import SYSTEM
    from crm_tui.db.models.customers import Customer
    from crm_tui.db.models.people import User
    from crm_tui.db.session import transaction
    from crm_tui.services.admin import departments

    rng = random.Random(seed)
    with transaction(engine, SYSTEM) as session:
        dept = {name: departments.ensure_path(session, SYSTEM, f"销售部/{name}") for name in ("商团部", "流通部", "餐饮部")}
        users = []
        for i in range(staff):
            d, role, area = ROLES[i % len(ROLES)]
            users.append({"login": f"u{i:04d}", "display_name": f"员工{i:04d}", "role": "salesperson", "active": True,
                          "staff_number": f"E{i:04d}", "department_id": dept[d], "position": role, "area": area,
                          "version": 1})
        session.execute(insert(User), users)
        ids = [u.id for u in session.query(User).filter(User.login.like("u%")).order_by(User.id)]
        rows = [{"code": f"K{c:06d}", "name": f"客户{c:06d}", "owner_id": ids[c % staff],
                 "classification": "县城" if rng.random() < 0.1 else None, "status": "active", "version": 1}
                for c in range(customers)]
        session.execute(insert(Customer), rows)
        owned: dict[int, list[int]] = {}
        codes = {}
        for cid, code, owner in session.query(Customer.id, Customer.code, Customer.owner_id):
            owned.setdefault(owner, []).append(cid)
            codes[cid] = code
    return ids, owned, codes


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: ru_maxrss carries over the peak of the
    parent that started the process (the bench's build), VmHWM starts afresh with the new program."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
