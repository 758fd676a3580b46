"""Stock commands: ``crm stock in|out|transfer|onhand|alarms|history|value`` and ``crm warehouses add|list``.

Products and suppliers import/export hang on the shared ``crm import`` / ``crm export`` groups (see
``register``).
"""

from __future__ import annotations

import click

from crm_tui.cli.common import CliState, echo_json, echo_table, pass_state
from crm_tui.i18n import _, n_

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                      show_default=True, help="Output format.")


def _decimal(value: str, option: str, *, positive: bool = True):
    from decimal import Decimal, InvalidOperation

    from crm_tui.core.errors import ValidationError
    from crm_tui.core.money import parse_money

    try:
        d = parse_money(value) if option == "--cost" else Decimal(value.strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("{option}: not a number: {value}").format(option=option, value=value)) from None
    if not d.is_finite() or d < 0 or (positive and d == 0):
        raise ValidationError(_("{option} must be a number greater than zero, not {value}.").format(
            option=option, value=value))
    return d


def _plain(d) -> str:
    """10.0000 -> 10; 2.5000 -> 2.5 (for people; JSON keeps the full scale)."""
    return format(d.normalize(), "f")


@click.group("stock")
def stock_group() -> None:
    """Stock: receive, issue, transfer, on-hand, alarms."""


def _one_step(state: CliState, kind: str, warehouse: str, product: str, qty: str, cost: str | None = None,
              to: str | None = None, unit: str | None = None) -> None:
    from crm_tui.services.stock import documents as stock_documents
    from crm_tui.services.stock import ledger as stock_ledger
    from crm_tui.services.stock import products
    from crm_tui.services.stock import warehouses as stock_warehouses

    quantity = _decimal(qty, "--qty")
    unit_cost = _decimal(cost, "--cost", positive=False) if cost is not None else None
    actor = state.actor()

    def work(session):
        wh = stock_warehouses.find_warehouse(session, warehouse)
        target = stock_warehouses.find_warehouse(session, to) if to else None
        prod = products.find_product(session, product)
        number = stock_documents.quick_document(session, actor, kind, wh.id, prod.id, quantity, unit_cost=unit_cost,
                                                to_warehouse_id=target.id if target else None, unit=unit)
        left = stock_ledger.on_hand(session, wh.id, prod.id)
        there = stock_ledger.on_hand(session, target.id, prod.id) if target else None
        return number, wh.code, target.code if target else None, prod.code, left, there

    number, wh, target, code, left, there = state.run(work)
    label = _(stock_documents.KIND_LABELS[kind])
    if kind == "transfer":
        click.echo(_("{label} {number} confirmed: {qty} {product} from {src} to {dst} (now {left} and {there}).")
                   .format(label=label, number=number, qty=_plain(quantity) + (unit or ""), product=code, src=wh, dst=target,
                           left=_plain(left), there=_plain(there)))
    else:
        click.echo(_("{label} {number} confirmed: {product} {sign}{qty} in {warehouse} (on hand {left}).").format(
            label=label, number=number, product=code, sign="+" if kind == "stock_in" else "-",
            qty=_plain(quantity) + (unit or ""), warehouse=wh, left=_plain(left)))


@stock_group.command("in")
@click.option("--warehouse", required=True, help="Warehouse code or name.")
@click.option("--product", required=True, help="Product code, barcode or name.")
@click.option("--qty", required=True, help="Quantity received (greater than zero).")
@click.option("--cost", help="Unit cost (net of tax); default: the current average or the purchase price.")
@click.option("--unit", help="Unit of --qty and --cost (default: the product's base unit).")
@pass_state
def stock_in(state: CliState, warehouse: str, product: str, qty: str, cost: str | None, unit: str | None) -> None:
    """Receive goods: create and confirm one stock-in (其他入库)."""
    _one_step(state, "stock_in", warehouse, product, qty, cost, unit=unit)


@stock_group.command("out")
@click.option("--warehouse", required=True, help="Warehouse code or name.")
@click.option("--product", required=True, help="Product code, barcode or name.")
@click.option("--qty", required=True, help="Quantity issued (greater than zero).")
@click.option("--unit", help="Unit of --qty (default: the product's base unit).")
@pass_state
def stock_out(state: CliState, warehouse: str, product: str, qty: str, unit: str | None) -> None:
    """Issue goods: create and confirm one stock-out (其他出库). Refused if the stock is not there."""
    _one_step(state, "stock_out", warehouse, product, qty, unit=unit)


@stock_group.command("transfer")
@click.option("--from", "source", required=True, help="Warehouse the goods leave.")
@click.option("--to", "target", required=True, help="Warehouse the goods go to.")
@click.option("--product", required=True, help="Product code, barcode or name.")
@click.option("--qty", required=True, help="Quantity moved (greater than zero).")
@click.option("--unit", help="Unit of --qty (default: the product's base unit).")
@pass_state
def stock_transfer(state: CliState, source: str, target: str, product: str, qty: str, unit: str | None) -> None:
    """Move goods between warehouses: create and confirm one transfer (调拨)."""
    _one_step(state, "transfer", source, product, qty, to=target, unit=unit)


@stock_group.command("onhand")
@click.option("--warehouse", help="Only this warehouse (code or name).")
@click.option("--product", help="Only this product (code, barcode or name).")
@click.option("--all", "include_zero", is_flag=True, help="Also list products with nothing on hand.")
@FORMAT
@pass_state
def stock_onhand(state: CliState, warehouse: str | None, product: str | None, include_zero: bool, fmt: str) -> None:
    """On-hand quantity, moving-average unit cost and value by warehouse and product."""
    from crm_tui.services.stock import analysis as stock_analysis
    from crm_tui.services.stock import products
    from crm_tui.services.stock import warehouses as stock_warehouses

    def work(session):
        wh = stock_warehouses.find_warehouse(session, warehouse) if warehouse else None
        prod = products.find_product(session, product) if product else None
        rows = stock_analysis.onhand(session, warehouse_id=wh.id if wh else None,
                                     product_id=prod.id if prod else None, include_zero=include_zero)
        return rows
    rows = state.read(work)
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    from crm_tui.core.money import format_money

    echo_table([_("Warehouse"), _("Code"), _("Product"), _("Spec"), _("Unit"), _("Quantity"), _("Unit cost"),
                _("Stock value")],
               [[r.warehouse_code, r.product_code, r.product_name, r.spec, r.unit, _plain(r.quantity),
                 _plain(r.unit_cost.quantize(r.unit_cost.__class__("0.0001"))), format_money(r.value)]
                for r in rows])


@stock_group.command("alarms")
@click.option("--warehouse", help="Only this warehouse (code or name).")
@FORMAT
@pass_state
def stock_alarms(state: CliState, warehouse: str | None, fmt: str) -> None:
    """Products under their safety stock, per warehouse (安全库存报警)."""
    from crm_tui.services.stock import alarms as alarms_service
    from crm_tui.services.stock import warehouses as stock_warehouses

    def work(session):
        wh = stock_warehouses.find_warehouse(session, warehouse) if warehouse else None
        return alarms_service.alarms(session, wh.id if wh else None)
    rows = state.read(work)
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table([_("Warehouse"), _("Code"), _("Product"), _("Safety stock"), _("On hand"), _("Short")],
               [[r.warehouse_code, r.product_code, r.product_name, _plain(r.safety_stock), _plain(r.quantity),
                 _plain(r.shortage)] for r in rows])


@stock_group.command("history")
@click.option("--product", required=True, help="Product code, barcode or name.")
@click.option("--warehouse", help="Only this warehouse (code or name).")
@FORMAT
@pass_state
def stock_history(state: CliState, product: str, warehouse: str | None, fmt: str) -> None:
    """The movement history of a product, with the running balance."""
    from crm_tui.services.stock import analysis as stock_analysis
    from crm_tui.services.stock import products
    from crm_tui.services.stock import warehouses as stock_warehouses

    def work(session):
        prod = products.find_product(session, product)
        wh = stock_warehouses.find_warehouse(session, warehouse) if warehouse else None
        return stock_analysis.movement_history(session, prod.id, wh.id if wh else None)
    rows = state.read(work)
    if fmt == "json":
        echo_json([{"at": r.moved_at, "warehouse": r.warehouse_code, "document": r.doc_number,
                    "kind": r.doc_type, "quantity": str(r.quantity), "unit_cost": str(r.unit_cost),
                    "amount": str(r.amount), "balance": str(r.balance), "reversal": r.is_reversal} for r in rows])
        return
    echo_table([_("Time"), _("Warehouse"), _("Document"), _("Quantity"), _("Amount"), _("Balance")],
               [[r.moved_at.strftime("%Y-%m-%d %H:%M"), r.warehouse_code, r.doc_number, _plain(r.quantity),
                 str(r.amount), _plain(r.balance)] for r in rows])


@stock_group.command("value")
@FORMAT
@pass_state
def stock_value(state: CliState, fmt: str) -> None:
    """Stock value per warehouse."""
    from crm_tui.services.stock import analysis as stock_analysis

    def work(session):
        return stock_analysis.value_by_warehouse(session)
    rows = state.read(work)
    if fmt == "json":
        echo_json([{"warehouse": r.warehouse_code, "name": r.warehouse_name, "products": r.products,
                    "value": str(r.value)} for r in rows])
        return
    from crm_tui.core.money import format_money

    echo_table([_("Warehouse"), _("Warehouse name"), _("Products held"), _("Stock value")],
               [[r.warehouse_code, r.warehouse_name, r.products, format_money(r.value)] for r in rows])


# --- stocktaking --------------------------------------------------------------------------------------

@stock_group.group("count")
def count_group() -> None:
    """Stocktaking: make a count sheet, load the counts, post the differences."""


@count_group.command("start")
@click.option("--warehouse", required=True, help="Warehouse to count (code or name).")
@click.option("--category", help="Only this category.")
@click.option("--all", "all_products", is_flag=True, help="Every active product, also those not in stock.")
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the sheet for counting (.xlsx).")
@click.option("--blind", is_flag=True, help="Leave the book quantities off the written sheet.")
@pass_state
def count_start(state: CliState, warehouse, category, all_products, out, blind) -> None:
    """Make a count sheet (a draft stocktaking document) with the book quantities of now."""
    from crm_tui.services.stock import stocktake as stock_stocktake
    from crm_tui.services.stock import warehouses as stock_warehouses

    actor = state.actor()

    def work(session):
        wh = stock_warehouses.find_warehouse(session, warehouse)
        doc_id = stock_stocktake.create_count_sheet(session, actor, wh.id, category=category,
                                                    all_products=all_products)
        if out:
            stock_stocktake.export_count_sheet(session, doc_id, out, blind=blind)
        return doc_id, wh
    doc_id, wh = state.run(work)
    click.echo(_("Count sheet {id} made for {warehouse}.").format(id=doc_id, warehouse=wh.code)
               + (" " + _("Written to {path}").format(path=out) if out else ""))


@count_group.command("load")
@click.argument("sheet", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@pass_state
def count_load(state: CliState, sheet: int, file) -> None:
    """Enter the counts (商品编码, 实盘数量) of a filled-in sheet; nothing is entered if a row is bad."""
    from pathlib import Path

    from crm_tui.services.stock import stocktake as stock_stocktake

    actor = state.actor()

    def work(session):
        n, problems = stock_stocktake.import_counts(session, actor, sheet, Path(file))
        differences = stock_stocktake.differences(session, sheet)
        return differences, n, problems
    differences, n, problems = state.run(work)
    for line in problems:
        click.echo(line, err=True)
    if problems:
        click.echo(_("Nothing was written."))
        raise SystemExit(1)
    click.echo(n_("{n} count entered; {d} differences.", "{n} counts entered; {d} differences.", n).format(
        n=n, d=len(differences)))
    for d in differences:
        click.echo(f"  {d.product_code}  {d.product_name}  {_plain(d.book_quantity)} → {_plain(d.counted_quantity)}"
                   f"  ({'+' if d.difference > 0 else ''}{_plain(d.difference)})")


@count_group.command("post")
@click.argument("sheet", type=int)
@pass_state
def count_post(state: CliState, sheet: int) -> None:
    """Post the differences of a count sheet to the stock (the sheet is confirmed and numbered)."""
    from crm_tui.services.stock import documents as stock_documents
    from crm_tui.services.stock import stocktake as stock_stocktake

    actor = state.actor()

    def work(session):
        n = len(stock_stocktake.differences(session, sheet))
        number = stock_documents.confirm(session, actor, sheet)
        return n, number
    n, number = state.run(work)
    click.echo(n_("Stocktaking {number} posted: {n} difference adjusted.",
                  "Stocktaking {number} posted: {n} differences adjusted.", n).format(number=number, n=n))


# --- warehouses ------------------------------------------------------------------------------------

@click.group("warehouses")
def warehouses_group() -> None:
    """Warehouses."""


@warehouses_group.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--address", help="Address.")
@click.option("--keeper", help="Warehouse keeper (仓管员).")
@pass_state
def warehouses_add(state: CliState, code: str, name: str, address: str | None, keeper: str | None) -> None:
    """Add a warehouse."""
    from crm_tui.services.stock import warehouses as stock_warehouses

    actor = state.actor()

    def work(session):
        stock_warehouses.add_warehouse(session, actor, code, name, address=address, keeper=keeper)
    state.run(work)
    click.echo(_("Warehouse {code} {name} added.").format(code=code.strip(), name=name.strip()))


@warehouses_group.command("list")
@FORMAT
@pass_state
def warehouses_list(state: CliState, fmt: str) -> None:
    """List warehouses with their stock value."""
    from crm_tui.services.stock import analysis as stock_analysis
    from crm_tui.services.stock import warehouses as stock_warehouses

    def work(session):
        rows = stock_warehouses.list_warehouses(session)
        values = {v.warehouse_id: v for v in stock_analysis.value_by_warehouse(session)}
        return rows, values
    rows, values = state.read(work)
    if fmt == "json":
        echo_json([{"code": w.code, "name": w.name, "address": w.address, "keeper": w.keeper, "active": w.active,
                    "products": values[w.id].products, "value": str(values[w.id].value)} for w in rows])
        return
    from crm_tui.core.money import format_money

    echo_table([_("Code"), _("Warehouse name"), _("Keeper"), _("Active"), _("Products held"), _("Stock value")],
               [[w.code, w.name, w.keeper, _("yes") if w.active else _("no"), values[w.id].products,
                 format_money(values[w.id].value)] for w in rows])


# --- products ----------------------------------------------------------------------------------------

@click.group("products")
def products_group() -> None:
    """Products (商品)."""


@products_group.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--spec", help="Specification (规格).")
@click.option("--unit", help="Unit (箱, 瓶 …).")
@click.option("--category", help="Category.")
@click.option("--barcode", help="Barcode.")
@click.option("--tax-rate", help="Tax rate: 13%, 0.13 or 13 (default 13%).")
@click.option("--price", help="Sale price, net of tax.")
@click.option("--gross-price", help="Sale price including tax.")
@click.option("--purchase-price", help="Purchase price, net of tax.")
@click.option("--safety-stock", help="Safety stock in every warehouse.")
@pass_state
def products_add(state: CliState, code, name, spec, unit, category, barcode, tax_rate, price, gross_price,
                 purchase_price, safety_stock) -> None:
    """Add a product."""
    from crm_tui.core.errors import ValidationError
    from crm_tui.core.money import parse_rate
    from crm_tui.services.stock import products

    actor = state.actor()
    values = {"code": code, "name": name, "spec": spec, "unit": unit, "category": category, "barcode": barcode}
    try:
        if tax_rate is not None:
            values["tax_rate"] = parse_rate(tax_rate)
    except ValueError as exc:
        raise ValidationError(f"--tax-rate: {exc}") from None
    for key, raw, option in (("sale_price", price, "--price"), ("sale_price_gross", gross_price, "--gross-price"),
                             ("purchase_price", purchase_price, "--purchase-price"),
                             ("safety_stock", safety_stock, "--safety-stock")):
        if raw is not None:
            values[key] = _decimal(raw, "--cost" if "price" in option else option, positive=False)

    def work(session):
        products.add_product(session, actor, **values)
    state.run(work)
    click.echo(_("Product {code} {name} added.").format(code=code, name=name))


@products_group.command("list")
@click.option("--search", default="", help="Code, name, spec, barcode or pinyin (bj, qingdao).")
@click.option("--limit", default=100, show_default=True)
@FORMAT
@pass_state
def products_list(state: CliState, search: str, limit: int, fmt: str) -> None:
    """List or search products."""
    from crm_tui.services.stock import products

    def work(session):
        return products.search_products(session, search, limit=limit)
    rows = state.read(work)
    if fmt == "json":
        echo_json([{"code": r.code, "name": r.name, "spec": r.spec, "unit": r.unit, "category": r.category,
                    "barcode": r.barcode, "tax_rate": str(r.tax_rate),
                    "sale_price": None if r.sale_price is None else str(r.sale_price),
                    "sale_price_gross": None if r.sale_price_gross is None else str(r.sale_price_gross),
                    "purchase_price": None if r.purchase_price is None else str(r.purchase_price),
                    "safety_stock": str(r.safety_stock), "active": r.active} for r in rows])
        return
    echo_table([_("Code"), _("Product"), _("Spec"), _("Unit"), _("Category"), _("Price"), _("Gross price")],
               [[r.code, r.name, r.spec, r.unit, r.category, r.sale_price, r.sale_price_gross] for r in rows])


# --- import / export (on the shared ``crm import`` / ``crm export`` groups) --------------------------------

def _import_options(fn):
    for option in reversed([
        click.argument("file", type=click.Path(exists=True, dir_okay=False)),
        click.option("--dry-run", is_flag=True, help="Check the file and report what would happen; write nothing."),
        click.option("--skip-invalid", is_flag=True,
                     help="Import the good rows; put the bad ones into the error workbook."),
        click.option("--errors", "errors_path", type=click.Path(dir_okay=False), metavar="OUT.xlsx",
                     help="Where to write the rejected rows with a reason column (default: FILE-errors.xlsx)."),
        click.option("--on-duplicate", type=click.Choice(["skip", "update", "error"]), default="error",
                     show_default=True, help="What to do with a row matching an existing record."),
        click.option("--sheet", help="Sheet name (default: the first whose header matches)."),
    ]):
        fn = option(fn)
    return fn


def _run_import(state: CliState, importer, file, dry_run, skip_invalid, errors_path, on_duplicate, sheet) -> None:
    from pathlib import Path

    actor = state.actor()
    outcome = importer(state.engine(), actor, Path(file), on_duplicate=on_duplicate, skip_invalid=skip_invalid,
                       dry_run=dry_run, errors_path=Path(errors_path) if errors_path else None, sheet=sheet,
                       on_wait=state.say_waiting)
    for line in outcome.errors:
        click.echo(line, err=True)
    if outcome.unknown_columns:
        click.echo(_("Columns not imported: {names}").format(names=", ".join(outcome.unknown_columns)), err=True)
    if outcome.error_workbook:
        click.echo(_("Rejected rows written to {path}").format(path=outcome.error_workbook), err=True)
    click.echo(outcome.summary())
    if dry_run and outcome.ok:
        click.echo(_("Dry run: the file is fine; run again without --dry-run to import it."))
    if outcome.errors and not skip_invalid:
        raise SystemExit(1)


def _register_io() -> None:
    from crm_tui.cli.groups import export_group, import_group

    @import_group.command("products")
    @_import_options
    @pass_state
    def import_products(state: CliState, file, dry_run, skip_invalid, errors_path, on_duplicate, sheet) -> None:
        """Import products: 商品编码, 商品名称, 规格, 单位, 类别, 条码, 税率, 销售单价, 含税销售单价, 采购单价,
        安全库存, 备注."""
        from crm_tui.services.stock.products_io import import_products as importer

        _run_import(state, importer, file, dry_run, skip_invalid, errors_path, on_duplicate, sheet)

    @import_group.command("suppliers")
    @_import_options
    @pass_state
    def import_suppliers(state: CliState, file, dry_run, skip_invalid, errors_path, on_duplicate, sheet) -> None:
        """Import suppliers: 供应商编码, 供应商名称, 简称, 统一社会信用代码, 地址, 电话, 开户行, 账号, 期初应付,
        联系人, 职务, 手机, 备注."""
        from crm_tui.services.purchasing.suppliers_io import import_suppliers as importer

        _run_import(state, importer, file, dry_run, skip_invalid, errors_path, on_duplicate, sheet)

    @export_group.command("products")
    @click.argument("out", type=click.Path(dir_okay=False), metavar="OUT.xlsx")
    @click.option("--all", "include_inactive", is_flag=True, help="Also inactive products.")
    @click.option("--category", help="Only this category.")
    @pass_state
    def export_products(state: CliState, out, include_inactive, category) -> None:
        """Export products (the same headers as the import, so the file imports back)."""
        from crm_tui.services.stock.products_io import export_products as exporter

        def work(session):
            return exporter(session, out, include_inactive=include_inactive, category=category)
        n = state.read(work)
        click.echo(n_("{n} product written to {path}", "{n} products written to {path}", n).format(n=n, path=out))

    @export_group.command("suppliers")
    @click.argument("out", type=click.Path(dir_okay=False), metavar="OUT.xlsx")
    @pass_state
    def export_suppliers(state: CliState, out) -> None:
        """Export suppliers with their primary contact (the same headers as the import)."""
        from crm_tui.services.purchasing.suppliers_io import export_suppliers as exporter

        def work(session):
            return exporter(session, out)
        n = state.read(work)
        click.echo(n_("{n} supplier written to {path}", "{n} suppliers written to {path}", n).format(n=n, path=out))


def register(cli: click.Group) -> None:
    _register_io()
    cli.add_command(stock_group)
    cli.add_command(warehouses_group)
    cli.add_command(products_group)
