"""A whole month for several departments with known totals, through import, tally, JSON and the workbook."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from crm_tui.db.session import read_session, transaction
from crm_tui.services.visits.absences import add_absence
from crm_tui.services.visits.publish import month_tally
from crm_tui.services.visits.upload_import import import_uploads

from .conftest import row, write_export

MARCH = [date(2027, 3, 1) + timedelta(days=i) for i in range(31)]
WORKING = [d for d in MARCH if d.weekday() != 6]   # 27 days, Monday to Saturday


def _times(d: date, n: int, start_hour: int = 9) -> list[str]:
    """n upload times 10 minutes apart."""
    return [f"{d.isoformat()} {start_hour + (10 * i) // 60:02d}:{(10 * i) % 60:02d}" for i in range(n)]


def month_rows() -> list[list]:
    rows = []
    # 孙伟 (商超业务员, quota 6, 3 morning + 3 afternoon): three uploads each half of every working day at
    # K0001/K0002; one void (too soon) on 1 March.
    for d in WORKING:
        times = _times(d, 3) + _times(d, 3, start_hour=14)
        rows += [row("孙伟", t, "K0001" if i % 2 else "K0002") for i, t in enumerate(times)]
    rows.append(row("孙伟", "2027-03-01 14:22", "K0001"))
    # 李娜 (团购业务员, quota 6, one photo): six uploads on the first ten working days only, at K0004.
    for d in WORKING[:10]:
        rows += [row("李娜", t, "K0004", photos=1) for t in _times(d, 6)]
    rows.append(row("李娜", "2027-02-15 10:00", "K0003", photos=1))   # the county customer, last month
    # 郑凯 (联营体分销代表 南坊片区, quota 8): eight uploads every working day outside his leave (15–20 March).
    for d in WORKING:
        if not date(2027, 3, 15) <= d <= date(2027, 3, 20):
            rows += [row("郑凯", t, "K0005" if i % 2 else "K0006") for i, t in enumerate(_times(d, 8))]
    # 冯军 (流通客户业务代表, quota 6, flex month): four uploads every working day and one banquet.
    for d in WORKING:
        rows += [row("冯军", t, "K0007") for t in _times(d, 4)]
    rows.append(row("冯军", "2027-03-13 18:00", "K0007", kind="帮送喜宴", address=None, photos=0))
    # 褚洋 (餐饮业务员, quota 8, 4 morning + 4 afternoon): five morning uploads every working day at K0008,
    # two on Sunday 7 March, one new customer (afternoon of 5 March), and three void uploads.
    for d in WORKING:
        rows += [row("褚洋", t, "K0008") for t in _times(d, 5)]
    rows += [row("褚洋", t, "K0008") for t in _times(date(2027, 3, 7), 2)]
    rows.append(row("褚洋", "2027-03-05 15:00", None, None, kind="新客户(终端)开发", remarks="福满楼 张总 13905391234"))
    rows.append(row("褚洋", "2027-03-02 15:00", "K0008", address=None))
    rows.append(row("褚洋", "2027-03-03 15:00", "K0008", photos=1))
    rows.append(row("褚洋", "2027-03-04 15:00", "K9999", "无此店"))
    # 蒋涛 (内勤, no rule) visits 褚洋's K0009 once: it counts for the customer, not for anyone's quota.
    rows.append(row("蒋涛", "2027-03-08 11:00", "K0009", photos=1))
    return rows


EXPECTED = {
    # staff: uploads, visits, void, working days, daily fines, customer fines, flex shortfall, total,
    #        not visited, under minimum
    "孙伟": (162, 54, 1, 27, 0, 0, None, 0, [], []),
    "李娜": (60, 10, 0, 27, 1700, 0, None, 1700, ["K0003"], []),
    "郑凯": (168, 42, 0, 21, 0, 0, None, 0, [], []),
    "冯军": (110, 29, 0, 27, 0, 0, 27 * 6 - 110, 0, [], []),
    # 褚洋: every working day but 5 March: 5 morning, 0 afternoon → afternoon short 4 = half of 8 → 100
    # (26 days → 2600); 5 March: 5 + 1 → afternoon short 3, total short 2 → the day is short 3 → 50. 2650.
    "褚洋": (138, 29, 3, 27, 2650, 50, None, 2700, [], ["K0009"]),
}


@pytest.fixture
def month(engine, company, statistician, tmp_path):
    path = write_export(tmp_path / "march.xlsx", month_rows())
    with transaction(engine, statistician) as session:
        import_uploads(session, statistician, path)
        add_absence(session, statistician, "郑凯", date(2027, 3, 15), date(2027, 3, 20), "leave")
        add_absence(session, statistician, "S009", date(2027, 3, 1), date(2027, 3, 1), "flex")
    with read_session(engine) as session:
        return month_tally(session, statistician, "2027-03")


def test_whole_month_known_figures(month):
    assert month["month"] == "2027-03"
    got = {p["staff"]: (p["uploads"], p["visits"], p["void_uploads"], p["working_days"], p["daily_fines"],
                        p["customer_fines"], p["flex_shortfall"], p["total_fine"], p["customers_not_visited"],
                        p["customers_under_minimum"]) for p in month["people"]}
    assert got == EXPECTED
    t = month["totals"]
    assert (t["uploads"], t["total_fine"], t["daily_fines"], t["customer_fines"], t["void_uploads"]) == \
        (638, 4400, 4350, 50, 4)
    assert (t["customers_in_charge"], t["customers_not_visited"], t["customers_under_minimum"]) == (9, 1, 1)
    assert t["people"] == 5
    assert any("蒋涛" in w for w in month["warnings"])


def test_daily_and_void_details(month):
    chu = next(p for p in month["people"] if p["staff"] == "褚洋")
    days = {d["date"]: d for d in chu["days"]}
    assert len(chu["days"]) == 31
    assert days["2027-03-05"] == {**days["2027-03-05"], "uploads": 6, "visits": 2, "quota": 8, "fine": 50}
    assert days["2027-03-07"] == {**days["2027-03-07"], "uploads": 2, "quota": 0, "fine": 0, "working": False}
    reasons = {v["time"][:10]: v["reasons"] for v in chu["void"]}
    assert reasons == {"2027-03-02": ["no address"], "2027-03-03": ["too few photos"],
                       "2027-03-04": ["unknown customer"]}
    assert [w["week"] for w in chu["weeks"]] == ["2027-W09", "2027-W10", "2027-W11", "2027-W12"]
    feng = next(p for p in month["people"] if p["staff"] == "冯军")
    assert {d["date"]: d["uploads"] for d in feng["days"]}["2027-03-13"] == 6   # 4 + banquet's 2
    zheng = next(p for p in month["people"] if p["staff"] == "郑凯")
    assert all(d["leave"] and not d["working"] for d in zheng["days"] if "2027-03-15" <= d["date"] <= "2027-03-20")


def test_json_contract_shape(month):
    person_keys = {"staff", "department", "role", "working_days", "uploads", "visits", "void_uploads",
                   "customers_in_charge", "customers_visited", "customers_not_visited", "customers_under_minimum",
                   "daily_fines", "customer_fines", "flex_shortfall", "total_fine", "days"}
    day_keys = {"date", "uploads", "visits", "quota", "fine"}
    assert {"month", "people", "totals"} <= set(month)
    for p in month["people"]:
        assert person_keys <= set(p)
        assert all(day_keys <= set(d) for d in p["days"])
        assert p["customers_not_visited"] == sorted(p["customers_not_visited"])
        assert isinstance(p["total_fine"], int) and isinstance(p["daily_fines"], int)
    assert {"uploads", "total_fine"} <= set(month["totals"])
    json.dumps(month, ensure_ascii=False)   # plain data only


def test_workbook_totals_equal_the_json(month, tmp_path):
    from python_calamine import CalamineWorkbook

    from crm_tui.services.visits.report_xlsx import write_month_workbook

    path = write_month_workbook(month, tmp_path / "tally.xlsx")
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["月度汇总", "部门汇总", "每日明细", "每周公示", "未拜访客户", "未达标客户", "无效上传"]
    t = month["totals"]

    summary = book.get_sheet_by_name("月度汇总").to_python()
    head, body, total = summary[0], summary[1:-1], summary[-1]
    col = {h: i for i, h in enumerate(head)}
    assert total[0] == "合计" and len(body) == t["people"]
    for name, key in (("上传次数", "uploads"), ("拜访户数", "visits"), ("无效上传", "void_uploads"),
                      ("每日罚款", "daily_fines"), ("客户罚款", "customer_fines"), ("罚款合计", "total_fine"),
                      ("未拜访客户", "customers_not_visited"), ("负责客户数", "customers_in_charge")):
        assert total[col[name]] == t[key], name
        assert sum(r[col[name]] for r in body) == t[key], name

    daily = book.get_sheet_by_name("每日明细").to_python()
    dcol = {h: i for i, h in enumerate(daily[0])}
    assert sum(r[dcol["上传次数"]] for r in daily[1:]) == t["uploads"]
    assert sum(r[dcol["拜访户数"]] for r in daily[1:]) == t["visits"]
    assert sum(r[dcol["罚款"]] for r in daily[1:]) == t["daily_fines"]
    assert sum(r[dcol["无效上传"]] for r in daily[1:]) == t["void_uploads"]

    depts = book.get_sheet_by_name("部门汇总").to_python()
    assert depts[-1][depts[0].index("罚款合计")] == t["total_fine"]
    assert sum(r[depts[0].index("罚款合计")] for r in depts[1:-1]) == t["total_fine"]

    assert len(book.get_sheet_by_name("无效上传").to_python()) - 1 == t["void_uploads"]
    assert len(book.get_sheet_by_name("未拜访客户").to_python()) - 1 == t["customers_not_visited"]
    under = book.get_sheet_by_name("未达标客户").to_python()
    assert len(under) - 1 == t["customers_under_minimum"]
    assert sum(r[under[0].index("罚款")] for r in under[1:]) == t["customer_fines"]
    voids = book.get_sheet_by_name("无效上传").to_python()
    assert {r[-1] for r in voids[1:]} == {"没有地址", "照片数不足", "客户不在系统中",
                                             "距上次合格上传未超过规定间隔"}   # Chinese, whatever the UI


def test_a_salesperson_sees_only_their_own_tally(engine, month, company):
    from crm_tui.core.actor import Actor

    me = Actor(company.users["chuyang"], "chuyang", "褚洋", "salesperson")
    with read_session(engine) as session:
        mine = month_tally(session, me, "2027-03")
    assert [p["staff"] for p in mine["people"]] == ["褚洋"]
    assert mine["totals"]["total_fine"] == 2700 and mine["warnings"] == []


def test_another_policy_file_changes_the_tally(engine, month, statistician, tmp_path):
    from crm_tui.services.visits.policy import default_policy_path

    text = default_policy_path().read_text(encoding="utf-8").replace("small = 50", "small = 20")
    policy = tmp_path / "p.toml"
    policy.write_text(text, encoding="utf-8")
    with read_session(engine) as session:
        report = month_tally(session, statistician, "2027-03", str(policy))
    chu = next(p for p in report["people"] if p["staff"] == "褚洋")
    assert chu["daily_fines"] == 26 * 100 + 20   # only 5 March's fine was the small one (see EXPECTED)
