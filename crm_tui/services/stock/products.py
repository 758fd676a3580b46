"""Products (商品中心): add, edit, find, search (code, name, spec, barcode, pinyin), images, safety stock."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, ValidationError
from crm_tui.core.pinyin import search_term
from crm_tui.db.models.products import Product, ProductImage, SafetyStock
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.stock.product_schemas import (  # noqa: F401  (normalise, DEFAULT_TAX_RATE: imports)
    DEFAULT_TAX_RATE,
    EDITABLE,
    ProductCreate,
    ProductRead,
    ProductUpdate,
    non_negative,
    normalise,
)

ProductRow = ProductRead  # the name screens know it by


def row_of(p: Product) -> ProductRead:
    return ProductRead.model_validate(p)


def free_code(session: Session, kind: str, column, taken: set[str] = frozenset()) -> str:
    """The next number of ``kind`` (e.g. P00012) not already used in ``column`` nor in ``taken``: codes
    typed by hand or imported may have used numbers of the same pattern."""
    from crm_tui.services.common.numbering import take_number

    while True:
        code = take_number(session, kind)
        if code not in taken and session.scalar(select(column).where(column == code)) is None:
            return code


def add_product(session: Session, actor: Actor, data: ProductCreate | None = None, /, **values) -> int:
    """A new product from ``data``, or from the fields as keywords."""
    permissions.require(actor, "products.manage")
    values = (data if data is not None else ProductCreate.model_validate(values)).changes()
    if not values.get("code"):
        values["code"] = free_code(session, "product", Product.code)
    if session.scalar(select(Product.id).where(Product.code == values["code"])) is not None:
        raise ConflictError(_("A product with code {code} already exists.").format(code=values["code"]))
    product = Product(**values)
    session.add(product)
    session.flush()
    return product.id


def update_product(session: Session, actor: Actor, product_id: int, version: int | None = None,
                   data: ProductUpdate | None = None, /, **values) -> None:
    permissions.require(actor, "products.manage")
    product = get_product_obj(session, product_id)
    if version is not None and version != product.version:
        raise ConflictError(_("Someone else changed this record in the meantime; reload it and try again."))
    if data is None:
        data = ProductUpdate.model_validate(values, context={"current": product})
    values = data.changes()
    if "code" in values and values["code"] != product.code:
        if session.scalar(select(Product.id).where(Product.code == values["code"])) is not None:
            raise ConflictError(_("A product with code {code} already exists.").format(code=values["code"]))
    for key, value in values.items():
        setattr(product, key, value)
    session.flush()


def get_product_obj(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(_("No such product: {id}").format(id=product_id))
    return product


def get_product(session: Session, product_id: int) -> ProductRow:
    return row_of(get_product_obj(session, product_id))


def find_product(session: Session, key: str) -> Product:
    """A product by code, barcode or exact name; an ambiguous name is an error."""
    key = (key or "").strip()
    if not key:
        raise ValidationError(_("Give a product code, barcode or name."), field="product")
    product = session.scalar(select(Product).where(Product.code == key))
    if product is not None:
        return product
    for column in (Product.barcode, Product.name):
        matches = list(session.scalars(select(Product).where(column == key).limit(2)))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValidationError(_("Several products match {key}; use the product code.").format(key=key),
                                  field="product")
    from crm_tui.db.models.units import ProductUnit

    product = session.scalar(select(Product).join(ProductUnit, ProductUnit.product_id == Product.id)
                             .where(ProductUnit.barcode == key).limit(1))  # a case's barcode (units.py)
    if product is not None:
        return product
    raise NotFound(_("No product with code, barcode or name {key}.").format(key=key))


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_clause(text: str):
    """Products whose code, name, spec, barcode or pinyin (full or initials) contain ``text``."""
    like = _like(text.strip())
    clauses = [Product.code.ilike(like, escape="\\"), Product.name.like(like, escape="\\"),
               Product.spec.like(like, escape="\\"), Product.barcode.like(like, escape="\\")]
    term = search_term(text)
    if term:
        py = _like(term)
        clauses += [Product.name_initials.like(py, escape="\\"), Product.name_pinyin.like(py, escape="\\")]
    return or_(*clauses)


def search_products(session: Session, text: str = "", *, category: str | None = None, active_only: bool = True,
                    limit: int = 100, offset: int = 0) -> list[ProductRow]:
    """Products matching ``text`` (empty: all), code-prefix matches first, then ordered by code."""
    stmt = select(Product)
    if text.strip():
        stmt = stmt.where(search_clause(text))
        prefix = text.strip() + "%"
        stmt = stmt.order_by((~Product.code.like(prefix)), Product.code)
    else:
        stmt = stmt.order_by(Product.code)
    if category:
        stmt = stmt.where(Product.category == category)
    if active_only:
        stmt = stmt.where(Product.active.is_(True))
    return [row_of(p) for p in session.scalars(stmt.limit(limit).offset(offset))]


def count_products(session: Session, text: str = "", category: str | None = None) -> int:
    stmt = select(func.count()).select_from(Product)
    if text.strip():
        stmt = stmt.where(search_clause(text))
    if category:
        stmt = stmt.where(Product.category == category)
    return session.scalar(stmt)


def categories(session: Session) -> list[str]:
    rows = session.scalars(select(Product.category).where(Product.category.is_not(None)).distinct())
    return sorted(rows)


# --- safety stock per warehouse -----------------------------------------------------------------

def set_safety_stock(session: Session, actor: Actor, product_id: int, warehouse_id: int | None,
                     quantity) -> None:
    """Set the safety stock of a product in one warehouse, or its default (``warehouse_id`` None).

    ``quantity`` None removes a warehouse's own figure, so the product's default applies again.
    """
    permissions.require(actor, "products.manage")
    product = get_product_obj(session, product_id)
    qty = non_negative(quantity, "safety_stock")
    if warehouse_id is None:
        product.safety_stock = qty or Decimal(0)
        session.flush()
        return
    row = session.scalar(select(SafetyStock).where(SafetyStock.product_id == product_id,
                                                   SafetyStock.warehouse_id == warehouse_id))
    if qty is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(SafetyStock(product_id=product_id, warehouse_id=warehouse_id, quantity=qty))
    else:
        row.quantity = qty
    session.flush()


# --- images --------------------------------------------------------------------------------------

def images_folder() -> Path:
    from crm_tui.paths import get_paths

    return get_paths().attachments / "products"


def attach_image(session: Session, actor: Actor, product_id: int, source: Path) -> int:
    """Copy an image file under the data folder and list it with the product."""
    from crm_tui.paths import ensure_dir

    permissions.require(actor, "products.manage")
    product = get_product_obj(session, product_id)
    source = Path(source)
    if not source.is_file():
        raise ValidationError(_("No such file: {path}").format(path=source), field="image")
    image = ProductImage(product_id=product.id, file_name=source.name, stored_path="", added_by=actor.id)
    session.add(image)
    session.flush()
    folder = ensure_dir(images_folder() / str(product.id))
    target = folder / f"{image.id}{source.suffix.lower()}"
    shutil.copyfile(source, target)
    target.chmod(0o600)
    image.stored_path = str(target.relative_to(images_folder().parent))
    session.flush()
    return image.id


def list_images(session: Session, product_id: int) -> list[tuple[int, str, Path]]:
    """(id, file name, absolute path) of a product's images, oldest first."""
    from crm_tui.paths import get_paths

    rows = session.execute(select(ProductImage.id, ProductImage.file_name, ProductImage.stored_path)
                           .where(ProductImage.product_id == product_id).order_by(ProductImage.id))
    return [(i, name, get_paths().attachments / stored) for i, name, stored in rows]


def remove_image(session: Session, actor: Actor, image_id: int) -> None:
    permissions.require(actor, "products.manage")
    image = session.get(ProductImage, image_id)
    if image is None:
        raise NotFound(_("No such image: {id}").format(id=image_id))
    from crm_tui.paths import get_paths

    path = get_paths().attachments / image.stored_path
    session.delete(image)
    session.flush()
    # The file goes only once the row's deletion is committed: a failed transaction keeps both.
    from sqlalchemy import event

    event.listen(session, "after_commit", lambda _s: path.unlink(missing_ok=True), once=True)


def open_with_viewer(path: Path) -> None:
    """Open a file with the system's viewer (xdg-open, open, or the Windows shell)."""
    import os
    import subprocess
    import sys

    if not Path(path).exists():
        raise NotFound(_("No such file: {path}").format(path=path))
    if sys.platform.startswith("win"):
        os.startfile(str(path))  # type: ignore[attr-defined]
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener) is None:
        raise ValidationError(_("No viewer found to open {path}.").format(path=path))
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def lookup_products(session: Session, actor: Actor, text: str, limit: int = 8) -> list[ProductRow]:
    """For pickers: active products by code, name, spec, barcode, pinyin or initials, best match first."""
    from crm_tui.services.common.lookups import best_first

    if not text.strip():
        return []
    rows = search_products(session, text, limit=max(limit * 5, 40))
    exact = [r for r in rows if r.barcode and r.barcode == text.strip()]  # a scanned barcode is as good as a code
    rest = best_first([r for r in rows if r not in exact], text, lambda r: r.code, lambda r: r.name, limit)
    return (exact + rest)[:limit]
