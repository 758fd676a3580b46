"""The month's tally as an Excel workbook a statistician can hand on: one sheet per view, Chinese headers.

Built from the report dict (report.py) — the same data ``--format json`` prints — so every total in the
workbook is the JSON's: the summary's totals row, the sums of the daily sheet, the count of void uploads and
of customers not visited (tests/visits check each).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from crm_tui.io.workbook import Column, Sheet, write_workbook
from crm_tui.services.visits.report import reason_label

WEEKDAYS = "一二三四五六日"


def _yes(flag: bool) -> str:
    return "是" if flag else ""


def summary_sheet(report: dict[str, Any]) -> Sheet:
    columns = [Column("业务员"), Column("工号"), Column("部门"), Column("岗位"), Column("片区"),
               Column("工作日", "integer"), Column("上传次数", "integer"), Column("拜访户数", "integer"),
               Column("无效上传", "integer"), Column("负责客户数", "integer"), Column("已拜访客户", "integer"),
               Column("未拜访客户", "integer"), Column("未达标客户", "integer"), Column("每日罚款", "integer"),
               Column("客户罚款", "integer"), Column("报备", "text"), Column("报备缺口", "integer"),
               Column("报备罚款", "integer"), Column("罚款合计", "integer")]
    rows = [[p["staff"], p["staff_number"], p["department"], p["role"], p["area"], p["working_days"], p["uploads"],
             p["visits"], p["void_uploads"], p["customers_in_charge"], p["customers_visited"],
             len(p["customers_not_visited"]), len(p["customers_under_minimum"]), p["daily_fines"],
             p["customer_fines"], _yes(p["flex"]), p["flex_shortfall"], p["flex_fine"], p["total_fine"]]
            for p in report["people"]]
    t = report["totals"]
    rows.append(["合计", None, None, None, None, t["working_days"], t["uploads"], t["visits"], t["void_uploads"],
                 t["customers_in_charge"], t["customers_visited"], t["customers_not_visited"],
                 t["customers_under_minimum"], t["daily_fines"], t["customer_fines"], None, t["flex_shortfall"],
                 t["flex_fine"], t["total_fine"]])
    return Sheet("月度汇总", columns, rows)


def department_sheet(report: dict[str, Any]) -> Sheet:
    columns = [Column("部门"), Column("人数", "integer"), Column("上传次数", "integer"), Column("拜访户数", "integer"),
               Column("无效上传", "integer"), Column("负责客户数", "integer"), Column("未拜访客户", "integer"),
               Column("未达标客户", "integer"), Column("每日罚款", "integer"), Column("客户罚款", "integer"),
               Column("报备罚款", "integer"), Column("罚款合计", "integer")]
    rows = [[d["department"], d["people"], d["uploads"], d["visits"], d["void_uploads"], d["customers_in_charge"],
             d["customers_not_visited"], d["customers_under_minimum"], d["daily_fines"], d["customer_fines"],
             d["flex_fine"], d["total_fine"]] for d in report["departments"]]
    t = report["totals"]
    rows.append(["合计", t["people"], t["uploads"], t["visits"], t["void_uploads"], t["customers_in_charge"],
                 t["customers_not_visited"], t["customers_under_minimum"], t["daily_fines"], t["customer_fines"],
                 t["flex_fine"], t["total_fine"]])
    return Sheet("部门汇总", columns, rows)


def daily_sheet(report: dict[str, Any]) -> Sheet:
    columns = [Column("业务员"), Column("工号"), Column("部门"), Column("日期", "date"), Column("星期"),
               Column("工作日"), Column("请假"), Column("上传次数", "integer"), Column("上午", "integer"),
               Column("下午", "integer"), Column("拜访户数", "integer"),
               Column("规定上传次数", "integer"), Column("规定户数", "integer"), Column("缺口", "integer"),
               Column("无效上传", "integer"), Column("罚款", "integer")]

    def rows():
        for p in report["people"]:
            for d in p["days"]:
                day = date.fromisoformat(d["date"])
                yield [p["staff"], p["staff_number"], p["department"], day, "周" + WEEKDAYS[day.weekday()],
                       _yes(d["working"]), _yes(d["leave"]), d["uploads"], d.get("am"), d.get("pm"), d["visits"],
                       d["quota"],
                       d["visits_quota"], d["shortfall"], d["void"], d["fine"]]
    return Sheet("每日明细", columns, rows())


def weekly_sheet(report: dict[str, Any]) -> Sheet:
    columns = [Column("业务员"), Column("工号"), Column("部门"), Column("周"), Column("开始", "date"),
               Column("结束", "date"), Column("工作日", "integer"), Column("上传次数", "integer"),
               Column("拜访户数", "integer"), Column("规定上传次数", "integer"), Column("缺口", "integer"),
               Column("无效上传", "integer"), Column("罚款", "integer")]
    rows = [[p["staff"], p["staff_number"], p["department"], w["week"], date.fromisoformat(w["start"]),
             date.fromisoformat(w["end"]), w["working_days"], w["uploads"], w["visits"], w["quota"], w["shortfall"],
             w["void"], w["fines"]] for p in report["people"] for w in p["weeks"]]
    return Sheet("每周公示", columns, rows)


def not_visited_sheet(report: dict[str, Any]) -> Sheet:
    names = report.get("customer_names", {})
    columns = [Column("业务员"), Column("工号"), Column("部门"), Column("客户编号"), Column("客户名称"),
               Column("未达标")]
    rows = [[p["staff"], p["staff_number"], p["department"], code, names.get(code),
             _yes(code in p["customers_under_minimum"])]
            for p in report["people"] for code in p["customers_not_visited"]]
    return Sheet("未拜访客户", columns, rows)


def under_minimum_sheet(report: dict[str, Any]) -> Sheet:
    names = report.get("customer_names", {})
    columns = [Column("业务员"), Column("工号"), Column("部门"), Column("客户编号"), Column("客户名称"),
               Column("拜访天数", "integer"), Column("最低要求", "integer"), Column("考核周期"),
               Column("罚款", "integer")]
    rows = [[p["staff"], p["staff_number"], p["department"], s["customer"], names.get(s["customer"]), s["visits"],
             s["required"], period_label(s["period"]), p["customer_fines"] // len(p["under_minimum"])]
            for p in report["people"] for s in p["under_minimum"]]
    return Sheet("未达标客户", columns, rows)


def period_label(period: str) -> str:
    """month → 本月; week 2027-W10 → 2027-W10周; 6 months → 6个月."""
    if period == "month":
        return "本月"
    if period.startswith("week "):
        return period[5:] + "周"
    if period.endswith(" months"):
        return period.split()[0] + "个月"
    return period


def void_sheet(report: dict[str, Any]) -> Sheet:
    columns = [Column("业务员"), Column("工号"), Column("部门"), Column("上传时间"), Column("客户编号"),
               Column("客户名称"), Column("类型"), Column("照片数", "integer"), Column("地址"), Column("原因", width=40)]

    def rows():
        for p in report["people"]:
            for v in p["void"]:
                yield [p["staff"], p["staff_number"], p["department"], v["time"],
                       v.get("customer_code") or v.get("customer"), v.get("customer_name"), v["kind"],
                       v.get("photos"), v.get("address"), "；".join(reason_label(r) for r in v["reasons"])]
    return Sheet("无效上传", columns, rows())


def write_month_workbook(report: dict[str, Any], path: str | Path) -> Path:
    from crm_tui.i18n import get_language, set_language

    language = get_language()
    set_language("zh_CN")   # the workbook is Chinese whatever the interface language
    try:
        sheets = [summary_sheet(report), department_sheet(report), daily_sheet(report), weekly_sheet(report),
                  not_visited_sheet(report), under_minimum_sheet(report), void_sheet(report)]
        return write_workbook(path, sheets)
    finally:
        set_language(language)
