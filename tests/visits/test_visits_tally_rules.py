"""Each rule of visit-policy.md on its own small case (the pure engine, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from crm_tui.services.visits.calendar import month_of_week, weeks_of_month
from crm_tui.services.visits.policy import Fines, Flex
from crm_tui.services.visits.tally import (
    NEW_CUSTOMER_UNNAMED,
    NO_ADDRESS,
    TOO_FEW_PHOTOS,
    TOO_SOON,
    UNKNOWN_CUSTOMER,
    new_customer_remarks_ok,
)

from .helpers import (
    CANYIN,
    CANYIN_SUP,
    CLERK,
    LIANYING_2,
    LIANYING_3,
    LIUTONG,
    SHANGCHAO,
    TUANGOU,
    banquet,
    cust,
    day,
    flex,
    leave,
    new_customer,
    person_of,
    policy,
    run,
    up,
)

# --- what makes an upload count --------------------------------------------------------------------------


def test_exactly_five_minutes_after_is_void_five_minutes_one_second_counts():
    r = run([up(CANYIN, "2027-03-01 09:00:00"), up(CANYIN, "2027-03-01 09:05:00", 102),
             up(CANYIN, "2027-03-01 09:10:01", 103)])
    d = day(r, CANYIN, "2027-03-01")
    assert (d.counted, d.void) == (2, 1)
    pm = person_of(r, CANYIN)
    assert [v.reasons for v in pm.voids] == [(TOO_SOON,)]
    assert pm.voids[0].moment.strftime("%H:%M:%S") == "09:05:00"


def test_five_minutes_and_one_second_counts():
    r = run([up(CANYIN, "2027-03-01 09:00:00"), up(CANYIN, "2027-03-01 09:05:01", 102)])
    assert day(r, CANYIN, "2027-03-01").counted == 2


def test_void_upload_does_not_move_the_clock():
    # 09:03 has no address (void); 09:06 is 6 minutes after the last COUNTED upload (09:00), so it counts.
    r = run([up(CANYIN, "2027-03-01 09:00"), up(CANYIN, "2027-03-01 09:03", 102, address=False),
             up(CANYIN, "2027-03-01 09:06", 103)])
    d = day(r, CANYIN, "2027-03-01")
    assert (d.counted, d.void) == (2, 1)
    assert person_of(r, CANYIN).voids[0].reasons == (NO_ADDRESS, TOO_SOON)


def test_upload_void_for_being_too_soon_does_not_move_the_clock_either():
    r = run([up(CANYIN, "2027-03-01 09:00"), up(CANYIN, "2027-03-01 09:04", 102),
             up(CANYIN, "2027-03-01 09:05:30", 103), up(CANYIN, "2027-03-01 09:08", 104)])
    d = day(r, CANYIN, "2027-03-01")
    # 09:04 void (4 min), 09:05:30 counts (5.5 min after 09:00), 09:08 void (2.5 min after 09:05:30)
    assert (d.counted, d.void) == (2, 2)


def test_clock_is_per_person():
    r = run([up(CANYIN, "2027-03-01 09:00"), up(SHANGCHAO, "2027-03-01 09:01", 102)])
    assert day(r, CANYIN, "2027-03-01").counted == 1
    assert day(r, SHANGCHAO, "2027-03-01").counted == 1


def test_upload_without_address_is_void():
    r = run([up(CANYIN, "2027-03-01 09:00", address=False)])
    pm = person_of(r, CANYIN)
    assert (pm.uploads, pm.void_uploads) == (0, 1)
    assert pm.voids[0].reasons == (NO_ADDRESS,)


def test_photos_per_upload_follow_the_role():
    r = run([up(SHANGCHAO, "2027-03-01 09:00", photos=1), up(SHANGCHAO, "2027-03-01 09:10", photos=2),
             up(TUANGOU, "2027-03-01 09:00", photos=1), up(TUANGOU, "2027-03-01 09:10", photos=0)])
    assert (person_of(r, SHANGCHAO).uploads, person_of(r, SHANGCHAO).void_uploads) == (1, 1)
    assert person_of(r, SHANGCHAO).voids[0].reasons == (TOO_FEW_PHOTOS,)
    assert (person_of(r, TUANGOU).uploads, person_of(r, TUANGOU).void_uploads) == (1, 1)


def test_new_customer_upload_needs_name_and_phone_and_is_its_own_customer():
    r = run([new_customer(CANYIN, "2027-03-01 09:00"), new_customer(CANYIN, "2027-03-01 09:10"),
             new_customer(CANYIN, "2027-03-01 09:20", remarks_ok=False), up(CANYIN, "2027-03-01 09:30", 101),
             up(CANYIN, "2027-03-01 09:40", 101)])
    d = day(r, CANYIN, "2027-03-01")
    assert d.counted == 4          # two new customers + two uploads at customer 101
    assert d.visits == 3           # each new-customer upload is its own customer; 101 once
    assert person_of(r, CANYIN).voids[0].reasons == (NEW_CUSTOMER_UNNAMED,)


@pytest.mark.parametrize("remarks, ok", [
    ("新客户:临沂好运来超市 张经理 13805391234", True),
    ("好运来饭店 0539-8123456", True),
    ("王老板 8123456", True),
    ("好运来超市", False),             # no phone
    ("13805391234", False),           # no name
    ("张 1380539123", False),          # ten digits is no phone, one character is no name
    ("", False),
    (None, False),
    ("ＡＢ超市　１３８０５３９１２３４", True),  # full-width digits and spaces (NFKC)
])
def test_new_customer_remarks(remarks, ok):
    assert new_customer_remarks_ok(remarks) is ok


def test_unknown_customer_is_void_with_its_reason():
    r = run([up(CANYIN, "2027-03-01 09:00", None, ref="K9999")])
    pm = person_of(r, CANYIN)
    assert pm.void_uploads == 1 and pm.uploads == 0
    assert pm.voids[0].reasons == (UNKNOWN_CUSTOMER,) and pm.voids[0].ref == "K9999"


def test_repeated_rows_are_one_upload():
    row = up(CANYIN, "2027-03-01 09:00", 101)
    r = run([row, row, row, up(CANYIN, "2027-03-01 09:10", 102)])
    d = day(r, CANYIN, "2027-03-01")
    assert (d.counted, d.void) == (2, 0)


def test_same_time_other_customer_is_not_a_repeat_but_too_soon():
    r = run([up(CANYIN, "2027-03-01 09:00", 101), up(CANYIN, "2027-03-01 09:00", 102)])
    d = day(r, CANYIN, "2027-03-01")
    assert (d.counted, d.void) == (1, 1)


def test_repeated_events_are_one_event():
    r = run(events=[banquet(SHANGCHAO, "2027-03-02 12:00")] * 2)
    assert day(r, SHANGCHAO, "2027-03-02").uploads == 3


# --- counting ------------------------------------------------------------------------------------------------

def test_daily_visits_are_distinct_customers_uploads_are_counted_rows():
    r = run([up(CANYIN, f"2027-03-01 09:{m:02d}", c) for m, c in ((0, 101), (10, 102), (20, 101), (30, 103))])
    d = day(r, CANYIN, "2027-03-01")
    assert (d.uploads, d.visits) == (4, 3)


@pytest.mark.parametrize("person, visits, uploads", [
    (SHANGCHAO, 1, 3),   # 商团部: one banquet = 1 visit and 3 uploads
    (LIUTONG, 2, 2),     # 流通部: 2 visits and 2 uploads
    (CANYIN, 2, 2),      # 餐饮部: 2 visits and 2 uploads
])
def test_banquet_credits_per_department(person, visits, uploads):
    r = run([up(person, "2027-03-02 09:00", 101)], events=[banquet(person, "2027-03-02 18:00")])
    d = day(r, person, "2027-03-02")
    assert (d.visits, d.uploads, d.counted, d.events) == (1 + visits, 1 + uploads, 1, 1)
    assert person_of(r, person).uploads == 1 + uploads


def test_banquet_credit_can_save_a_day_from_its_fine():
    # 商超业务员 quota 6: three uploads + a banquet (3 upload credits) = 6 → no fine.
    rows = [up(SHANGCHAO, f"2027-03-02 09:{m:02d}", 100 + m) for m in (0, 10, 20)]
    r = run(rows, events=[banquet(SHANGCHAO, "2027-03-02 18:00")])
    d = day(r, SHANGCHAO, "2027-03-02")
    assert (d.uploads, d.quota, d.fine) == (6, 6, 0)


def test_events_in_a_department_without_credits_earn_nothing():
    r = run(events=[banquet(CLERK, "2027-03-02 12:00")])
    assert CLERK.id not in r.all_days  # no rule: not tallied


def test_visits_to_a_customer_count_whoever_made_them():
    customers = [cust(101, "K0101", CANYIN)]
    r = run([up(SHANGCHAO, "2027-03-02 09:00", 101)], customers=customers)
    pm = person_of(r, CANYIN)
    assert pm.customers_visited == 1 and pm.customers_not_visited == []
    assert pm.uploads == 0   # the upload is SHANGCHAO's, not CANYIN's


def test_customer_visits_in_a_period_are_distinct_days():
    # 餐饮业务员: 2 per month. Three uploads on one day are one visit: under the minimum.
    customers = [cust(101, "K0101", CANYIN), cust(102, "K0102", CANYIN)]
    rows = [up(CANYIN, "2027-03-02 09:00", 101), up(CANYIN, "2027-03-02 10:00", 101),
            up(CANYIN, "2027-03-02 11:00", 101), up(CANYIN, "2027-03-03 09:00", 102),
            up(CANYIN, "2027-03-04 09:00", 102)]
    pm = person_of(run(rows, customers=customers), CANYIN)
    assert pm.customers_under_minimum == ["K0101"]
    assert pm.shortfalls[0].visits == 1 and pm.shortfalls[0].required == 2
    assert pm.customer_fines == 50


# --- working days ----------------------------------------------------------------------------------------

def test_working_days_are_monday_to_saturday():
    r = run()
    pm = person_of(r, CANYIN)
    assert pm.working_days == 27   # March 2027: 31 days, four Sundays
    assert day(r, CANYIN, "2027-03-07").working is False and day(r, CANYIN, "2027-03-07").quota == 0
    assert day(r, CANYIN, "2027-03-06").working is True and day(r, CANYIN, "2027-03-06").quota == 8


def test_sunday_uploads_count_for_the_month_but_carry_no_quota_or_fine():
    r = run([up(CANYIN, "2027-03-07 10:00", 101)])
    d = day(r, CANYIN, "2027-03-07")
    assert (d.uploads, d.quota, d.fine) == (1, 0, 0)
    assert person_of(r, CANYIN).uploads == 1


def test_leave_days_are_not_working_days_and_carry_no_fine():
    r = run(absences=[leave(CANYIN, "2027-03-01", "2027-03-03")])
    pm = person_of(r, CANYIN)
    assert pm.working_days == 24
    assert day(r, CANYIN, "2027-03-02").leave and day(r, CANYIN, "2027-03-02").fine == 0
    assert pm.daily_fines == 24 * 100


def test_holidays_and_make_up_working_days_come_from_the_policy():
    pol = policy()
    pol = replace(pol, holidays=frozenset({date(2027, 3, 1)}), extra_working_days=frozenset({date(2027, 3, 7)}))
    r = run(pol=pol)
    assert day(r, CANYIN, "2027-03-01").working is False
    assert day(r, CANYIN, "2027-03-07").working is True
    assert person_of(r, CANYIN).working_days == 27


def test_roles_without_a_quota_have_working_days_but_no_daily_fines():
    pm = person_of(run(), CANYIN_SUP)
    assert pm.working_days == 27 and pm.daily_fines == 0
    assert all(d.quota == 0 for d in pm.days)


# --- weeks -----------------------------------------------------------------------------------------------

def test_a_week_belongs_to_the_month_of_its_thursday():
    # 2027-03-29 (Mon) … 2027-04-04 (Sun): Thursday is 1 April, so the week belongs to April.
    assert month_of_week(date(2027, 3, 29)) == (2027, 4)
    assert weeks_of_month(2027, 3) == [date(2027, 3, 1), date(2027, 3, 8), date(2027, 3, 15), date(2027, 3, 22)]
    assert weeks_of_month(2027, 4)[0] == date(2027, 3, 29)
    # 2026-12-28 … 2027-01-03: Thursday 31 December → December 2026.
    assert weeks_of_month(2026, 12)[-1] == date(2026, 12, 28)
    assert weeks_of_month(2027, 1)[0] == date(2027, 1, 4)
    # every week belongs to exactly one month
    mondays = [m for month in range(1, 13) for m in weeks_of_month(2027, month)]
    assert len(mondays) == len(set(mondays)) == 52


def test_weekly_figures_of_a_week_reaching_into_the_month_before():
    rows = [up(CANYIN, "2027-03-30 09:00", 101), up(CANYIN, "2027-04-01 09:00", 101)]
    r = run(rows, month="2027-04")
    w = person_of(r, CANYIN).weeks[0]
    assert (w.key, w.start, w.uploads) == ("2027-W13", date(2027, 3, 29), 2)
    assert person_of(r, CANYIN).uploads == 1   # the month sums only its own days


def test_per_week_minimum_fails_when_any_week_of_the_month_has_no_visit():
    customers = [cust(101, "K0101", LIUTONG), cust(102, "K0102", LIUTONG)]
    weekly = ["2027-03-02", "2027-03-09", "2027-03-16", "2027-03-23"]
    rows = [up(LIUTONG, f"{d} 09:00", 101) for d in weekly]
    rows += [up(LIUTONG, f"{d} 10:00", 102) for d in weekly[:3]]   # 102 missed the week of 22 March
    rows += [up(LIUTONG, "2027-03-30 10:00", 102)]                 # that week is April's: no help
    pm = person_of(run(rows, customers=customers), LIUTONG)
    assert pm.customers_under_minimum == ["K0102"]
    assert pm.shortfalls[0].period == "week 2027-W12"
    assert pm.customers_not_visited == []


def test_per_week_minimum_counts_the_days_of_a_week_in_the_month_before():
    customers = [cust(101, "K0101", LIUTONG)]
    # April 2027's weeks: W13 (29 Mar–4 Apr) … W17 (26 Apr–2 May). The visit on 30 March serves W13.
    days = ["2027-03-30", "2027-04-06", "2027-04-13", "2027-04-20", "2027-04-27"]
    pm = person_of(run([up(LIUTONG, f"{d} 09:00") for d in days], customers=customers, month="2027-04"), LIUTONG)
    assert pm.customers_under_minimum == []


# --- customer minimums -----------------------------------------------------------------------------------

def test_area_decides_the_minimum_of_lianying_representatives():
    # 南坊片区: 3 per month; 河东片区: 2 per month. Two visit days each.
    customers = [cust(101, "K0101", LIANYING_3), cust(201, "K0201", LIANYING_2)]
    rows = [up(LIANYING_3, "2027-03-02 09:00", 101), up(LIANYING_3, "2027-03-09 09:00", 101),
            up(LIANYING_2, "2027-03-02 09:00", 201), up(LIANYING_2, "2027-03-09 09:00", 201)]
    r = run(rows, customers=customers)
    assert person_of(r, LIANYING_3).customers_under_minimum == ["K0101"]
    assert person_of(r, LIANYING_2).customers_under_minimum == []
    assert person_of(r, LIANYING_3).rule.minimum == 3 and person_of(r, LIANYING_2).rule.minimum == 2


def test_county_group_buying_customer_has_a_two_month_cycle_looking_back():
    customers = [cust(101, "K0101", TUANGOU, "县城"), cust(102, "K0102", TUANGOU, "县城", "A类"),
                 cust(103, "K0103", TUANGOU)]
    rows = [up(TUANGOU, "2027-02-10 09:00", 101, photos=1),   # February: inside Feb–Mar
            up(TUANGOU, "2027-01-10 09:00", 102, photos=1),   # January: outside Feb–Mar
            up(TUANGOU, "2027-02-10 10:00", 103, photos=1)]   # not a county customer: monthly minimum
    pm = person_of(run(rows, customers=customers), TUANGOU)
    assert pm.customers_under_minimum == ["K0102", "K0103"]
    assert pm.customers_not_visited == ["K0101", "K0102", "K0103"]   # none of them this month
    assert pm.uploads == 0                                           # earlier months add nothing
    assert {s.code: s.period for s in pm.shortfalls}["K0102"] == "2 months"


def test_county_supermarket_has_a_six_month_cycle_across_the_year_end():
    customers = [cust(101, "K0101", SHANGCHAO, "县城"), cust(102, "K0102", SHANGCHAO, "县城")]
    rows = [up(SHANGCHAO, "2026-10-31 09:00", 101),    # Oct–Mar is the cycle ending March 2027
            up(SHANGCHAO, "2026-09-30 09:00", 102)]    # September is outside it
    pm = person_of(run(rows, customers=customers), SHANGCHAO)
    assert pm.customers_under_minimum == ["K0102"]


def test_calendar_cycles_are_checked_only_in_their_last_month():
    pol = replace(policy(), cycle_anchor="calendar")
    customers = [cust(101, "K0101", TUANGOU, "县城")]
    # Fixed cycles Jan–Feb, Mar–Apr: in March the cycle has not ended, nothing is checked.
    assert person_of(run(customers=customers, pol=pol), TUANGOU).customers_under_minimum == []
    assert person_of(run(customers=customers, pol=pol, month="2027-04"), TUANGOU).customers_under_minimum \
        == ["K0101"]
    # a visit in March serves the March–April cycle
    rows = [up(TUANGOU, "2027-03-10 09:00", 101, photos=1)]
    assert person_of(run(rows, customers=customers, pol=pol, month="2027-04"),
                     TUANGOU).customers_under_minimum == []


def test_earlier_month_rows_move_the_clock_but_add_nothing():
    rows = [up(CANYIN, "2027-02-28 23:58", 101), up(CANYIN, "2027-03-01 00:02", 102)]
    r = run(rows)
    pm = person_of(r, CANYIN)
    assert (pm.uploads, pm.void_uploads) == (0, 1)
    assert pm.voids[0].reasons == (TOO_SOON,)


def test_customers_not_visited_are_listed_by_code_ascending():
    customers = [cust(103, "K0103", CANYIN), cust(101, "K0101", CANYIN), cust(102, "K0102", CANYIN),
                 cust(110, "K0010", CANYIN)]
    pm = person_of(run([up(CANYIN, "2027-03-02 09:00", 102)], customers=customers), CANYIN)
    assert pm.customers_not_visited == ["K0010", "K0101", "K0103"]
    assert pm.customers_in_charge == 4 and pm.customers_visited == 1


# --- fines -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("quota, uploads, fine", [
    (6, 6, 0), (6, 7, 0), (6, 5, 50), (6, 4, 50), (6, 3, 100),   # 6: exactly half short (3) → 100
    (6, 0, 100), (8, 5, 50), (8, 4, 100), (8, 3, 100),
])
def test_daily_fine_boundary_at_exactly_half(quota, uploads, fine):
    assert Fines().daily(quota, uploads) == fine


def test_daily_fine_boundary_is_a_policy_setting():
    assert Fines(at_boundary="small").daily(6, 3) == 50
    assert Fines(at_boundary="small").daily(6, 2) == 100
    assert Fines(boundary_percent=25).daily(8, 6) == 100


def test_daily_fines_in_the_month():
    # 商超业务员, quota 6 (3 + 3): on 1 March three counted uploads (short 3 = half → 100), on 2 March four,
    # two each half (short 2: below half → 50), the other 25 working days nothing (→ 100 each).
    rows = [up(SHANGCHAO, f"2027-03-01 09:{m:02d}", 100 + m) for m in (0, 10, 20)]
    rows += [up(SHANGCHAO, f"2027-03-02 {h}:{m:02d}", 100 + m) for h in (9, 14) for m in (0, 10)]
    pm = person_of(run(rows), SHANGCHAO)
    assert [d.fine for d in pm.days[:2]] == [100, 50]
    assert pm.daily_fines == 100 + 50 + 25 * 100
    assert pm.total_fine == pm.daily_fines


def test_flex_month_has_no_daily_fines_but_a_reported_shortfall():
    rows = [up(CANYIN, f"2027-03-{d:02d} {h:02d}:00", 101) for d in range(1, 29) for h in range(8, 16)]
    r = run(rows, absences=[flex(CANYIN, "2027-03")], customers=[cust(101, "K0101", CANYIN),
                                                                 cust(102, "K0102", CANYIN)])
    pm = person_of(r, CANYIN)
    assert pm.flex and pm.daily_fines == 0
    assert pm.uploads == 28 * 8                      # Sundays count for the month total
    assert pm.flex_shortfall == 0                    # 224 uploads ≥ 27 working days × 8
    assert pm.customers_under_minimum == ["K0102"]   # customer fines still apply
    assert pm.customer_fines == 50 and pm.total_fine == 50


def test_flex_shortfall_and_its_fine_setting():
    rows = [up(CANYIN, f"2027-03-{d:02d} {h:02d}:00", 101) for d in range(1, 11) for h in range(8, 16)]
    pol = replace(policy(), flex=Flex(per_missing_upload=2, when_short=10))
    pm = person_of(run(rows, absences=[flex(CANYIN, "2027-03")]), CANYIN)
    assert pm.flex_shortfall == 27 * 8 - 80 and pm.flex_fine == 0 and pm.total_fine == 0   # default: no fine
    pm = person_of(run(rows, absences=[flex(CANYIN, "2027-03")], pol=pol), CANYIN)
    assert pm.flex_fine == 2 * (27 * 8 - 80) + 10 and pm.total_fine == pm.flex_fine


def test_flex_shortfall_counts_leave_and_event_credits():
    rows = [up(CANYIN, f"2027-03-{d:02d} {h:02d}:00", 101) for d in range(1, 11) for h in range(8, 16)]
    absences = [flex(CANYIN, "2027-03"), leave(CANYIN, "2027-03-29", "2027-03-31")]
    pm = person_of(run(rows, absences=absences, events=[banquet(CANYIN, "2027-03-20 12:00")]), CANYIN)
    assert pm.working_days == 24
    assert pm.flex_shortfall == 24 * 8 - (80 + 2)


def test_not_flex_month_reports_no_flex_shortfall():
    pm = person_of(run(absences=[flex(CANYIN, "2027-04")]), CANYIN)
    assert pm.flex is False and pm.flex_shortfall is None


def test_staff_without_a_rule_are_not_tallied_but_their_visits_count_for_customers():
    customers = [cust(101, "K0101", CANYIN)]
    r = run([up(CLERK, "2027-03-02 09:00", 101, photos=1)], customers=customers)
    assert all(pm.person.id != CLERK.id for pm in r.people)
    assert person_of(r, CANYIN).customers_visited == 1
    assert any("蒋涛" in w for w in r.warnings)


def test_totals_add_up_the_people():
    customers = [cust(101, "K0101", CANYIN), cust(102, "K0102", SHANGCHAO)]
    r = run([up(CANYIN, "2027-03-02 09:00", 101), up(SHANGCHAO, "2027-03-02 09:00", 101, address=False)],
            customers=customers)
    t = r.totals()
    assert t["uploads"] == sum(p.uploads for p in r.people) == 1
    assert t["void_uploads"] == 1
    assert t["total_fine"] == sum(p.total_fine for p in r.people)
    assert t["customers_not_visited"] == 1
