"""The dashboard's funnel part (summed by stage in SQL) gives the funnel report's stage figures, period and
visibility included (both engines)."""

from __future__ import annotations

from datetime import date

from crm_tui.services.analysis import area_parts
from crm_tui.services.analysis.common import Period
from crm_tui.services.opportunities import funnel, records


def test_dashboard_funnel_matches_the_report(world, tx, rd):
    with tx(world.li) as s:
        records.add_opportunity(s, world.li, world.c1, "年货", expected_amount="100.10", expected_close=date(2026, 12, 5))
        records.add_opportunity(s, world.li, world.c1, "中秋", expected_amount="50", expected_close=date(2026, 12, 28))
        records.add_opportunity(s, world.li, world.c1, "明年", expected_amount="70", expected_close=date(2027, 2, 1))
        lost = records.add_opportunity(s, world.li, world.c1, "丢了", expected_amount="30",
                                       expected_close=date(2026, 12, 9))
        records.lose(s, world.li, lost, "价格太高", day=date(2026, 12, 10))
    with tx(world.zhao) as s:
        records.add_opportunity(s, world.zhao, world.c2, "别人的", expected_amount="9", expected_close=date(2026, 12, 6))
    december = Period(date(2026, 12, 1), date(2026, 12, 31))
    for actor, opened in ((world.li, 2), (world.manager, 2), (world.admin, 3)):
        with rd(actor) as s:
            part = area_parts.funnel(s, actor, december)
            report = funnel.funnel(s, actor, date_from=december.start, date_to=december.end)
        assert part == [{"stage": f.name, "count": f.count, "amount": f.amount} for f in report.stages]
        assert part[0]["count"] == opened and part[-1]["count"] == 1  # 初步接洽 …, 输单
