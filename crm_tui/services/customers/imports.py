"""Importing customers from .xlsx, .xls or .csv: read, validate the whole file, match, then write in one go.

1. ``read_customer_file`` reads and parses every row with the io framework (headers found under title rows,
   aliases, cells normalised; every bad cell collected).
2. ``plan_import`` looks each good row up in the database: the salesperson (业务员 by 工号, login or display
   name), and the existing customer it matches — by code, then credit code, then normalised name. What to do
   with a match is ``on_duplicate``: ``error`` (the row is rejected), ``skip`` or ``update``.
3. ``write_plan`` (imports_write.py) writes the plan in the caller's transaction with Core inserts
   and records an import batch so that the last import can be undone.

``import_customers`` runs the three for the CLI and the interface: by default nothing is written when any
row is bad; ``skip_invalid`` writes the good rows; ``dry_run`` only reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.i18n import _
from crm_tui.io import cells
from crm_tui.io.cells import CellError
from crm_tui.io.importing import FieldSpec, ImportResult, RowError, read_and_validate
from crm_tui.services.admin import permissions
from crm_tui.services.customers import fields as F
from crm_tui.services.customers.import_plan import ImportPlan, RowPlan
from crm_tui.services.customers.visibility import can_see_owner

DUPLICATE_MODES = ("skip", "update", "error")
LOOKUP_CHUNK = 900  # below SQLite's default limit of bound parameters


def _code(raw: Any) -> str:
    try:
        return F.clean_code(F.float_text(raw))  # "1001.0" from a CSV written by a program is 1001
    except ValueError as exc:
        raise CellError(str(exc)) from None


def _labels(raw: Any) -> str:
    return F.labels(raw) or ""


def _promotion_store(raw: Any) -> str | None:
    return F.promotion_store(raw) if F.text(raw) else None


_owner_text = cells.text_max(100)
_contact_text = cells.text_max(64)


def _contact(raw: Any) -> str:
    """联系人: two names on two lines are two people (张三、李四), not one name 张三李四 as in a company name."""
    if raw.__class__ is str and ("\n" in raw or "\r" in raw):
        raw = "、".join(line.strip() for line in raw.splitlines() if line.strip())
    return _contact_text(raw)


def _owner(raw: Any) -> str:
    """业务员 as written; 无 / - / 暂无 mean none given (as an empty cell), not a user called 无."""
    return "" if cells.is_placeholder(raw) else _owner_text(raw)


# The canonical headers are those of the export (customer_export.py): an export edits and imports back.
SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("code", "客户编号", ("编号", "客户代码", "客户编码", "code", "customer code", "customer no"), _code,
              unique=True, kind="text"),
    FieldSpec("name", "客户名称", ("名称", "客户", "公司名称", "客户全称", "单位名称", "name", "customer",
                                   "customer name", "company", "company name"), cells.text_max(200),
              required=True, unique=cells.normalize_key, weak_aliases=("购方企业名称", "购方名称", "购买方名称")),
    FieldSpec("short_name", "简称", ("客户简称", "short name", "abbreviation"), cells.text_max(100)),
    FieldSpec("contact", "联系人", ("联系人姓名", "contact", "contact name", "contact person"), _contact),
    # weak_aliases mean the field only when no other column of the sheet does (see io/headers.py)
    FieldSpec("mobile", "手机", ("手机号码", "手机号", "移动电话", "mobile", "mobile phone", "mobile no",
                                 "mobile number", "cell", "cellphone"), F.clean_mobile, kind="text",
              weak_aliases=("联系人手机", "联系人手机号", "联系手机")),
    # 联系方式 and 电话/手机 hold either kind of number; a mobile in 电话 goes to 手机 when that is empty
    FieldSpec("phone", "电话", ("固定电话", "座机", "联系电话", "电话号码", "phone", "tel", "telephone", "tel no",
                                "phone number", "landline"), F.clean_phone, kind="text",
              weak_aliases=("联系方式", "电话/手机", "手机/电话", "联系人电话", "办公电话")),
    FieldSpec("email", "邮箱", ("电子邮箱", "电子邮件", "邮箱地址", "电子邮箱地址", "email", "e-mail", "mail",
                                "email address"), cells.email, weak_aliases=("联系人邮箱",)),
    FieldSpec("address", "地址", ("详细地址", "联系地址", "公司地址", "address"), cells.text_max(300),
              weak_aliases=("单位地址", "通讯地址", "经营地址")),
    FieldSpec("area", "片区", ("所属片区", "区域", "销售区域", "area", "region", "territory"), cells.text_max(64),
              weak_aliases=("所属区域", "销售片区")),
    FieldSpec("industry", "行业", ("所属行业", "industry"), cells.text_max(64), weak_aliases=("行业类别",)),
    FieldSpec("classification", "客户分类", ("分类", "客户类别", "类别", "classification", "category", "class"),
              _labels, weak_aliases=("客户类型", "客户等级")),
    FieldSpec("promotion_store", "促销店", ("促销店类型", "促销门店", "促销店铺", "promotion store"),
              _promotion_store, weak_aliases=("促销",)),
    FieldSpec("owner", "业务员", ("销售员", "负责人", "业务代表", "所属业务员", "owner", "salesperson",
                                  "sales rep"), _owner),
    FieldSpec("credit_limit", "信用额度", ("credit limit",), cells.nonnegative(cells.money), kind="money"),
    FieldSpec("opening_balance", "期初余额", ("期初应收", "opening balance"), cells.money, kind="money"),
    FieldSpec("created_on", "建档日期", ("创建日期", "建档时间", "created", "created on", "date"), cells.date,
              kind="date"),
    FieldSpec("credit_code", "统一社会信用代码", ("信用代码", "社会信用代码", "税号", "纳税人识别号",
                                                  "credit code", "uscc", "tax id"), cells.credit_code,
              unique=True, kind="text", weak_aliases=("购方税号", "购买方纳税人识别号")),
    FieldSpec("remarks", "备注", ("说明", "remarks", "notes", "note", "comment"), cells.multiline_text),
)
HEADERS = tuple(s.header for s in SPECS)
@dataclass(frozen=True)
class ImportSummary:
    file: str
    created: int
    updated: int
    skipped: int
    rejected: int
    errors: tuple[RowError, ...]
    written: bool
    batch_id: int | None = None
    error_file: str | None = None
    columns: tuple[tuple[str, str], ...] = ()  # (field, header as written) of the mapped columns
    unknown_columns: tuple[str, ...] = ()
    passed_over: tuple[tuple[int, str], ...] = ()  # (row, why): totals, repeated headers, template rows


def read_customer_file(path: str | Path, sheet: str | int | None = None,
                       progress: Callable[[int, int], None] | None = None) -> ImportResult:
    return read_and_validate(path, SPECS, sheet, progress=progress)


# --- matching -----------------------------------------------------------------------------------------------

def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _lookup(session: Session, column, values: set) -> dict[Any, tuple[int, str, str, int | None]]:
    """value -> (id, code, name, owner_id) for the customers whose ``column`` is among ``values``."""
    found = {}
    for part in _chunks(sorted(values)):
        stmt = select(column, Customer.id, Customer.code, Customer.name, Customer.owner_id).where(column.in_(part))
        for value, *rest in session.execute(stmt):
            found.setdefault(value, tuple(rest))
    return found


def _name_keys(result: ImportResult, good: list) -> dict[int, str]:
    """Excel row -> the name's key (``cells.normalize_key``); validation worked most out for its repeat check."""
    name_spec = next(s for s in SPECS if s.key == "name")
    known = result.unique_keys.get("name", {}) if name_spec.unique is cells.normalize_key else {}
    return {r.row: known.get(r.row) or cells.normalize_key(r.values["name"]) for r in good}


def _matches(session: Session, codes: set, credits: set, names: set) -> tuple[dict, dict, dict]:
    """The existing customers by code, credit code and name key, each as ``_lookup`` gives them.

    Fewer customers than values to look up (a first import, a small book): one pass over the table costs less
    than a thousand-value IN per chunk; otherwise each value is looked up through its index."""
    wanted = len(codes) + len(credits) + len(names)
    if wanted and session.scalar(select(func.count()).select_from(Customer)) < wanted:
        found: tuple[dict, dict, dict] = ({}, {}, {})
        stmt = select(Customer.code, Customer.credit_code, Customer.name_key, Customer.id, Customer.code,
                      Customer.name, Customer.owner_id)
        for code, credit, name_key, *rest in session.execute(stmt):
            for value, values, into in ((code, codes, found[0]), (credit, credits, found[1]),
                                        (name_key, names, found[2])):
                if value in values:
                    into.setdefault(value, tuple(rest))
        return found
    return (_lookup(session, Customer.code, codes), _lookup(session, Customer.credit_code, credits),
            _lookup(session, Customer.name_key, names))


class _Users:
    """业务员 cells -> user ids: a staff number (工号), a login or a display name; ambiguity is an error.

    ERP exports often write both, ``S003 孙伟`` or ``孙伟(S003)``: when every part that names a user names
    the same one, that is the user."""

    def __init__(self, session: Session):
        rows = session.execute(select(User.id, User.login, User.staff_number, User.display_name, User.active)).all()
        self.by_key: dict[str, list[tuple[int, bool]]] = {}
        self._resolved: dict[str, tuple[int | None, str | None]] = {}
        for uid, login, number, name, active in rows:
            for key in {login, number, name} - {None}:
                self.by_key.setdefault(cells.normalize_key(key), []).append((uid, active))

    def resolve(self, text: str) -> tuple[int | None, str | None]:
        found = self._resolved.get(text)
        if found is None:  # a sheet names its few salespeople thousands of times
            found = self._resolved[text] = self._resolve(text)
        return found

    def _resolve(self, text: str) -> tuple[int | None, str | None]:
        hits = list(dict.fromkeys(self.by_key.get(cells.normalize_key(text), [])))
        if not hits:
            hits = self._by_parts(text)
        if not hits:
            return None, _("no user has this staff number (工号), login or name")
        if len(hits) > 1:
            return None, _("several users match; use the staff number (工号)")
        uid, active = hits[0]
        if not active:
            return None, _("this user is disabled; transfer their customers to someone else")
        return uid, None

    def _by_parts(self, text: str) -> list[tuple[int, bool]]:
        parts = [p for p in _OWNER_PARTS.split(text) if p]
        if len(parts) < 2:
            return []
        found = {hit for part in parts for hit in self.by_key.get(cells.normalize_key(part), [])}
        return list(found) if len(found) == 1 else []


_OWNER_PARTS = re.compile(r"[\s()（）\[\]【】/|,，、:：-]+")


def plan_import(session: Session, actor: Actor, result: ImportResult, on_duplicate: str = "error") -> ImportPlan:
    """Decide, for every good row, create / update / skip, rejecting rows that cannot be written."""
    if on_duplicate not in DUPLICATE_MODES:
        raise ValidationError(_("--on-duplicate must be one of: {modes}").format(modes=", ".join(DUPLICATE_MODES)))
    permissions.require(actor, "customers.import")
    plan = ImportPlan(result, on_duplicate)
    users = _Users(session)
    present = set(result.columns)
    owners = _resolve_owners(session, actor, result, users) if "owner" in present else {}
    good = result.good_rows
    keys = _name_keys(result, good)
    codes, credits, names = _matches(session, {r.values["code"] for r in good if r.values.get("code")},
                                     {r.values["credit_code"] for r in good if r.values.get("credit_code")},
                                     set(keys.values()))
    claimed: dict[int, int] = {}  # existing customer id -> the file row that matched it first
    for row in good:
        step = _plan_row(session, actor, result, row, codes, credits, names.get(keys[row.row]), owners,
                         on_duplicate)
        if step is None:
            continue
        step.name_key = keys[row.row]
        if step.customer_id is not None:
            first = claimed.setdefault(step.customer_id, row.row)
            if first != row.row:
                result.reject(row, _("matches the same existing customer as row {row}").format(row=first))
                continue
        plan.rows.append(step)
    return plan


def _resolve_owners(session: Session, actor: Actor, result: ImportResult, users: _Users) -> dict[int, int]:
    """业务员 of every row, good or bad (so one check lists all of a row's problems): Excel row -> user id."""
    may_give_anyone = actor.is_admin or permissions.can(actor, "customers.edit_all")
    owners: dict[int, int] = {}
    for row in result.rows:
        text = row.values.get("owner")
        if text is None:
            continue
        owner_id, problem = users.resolve(text)
        if problem is None and not may_give_anyone and not can_see_owner(session, actor, owner_id):
            problem = _("you may not give customers to this user")
        if problem:
            result.reject(row, problem, "owner")
        else:
            owners[row.row] = owner_id
    return owners


def _plan_row(session, actor, result, row, codes, credits, by_name, owners, on_duplicate) -> RowPlan | None:
    v = row.values
    owner_given = row.row in owners
    owner_id = owners.get(row.row)
    by_code = codes.get(v.get("code")) if v.get("code") else None
    by_credit = credits.get(v.get("credit_code")) if v.get("credit_code") else None
    match = by_code or by_credit or by_name
    if by_code and by_credit and by_code[0] != by_credit[0]:
        result.reject(row, _("the code matches customer {a} but the credit code matches customer {b}").format(
            a=by_code[1], b=by_credit[1]), "credit_code")
        return None
    if match is None:
        if not owner_given and not permissions.can(actor, "customers.edit_all") and not actor.is_admin:
            owner_id = actor.id  # a salesperson's or manager's import is theirs, as in the form
        return RowPlan(row, "create", None, owner_id, owner_given or owner_id is not None)
    cid, code, name, current_owner = match
    how = _("code") if match is by_code else _("credit code") if match is by_credit else _("name")
    if on_duplicate == "error":
        result.reject(row, _("customer {code} {name} already exists (same {how}); use --on-duplicate skip or "
                             "update").format(code=code, name=name, how=how), None)
        return None
    if on_duplicate == "skip":
        return RowPlan(row, "skip", cid)
    if by_credit and by_credit[0] != cid:
        result.reject(row, _("this credit code belongs to another customer, {code} {name}").format(
            code=by_credit[1], name=by_credit[2]), "credit_code")
        return None
    if not _may_update(session, actor, current_owner):
        result.reject(row, _("customer {code} belongs to someone else; you may not change it").format(code=code))
        return None
    return RowPlan(row, "update", cid, owner_id, owner_given)


def _may_update(session: Session, actor: Actor, owner_id: int | None) -> bool:
    if actor.is_admin or permissions.can(actor, "customers.edit_all"):
        return True
    return owner_id is not None and can_see_owner(session, actor, owner_id)


# --- the whole job ------------------------------------------------------------------------------------------

class _NothingToWrite(Exception):
    """Leaves the transaction without writing (a dry run, or bad rows without --skip-invalid)."""

    def __init__(self, plan: ImportPlan):
        super().__init__("nothing to write")
        self.plan = plan


def default_error_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(f"{path.stem}.errors.xlsx")


def import_customers(engine: Engine, actor: Actor, path: str | Path, *, dry_run: bool = False,
                     skip_invalid: bool = False, on_duplicate: str = "error", errors_path: str | Path | None = None,
                     sheet: str | int | None = None,
                     progress: Callable[[str, int, int], None] | None = None,
                     on_wait: Callable[[str], None] | None = None) -> ImportSummary:
    """Read, validate, plan and (unless ``dry_run`` or bad rows without ``skip_invalid``) write.

    ``progress(phase, done, total)`` reports "read", "check" and "write"; it may raise to cancel (nothing is
    written then). The error workbook is written when there are rejected rows and ``errors_path`` is given,
    or ``skip_invalid`` is set (then next to the file by default). The write goes through the use-case runner:
    it waits (and says so through ``on_wait``) while another user's write holds the database."""
    from crm_tui.io.tabular import bulk_allocation
    from crm_tui.services.customers.imports_rows import row_builder
    from crm_tui.services.customers.imports_write import write_plan
    from crm_tui.services.runner import run

    def report(phase: str):
        return (lambda done, total: progress(phase, done, total)) if progress else None

    result = read_customer_file(path, sheet, report("read"))
    parsed_errors = [len(row.errors) for row in result.rows]

    def plan_and_write(session) -> tuple[ImportPlan, int]:
        for row, n in zip(result.rows, parsed_errors, strict=True):  # a retry plans again from the file alone
            del row.errors[n:]
        plan = plan_import(session, actor, result, on_duplicate)
        if progress:
            progress("check", len(result.rows), len(result.rows))
        if dry_run or not (plan.result.ok or skip_invalid):
            raise _NothingToWrite(plan)
        return plan, write_plan(session, actor, plan, Path(path).name, report("write"), rows)

    batch_id, write = None, False
    try:
        with bulk_allocation(), row_builder(0 if dry_run or not (result.ok or skip_invalid) else len(result.rows)) as rows:
            plan, batch_id = run(engine, actor, plan_and_write, on_wait=on_wait)
        write = True
    except _NothingToWrite as stop:
        plan = stop.plan
    error_file = None
    if plan.rejected and (errors_path or skip_invalid):
        error_file = str(result.write_error_workbook(errors_path or default_error_path(path)))
    return ImportSummary(
        result.file, plan.count("create"), plan.count("update"), plan.count("skip"), len(plan.rejected),
        tuple(plan.errors), write, batch_id, error_file, tuple(result.columns.items()),
        tuple(result.unknown_columns), tuple(result.passed_over))
