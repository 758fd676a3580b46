"""Importing sales orders and receipts from Excel/CSV (on the io framework), all or nothing.

Orders (``crm import orders``): one row per order line, grouped by 订单号 — the customer's or the clerk's own
reference, kept on the order (``external_ref``). Headers: 订单号, 订单日期, 客户编号 (or 客户名称), 商品编码, 数量,
单价 or 含税单价 (one of the two per row), 税率 (13% / 0.13 / 13; empty: the product's), 交货日期, 备注. The rows of
one order must agree on its date and customer. An order whose reference the customer already has is left
alone, so importing a file again creates nothing twice.

Receipts (``crm import receipts``): headers 日期, 客户编号 (or 客户名称), 金额, 币种 (default CNY), 汇率 (required
when the currency is not CNY), 账户, 方式, 订单号 (an order number or imported reference; empty: an advance), 备注.
Each row is fingerprinted; a row already imported is skipped, so a file can be imported again safely.

Every problem of the whole file is reported (file, sheet, row, column, what is expected) before anything is
written; with any problem nothing is written.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import CrmError, ValidationError
from crm_tui.core.money import parse_money
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.products import Product
from crm_tui.db.models.sales import Receipt, SalesOrder
from crm_tui.i18n import _
from crm_tui.io import cells
from crm_tui.io.cells import CellError
from crm_tui.io.importing import FieldSpec, ImportResult, ParsedRow, read_and_validate
from crm_tui.services.customers.visibility import visible_customers_clause
from crm_tui.services.sales import permissions as perms


class ImportFailed(ValidationError):
    """The file has problems; ``lines`` lists every one. Nothing was written."""

    def __init__(self, lines: list[str]):
        super().__init__(_("{n} problems; nothing was imported.").format(n=len(lines)) if len(lines) != 1
                         else _("1 problem; nothing was imported."))
        self.lines = lines


def unit_price(raw: Any) -> Decimal:
    """A unit price: ``12.5``, ``¥1,234.50``, up to six decimal places, not negative."""
    try:
        value = Decimal(repr(raw)) if raw.__class__ is float else parse_money(raw)
    except (ValueError, InvalidOperation):
        raise CellError(_("expected a price such as 12.50")) from None
    if value < 0:
        raise CellError(_("expected a price that is not negative"))
    if value != value.quantize(Decimal("0.000001")):
        if raw.__class__ is not float:
            raise CellError(_("expected a price with at most 6 decimal places"))
        value = value.quantize(Decimal("0.000001"))
    return value


def positive(parse):
    def wrapped(raw):
        value = parse(raw)
        if value <= 0:
            raise CellError(_("expected a number greater than zero"))
        return value

    return wrapped


CUSTOMER_SPECS = (
    FieldSpec("customer_code", "客户编号", ("客户代码", "客户编码", "customer code"), cells.code_text),
    FieldSpec("customer_name", "客户名称", ("客户", "customer name", "customer"), cells.text),
)

ORDER_SPECS = (
    FieldSpec("ref", "订单号", ("客户订单号", "订单编号", "合同号", "order no", "order number"), cells.code_text,
              required=True),
    FieldSpec("order_date", "订单日期", ("下单日期", "日期", "order date"), cells.date, required=True, kind="date"),
    *CUSTOMER_SPECS,
    FieldSpec("product_code", "商品编码", ("商品代码", "产品编码", "商品编号", "product code"), cells.code_text,
              required=True),
    FieldSpec("quantity", "数量", ("订货数量", "quantity", "qty"), positive(cells.quantity), required=True,
              kind="decimal"),
    FieldSpec("price", "单价", ("不含税单价", "net price", "price"), unit_price, kind="decimal"),
    FieldSpec("gross_price", "含税单价", ("含税价", "gross price"), unit_price, kind="decimal"),
    FieldSpec("tax_rate", "税率", ("tax rate",), cells.rate, kind="rate"),
    FieldSpec("delivery_date", "交货日期", ("交期", "delivery date"), cells.date, kind="date"),
    FieldSpec("remarks", "备注", ("说明", "remarks", "note"), cells.text_max(300)),
)

RECEIPT_SPECS = (
    FieldSpec("received_on", "日期", ("收款日期", "到款日期", "date"), cells.date, required=True, kind="date"),
    *CUSTOMER_SPECS,
    FieldSpec("amount", "金额", ("收款金额", "到款金额", "amount"), positive(cells.money), required=True, kind="money"),
    FieldSpec("currency", "币种", ("货币", "currency"), cells.text_max(8)),
    FieldSpec("rate", "汇率", ("exchange rate", "rate"), positive(cells.decimal), kind="decimal"),
    FieldSpec("account", "账户", ("收款账户", "account"), cells.text_max(64)),
    FieldSpec("method", "方式", ("收款方式", "付款方式", "method"), cells.text_max(32)),
    FieldSpec("order", "订单号", ("订单编号", "order no", "order number", "order"), cells.code_text),
    FieldSpec("remarks", "备注", ("说明", "remarks", "note"), cells.text_max(300)),
)


def _one_customer_column(values: dict) -> list[tuple[str | None, str]]:
    if not values.get("customer_code") and not values.get("customer_name"):
        return [("customer_code", _("give the customer code or the customer name"))]
    return []


def _one_price(values: dict) -> list[tuple[str | None, str]]:
    if values.get("price") is None and values.get("gross_price") is None:
        return [("price", _("give the net price (单价) or the tax-inclusive price (含税单价)"))]
    if values.get("price") is not None and values.get("gross_price") is not None:
        return [("gross_price", _("give either 单价 or 含税单价, not both"))]
    return []


class _Customers:
    """Customer look-ups by code or name, limited to the customers the importing user may see."""

    def __init__(self, session: Session, actor: Actor):
        self.session, self.actor = session, actor
        self.clause = visible_customers_clause(session, actor)
        self.cache: dict[tuple[str, str], tuple[int | None, str | None]] = {}

    def find(self, code: str | None, name: str | None) -> tuple[int | None, str | None, str]:
        """(id, None, key) when found, or (None, message, column key)."""
        key = ("code", code) if code else ("name", name)
        if key not in self.cache:
            self.cache[key] = self._look_up(*key)
        cid, problem = self.cache[key]
        return cid, problem, "customer_code" if code else "customer_name"

    def _look_up(self, by: str, value: str) -> tuple[int | None, str | None]:
        column = Customer.code if by == "code" else Customer.name
        rows = self.session.execute(select(Customer.id, Customer.status).where(column == value, self.clause)
                                    .limit(2)).all()
        if not rows:
            return None, (_("no customer you may see has this code") if by == "code"
                          else _("no customer you may see has this name"))
        if len(rows) > 1:
            return None, _("several customers have this name; use the customer code")
        if rows[0][1] != "active":
            return None, _("the customer is archived")
        return rows[0][0], None


def _fail(result: ImportResult) -> None:
    if not result.ok:
        raise ImportFailed(result.error_lines())


# --- orders -------------------------------------------------------------------------------------------------


@dataclass
class OrderImport:
    file: str
    rows: int = 0
    created: list[str] = field(default_factory=list)  # numbers (confirmed) or #ids (drafts)
    pending: list[str] = field(default_factory=list)  # waiting for discount approval
    skipped: list[str] = field(default_factory=list)  # references the customer already has


def check_orders(session: Session, actor: Actor, path: str | Path, progress=None) -> tuple[ImportResult, dict]:
    """Read and check an orders file; returns the result and the groups {reference: (customer id, rows)}."""
    perms.require(actor, "sales.edit")
    result = read_and_validate(path, ORDER_SPECS, checks=(_one_customer_column, _one_price), progress=progress)
    found = _Customers(session, actor)
    codes = {r.values["product_code"] for r in result.good_rows}
    products = {code: (pid, active) for code, pid, active in session.execute(
        select(Product.code, Product.id, Product.active).where(Product.code.in_(codes)))} if codes else {}
    groups: dict[str, tuple[int, list[ParsedRow]]] = {}
    heads: dict[str, tuple[ParsedRow, int | None]] = {}  # the first row of each order and its customer
    for row in result.good_rows:
        v = row.values
        cid, problem, column = found.find(v.get("customer_code"), v.get("customer_name"))
        if problem:
            result.reject(row, problem, column)
        product = products.get(v["product_code"])
        if product is None:
            result.reject(row, _("no product has this code"), "product_code")
        elif not product[1]:
            result.reject(row, _("the product is no longer sold (inactive)"), "product_code")
        head, head_cid = heads.setdefault(v["ref"], (row, cid))
        if head is not row:
            differs = _("differs from row {row}, the first of this order").format(row=head.row)
            if v["order_date"] != head.values["order_date"]:
                result.reject(row, differs, "order_date")
            if cid != head_cid:
                result.reject(row, differs, column)
        if row.ok:
            groups.setdefault(v["ref"], (cid, []))[1].append(row)
    return result, {ref: (cid, rows) for ref, (cid, rows) in groups.items()}


def import_orders(session: Session, actor: Actor, path: str | Path, *, confirm: bool = False,
                  progress=None) -> OrderImport:
    """Create the file's orders (and confirm them with ``confirm``) in the caller's transaction.

    Raises ``ImportFailed`` listing every problem; the caller's transaction then writes nothing."""
    from crm_tui.services.sales import orders
    from crm_tui.services.sales.pricing import LineInput

    result, groups = check_orders(session, actor, path, progress)
    _fail(result)
    report = OrderImport(Path(path).name, len(result.rows))
    product_ids = dict(session.execute(select(Product.code, Product.id)).all()) if groups else {}
    for ref, (cid, rows) in groups.items():
        if session.scalar(select(SalesOrder.id).where(SalesOrder.customer_id == cid, SalesOrder.external_ref == ref)):
            report.skipped.append(ref)
            continue
        lines = [LineInput(product_ids[r.values["product_code"]], r.values["quantity"],
                           r.values["price"] if r.values.get("price") is not None else r.values["gross_price"],
                           "net" if r.values.get("price") is not None else "gross", r.values.get("tax_rate"),
                           delivery_date=r.values.get("delivery_date"), remarks=r.values.get("remarks"))
                 for r in rows]
        head = rows[0].values
        dates = [d for d in (r.values.get("delivery_date") for r in rows) if d]
        try:
            oid = orders.create_order(session, actor, cid, lines, order_date=head["order_date"], external_ref=ref,
                                      delivery_date=min(dates) if dates else None)
            status = orders.confirm_order(session, actor, oid) if confirm else "draft"
        except CrmError as exc:  # a rule of the order service (e.g. a discount beyond 100%): name the rows
            result.reject(rows[0], exc.message)
            continue
        number = session.scalar(select(SalesOrder.number).where(SalesOrder.id == oid))
        (report.pending if status == "pending_approval" else report.created).append(number or f"{ref} (#{oid})")
    _fail(result)
    return report


# --- receipts -----------------------------------------------------------------------------------------------


@dataclass
class ReceiptImport:
    file: str
    rows: int = 0
    created: list[str] = field(default_factory=list)
    skipped: int = 0  # rows imported before
    advances: Decimal = Decimal(0)  # RMB left unapplied (advances)


def _fingerprint(values: dict, customer_id: int, seen: Counter) -> str:
    """The same row (customer, date, amount, currency, rate, account, method, order, remarks) gets the same key;
    a repeat within the file counts up, so two equal payments on one day are two receipts."""
    parts = [str(customer_id)] + [str(values.get(k) or "") for k in
                                  ("received_on", "amount", "currency", "rate", "account", "method", "order", "remarks")]
    text = "\x1f".join(parts)
    seen[text] += 1
    return hashlib.sha256(f"{text}\x1e{seen[text]}".encode()).hexdigest()[:40]


def check_receipts(session: Session, actor: Actor, path: str | Path, progress=None) -> tuple[ImportResult, list]:
    from crm_tui.services.sales import receipts

    perms.require(actor, "sales.money")
    result = read_and_validate(path, RECEIPT_SPECS, checks=(_one_customer_column,), progress=progress)
    found = _Customers(session, actor)
    accounts = {a.name: a.id for a in receipts.list_accounts(session, active_only=False)}
    seen: Counter = Counter()
    plan = []
    for row in result.good_rows:
        v = row.values
        cid, problem, column = found.find(v.get("customer_code"), v.get("customer_name"))
        if problem:
            result.reject(row, problem, column)
            continue
        try:
            currency = receipts.parse_currency(v.get("currency"))
            _rate, cny = receipts.convert(v["amount"], currency, v.get("rate"))
        except ValidationError as exc:
            result.reject(row, exc.message, "currency" if exc.field == "currency" else "rate")
            continue
        account_id = None
        if v.get("account"):
            account_id = accounts.get(v["account"])
            if account_id is None:
                result.reject(row, _("no such receipt account (known: {known})").format(
                    known=", ".join(accounts) or _("none yet")), "account")
                continue
        order_id = None
        if v.get("order"):
            order_id = _order_for(session, cid, v["order"])
            if isinstance(order_id, str):
                result.reject(row, order_id, "order")
                continue
        plan.append((row, cid, currency, account_id, order_id, cny, _fingerprint(v, cid, seen)))
    return result, plan


def _order_for(session: Session, customer_id: int, key: str) -> int | str:
    """The customer's confirmed order with this number or imported reference, or what is wrong."""
    row = session.execute(select(SalesOrder.id, SalesOrder.customer_id, SalesOrder.status)
                          .where(SalesOrder.number == key)).first()
    if row is None:
        row = session.execute(select(SalesOrder.id, SalesOrder.customer_id, SalesOrder.status)
                              .where(SalesOrder.external_ref == key, SalesOrder.customer_id == customer_id)).first()
    if row is None:
        return _("the customer has no order with this number or reference")
    if row.customer_id != customer_id:
        return _("this order is another customer's")
    if row.status not in ("confirmed", "done"):
        return _("the order is {status}; receipts apply to confirmed orders").format(status=_(row.status))
    return row.id


def import_receipts(session: Session, actor: Actor, path: str | Path, progress=None) -> ReceiptImport:
    """Record the file's receipts in the caller's transaction (``ImportFailed`` on any problem)."""
    from crm_tui.services.sales import receipts

    result, plan = check_receipts(session, actor, path, progress)
    _fail(result)
    report = ReceiptImport(Path(path).name, len(result.rows))
    known = set(session.scalars(select(Receipt.import_key).where(Receipt.import_key.in_([p[-1] for p in plan])))) \
        if plan else set()
    for row, cid, currency, account_id, order_id, _cny, key in plan:
        if key in known:
            report.skipped += 1
            continue
        v = row.values
        rid = receipts.record_receipt(session, actor, cid, v["amount"], received_on=v["received_on"],
                                      currency=currency, rate=v.get("rate"), account_id=account_id,
                                      method=v.get("method"), remarks=v.get("remarks"), order_id=order_id,
                                      import_key=key)
        view = receipts.get_receipt(session, actor, rid)
        report.created.append(view.number)
        report.advances += view.unapplied
    return report
