"""The sales reports as tables (title, typed columns, rows): what the Reports tab shows and what the Excel export
writes (``crm report … --xlsx OUT.xlsx``, F9 on the tab). Headers are Chinese, like the printed documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.i18n import _

REPORTS = {
    "receivables": "Receivables",
    "aging": "Receivables by age",
    "unshipped": "Unshipped goods",
    "sales_salesperson": "Sales by salesperson",
    "sales_product": "Sales by product",
    "sales_customer": "Sales by customer",
    "sales_month": "Sales by month",
    "expenses_salesperson": "Expenses by salesperson",
    "expenses_customer": "Expenses by customer",
    "expenses_category": "Expenses by category",
    "invoices": "Invoices outstanding",
}


@dataclass
class ReportTable:
    title: str
    columns: list[tuple[str, str]]  # (header, kind: text | money | decimal | date | integer | rate)
    rows: list[list[Any]]


def report_table(session: Session, actor: Actor, name: str, date_from: date, date_to: date,
                 basis: str | None = None) -> ReportTable:
    """One report as a table; ``date_to`` is also the as-of date of the receivables."""
    from crm_tui.services.sales import receivables as rv
    from crm_tui.services.sales import reports as sr

    if name not in REPORTS:
        raise ValueError(name)
    title = _(REPORTS[name])
    if name in ("receivables", "aging"):
        rows = rv.receivables(session, actor, date_to, basis=basis)
        if name == "receivables":
            return ReportTable(title, [("客户编号", "text"), ("客户名称", "text"), ("业务员", "text"), ("期初余额", "money"),
                                       ("应收", "money"), ("已收", "money"), ("余额", "money")],
                               [[r.customer_code, r.customer_name, r.salesperson, r.opening, r.billed, r.received,
                                 r.balance] for r in rows])
        return ReportTable(title, [("客户编号", "text"), ("客户名称", "text"), ("余额", "money"), ("0-30天", "money"),
                                   ("31-60天", "money"), ("61-90天", "money"), ("90天以上", "money")],
                           [[r.customer_code, r.customer_name, r.balance, *r.aging] for r in rows if r.balance > 0])
    if name == "unshipped":
        return ReportTable(title, [("订单号", "text"), ("客户订单号", "text"), ("订单日期", "date"), ("交货日期", "date"),
                                   ("客户", "text"), ("商品编码", "text"), ("品名", "text"), ("规格", "text"),
                                   ("订货数量", "decimal"), ("已发数量", "decimal"), ("未发数量", "decimal"),
                                   ("已通知", "decimal"), ("未发金额", "money")],
                           [[r.order_number, r.order_reference, r.order_date, r.delivery_date, r.customer_name,
                             r.product_code, r.product_name, r.spec, r.ordered, r.shipped, r.unshipped, r.on_notices,
                             r.value] for r in sr.unshipped(session, actor)])
    if name.startswith("sales_"):
        rows = sr.sales_summary(session, actor, date_from, date_to, by=name.removeprefix("sales_"))
        return ReportTable(title, [("代码", "text"), ("名称", "text"), ("订单数", "integer"), ("数量", "decimal"),
                                   ("订单金额（不含税）", "money"), ("订单金额（含税）", "money"), ("回款", "money"),
                                   ("出库金额（不含税）", "money"), ("成本", "money"), ("毛利", "money"),
                                   ("毛利率", "rate")],
                           [[r.key, r.name, r.orders, r.quantity, r.net, r.gross, r.received, r.shipped_net, r.cost,
                             r.margin, r.margin_rate] for r in rows])
    if name.startswith("expenses_"):
        rows = sr.expense_summary(session, actor, date_from, date_to, by=name.removeprefix("expenses_"))
        return ReportTable(title, [("代码", "text"), ("名称", "text"), ("笔数", "integer"), ("已批准", "money"),
                                   ("待审批", "money"), ("已驳回", "money")],
                           [[r.key, r.name, r.claims, r.approved, r.pending, r.rejected] for r in rows])
    return ReportTable(title, [("订单号", "text"), ("订单日期", "date"), ("客户编号", "text"), ("客户名称", "text"),
                               ("订单金额", "money"), ("已开票", "money"), ("未开票", "money")],
                       [[r.order_number, r.order_date, r.customer_code, r.customer_name, r.gross_total, r.invoiced,
                         r.uninvoiced] for r in sr.invoices_outstanding(session, actor)])


def write_xlsx(table: ReportTable, path) -> Any:
    """The table as a workbook (money as numbers with two decimals, dates as dates)."""
    from crm_tui.io.workbook import Column, Sheet, write_workbook

    return write_workbook(path, [Sheet(table.title[:31], [Column(h, k) for h, k in table.columns], table.rows)])
