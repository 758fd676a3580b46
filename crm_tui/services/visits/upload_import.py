"""Import of the mobile app's upload export (拜访巡店上传记录) into the visit log.

Headers: 业务员 (name, 工号 or login), 上传时间, 客户编号, 客户名称, 地址, 照片数, 类型, 备注 — aliases accepted,
columns in any order, through the shared spreadsheet framework (crm_tui.io). The whole file is checked first;
any bad row (unreadable cell, unknown staff member, a new row on a published day) means nothing is written,
and every bad row is reported. Then one transaction inserts the rows in bulk (executemany of plain tuples on
the session's connection), ON CONFLICT DO NOTHING on the row's identity (person, time, kind, customer), so
re-importing the same rows adds nothing.

A row whose customer is not in the CRM is stored as it is — the tally counts it void ("unknown customer").
A 帮送喜宴 row (an event kind of the policy) is stored as an event, not an upload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.people import User
from crm_tui.db.models.visits import VisitEvent, VisitImport, VisitUpload
from crm_tui.i18n import _, n_
from crm_tui.io import cells
from crm_tui.io.importing import FieldSpec, ImportResult, ParsedRow, read_and_validate
from crm_tui.services.admin.permissions import require
from crm_tui.services.common import audit
from crm_tui.services.visits.calendar import DAY, day_of
from crm_tui.services.visits.customers import CustomerIndex, customer_key, norm
from crm_tui.services.visits.policy import Policy, load_policy
from crm_tui.services.visits.publish import MANAGE, frozen_period_of, frozen_periods
from crm_tui.services.visits.tally import NEW_CUSTOMER, VISIT, new_customer_remarks_ok

Progress = Callable[[str, int, int], None]
INSERT_CHUNK = 5000

VISIT_LABELS = ("拜访", "巡店", "拜访巡店", "visit")
NEW_CUSTOMER_LABELS = ("新客户(终端)开发", "新客户开发", "新客户", "新终端开发", "new customer")


def kind_parser(policy: Policy) -> Callable[[Any], Any]:
    """类型 → VISIT, NEW_CUSTOMER, or an event kind of the policy (a str such as 帮送喜宴)."""
    choices: dict[str, Any] = {label: VISIT for label in VISIT_LABELS}
    choices.update({label: NEW_CUSTOMER for label in NEW_CUSTOMER_LABELS})
    for kind in sorted(policy.event_kinds):
        choices[kind] = kind
    if "帮送喜宴" in policy.event_kinds:
        choices.setdefault("送喜宴", "帮送喜宴")
    return cells.one_of(choices)


def memo(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The same cell parsed once: an export repeats its staff, customers, addresses and kinds on every row."""
    cache: dict[Any, Any] = {}

    def parsed(raw: Any) -> Any:
        if raw.__class__ is bool:   # True == 1: keep booleans out of the cache
            return parse(raw)
        try:
            return cache[raw]
        except KeyError:
            value = cache[raw] = parse(raw)   # a CellError is raised, never cached
            return value

    parsed.__name__ = getattr(parse, "__name__", "parse")
    return parsed


def specs(policy: Policy) -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("staff", "业务员", ("业务员姓名", "姓名", "员工", "员工姓名", "人员", "工号", "上传人", "拜访人",
                                     "staff", "salesperson"), memo(cells.text), required=True),
        FieldSpec("at", "上传时间", ("时间", "上传日期", "日期时间", "提交时间", "upload time", "time"),
                  cells.datetime, required=True),
        # 不能补签: when the export gives the visit's own time, it must be on the day of the upload.
        FieldSpec("visited", "拜访时间", ("签到时间", "到店时间", "拜访日期", "visit time"), cells.datetime),
        FieldSpec("code", "客户编号", ("编号", "客户代码", "客户编码", "终端编号", "customer code", "code"),
                  memo(cells.code_text)),
        FieldSpec("name", "客户名称", ("客户", "终端名称", "门店名称", "店名", "customer name", "customer"),
                  memo(cells.text_max(200))),
        FieldSpec("address", "地址", ("客户地址", "上传地址", "定位地址", "位置", "address"), memo(cells.text)),
        FieldSpec("photos", "照片数", ("照片数量", "照片", "图片数", "照片张数", "photos"),
                  memo(cells.nonnegative(cells.integer))),
        FieldSpec("kind", "类型", ("上传类型", "拜访类型", "kind", "type"), memo(kind_parser(policy))),
        FieldSpec("remarks", "备注", ("说明", "remarks", "note", "notes"), memo(cells.multiline_text)),
    )


# A row to insert, as a tuple in this order (events use the first seven and remarks).
COLUMNS = ("user_id", "at", "kind", "customer_key", "customer_code", "customer_name", "customer_id", "address",
           "has_address", "photos", "remarks", "remarks_ok", "backdated", "late")
USER, AT, KIND, KEY, CUSTOMER, REMARKS, LATE = 0, 1, 2, 3, 6, 10, 13
EVENT_COLUMNS = ("user_id", "at", "kind", "customer_key", "customer_code", "customer_name", "customer_id",
                 "remarks")


@dataclass
class ImportSummary:
    file: str
    rows_read: int = 0
    uploads_added: int = 0
    events_added: int = 0
    repeated: int = 0               # rows already in the log (or repeated in the file)
    unknown_customers: int = 0      # rows naming no customer of the CRM: void when tallied
    skipped_frozen: int = 0
    late: int = 0                   # new rows on days of a published week or month: void until it is reopened
    backdated: int = 0              # visit time and upload time on different days: void
    staff: int = 0
    first_day: date | None = None
    last_day: date | None = None
    import_id: int | None = None
    warnings: list[str] = field(default_factory=list)


class ImportRejected(ValidationError):
    """The file has bad rows; nothing was written. ``result`` holds every row and its errors."""

    def __init__(self, result: ImportResult, shown: int = 30):
        lines = result.error_lines()
        head = n_("{file}: {n} bad row, nothing imported.", "{file}: {n} bad rows, nothing imported.",
                  len(result.bad_rows)).format(file=result.file, n=len(result.bad_rows))
        more = [_("… and {n} more").format(n=len(lines) - shown)] if len(lines) > shown else []
        super().__init__("\n".join([head, *lines[:shown], *more]))
        self.result = result


class StaffIndex:
    """业务员 as written: 工号, login, or a display name only one user has."""

    def __init__(self, session: Session):
        self.by_key: dict[str, int | None] = {}
        rows = session.execute(select(User.id, User.staff_number, User.login, User.display_name))
        names: dict[str, int | None] = {}
        for uid, number, login, name in rows:
            if number:
                self.by_key[norm(number)] = uid
            self.by_key.setdefault(norm(login), uid)
            key = norm(name)
            names[key] = None if key in names else uid
        for key, uid in names.items():
            self.by_key.setdefault(key, uid)
        self.ambiguous = {k for k, v in names.items() if v is None}

    def find(self, text: str) -> int | None:
        return self.by_key.get(norm(text))


def import_uploads(session: Session, actor: Actor, path: str | Path, *, policy: Policy | None = None,
                   skip_frozen: bool = False, progress: Progress | None = None) -> ImportSummary:
    """Check the whole file, then write it in this session's transaction. Raises ImportRejected."""
    require(actor, MANAGE)
    policy = policy or load_policy()
    path = Path(path)
    read_progress = (lambda done, total: progress(_("Reading"), done, total)) if progress else None
    result = read_and_validate(path, specs(policy), progress=read_progress)
    summary = ImportSummary(file=path.name, rows_read=len(result.rows))
    rows = _resolve(session, result, summary)
    rows = _check_frozen(session, result, rows, summary, skip_frozen)
    if not result.ok:
        raise ImportRejected(result)
    _write(session, actor, path.name, rows, summary, progress)
    return summary


def _resolve(session: Session, result: ImportResult, summary: ImportSummary) -> list[tuple[ParsedRow, tuple]]:
    """Each good row → the tuple to insert (COLUMNS); unknown staff are errors on the row."""
    staff = StaffIndex(session)
    index = CustomerIndex(session)
    find_staff: dict[str, int | None] = {}
    find_customer: dict[tuple, tuple[int | None, str]] = {}
    out = []
    epoch = datetime(1970, 1, 1)
    for row in result.good_rows:
        v = row.values
        who = v["staff"]
        uid = find_staff.get(who, -1)
        if uid == -1:
            uid = find_staff[who] = staff.find(who)
        if uid is None:
            message = (_("several users are called {name}; write the staff number (工号)") if norm(who)
                       in staff.ambiguous else _("no staff member {name} (write a name, 工号 or login)"))
            result.reject(row, message.format(name=who), "staff")
            continue
        kind = v.get("kind") or VISIT
        code, name = v.get("code"), v.get("name")
        moment = v["at"] - epoch
        at = moment.days * DAY + moment.seconds    # wall-clock seconds (calendar.to_seconds, inlined)
        remarks = v.get("remarks")
        found = find_customer.get((code, name))
        if found is None:
            found = find_customer[(code, name)] = (index.find(code, name), customer_key(code, name))
        customer, key = found
        if kind == NEW_CUSTOMER:
            customer = None   # a new-customer upload is its own customer
        elif customer is None and kind == VISIT:
            summary.unknown_customers += 1
        address = v.get("address")
        visited = v.get("visited")
        backdated = visited is not None and visited.date() != v["at"].date()
        summary.backdated += backdated and not isinstance(kind, str)
        out.append((row, (uid, at, kind, key, code, name, customer,
                          address[:300] if address else None, bool(address), v.get("photos") or 0, remarks,
                          kind == NEW_CUSTOMER and new_customer_remarks_ok(remarks), backdated, False)))
    summary.staff = len({uid for uid in find_staff.values() if uid is not None})
    if out:
        summary.first_day = day_of(min(r[AT] for _row, r in out) // DAY)
        summary.last_day = day_of(max(r[AT] for _row, r in out) // DAY)
    return out


def _check_frozen(session: Session, result: ImportResult, rows: list[tuple[ParsedRow, tuple]],
                  summary: ImportSummary, skip: bool) -> list[tuple[ParsedRow, tuple]]:
    """A row that is new on a day of a published week or month would change a frozen tally: it is kept but
    marked late (void, with its reason, until the period is reopened), or skipped with ``skip``."""
    if not rows:
        return rows
    periods = frozen_periods(session, summary.first_day, summary.last_day)
    if not periods:
        return rows
    touched = [(row, rec, p) for row, rec in rows
               if (p := frozen_period_of(periods, day_of(rec[AT] // DAY))) is not None]
    if not touched:
        return rows
    known = _existing_keys(session, touched)
    keep, dropped, late = [], set(), set()
    for row, rec, period in touched:
        key = _key(rec)
        if key in known:
            continue   # already in the log: a repeat adds nothing, the frozen tally stays right
        if skip:
            dropped.add(id(row))
            summary.skipped_frozen += 1
        elif not isinstance(rec[KIND], str):   # an event on a frozen day is refused below (credits, no void)
            late.add(id(row))
            summary.late += 1
        else:
            result.reject(row, _("{period} is published and frozen; reopen it first or skip such rows").format(
                period=period.label), "at")
    for row, rec in rows:
        if id(row) in late:
            keep.append((row, (*rec[:LATE], True)))
        elif id(row) not in dropped:
            keep.append((row, rec))
    return keep


def _key(rec: tuple) -> tuple:
    return rec[USER], rec[AT], rec[KIND], rec[KEY]


def _existing_keys(session: Session, touched) -> set[tuple]:
    known: set[tuple] = set()
    users = {rec[USER] for _r, rec, _p in touched}
    lo = min(rec[AT] for _r, rec, _p in touched)
    hi = max(rec[AT] for _r, rec, _p in touched)
    for model in (VisitUpload, VisitEvent):
        stmt = select(model.user_id, model.at, model.kind, model.customer_key).where(
            model.user_id.in_(sorted(users)), model.at >= lo, model.at <= hi)
        known.update((u, a, k, c) for u, a, k, c in session.execute(stmt))
    return known


def _insert_ignoring_repeats(session: Session, table: str, columns: tuple[str, ...], rows: list[tuple],
                             progress: Progress | None, done: int, total: int) -> int:
    """Returns how many rows were added. Bulk insert through the connection's DB-API cursor (executemany of plain tuples: no per-row parameter
    processing); a row whose identity is already there is skipped by ON CONFLICT DO NOTHING, on SQLite and
    PostgreSQL alike."""
    if not rows:
        return 0
    conn = session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))}) "
           f"ON CONFLICT (user_id, at, kind, customer_key) DO NOTHING")
    cursor = conn.connection.cursor()
    added = 0
    try:
        for i in range(0, len(rows), INSERT_CHUNK):
            cursor.executemany(sql, rows[i:i + INSERT_CHUNK])
            added += max(0, cursor.rowcount)   # rows inserted; the skipped repeats do not count
            done += min(INSERT_CHUNK, len(rows) - i)
            if progress:
                progress(_("Writing"), done, total)
    finally:
        cursor.close()
    return added


def _write(session: Session, actor: Actor, file_name: str, rows: list[tuple[ParsedRow, tuple]],
           summary: ImportSummary, progress: Progress | None) -> None:
    batch = VisitImport(file_name=file_name[:255], user_id=actor.id, rows_read=summary.rows_read)
    session.add(batch)
    session.flush()
    bid = batch.id
    uploads = [(*rec, bid) for _row, rec in rows if not isinstance(rec[KIND], str)]
    events = [(*rec[:7], rec[REMARKS], bid) for _row, rec in rows if isinstance(rec[KIND], str)]
    total = len(uploads) + len(events)
    summary.uploads_added = _insert_ignoring_repeats(session, "visit_uploads", (*COLUMNS, "import_id"), uploads,
                                                     progress, 0, total)
    summary.events_added = _insert_ignoring_repeats(session, "visit_events", (*EVENT_COLUMNS, "import_id"), events,
                                                    progress, len(uploads), total)
    summary.repeated = len(rows) - summary.uploads_added - summary.events_added
    summary.import_id = bid
    batch.uploads_added, batch.events_added, batch.repeated = (summary.uploads_added, summary.events_added,
                                                               summary.repeated)
    if rows:
        batch.first_at = min(r[AT] for _row, r in rows)
        batch.last_at = max(r[AT] for _row, r in rows)
    audit.record(session, "visit_imports", bid, "import",
                 {"file": file_name, "rows": summary.rows_read, "uploads_added": summary.uploads_added,
                  "events_added": summary.events_added, "repeated": summary.repeated,
                  "unknown_customers": summary.unknown_customers, "skipped_frozen": summary.skipped_frozen,
                  "late": summary.late, "backdated": summary.backdated})
