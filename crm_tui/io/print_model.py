"""What a printed document holds: plain data, filled by the adapters of each document kind.

The PDF and Excel writers only ever see these dataclasses, never an ORM row, so a new document kind needs
just an adapter (``crm_tui/services/printing/documents.py``) that copies its fields in. Money and quantities are
``Decimal``; the writers format them.

Kinds: ``quote`` 报价单, ``order`` 销售合同/订单, ``delivery`` 出货单, ``purchase_order`` 采购订单 (all
``PrintDocument``) and ``statement`` 对账单 (``StatementDocument``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from crm_tui.core import clock
from crm_tui.core.money import ZERO, amount_in_words, round_money

LINE_KINDS = ("quote", "order", "delivery", "purchase_order")
LINE_KINDS += ("purchase_return",)  # 采购退货单
KINDS = (*LINE_KINDS, "statement")
LINE_KINDS = (*LINE_KINDS, "sales_return", "invoice")  # 销售退货单, 发票 (and 红字发票)
KINDS = (*LINE_KINDS, "statement")


@dataclass
class Party:
    """The other side: a customer (sales documents, statements) or a supplier (purchase orders)."""

    name: str
    code: str = ""
    address: str = ""
    contact: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    tax_number: str = ""
    bank: str = ""
    account: str = ""


@dataclass
class Company:
    """Our company, as printed in the header; ``from_settings`` reads the ``[company]`` section."""

    name: str
    address: str = ""
    phone: str = ""
    tax_number: str = ""
    bank: str = ""
    account: str = ""
    logo: str = ""  # path of an image file (PNG/JPEG); empty for none

    @classmethod
    def from_settings(cls, settings: dict | None = None) -> Company:
        if settings is None:
            from crm_tui.config import get_settings

            settings = get_settings()
        c = settings.get("company", {})
        return cls(**{k: str(c.get(k, "") or "") for k in
                      ("name", "address", "phone", "tax_number", "bank", "account", "logo")})


@dataclass
class PrintLine:
    """One row of the line table. ``amount`` is the tax-inclusive line total (价税合计)."""

    name: str
    quantity: Decimal
    code: str = ""
    spec: str = ""
    unit: str = ""
    unit_price: Decimal | None = None  # net price 单价 (不含税)
    gross_price: Decimal | None = None  # tax-inclusive price 含税单价
    tax_rate: Decimal | None = None  # 0.13 for 13%
    net_amount: Decimal | None = None
    tax_amount: Decimal | None = None
    amount: Decimal | None = None
    remark: str = ""
    brand: str = ""
    batch: str = ""
    warehouse: str = ""
    delivery_date: date | None = None


@dataclass
class Totals:
    net: Decimal
    tax: Decimal
    gross: Decimal
    quantity: Decimal = ZERO

    @classmethod
    def of_lines(cls, lines: list[PrintLine]) -> Totals:
        """The sum of the rounded lines (the rule for every document total); a missing part counts zero."""
        net = sum((round_money(ln.net_amount or 0) for ln in lines), ZERO)
        tax = sum((round_money(ln.tax_amount or 0) for ln in lines), ZERO)
        gross = sum((round_money(ln.amount) if ln.amount is not None
                     else round_money(ln.net_amount or 0) + round_money(ln.tax_amount or 0) for ln in lines), ZERO)
        qty = sum((ln.quantity for ln in lines), ZERO)
        return cls(net, tax, gross, qty)


@dataclass
class PrintDocument:
    """A quote, sales order/contract, delivery note or purchase order, ready to print.

    ``title``, ``terms`` and ``company`` left as None come from the template and the settings. ``info`` adds
    header fields of the adapter's own (label, value), e.g. ("付款方式", "月结30天").
    """

    kind: str
    number: str
    date: date
    party: Party
    lines: list[PrintLine]
    totals: Totals | None = None
    title: str | None = None
    company: Company | None = None
    valid_until: date | None = None
    delivery_date: date | None = None
    reference: str = ""  # the customer's order number / external reference
    salesperson: str = ""
    payment_terms: str = ""
    delivery_address: str = ""
    currency: str = "CNY"
    info: list[tuple[str, str]] = field(default_factory=list)
    terms: list[str] | None = None
    remarks: str = ""
    our_signatory: str = ""  # printed under our seal block, e.g. the salesperson
    party_signatory: str = ""

    def __post_init__(self) -> None:
        if self.kind not in LINE_KINDS:
            raise ValueError(f"unknown document kind {self.kind!r} (expected one of {', '.join(LINE_KINDS)})")
        if self.totals is None:
            self.totals = Totals.of_lines(self.lines)

    @property
    def gross_in_words(self) -> str:
        """人民币壹万贰仟叁佰肆拾伍元陆角柒分."""
        return "人民币" + amount_in_words(self.totals.gross)


@dataclass
class StatementEntry:
    """One movement on a customer's account: a delivery or invoice (debit) or a receipt (credit)."""

    date: date
    kind: str  # what it is, as printed: 销售出库, 收款, 退货 …
    number: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    balance: Decimal | None = None  # running balance; computed from the opening balance when None
    remark: str = ""


@dataclass
class StatementDocument:
    """A statement of account (对账单) for one customer and period."""

    party: Party
    date_from: date
    date_to: date
    opening_balance: Decimal
    entries: list[StatementEntry]
    closing_balance: Decimal | None = None
    number: str = ""  # optional reference printed in the header
    date: date | None = None  # the day it was made; today when None
    title: str | None = None
    company: Company | None = None
    salesperson: str = ""
    info: list[tuple[str, str]] = field(default_factory=list)
    terms: list[str] | None = None
    remarks: str = ""
    our_signatory: str = ""
    party_signatory: str = ""
    kind: str = "statement"

    def __post_init__(self) -> None:
        balance = self.opening_balance
        for entry in self.entries:
            balance = balance + entry.debit - entry.credit
            if entry.balance is None:
                entry.balance = balance
        if self.closing_balance is None:
            self.closing_balance = balance
        if self.date is None:
            self.date = clock.today()

    @property
    def total_debit(self) -> Decimal:
        return sum((e.debit for e in self.entries), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((e.credit for e in self.entries), ZERO)

    @property
    def closing_in_words(self) -> str:
        return "人民币" + amount_in_words(self.closing_balance)


# --- what goes in each cell (raw values; the writers format them) -----------------------------------

def line_cell(line: PrintLine, key: str, seq: int) -> object:
    """The value of column ``key`` for a document line; ``seq`` is the 1-based row number."""
    if key == "seq":
        return seq
    return getattr(line, key)


def statement_cell(entry: StatementEntry, key: str, seq: int) -> object:
    if key == "seq":
        return seq
    return getattr(entry, key)


def info_value(doc: PrintDocument | StatementDocument, key: str, date_format: str = "%Y-%m-%d") -> str:
    """A header field as text: ``number``, ``date``, ``period`` …; empty when the document has none."""
    if key == "period":
        if not isinstance(doc, StatementDocument):
            return ""
        return f"{doc.date_from.strftime(date_format)} ~ {doc.date_to.strftime(date_format)}"
    value = getattr(doc, key, "")
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime(date_format)
    return str(value)


def party_value(party: Party, key: str) -> str:
    return str(getattr(party, key, "") or "")
