"""两人一车 (issue 19): in a car colleague's area only new-customer uploads count; any other upload there is
void with its reason. Colleagues come from the policy's pairs or from the department's areas."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from crm_tui.db.models.customers import Customer as CustomerRow
from crm_tui.db.session import read_session, transaction
from crm_tui.services.visits.policy import PolicyError, default_policy_path, parse_policy
from crm_tui.services.visits.publish import month_tally
from crm_tui.services.visits.tally import COLLEAGUE_AREA, Customer
from crm_tui.services.visits.upload_import import import_uploads

from .conftest import row, write_export
from .helpers import LIANYING_2, LIANYING_3, LIUTONG, new_customer, person_of, policy, run, up

CUSTOMERS = [Customer(301, "K0301", LIANYING_3.id, area="南坊片区"),   # 郑凯's own
             Customer(302, "K0302", LIANYING_2.id, area="河东片区"),   # 王芳's
             Customer(303, "K0303", LIUTONG.id, area="河东片区")]      # 冯军's, in 王芳's area
# 郑凯 (南坊片区) on Monday 2 March 2026: his own K0301, 王芳's K0302, a new customer, K0303 in 河东片区.
ROWS = [up(LIANYING_3, "2026-03-02 09:00", 301), up(LIANYING_3, "2026-03-02 09:10", 302),
        new_customer(LIANYING_3, "2026-03-02 09:20"), up(LIANYING_3, "2026-03-02 09:30", 303)]


def _zheng(pol):
    pm = person_of(run(ROWS, month="2026-03", customers=CUSTOMERS, pol=pol), LIANYING_3)
    return pm.uploads, [v.reasons for v in pm.voids]


def test_without_car_colleagues_every_upload_counts():
    assert _zheng(policy()) == (4, [])


@pytest.mark.parametrize("changes", [{"car_pairs": (("郑凯", "S008"),)}, {"car_pairs_from_areas": True}])
def test_in_a_colleague_area_only_new_customers_count(changes):
    # 王芳 (S008, 河东片区) is 郑凯's car colleague, by name/工号 or by the 流通部's areas: K0302 (hers) and K0303
    # (in 河东片区) are void; K0301 (his own) and the new customer count → 2 uploads, 2 void.
    assert _zheng(policy(**changes)) == (2, [(COLLEAGUE_AREA,), (COLLEAGUE_AREA,)])


def test_the_pair_works_both_ways_and_own_customers_stay_counted():
    rows = [up(LIANYING_2, "2026-03-02 09:00", 301), up(LIANYING_2, "2026-03-02 09:10", 302)]
    pm = person_of(run(rows, month="2026-03", customers=CUSTOMERS, pol=policy(car_pairs=(("郑凯", "王芳"),))),
                   LIANYING_2)
    assert (pm.uploads, [v.customer for v in pm.voids]) == (1, [301])


def test_policy_reads_the_pairs():
    base = parse_policy({"two_in_a_car": {"pairs": [["郑凯", "王芳"]], "from_areas": True}})
    assert base.car_pairs == (("郑凯", "王芳"),) and base.car_pairs_from_areas
    with pytest.raises(PolicyError, match="two_in_a_car.pairs"):
        parse_policy({"two_in_a_car": {"pairs": [["郑凯"]]}})
    with pytest.raises(PolicyError, match="two_in_a_car.from_areas"):
        parse_policy({"two_in_a_car": {"from_areas": "yes"}})
    assert replace(policy(), car_pairs=()).car_pairs == ()


def test_two_in_a_car_through_the_database(engine, company, statistician, admin, tmp_path):
    # 郑凯 (南坊片区) and 冯军 share a car; 冯军 owns K0007. 郑凯 visits K0007 and his own K0005.
    text = default_policy_path().read_text(encoding="utf-8").replace("pairs = []", 'pairs = [["郑凯", "S009"]]')
    pol = tmp_path / "car.toml"
    pol.write_text(text, encoding="utf-8")
    with transaction(engine, admin) as session:
        session.scalars(select(CustomerRow).where(CustomerRow.code == "K0005")).one().area = "南坊片区"
    rows = [row("郑凯", "2027-03-02 09:00", "K0005"), row("郑凯", "2027-03-02 09:10", "K0007"),
            row("郑凯", "2027-03-02 09:20", None, None, kind="新客户(终端)开发", remarks="福满楼 张总 13905391234")]
    with transaction(engine, statistician) as session:
        import_uploads(session, statistician, write_export(tmp_path / "u.xlsx", rows))
    with read_session(engine) as session:
        report = month_tally(session, statistician, "2027-03", str(pol), as_of=date(2027, 3, 31))
    zheng = next(p for p in report["people"] if p["staff"] == "郑凯")
    # K0005 and the new customer count (2); K0007 is 冯军's → void with the reason
    assert zheng["uploads"] == 2
    assert [(v["customer_code"], v["reasons"]) for v in zheng["void"]] == [("K0007", [COLLEAGUE_AREA])]
