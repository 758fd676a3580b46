"""The credit commands: credit show/set, dunning list/print, prices, couriers, receivables --by due."""

import json
from datetime import date

from crm_tui.services.sales import orders
from crm_tui.services.sales.pricing import LineInput


def _overdue_order(world, tx):
    with tx(world.li) as s:
        oid = orders.create_order(s, world.li, world.c1, [LineInput(world.p2, 1, "1200.00", "gross")],
                                  order_date=date(2026, 9, 1), terms="30")
        orders.confirm_order(s, world.li, oid)


def test_credit_set_and_show(crm):
    out = crm("credit", "set", "K001", "--limit", "10,000", "--terms", "月结30天", "--price-class", "VIP").output
    assert "credit limit 10,000.00" in out and "month-end + 30 days" in out
    shown = json.loads(crm("credit", "show", "K001", "--format", "json", user="li").output)
    assert shown == {"customer_code": "K001", "customer_name": "临沂大酒店", "credit_limit": "10000.00", "terms": "M30",
                     "effective_terms": "M30", "price_class": "vip", "limit": "10000.00", "exposure": "0.00",
                     "headroom": "10000.00"}
    bad = crm("credit", "set", "K001", "--terms", "下个月", ok=False)
    assert bad.exit_code != 0 and "month-end" in bad.output
    assert crm("credit", "show", "K002", user="li", ok=False).exit_code != 0  # zhao's customer


def test_dunning_list_print_and_receivables_by_due(crm, world, tx, tmp_path):
    _overdue_order(world, tx)
    rows = json.loads(crm("dunning", "list", "--as-of", "2026-11-30", "--format", "json", user="li").output)
    assert [(r["customer_code"], r["level"], r["overdue"]) for r in rows][0] == ("K001", 3, "1200.00")
    assert json.loads(crm("dunning", "list", "--as-of", "2026-11-30", "--format", "json", user="zhao").output) == []
    due = json.loads(crm("report", "receivables", "--by", "due", "--as-of", "2026-11-30", "--format", "json").output)
    k1 = next(r for r in due if r["customer_code"] == "K001")
    assert (k1["due_31-60"], k1["overdue"]) == ("1200.00", "1200.00")  # due 10-01: 60 days late
    target = tmp_path / "reminder.xlsx"
    out = crm("dunning", "print", "K001", "--as-of", "2026-11-30", "--format", "xlsx", "-o", target, user="li")
    assert out.output.strip() == str(target) and target.stat().st_size > 0
    from openpyxl import load_workbook

    text = " ".join(str(c.value) for row in load_workbook(target).active.iter_rows() for c in row if c.value)
    assert "催款函" in text and "逾期" in text and "1,200.00" in text
    nothing = crm("dunning", "print", "K002", "--as-of", "2026-11-30", ok=False)
    assert "nothing overdue" in nothing.output


def test_prices_and_couriers(crm):
    crm("prices", "set", "P1", "100", "--class", "批发价")
    crm("prices", "set", "P1", "95", "--customer", "K001", "--basis", "net")
    rows = json.loads(crm("prices", "list", "--format", "json", user="li").output)
    assert [(r["source"], r["customer_code"], r["price"], r["basis"]) for r in rows] == [
        ("wholesale", None, "100.00", "gross"), ("customer", "K001", "95.00", "net")]
    assert crm("prices", "set", "P1", "1", ok=False).exit_code != 0  # neither --class nor --customer
    crm("couriers", "add", "顺丰速运", "--phone", "95338")
    assert "already on the list" in crm("couriers", "add", "顺丰速运", ok=False).output
    crm("couriers", "add", "中通快递")
    crm("couriers", "disable", "中通快递")
    names = [r["name"] for r in json.loads(crm("couriers", "list", "--format", "json").output)]
    assert names == ["顺丰速运"]
    assert crm("couriers", "add", "德邦", user="li", ok=False).exit_code != 0  # a salesperson does not ship
