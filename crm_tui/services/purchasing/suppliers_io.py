"""Suppliers from and to Excel (供应商导入导出), on the ``crm_tui.io`` framework.

Headers: 供应商编码, 供应商名称, 简称, 统一社会信用代码, 地址, 电话, 开户行, 账号, 期初应付, 联系人, 职务, 手机,
备注 (with aliases). A row matches an existing supplier by code, then credit code, then exact name; the
contact columns add (or, on update, refresh) the supplier's primary contact. See ``stock_import`` for the
shared rules (dry run, skip invalid, on duplicate).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, select

from crm_tui.core.actor import Actor
from crm_tui.db.models.purchasing import Supplier, SupplierContact
from crm_tui.i18n import _
from crm_tui.io import cells
from crm_tui.io.importing import FieldSpec, read_and_validate
from crm_tui.services.admin import permissions
from crm_tui.services.common import audit
from crm_tui.services.stock.imports import ImportOutcome, Progress, check_on_duplicate, finish

SPECS = (
    FieldSpec("code", "供应商编码", ("编码", "供应商编号", "供应商代码", "code", "supplier code"), cells.text_max(32),
              unique=True),
    # weak_aliases mean the field only when no other column of the sheet does (see io/headers.py); 销方名称 /
    # 销方税号 are the seller's columns of a tax-invoice list (增值税发票勾选确认)
    FieldSpec("name", "供应商名称", ("名称", "供应商", "单位名称", "公司名称", "name", "supplier"),
              cells.text_max(200), required=True, unique=True,
              weak_aliases=("销方名称", "销售方名称", "供货商", "供货单位", "厂商名称")),
    FieldSpec("short_name", "简称", ("供应商简称", "short name"), cells.text_max(100)),
    FieldSpec("credit_code", "统一社会信用代码", ("信用代码", "税号", "纳税人识别号", "credit code"), cells.credit_code,
              unique=True, weak_aliases=("销方税号", "销售方纳税人识别号")),
    FieldSpec("address", "地址", ("联系地址", "公司地址", "address"), cells.text_max(300)),
    FieldSpec("phone", "电话", ("联系电话", "公司电话", "座机", "phone"), cells.phone,
              weak_aliases=("联系方式", "办公电话")),
    FieldSpec("bank", "开户行", ("开户银行", "银行", "bank"), cells.text_max(100)),
    FieldSpec("account", "账号", ("银行账号", "账户", "account"), cells.code_text),
    FieldSpec("opening_balance", "期初应付", ("期初余额", "期初欠款", "opening balance"), cells.money),
    FieldSpec("contact", "联系人", ("联系人姓名", "contact"), cells.text_max(64)),
    FieldSpec("title", "职务", ("职位", "title"), cells.text_max(64)),
    FieldSpec("mobile", "手机", ("手机号", "手机号码", "联系人手机", "mobile"), cells.mobile,
              weak_aliases=("联系手机",)),
    FieldSpec("remarks", "备注", ("说明", "remarks"), cells.multiline_text),
)
SUPPLIER_KEYS = ("code", "name", "short_name", "credit_code", "address", "phone", "bank", "account",
                 "opening_balance", "remarks")


def import_suppliers(engine: Engine, actor: Actor, path: str | Path, *, on_duplicate: str = "error",
                     skip_invalid: bool = False, dry_run: bool = False, errors_path: Path | None = None,
                     sheet: str | None = None, progress: Progress | None = None,
                     on_wait: Callable[[str], None] | None = None) -> ImportOutcome:
    from crm_tui.services.runner import run

    permissions.require(actor, "purchase.manage")
    check_on_duplicate(on_duplicate)
    path = Path(path)
    result = read_and_validate(path, SPECS, sheet, progress=progress)
    parsed_errors = [len(row.errors) for row in result.rows]

    def write(session) -> ImportOutcome:
        for row, n in zip(result.rows, parsed_errors, strict=True):  # a retry plans again from the file alone
            del row.errors[n:]
        outcome = ImportOutcome(path.name)
        creates, updates, skipped = _plan(session, result, on_duplicate)
        if not finish(outcome, result, path, skip_invalid=skip_invalid, errors_path=errors_path):
            return outcome
        outcome.created, outcome.updated, outcome.skipped = len(creates), len(updates), skipped
        if dry_run:
            return outcome
        _write(session, actor, creates, updates)
        audit.record(session, "suppliers", None, "import",
                     {"file": path.name, "created": len(creates), "updated": len(updates), "skipped": skipped,
                      "rejected": outcome.rejected})
        outcome.written = True
        return outcome

    return run(engine, actor, write, on_wait=on_wait)


def _plan(session, result, on_duplicate: str):
    by_code, by_credit, by_name = {}, {}, {}
    for sid, code, credit, name in session.execute(select(Supplier.id, Supplier.code, Supplier.credit_code,
                                                          Supplier.name)):
        by_code[code] = (sid, code)
        if credit:
            by_credit[credit] = (sid, code)
        by_name[cells.normalize_key(name)] = (sid, code)
    creates, updates, skipped = [], [], 0
    for row in result.good_rows:
        v = row.values
        match = (by_code.get(v.get("code")) or by_credit.get(v.get("credit_code"))
                 or by_name.get(cells.normalize_key(v["name"])))
        if match is None:
            creates.append(v)
        elif on_duplicate == "error":
            result.reject(row, _("supplier {code} already exists (use --on-duplicate skip or update)").format(
                code=match[1]), "code" if v.get("code") else "name")
        elif on_duplicate == "skip":
            skipped += 1
        else:
            updates.append((match[0], {k: x for k, x in v.items() if x is not None}))
    return creates, updates, skipped


def _contact_values(v: dict) -> dict | None:
    if not v.get("contact"):
        return None
    return {"name": v["contact"], "title": v.get("title"), "mobile": v.get("mobile"), "is_primary": True}


def _write(session, actor: Actor, creates: list[dict], updates: list[tuple[int, dict]]) -> None:
    from crm_tui.services.purchasing.suppliers import add_contact, add_supplier, update_supplier

    taken = {v["code"] for v in creates if v.get("code")}
    for v in creates:
        contact = _contact_values(v)
        add_supplier(session, actor, contacts=[contact] if contact else [], taken=taken,
                     **{k: v[k] for k in SUPPLIER_KEYS if v.get(k) is not None})
    for supplier_id, v in updates:
        update_supplier(session, actor, supplier_id, **{k: v[k] for k in SUPPLIER_KEYS if k in v and k != "code"})
        contact = _contact_values(v)
        if contact:
            current = session.scalar(select(SupplierContact).where(SupplierContact.supplier_id == supplier_id,
                                                                   SupplierContact.name == contact["name"]))
            if current is None:
                add_contact(session, actor, supplier_id, **contact)
            else:
                current.title = contact["title"] or current.title
                current.mobile = contact["mobile"] or current.mobile


def export_suppliers(session, path: str | Path) -> int:
    from crm_tui.io.workbook import export_records
    from crm_tui.services.purchasing.suppliers import list_contacts, search_suppliers

    rows = search_suppliers(session, limit=1_000_000)
    records = []
    for s in rows:
        primary = next(iter(list_contacts(session, s.id)), None)
        records.append({"code": s.code, "name": s.name, "short_name": s.short_name, "credit_code": s.credit_code,
                        "address": s.address, "phone": s.phone, "bank": s.bank, "account": s.account,
                        "opening_balance": s.opening_balance, "remarks": s.remarks,
                        "contact": primary.name if primary else None, "title": primary.title if primary else None,
                        "mobile": primary.mobile if primary else None})
    export_records(path, SPECS, records, sheet="供应商")
    return len(records)
