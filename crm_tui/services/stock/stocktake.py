"""Stocktaking (盘点): a count sheet per warehouse, counts entered line by line, then adjustments for exactly
the differences (posted when the sheet — a ``stocktake`` stock document — is confirmed).

The sheet records each product's book quantity when it is made. If stock moves while people count, the
confirmation refuses (the count no longer matches the book it was compared with) until the book quantities
are refreshed with ``stock_documents.refresh_book_quantities``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, ValidationError
from crm_tui.db.models.products import Product
from crm_tui.db.models.stock import StockBalance, StockDocument, StockDocumentLine
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.stock.documents import DocumentView, _draft, _quantity, create_document, get_document

ZERO = Decimal(0)


def create_count_sheet(session: Session, actor: Actor, warehouse_id: int, *, category: str | None = None,
                       all_products: bool = False, remarks: str | None = None) -> int:
    """A draft stocktake listing what the warehouse holds (or every active product), book quantities set."""
    permissions.require(actor, "stock.manage")
    doc_id = create_document(session, actor, "stocktake", warehouse_id, remarks=remarks)
    if all_products:
        stmt = (select(Product.id, func.coalesce(StockBalance.quantity, 0))
                .outerjoin(StockBalance, (StockBalance.product_id == Product.id)
                           & (StockBalance.warehouse_id == warehouse_id))
                .where(Product.active.is_(True)))
    else:
        stmt = (select(Product.id, StockBalance.quantity).join(StockBalance, StockBalance.product_id == Product.id)
                .where(StockBalance.warehouse_id == warehouse_id, StockBalance.quantity != 0))
    if category:
        stmt = stmt.where(Product.category == category)
    rows = session.execute(stmt.order_by(Product.code)).all()
    if rows:  # Core insert: a sheet of a big warehouse has thousands of lines
        session.execute(StockDocumentLine.__table__.insert(), [
            {"document_id": doc_id, "line_no": n, "product_id": pid, "quantity": ZERO, "book_quantity": q}
            for n, (pid, q) in enumerate(rows, start=1)])
    return doc_id


def open_count_sheet(session: Session, warehouse_id: int) -> DocumentView | None:
    """The warehouse's count sheet still being filled in (its newest draft stocktake), or None."""
    doc_id = session.scalar(select(StockDocument.id).where(
        StockDocument.kind == "stocktake", StockDocument.status == "draft",
        StockDocument.warehouse_id == warehouse_id).order_by(StockDocument.id.desc()).limit(1))
    return get_document(session, doc_id) if doc_id else None


def set_counts(session: Session, actor: Actor, doc_id: int, counts: dict[int, object]) -> None:
    """Enter counted quantities by product id (None clears a count). A product not yet on the sheet is added
    with its current book quantity (found in the warehouse during the count)."""
    permissions.require(actor, "stock.manage")
    doc = _draft(session, doc_id, lock=True)
    if doc.kind != "stocktake":
        raise ValidationError(_("Counts can only be entered on a stocktaking sheet."))
    lines = {ln.product_id: ln for ln in session.scalars(
        select(StockDocumentLine).where(StockDocumentLine.document_id == doc.id))}
    next_no = max((ln.line_no for ln in lines.values()), default=0) + 1
    codes = dict(session.execute(select(Product.id, Product.code).where(Product.id.in_(list(counts)))).all())
    for pid, value in counts.items():
        if pid not in codes:
            raise NotFound(_("No such product: {id}").format(id=pid))
        counted = None if value is None or value == "" else _quantity(value, codes[pid], allow_zero=True)
        line = lines.get(pid)
        if line is None:
            from crm_tui.services.stock.ledger import on_hand

            line = StockDocumentLine(document_id=doc.id, line_no=next_no, product_id=pid, quantity=ZERO,
                                     book_quantity=on_hand(session, doc.warehouse_id, pid))
            session.add(line)
            lines[pid] = line
            next_no += 1
        line.counted_quantity = counted
        line.quantity = ZERO if counted is None else counted - line.book_quantity
    session.flush()


@dataclass(frozen=True)
class Difference:
    product_id: int
    product_code: str
    product_name: str
    book_quantity: Decimal
    counted_quantity: Decimal
    difference: Decimal


def differences(session: Session, doc_id: int) -> list[Difference]:
    """Counted lines whose count differs from the book: what confirming the sheet will post."""
    view = get_document(session, doc_id)
    return [Difference(ln.product_id, ln.product_code, ln.product_name, ln.book_quantity, ln.counted_quantity,
                       ln.counted_quantity - ln.book_quantity)
            for ln in view.lines
            if ln.counted_quantity is not None and ln.counted_quantity != ln.book_quantity]


def uncounted(session: Session, doc_id: int) -> int:
    return session.scalar(select(func.count()).select_from(StockDocumentLine).where(
        StockDocumentLine.document_id == doc_id, StockDocumentLine.counted_quantity.is_(None)))


SHEET_HEADERS = ("商品编码", "商品名称", "规格", "单位", "账面数量", "实盘数量", "备注")


def export_count_sheet(session: Session, doc_id: int, path: Path, *, blind: bool = False) -> Path:
    """Write the count sheet as .xlsx for counting on paper or in Excel. ``blind`` leaves out book quantities
    (counters then count what they see rather than confirm a number)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    view = get_document(session, doc_id)
    if view.kind != "stocktake":
        raise ValidationError(_("Only a stocktaking sheet can be exported for counting."))
    wb = Workbook()
    ws = wb.active
    ws.title = "盘点表"
    ws.append([f"盘点表 {view.number or ''} 仓库 {view.warehouse_code} 日期 {view.doc_date.isoformat()}"])
    ws.append(list(SHEET_HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for ln in view.lines:
        book = "" if blind else ln.book_quantity.normalize()  # openpyxl writes Decimal as a number
        counted = "" if ln.counted_quantity is None else ln.counted_quantity.normalize()
        ws.append([ln.product_code, ln.product_name, ln.spec or "", ln.unit or "", book, counted, ln.remarks or ""])
    for col, width in zip("ABCDEFG", (16, 30, 18, 8, 12, 12, 20), strict=True):
        ws.column_dimensions[col].width = width
    path = Path(path)
    wb.save(path)
    return path


def import_counts(session: Session, actor: Actor, doc_id: int, path: Path) -> tuple[int, list[str]]:
    """Read counted quantities back from a filled-in count sheet (商品编码 and 实盘数量; other columns are
    ignored, empty counts skipped). Every row is checked first; nothing is entered if any row is bad.
    Returns (counts entered, problems)."""
    from crm_tui.io import cells
    from crm_tui.io.importing import FieldSpec, read_and_validate

    specs = (FieldSpec("code", "商品编码", ("编码", "货号", "code"), cells.code_text, required=True, unique=True),
             FieldSpec("counted", "实盘数量", ("实盘", "盘点数量", "counted"), cells.nonnegative(cells.quantity)))
    result = read_and_validate(path, specs)
    codes = {row.values["code"] for row in result.good_rows}
    ids = dict(session.execute(select(Product.code, Product.id).where(Product.code.in_(codes))).all())
    counts: dict[int, object] = {}
    for row in result.rows:
        if row.ok and row.values.get("counted") is None:
            continue  # not counted yet: left for later
        if row.ok and row.values["code"] not in ids:
            result.reject(row, _("no product with this code"), "code")
        elif row.ok:
            counts[ids[row.values["code"]]] = row.values["counted"]
    if not result.ok:
        return 0, result.error_lines()
    if counts:
        set_counts(session, actor, doc_id, counts)
    return len(counts), []
