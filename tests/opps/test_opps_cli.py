"""``crm opportunities …`` and ``crm report funnel``: the pinned commands, their JSON and their refusals."""

from __future__ import annotations

import json
from decimal import Decimal as D


def _number(result) -> str:
    return json.loads(result.output)["number"]


def test_add_move_quote_win_and_show(crm):
    out = crm("opportunities", "add", "--customer", "K001", "--title", "年货团购", "--line", "P1=10@100",
              "--line", "P2=5", "--close", "2026-12-20", "--source", "展会", "--format", "json", user="li")
    opp = json.loads(out.output)
    assert opp["stage"] == "初步接洽" and opp["amount"] == "1056.50"  # 1,000.00 + 5 × 11.30 list gross
    number = opp["number"]
    refused = crm("opportunities", "move", number, "方案报价", user="li", ok=False)
    assert refused.exit_code != 0 and "a linked quote" in refused.output
    assert "Quote #" in crm("opportunities", "quote", number, user="li").output
    assert "方案报价" in crm("opportunities", "move", number, "proposal", "--note", "报价已发", user="li").output
    won = crm("opportunities", "win", number, user="li")
    assert "won: order #" in won.output
    shown = json.loads(crm("opportunities", "show", number, "--format", "json", user="li").output)
    assert shown["stage_code"] == "won" and shown["order"].startswith("#") and shown["quote"].startswith("QT")
    assert [h["to"] for h in shown["history"]] == ["初步接洽", "方案报价", "赢单"]
    assert shown["history"][1]["note"] == "报价已发"


def test_lose_needs_a_listed_reason(crm):
    number = _number(crm("opportunities", "add", "--customer", "K001", "--title", "X", "--amount", "1,200.50",
                         "--format", "json", user="li"))
    bad = crm("opportunities", "lose", number, "--reason", "天气", user="li", ok=False)
    assert bad.exit_code != 0 and "not in the list" in bad.output and "价格太高" in bad.output
    crm("opportunities", "lose", number, "--reason", "价格太高", user="li")
    rows = json.loads(crm("opportunities", "list", "--status", "lost", "--format", "json", user="li").output)
    assert [(r["number"], r["amount"], r["stage"]) for r in rows] == [(number, "1200.50", "输单")]


def test_list_filters_and_visibility(crm):
    a = _number(crm("opportunities", "add", "--customer", "K001", "--title", "A", "--amount", "100",
                    "--close", "2026-12-02", "--format", "json", user="li"))
    b = _number(crm("opportunities", "add", "--customer", "K002", "--title", "B", "--amount", "200",
                    "--close", "2026-12-03", "--format", "json", user="zhao"))
    mine = json.loads(crm("opportunities", "list", "--format", "json", user="li").output)
    assert [r["number"] for r in mine] == [a]
    hidden = crm("opportunities", "show", b, user="li", ok=False)
    assert hidden.exit_code != 0 and "No such opportunity" in hidden.output
    moved = crm("opportunities", "move", b, "需求确认", user="li", ok=False)
    assert moved.exit_code != 0 and "No such opportunity" in moved.output
    everyone = json.loads(crm("opportunities", "list", "--from", "2026-12-01", "--to", "2026-12-31", "--format",
                              "json", user="clerk").output)
    assert {r["number"] for r in everyone} == {a, b}
    by_owner = json.loads(crm("opportunities", "list", "--owner", "zhao", "--format", "json", user="clerk").output)
    assert [r["number"] for r in by_owner] == [b]
    bad_day = crm("opportunities", "list", "--from", "2026-13-01", user="clerk", ok=False)
    assert bad_day.exit_code != 0 and "--from" in bad_day.output


def test_report_funnel_json_contract(crm):
    crm("opportunities", "add", "--customer", "K001", "--title", "A", "--amount", "1000", "--close", "2026-12-02",
        user="li")
    crm("opportunities", "add", "--customer", "K002", "--title", "B", "--amount", "333.33", "--close", "2026-12-05",
        user="zhao")
    rows = json.loads(crm("report", "funnel", "--format", "json", user="clerk").output)
    assert isinstance(rows, list) and [r["stage"] for r in rows] == ["初步接洽", "需求确认", "方案报价", "商务谈判",
                                                                      "赢单", "输单"]
    for r in rows:
        assert {"stage", "count", "amount", "weighted"} <= set(r)
        assert isinstance(r["amount"], str) and isinstance(r["weighted"], str)
        D(r["amount"]), D(r["weighted"])
    assert (rows[0]["count"], rows[0]["amount"], rows[0]["weighted"]) == (2, "1333.33", "133.33")
    li = json.loads(crm("report", "funnel", "--format", "json", user="li").output)
    assert (li[0]["count"], li[0]["amount"]) == (1, "1000.00")  # zhao's customer is not li's to see
    owner = json.loads(crm("report", "funnel", "--owner", "zhao", "--from", "2026-12-01", "--to", "2026-12-31",
                           "--format", "json", user="clerk").output)
    assert owner[0]["amount"] == "333.33"
    table = crm("report", "funnel", user="clerk").output
    assert "Conversion" in table and "2026-12" in table
