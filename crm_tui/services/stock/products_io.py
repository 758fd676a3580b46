"""Products from and to Excel (商品导入导出): 商品编码, 商品名称, 规格, 单位, 类别, 条码, 税率, 销售单价,
含税销售单价, 采购单价, 安全库存, 备注 (and their aliases), on the ``crm_tui.io`` framework.

A row matches an existing product by its code; a row without a code matches a product of the same name and
specification (so a file without codes re-imports without duplicates), else it gets the next product number.
See ``stock_import`` for the shared rules (dry run, skip invalid, on duplicate).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, func, insert, select, update

from crm_tui.core.actor import Actor
from crm_tui.core.money import net_from_gross
from crm_tui.db.base import utcnow
from crm_tui.db.models.products import Product
from crm_tui.i18n import _
from crm_tui.io import cells
from crm_tui.io.importing import FieldSpec, read_and_validate
from crm_tui.services.admin import permissions
from crm_tui.services.common import audit
from crm_tui.services.stock.imports import ImportOutcome, Progress, check_on_duplicate, finish
from crm_tui.services.stock.products import DEFAULT_TAX_RATE, normalise
from crm_tui.services.stock.units_io import (
    UNIT_KEYS,
    UNIT_SPECS,
    check_units,
    product_ids,
    units_of,
    write_units,
)

SPECS = (
    FieldSpec("code", "商品编码", ("编码", "货号", "商品代码", "商品编号", "产品编码", "物料编码", "code",
                                  "product code", "sku"), cells.text_max(40), unique=True),
    FieldSpec("name", "商品名称", ("名称", "品名", "商品", "产品名称", "name", "product name", "product"),
              cells.text_max(200), required=True),
    # weak_aliases mean the field only when no other column of the sheet does (see io/headers.py): a sheet with
    # both 规格 and 型号 (jshERP) takes 规格 and reports 型号 as not imported instead of refusing the file
    FieldSpec("spec", "规格", ("规格型号", "包装规格", "spec", "specification"), cells.text_max(200),
              weak_aliases=("型号", "商品规格", "产品规格")),
    FieldSpec("unit", "单位", ("计量单位", "基本单位", "基础单位", "主单位", "unit"), cells.text_max(20),
              weak_aliases=("库存单位", "销售单位")),
    FieldSpec("category", "类别", ("分类", "商品类别", "商品分类", "类别名称", "分类名称", "category"),
              cells.text_max(64), weak_aliases=("产品类别", "产品分类")),
    FieldSpec("barcode", "条码", ("条形码", "商品条码", "基本条码", "基础条码", "主条码", "barcode", "ean"),
              cells.code_text, unique=True, weak_aliases=("国际条码",)),
    FieldSpec("tax_rate", "税率", ("增值税率", "tax rate", "vat"), cells.rate),
    FieldSpec("sale_price", "销售单价", ("单价", "售价", "不含税单价", "不含税售价", "销售价", "price", "sale price"),
              cells.nonnegative(cells.money)),
    FieldSpec("sale_price_gross", "含税销售单价", ("含税单价", "含税售价", "含税价", "gross price"),
              cells.nonnegative(cells.money)),
    FieldSpec("purchase_price", "采购单价", ("进价", "采购价", "进货价", "成本价", "purchase price", "cost"),
              cells.nonnegative(cells.money)),
    FieldSpec("safety_stock", "安全库存", ("最低库存", "安全库存量", "安全存量", "safety stock"),
              cells.nonnegative(cells.quantity), weak_aliases=("库存下限", "最低存量")),
    FieldSpec("remarks", "备注", ("说明", "remarks", "notes"), cells.multiline_text),
)
FIELDS = tuple(s.key for s in SPECS)
SPECS = SPECS + UNIT_SPECS  # a second unit (辅助单位, 换算率): product_units rows, not product columns


def _prices_agree(values: dict):
    """Both sale prices given: the net one must be the gross one without tax (to the fen, either way round)."""
    net, gross = values.get("sale_price"), values.get("sale_price_gross")
    if net is None or gross is None:
        return
    rate = values.get("tax_rate")
    rate = DEFAULT_TAX_RATE if rate is None else rate
    if abs(net_from_gross(gross, rate) - net) > Decimal("0.01"):
        yield "sale_price_gross", _("does not match 销售单价 {net} at tax rate {rate}: expected about {gross}").format(
            net=net, rate=f"{format((rate * 100).normalize(), 'f')}%", gross=(net * (1 + rate)).quantize(Decimal("0.01")))


def _identity(code: str | None, name: str, spec: str | None) -> str:
    return f"code:{code}" if code else "name:" + cells.normalize_key(name) + "|" + cells.normalize_key(spec or "")


def import_products(engine: Engine, actor: Actor, path: str | Path, *, on_duplicate: str = "error",
                    skip_invalid: bool = False, dry_run: bool = False, errors_path: Path | None = None,
                    sheet: str | None = None, progress: Progress | None = None,
                    on_wait: Callable[[str], None] | None = None) -> ImportOutcome:
    """Validate the whole file, then (unless told otherwise) write it in one transaction."""
    from crm_tui.services.runner import run

    permissions.require(actor, "products.manage")
    check_on_duplicate(on_duplicate)
    path = Path(path)
    result = read_and_validate(path, SPECS, sheet, checks=[_prices_agree, check_units], progress=progress)
    parsed_errors = [len(row.errors) for row in result.rows]

    def write(session) -> ImportOutcome:
        for row, n in zip(result.rows, parsed_errors, strict=True):  # a retry plans again from the file alone
            del row.errors[n:]
        outcome = ImportOutcome(path.name)
        plan = _plan(session, result, on_duplicate)
        if not finish(outcome, result, path, skip_invalid=skip_invalid, errors_path=errors_path):
            return outcome
        creates, updates = plan["create"], plan["update"]
        outcome.created, outcome.updated, outcome.skipped = len(creates), len(updates), plan["skipped"]
        if dry_run:
            return outcome
        codes = _write(session, creates, updates)
        _write_units(session, plan, codes)
        audit.record(session, "products", None, "import",
                     {"file": path.name, "created": len(creates), "updated": len(updates),
                      "skipped": outcome.skipped, "rejected": outcome.rejected})
        outcome.written = True
        return outcome

    return run(engine, actor, write, on_wait=on_wait)


def _plan(session, result, on_duplicate: str) -> dict:
    """Match every good row against the products; reject duplicates (by policy) and taken barcodes."""
    existing: dict[str, tuple[int, str]] = {}
    barcodes: dict[str, str] = {}
    for pid, code, name, spec, barcode in session.execute(
            select(Product.id, Product.code, Product.name, Product.spec, Product.barcode)):
        existing[f"code:{code}"] = (pid, code)
        existing.setdefault(_identity(None, name, spec), (pid, code))
        if barcode:
            barcodes[barcode] = code
    creates, updates, skipped, units = [], [], 0, []
    present = set(result.columns)
    uncoded: dict[str, int] = {}  # name+spec of rows without a code -> their row, to catch repeats
    for row in result.good_rows:
        v = row.values
        identity = _identity(v.get("code"), v["name"], v.get("spec"))
        if v.get("code") is None:
            earlier = uncoded.setdefault(identity, row.row)
            if earlier != row.row:
                result.reject(row, _("same name and specification as row {row}; give the products codes").format(
                    row=earlier), "name")
                continue
        match = existing.get(identity)
        barcode = v.get("barcode")
        owner = barcodes.get(barcode) if barcode else None
        if owner is not None and (match is None or owner != match[1]):
            result.reject(row, _("barcode already used by product {code}").format(code=owner), "barcode")
            continue
        if match is None:
            creates.append(v)
        elif on_duplicate == "error":
            result.reject(row, _("product {code} already exists (use --on-duplicate skip or update)").format(
                code=match[1]), "code" if v.get("code") else "name")
        elif on_duplicate == "skip":
            skipped += 1
        else:
            changes = {k: v[k] for k in present if k in FIELDS and v.get(k) is not None and k != "code"}
            updates.append((match[0], changes))
            if units_of(v):
                units.append((match[0], units_of(v)))
    return {"create": creates, "update": updates, "skipped": skipped, "units": units}


def _write_units(session, plan: dict, codes: list[str]) -> None:
    """The second units of the rows written: created products by their (new) codes, updated ones by id."""
    ids = product_ids(session, [c for c, v in zip(codes, plan["create"], strict=True) if units_of(v)])
    wanted = [(ids[c], units_of(v)) for c, v in zip(codes, plan["create"], strict=True) if units_of(v)]
    write_units(session, wanted + plan["units"])


def _write(session, creates: list[dict], updates: list[tuple[int, dict]]) -> list[str]:
    """Insert and update the products; returns the codes of the created ones, in order."""
    from crm_tui.services.stock.products import free_code

    now = utcnow()
    rows = []
    taken = {v["code"] for v in creates if v.get("code")}
    codes = []
    for values in creates:
        values = {k: val for k, val in values.items() if val is not None and k not in UNIT_KEYS}
        if not values.get("code"):
            values["code"] = free_code(session, "product", Product.code, taken)
        codes.append(values["code"])
        data = normalise(values)
        rows.append({**{k: None for k in ("spec", "unit", "category", "barcode", "remarks", "sale_price",
                                          "sale_price_gross", "purchase_price")},
                     **data, "active": True, "version": 1, "created_at": now, "updated_at": now})
    if rows:  # Core insert: an import of tens of thousands of products must not build ORM objects
        session.execute(insert(Product.__table__), rows)
    for product_id, changes in updates:
        current = session.get(Product, product_id)
        data = normalise(changes, current)
        data.pop("code", None)
        if data:
            session.execute(update(Product).where(Product.id == product_id)
                            .values(**data, version=Product.version + 1, updated_at=now)
                            .execution_options(synchronize_session=False))
    return codes


# --- export ------------------------------------------------------------------------------------------

def export_products(session, path: str | Path, *, include_inactive: bool = False, category: str | None = None,
                    search: str | None = None) -> int:
    """Write products under the import headers (so the file re-imports); returns the number of rows."""
    from crm_tui.io.workbook import export_records

    stmt = select(*(getattr(Product, k) for k in FIELDS)).order_by(Product.code)
    if not include_inactive:
        stmt = stmt.where(Product.active.is_(True))
    if category:
        stmt = stmt.where(Product.category == category)
    if search:
        from crm_tui.services.stock.products import search_clause

        stmt = stmt.where(search_clause(search))
    count = session.scalar(select(func.count()).select_from(stmt.subquery()))
    records = (dict(zip(FIELDS, row, strict=True)) for row in session.connection().execute(stmt))
    export_records(path, SPECS[:len(FIELDS)], records, sheet="商品")
    return count
