"""``crm import orders`` and ``crm import receipts``: grouping, all or nothing, errors naming where, no duplicates."""

import json
from decimal import Decimal as D

from sales_sheets import write_sheet

ORDER_HEADER = ["订单号", "订单日期", "客户编号", "客户名称", "商品编码", "数量", "单价", "含税单价", "税率", "交货日期", "备注"]


def _orders_file(tmp_path, rows, name="orders.xlsx"):
    return write_sheet(tmp_path / name, [ORDER_HEADER, *rows], sheet="订单")


GOOD = [
    ["PO-001", "2026-11-02", "K001", None, "P1", 10, None, 113, "13%", "2026-11-10", "首批"],
    ["PO-001", "2026-11-02", "K001", None, "P2", 5, "10.00", None, 0.13, None, None],
    ["PO-002", "2026/11/03", None, "济南百货", "P3", "2.5", None, "50", 9, None, None],
]


def test_import_orders_groups_lines_and_keeps_the_reference(crm, tmp_path, rd, world):
    from crm_tui.services.sales import orders

    path = _orders_file(tmp_path, GOOD)
    out = crm("import", "orders", path, "--confirm").output
    assert "3 rows, 2 orders created" in out
    with rd() as s:
        rows = sorted(orders.list_orders(s, world.admin), key=lambda r: r.external_ref)
        first = orders.get_order(s, world.admin, rows[0].id)
    assert [(r.external_ref, r.customer_code, r.status) for r in rows] == [("PO-001", "K001", "confirmed"),
                                                                             ("PO-002", "K002", "confirmed")]
    assert [(ln.product_code, ln.quantity, ln.price_basis, ln.gross_amount) for ln in first.lines] == [
        ("P1", 10, "gross", D("1130.00")), ("P2", 5, "net", D("56.50"))]
    assert first.gross_total == D("1186.50") and str(first.delivery_date) == "2026-11-10"
    assert first.lines[0].remarks == "首批"
    # the same file again creates nothing
    again = crm("import", "orders", path).output
    assert "0 orders created" in again and "2 already imported" in again
    assert len(json.loads(crm("orders", "list", "--format", "json").output)) == 2
    # the reference finds the order
    shown = json.loads(crm("orders", "show", "PO-002", "--format", "json").output)
    assert shown["reference"] == "PO-002" and shown["gross_total"] == "125.00"


def test_import_orders_reports_every_problem_and_writes_nothing(crm, tmp_path, rd, world):
    from crm_tui.services.sales import orders

    bad = [
        GOOD[0],
        ["PO-001", "2026-11-05", "K001", None, "P2", 1, "10", None, None, None, None],  # another date
        ["PO-003", "2026-11-03", "K999", None, "P1", 1, None, 113, None, None, None],  # no such customer
        ["PO-004", "2026-11-03", "K001", None, "NOPE", 1, None, 113, None, None, None],  # no such product
        ["PO-005", "2026-11-03", "K001", None, "P1", 0, None, 113, None, None, None],  # zero quantity
        ["PO-006", "2026-11-03", "K001", None, "P1", 1, None, None, None, None, None],  # no price
        ["PO-007", "2026-11-03", "K001", None, "P1", 1, 100, 113, None, None, None],  # both prices
        ["PO-008", "2026-11-03", "K001", None, "P1", 1, None, 113, "二十", None, None],  # bad rate
    ]
    result = crm("import", "orders", _orders_file(tmp_path, bad), ok=False)
    assert result.exit_code == 1
    errors = result.output.splitlines()
    expected = [("row 3", "订单日期", "differs from row 2"), ("row 4", "客户编号", "no customer"),
                ("row 5", "商品编码", "no product"), ("row 6", "数量", "greater than zero"),
                ("row 7", "单价", "net price"), ("row 8", "含税单价", "not both"), ("row 9", "税率", "tax rate")]
    for row, column, words in expected:
        assert any(f"orders.xlsx, sheet 订单, {row}, column {column}" in ln and words in ln for ln in errors), \
            (row, column, result.output)
    assert "7 problems; nothing was imported." in result.output
    with rd() as s:
        assert orders.list_orders(s, world.admin) == []


def test_a_salesperson_imports_only_for_own_customers(crm, tmp_path):
    result = crm("import", "orders", _orders_file(tmp_path, GOOD), user="li", ok=False)
    assert "row 4, column 客户名称" in result.output and "no customer you may see" in result.output


def test_import_orders_beyond_the_discount_limit_wait_for_approval(crm, tmp_path):
    rows = [["PO-9", "2026-11-02", "K001", None, "P1", 10, None, 90, None, None, None]]  # 20% under the list
    out = crm("import", "orders", _orders_file(tmp_path, rows), "--confirm", user="li").output
    assert "0 orders created, 1 waiting for approval" in out
    assert "PO-9" in crm("approvals", "list", user="wang").output


RECEIPT_HEADER = ["日期", "客户编号", "客户名称", "金额", "币种", "汇率", "账户", "方式", "订单号", "备注"]


def test_import_receipts_usd_advances_orders_and_no_duplicates(crm, tmp_path, rd, world):
    from crm_tui.services.sales import receipts, receivables

    crm("import", "orders", _orders_file(tmp_path, GOOD), "--confirm")
    crm("receipts", "accounts", "--add", "中国银行美元户")
    crm("receipts", "accounts", "--add", "临商银行基本户")
    rows = [
        ["2026-11-05", "K001", None, "500.00", None, None, "临商银行基本户", "银行转账", "PO-001", "首付"],
        ["2026-11-06", None, "济南百货", 100, "USD", "7.1", "中国银行美元户", "电汇", None, None],
        ["2026-11-06", None, "济南百货", 100, "USD", "7.1", "中国银行美元户", "电汇", None, None],  # a second one
    ]
    path = write_sheet(tmp_path / "receipts.xlsx", [RECEIPT_HEADER, *rows], sheet="到款")
    out = crm("import", "receipts", path).output
    assert "3 rows, 3 receipts recorded, 0 already imported; 1,420.00 left as advances" in out
    out = crm("import", "receipts", path).output
    assert "0 receipts recorded, 3 already imported" in out
    with rd() as s:
        listed = receipts.list_receipts(s, world.admin)
        k1 = receivables.customer_balance(s, world.admin, world.c1)
    assert sorted((r.currency, r.amount, r.amount_cny, r.applied) for r in listed) == [
        ("CNY", D("500.00"), D("500.00"), D("500.00")), ("USD", D("100.00"), D("710.00"), D(0)),
        ("USD", D("100.00"), D("710.00"), D(0))]
    assert (k1.billed, k1.received) == (D("1186.50"), D("500.00"))


def test_import_receipts_errors(crm, tmp_path):
    crm("import", "orders", _orders_file(tmp_path, GOOD), "--confirm")
    rows = [
        ["2026-11-05", "K001", None, "50", "USD", None, None, None, None, None],  # no rate
        ["2026-11-05", "K001", None, "50", None, None, "没有的账户", None, None, None],  # unknown account
        ["2026-11-05", "K001", None, "50", None, None, None, None, "PO-002", None],  # another customer's order
        ["2026-11-05", "K001", None, "-5", None, None, None, None, None, None],  # negative
        ["昨天", "K001", None, "5", None, None, None, None, None, None],  # not a date
    ]
    path = write_sheet(tmp_path / "bad.xlsx", [RECEIPT_HEADER, *rows], sheet="到款")
    result = crm("import", "receipts", path, ok=False)
    for row, column in (("row 2", "汇率"), ("row 3", "账户"), ("row 4", "订单号"), ("row 5", "金额"), ("row 6", "日期")):
        assert f"bad.xlsx, sheet 到款, {row}, column {column}" in result.output, (row, result.output)
    assert "nothing was imported" in result.output
    assert json.loads(crm("receipts", "list", "--format", "json").output) == []
