"""Writing an import plan, and undoing the last import.

Bulk paths use Core statements with executemany, never an ORM object per row (100,000 ORM objects cost
seconds before the database sees them). Everything happens in the caller's transaction; the batch records,
per customer, whether it was created or what an update replaced, so ``undo_last_import`` can put it back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_tui.core import clock, pinyin
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound
from crm_tui.db import bulk, search
from crm_tui.db.base import utcnow
from crm_tui.db.models.customers import (
    Contact,
    ContactLog,
    Customer,
    CustomerImportBatch,
    CustomerImportItem,
    CustomerSearch,
)
from crm_tui.i18n import _, n_
from crm_tui.services.admin import permissions
from crm_tui.services.common import audit
from crm_tui.services.customers.import_plan import CUSTOMER_KEYS, ImportPlan, RowPlan
from crm_tui.services.customers.imports_rows import RowBuilder
from crm_tui.services.customers.records import next_codes

CHUNK = 900
ANALYZE_AFTER = 10_000  # rows written by one import
BULK_REINDEX_AFTER = 10_000  # new customers, when also more than there are: indexes rebuilt instead of updated
STEP = 10_000  # new customers built, then written, while SQLite indexes the step before
# New customers from which their search rows wait for search.catch_up (run by the caller after the commit)
# instead of being indexed in the import's transaction. Indexing is most of the write phase (SQLite: FTS5
# trigram and grams; PostgreSQL: two GIN indexes), while fewer rows index in a blink (SQLite ~0.1 s for 1,000)
# and an import that small should leave nothing behind it to do.
DEFER_INDEX_FROM = 1_000
Progress = Callable[[int, int], None] | None


def _chunks(values: list, size: int = CHUNK):
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _contact_values(v: dict) -> dict:
    """The primary contact's columns from a row: 电话 holding a mobile fills 手机 when that is empty."""
    phone, mobile = v.get("phone"), v.get("mobile")
    out = {"mobile": mobile, "landline": phone, "email": v.get("email"), "name": v.get("contact")}
    if phone and not mobile and "-" not in phone:
        out["mobile"], out["landline"] = phone, None
    return {k: val for k, val in out.items() if val is not None}


def write_plan(session: Session, actor: Actor, plan: ImportPlan, file_name: str, progress: Progress = None,
               rows: RowBuilder | None = None) -> int:
    """Write the plan's good rows; returns the import batch id. ``rows`` builds the derived columns (in
    worker processes for a large import, see imports_rows.py); by default in this process."""
    conn = session.connection()
    now = utcnow()
    batch_id = conn.execute(insert(CustomerImportBatch.__table__).values(
        file_name=file_name, user_id=actor.id, created_at=now, created_count=0, updated_count=0)
        .returning(CustomerImportBatch.id)).scalar_one()
    creates = [p for p in plan.rows if p.action == "create"]
    updates = [p for p in plan.rows if p.action == "update"]
    total = len(creates) + len(updates)
    if progress:
        progress(0, total)
    created = _create(conn, session, creates, batch_id, now, progress, total, rows or RowBuilder())
    updated = _update(conn, session, updates, batch_id, now)
    if progress:
        progress(total, total)
    conn.execute(update(CustomerImportBatch).where(CustomerImportBatch.id == batch_id)
                 .values(created_count=created, updated_count=updated))
    if conn.dialect.name == "postgresql" and created + updated >= ANALYZE_AFTER:
        # fresh statistics, or the planner keeps plans made for the small table (measured: a first list page
        # at 0.4 s instead of 0.2 ms after 200,000 imported rows until autovacuum got round to it);
        # customer_search's after search.catch_up, when the new customers' rows wait for it
        indexed_here = created < DEFER_INDEX_FROM or updated >= ANALYZE_AFTER
        conn.exec_driver_sql("ANALYZE customers, contacts" + (", customer_search" if indexed_here else ""))
    audit.record(session, "customer_import_batches", batch_id, "import",
                 {"file": file_name, "created": created, "updated": updated})
    return batch_id


CUSTOMER_COLUMNS = ("id", "code", "name", "name_key", "name_pinyin", "name_initials", "short_name",
                    "classification", "industry", "area", "address", "credit_code", "credit_limit",
                    "opening_balance", "owner_id", "status", "created_on", "remarks", "version", "created_at",
                    "updated_at", "promotion_store")
NEW_CONTACT_COLUMNS = ("customer_id", "is_primary", "name", "mobile", "landline", "email", "version",
                       "created_at", "updated_at")
ITEM_COLUMNS = ("batch_id", "customer_id", "action", "version_after")


def _create(conn, session, plans: list[RowPlan], batch_id: int, now, progress: Progress, total: int,
            rows: RowBuilder) -> int:
    """Insert the new customers, their primary contacts, search rows and undo items, a step at a time. A large
    import's search rows go to the pending table (``DEFER_INDEX_FROM``); a smaller one's are indexed here, SQLite
    indexing one step's on another thread while the next step's rows are built (by ``rows``' worker processes,
    when it has them, ahead of the writing)."""
    if not plans:
        return 0
    given = {p.row.values["code"] for p in plans if p.row.values.get("code")}
    fresh = iter(next_codes(session, sum(1 for p in plans if not p.row.values.get("code")), given))
    codes = [p.row.values.get("code") or next(fresh) for p in plans]
    contacts = [_contact_values(p.row.values) for p in plans]
    built = rows.built([_source(p.row.values, code, contact) for p, code, contact in zip(plans, codes, contacts,
                                                                                        strict=True)])
    ids = bulk.reserve_ids(conn, Customer.__table__, len(plans))
    rebuild = len(plans) >= max(BULK_REINDEX_AFTER, ids[0] - 1)
    defer = len(plans) >= DEFER_INDEX_FROM
    with bulk.large_cache(conn), \
            bulk.indexes_deferred(conn, (Customer.__table__, Contact.__table__, CustomerSearch.__table__),
                                  enabled=rebuild), \
            (search.PendingWriter(conn) if defer else search.bulk_documents(conn)) as documents:
        for start in range(0, len(plans), STEP):
            end = start + STEP
            part_ids = ids[start:end]
            customer_rows, contact_rows, docs = _new_rows(plans[start:end], part_ids, codes[start:end],
                                                          contacts[start:end], islice(built, len(part_ids)), now)
            documents.ready()
            bulk.insert_rows(conn, Customer.__table__, CUSTOMER_COLUMNS, customer_rows)
            bulk.insert_rows(conn, Contact.__table__, NEW_CONTACT_COLUMNS, contact_rows)
            bulk.insert_rows(conn, CustomerImportItem.__table__, ITEM_COLUMNS,
                             [(batch_id, cid, "create", 1) for cid in part_ids])
            documents.add(docs)
            if progress:  # the rest (the last step's index, indexes rebuilt, updates) is the last tenth
                progress((start + len(part_ids)) * 9 // 10, total)
    return len(plans)


def _source(v: dict, code: str, contact: dict) -> tuple:
    """What the pinyin and search columns are built from (imports_rows.Source)."""
    name, short_name = v["name"], v.get("short_name")
    people = ()
    if contact:
        people = ((contact.get("name") or short_name or name, contact.get("mobile"), contact.get("landline")),)
    return code, name, short_name, v.get("address"), v.get("credit_code"), people


def _new_rows(plans: list[RowPlan], ids: list[int], codes: list[str], contacts: list[dict], built,
              now) -> tuple[list, list, list]:
    """(customer rows, contact rows, search rows) in the column orders above."""
    today = clock.today()
    name_key = search.name_key
    customers, contact_rows, docs = [], [], []
    for p, cid, code, contact, (py, initials, doc, grams) in zip(plans, ids, codes, contacts, built,
                                                                 strict=True):
        v = p.row.values
        name, short_name = v["name"], v.get("short_name")
        customers.append((cid, code, name, p.name_key or name_key(name), py, initials, short_name,
                          v.get("classification") or None, v.get("industry"), v.get("area"), v.get("address"),
                          v.get("credit_code"), v.get("credit_limit"), v.get("opening_balance"), p.owner_id,
                          "active", v.get("created_on") or today, v.get("remarks"), 1, now, now,
                          v.get("promotion_store")))
        if contact:
            contact_rows.append((cid, True, contact.get("name") or short_name or name, contact.get("mobile"),
                                 contact.get("landline"), contact.get("email"), 1, now, now))
        docs.append((cid, doc, grams))
    return customers, contact_rows, docs


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


CONTACT_FIELDS = ("name", "mobile", "landline", "email")


def _update(conn, session, plans: list[RowPlan], batch_id: int, now) -> int:
    """Update matched customers with the file's non-empty cells; rows that change nothing become skips."""
    if not plans:
        return 0
    changed_ids: list[int] = []
    items: list[dict] = []
    groups: dict[tuple, list[dict]] = {}
    contact_rows_new, contact_groups = [], {}
    for part in _chunks(plans):
        ids = [p.customer_id for p in part]
        current = {r.id: r for r in conn.execute(select(Customer).where(Customer.id.in_(ids)))}
        primaries = {r.customer_id: r for r in conn.execute(
            select(Contact).where(Contact.customer_id.in_(ids), Contact.is_primary.is_(True)))}
        for p in part:
            cur = current[p.customer_id]
            changes = _customer_changes(p, cur)
            contact_change, contact_before = _contact_changes(p, primaries.get(p.customer_id))
            if not changes and not contact_change:
                p.action = "skip"
                continue
            before = {"customer": {k: _jsonable(getattr(cur, k)) for k in changes}}
            if "name" in changes:
                changes["name_pinyin"], changes["name_initials"] = pinyin.name_fields(changes["name"])
                changes["name_key"] = search.name_key(changes["name"])
            if changes:
                key = tuple(sorted(changes))
                groups.setdefault(key, []).append({"cid": cur.id, **changes})
            if contact_change:
                primary = primaries.get(p.customer_id)
                if primary is None:
                    contact_change.setdefault("name", changes.get("short_name") or cur.short_name or cur.name)
                    contact_rows_new.append({"customer_id": cur.id, "is_primary": True, "version": 1,
                                             "created_at": now, "updated_at": now, "mobile": None,
                                             "landline": None, "email": None, **contact_change})
                    before["contact_created"] = True
                else:
                    key = tuple(sorted(contact_change))
                    contact_groups.setdefault(key, []).append({"pid": primary.id, **contact_change})
                    before["contact"] = contact_before
            changed_ids.append(cur.id)
            items.append({"batch_id": batch_id, "customer_id": cur.id, "action": "update",
                           "version_after": cur.version + 1, "before": json.dumps(before, ensure_ascii=False)})
            audit.record(session, "customers", cur.id, "import update",
                         {k: [before["customer"].get(k), _jsonable(v)] for k, v in changes.items()
                          if k in CUSTOMER_KEYS or k == "owner_id"})
    for key, params in groups.items():
        stmt = (update(Customer).where(Customer.id == bindparam("cid"))
                .values({**{k: bindparam(k) for k in key}, "version": Customer.version + 1, "updated_at": now}))
        conn.execute(stmt.execution_options(synchronize_session=False), params)
    for key, params in contact_groups.items():
        stmt = (update(Contact).where(Contact.id == bindparam("pid"))
                .values({**{k: bindparam(k) for k in key}, "version": Contact.version + 1, "updated_at": now}))
        conn.execute(stmt.execution_options(synchronize_session=False), params)
    # customers whose only change was their contact still move to the next version (for undo's check)
    only_contact = [i["customer_id"] for i in items
                    if not json.loads(i["before"])["customer"]]
    for part in _chunks(only_contact):
        conn.execute(update(Customer).where(Customer.id.in_(part))
                     .values(version=Customer.version + 1, updated_at=now)
                     .execution_options(synchronize_session=False))
    if contact_rows_new:
        conn.execute(insert(Contact.__table__), contact_rows_new)
    if items:
        conn.execute(insert(CustomerImportItem.__table__), items)
    search.refresh(conn, changed_ids)
    return len(changed_ids)


def _customer_changes(p: RowPlan, cur) -> dict[str, Any]:
    v = p.row.values
    changes = {}
    for key in CUSTOMER_KEYS:
        value = v.get(key)
        if key == "classification" and value == "":
            value = None
        if value is not None and value != getattr(cur, key):
            changes[key] = value
    if p.owner_given and p.owner_id != cur.owner_id:
        changes["owner_id"] = p.owner_id
    return changes


def _contact_changes(p: RowPlan, primary) -> tuple[dict, dict | None]:
    wanted = _contact_values(p.row.values)
    if primary is None:
        return wanted, None
    change = {k: val for k, val in wanted.items() if getattr(primary, k) != val}
    return change, {"id": primary.id, **{k: getattr(primary, k) for k in change}}


# --- undo ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UndoSummary:
    batch_id: int
    file: str
    removed: int
    restored: int


DECODE = {"credit_limit": Decimal, "opening_balance": Decimal, "created_on": date.fromisoformat}


def last_batch(session: Session) -> CustomerImportBatch | None:
    return session.scalar(select(CustomerImportBatch).where(CustomerImportBatch.undone_at.is_(None))
                          .order_by(CustomerImportBatch.id.desc()).limit(1))


def undo_last_import(session: Session, actor: Actor) -> UndoSummary:
    """Remove the customers the last import created and restore those it updated. Refused, with nothing
    changed, when any of them has been changed or contacted since."""
    permissions.require(actor, "customers.import")
    batch = last_batch(session)
    if batch is None:
        raise NotFound(_("There is no import to undo."))
    items = session.execute(select(CustomerImportItem).where(CustomerImportItem.batch_id == batch.id)).scalars().all()
    _check_untouched(session, items)
    conn = session.connection()
    created = [i.customer_id for i in items if i.action == "create"]
    try:
        with session.begin_nested():
            for part in _chunks(created):
                conn.execute(delete(Customer).where(Customer.id.in_(part)))
    except IntegrityError as exc:
        raise ConflictError(_("Some imported customers are used by documents now; the import cannot be undone."))\
            from exc
    restored = [i for i in items if i.action == "update"]
    for item in restored:
        _restore(conn, item)
    search.refresh(conn, [i.customer_id for i in restored])
    conn.execute(update(CustomerImportBatch).where(CustomerImportBatch.id == batch.id).values(undone_at=utcnow()))
    audit.record(session, "customer_import_batches", batch.id, "undo",
                 {"file": batch.file_name, "removed": len(created), "restored": len(restored)})
    session.expire_all()
    return UndoSummary(batch.id, batch.file_name, len(created), len(restored))


def _check_untouched(session: Session, items) -> None:
    """Every customer still at the version the import left, and none it created contacted since."""
    expected = {i.customer_id: i.version_after for i in items}
    created = [i.customer_id for i in items if i.action == "create"]
    changed: list[str] = []
    for part in _chunks(list(expected)):
        for cid, code, version in session.execute(select(Customer.id, Customer.code, Customer.version)
                                                  .where(Customer.id.in_(part))):
            if version != expected[cid]:
                changed.append(code)
    for part in _chunks(created):
        logged = session.scalars(select(Customer.code).join(ContactLog, ContactLog.customer_id == Customer.id)
                                 .where(Customer.id.in_(part)).group_by(Customer.code))
        changed += [c for c in logged if c not in changed]
    if changed:
        shown = ", ".join(changed[:10]) + (" …" if len(changed) > 10 else "")
        raise ConflictError(n_("{n} customer of the last import was changed or contacted since ({codes}); "
                               "the import cannot be undone.",
                               "{n} customers of the last import were changed or contacted since ({codes}); "
                               "the import cannot be undone.", len(changed)).format(n=len(changed), codes=shown))


def _restore(conn, item) -> None:
    before = json.loads(item.before)
    values = {k: (DECODE[k](v) if k in DECODE and v is not None else v) for k, v in before["customer"].items()}
    if "name" in values:
        values["name_pinyin"], values["name_initials"] = pinyin.name_fields(values["name"])
        values["name_key"] = search.name_key(values["name"])
    conn.execute(update(Customer).where(Customer.id == item.customer_id)
                 .values(**values, version=Customer.version + 1, updated_at=utcnow()))
    if before.get("contact_created"):
        first = conn.execute(select(func.min(Contact.id)).where(Contact.customer_id == item.customer_id,
                                                                Contact.is_primary.is_(True))).scalar()
        conn.execute(delete(Contact).where(Contact.id == first))
    elif before.get("contact"):
        old = dict(before["contact"])
        pid = old.pop("id")
        conn.execute(update(Contact).where(Contact.id == pid).values(**old, version=Contact.version + 1))
