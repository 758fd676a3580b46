"""Issue 19 in the pure engine: the as-of date, China's holidays and 调休, morning and afternoon minimums.

Months are 2025-10 / 2026-03, years the chinese-calendar package knows; every expected figure is worked by hand
in the comments.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from crm_tui.services.visits.policy import PolicyError, parse_policy

from .helpers import CANYIN, SHANGCHAO, banquet, cust, day, person_of, policy, run, up


def _full_day(person, iso: str, half: int, customer: int = 101) -> list:
    """``half`` uploads in the morning (from 09:00) and ``half`` in the afternoon (from 14:00), 10 min apart."""
    return [up(person, f"{iso} {h}:{10 * i:02d}", customer) for h in (9, 14) for i in range(half)]


# --- as-of date ----------------------------------------------------------------------------------------------

MARCH_2026 = dict(month="2026-03", customers=[cust(101, "K0101", CANYIN), cust(102, "K0102", CANYIN)])
# 褚洋 (餐饮业务员, quota 8 = 4 + 4, minimum 2 visits per customer per month): a full day on Monday 2 March at
# K0101, and one upload on Thursday 12 March at K0101.
MARCH_ROWS = _full_day(CANYIN, "2026-03-02", 4) + [up(CANYIN, "2026-03-12 09:00")]


def test_mid_month_as_of_fines_only_the_days_so_far():
    r = run(MARCH_ROWS, as_of="2026-03-10", **MARCH_2026)
    pm = person_of(r, CANYIN)
    # 1 March 2026 is a Sunday. Working days up to Tuesday 10 March: 2–7 and 9–10 = 8.
    assert pm.working_days == 8
    # 2 March full (8 uploads, no fine); the 7 other working days have nothing: 7 × 100.
    assert pm.daily_fines == 700
    # 12 March is after the as-of date: its upload has not happened yet, the day is no working day, no fine.
    assert pm.uploads == 8
    later = day(r, CANYIN, "2026-03-12")
    assert (later.working, later.future, later.quota, later.shortfall, later.fine) == (False, True, 0, 0, 0)
    # Monthly minimums so far: K0101 1 of 2, K0102 0 of 2 — shown, not fined before 31 March; 21 days left.
    assert [(s.code, s.visits, s.required) for s in pm.shortfalls] == [("K0101", 1, 2), ("K0102", 0, 2)]
    assert pm.customer_fines == 0 and not pm.month_over
    assert (r.days_left, r.month_over) == (31 - 10, False)


def test_as_of_the_last_day_fines_the_month():
    r = run(MARCH_ROWS, as_of="2026-03-31", **MARCH_2026)
    pm = person_of(r, CANYIN)
    # 31 days less 5 Sundays (1, 8, 15, 22, 29) = 26 working days; 2 March full, 25 days short: 12 March has
    # 1 of 8 (short 7 ≥ half → 100) like the 24 empty ones → 25 × 100.
    assert (pm.working_days, pm.uploads, pm.daily_fines) == (26, 9, 2500)
    # K0101 now has 2 visit days (2 and 12 March) = its minimum; K0102 none → one customer fine of 50.
    assert [s.code for s in pm.shortfalls] == ["K0102"] and pm.customer_fines == 50
    assert pm.total_fine == 2550 and r.days_left == 0


# --- statutory holidays and 调休 -------------------------------------------------------------------------------

def test_national_day_and_the_make_up_saturday():
    r = run(month="2025-10")
    pm = person_of(r, CANYIN)
    # October 2025: 31 days; 国庆/中秋 1–8 October are holidays (8 days, Sunday 5 October among them); the other
    # Sundays are 12, 19, 26 → 31 − 8 − 3 = 20 working days. Saturday 11 October is a 调休 working day.
    assert pm.working_days == 20
    assert not day(r, CANYIN, "2025-10-01").working and not day(r, CANYIN, "2025-10-08").working
    assert day(r, CANYIN, "2025-10-09").working and day(r, CANYIN, "2025-10-11").working
    assert pm.daily_fines == 20 * 100 and r.warnings == []


def test_make_up_sunday_is_a_working_day_of_september():
    r = run(month="2025-09")
    # Sunday 28 September 2025 is a 调休 working day: September's 30 days less Sundays 7, 14, 21 = 27.
    assert day(r, CANYIN, "2025-09-28").working and day(r, CANYIN, "2025-09-28").quota == 8
    assert person_of(r, CANYIN).working_days == 27


def test_a_five_day_company_works_the_make_up_saturday():
    pol = policy(working_weekdays=frozenset({1, 2, 3, 4, 5}))
    r = run(month="2025-10", pol=pol)
    # Monday–Friday in October 2025: 1–3, 6–10, 13–17, 20–24, 27–31 = 3 + 5 + 5 + 5 + 5 = 23; less the holidays
    # on weekdays (1, 2, 3, 6, 7, 8) = 17; plus 调休 Saturday 11 October = 18.
    assert person_of(r, CANYIN).working_days == 18
    assert day(r, CANYIN, "2025-10-11").working and not day(r, CANYIN, "2025-10-18").working


def test_the_policy_adds_and_removes_days():
    pol = policy(holidays=frozenset({date(2025, 10, 9)}), extra_working_days=frozenset({date(2025, 10, 8)}))
    r = run(month="2025-10", pol=pol)
    # 20 working days (above), less the company's day off 9 October, plus 8 October worked = 20.
    assert person_of(r, CANYIN).working_days == 20
    assert day(r, CANYIN, "2025-10-08").working and not day(r, CANYIN, "2025-10-09").working


def test_without_the_statutory_calendar_national_day_is_worked():
    r = run(month="2025-10", pol=policy(statutory="none"))
    # 31 days less Sundays 5, 12, 19, 26 = 27.
    assert person_of(r, CANYIN).working_days == 27


def test_a_year_without_statutory_data_is_warned_about():
    r = run(month="2027-03")
    assert any("2027" in w and "policy alone" in w for w in r.warnings)
    # the policy alone: Monday–Saturday, 31 − 4 Sundays (7, 14, 21, 28) = 27 working days
    assert person_of(r, CANYIN).working_days == 27


# --- morning and afternoon -------------------------------------------------------------------------------------

def _am_pm(person, iso: str, am: int, pm: int) -> list:
    return ([up(person, f"{iso} 09:{10 * i:02d}") for i in range(am)]
            + [up(person, f"{iso} 14:{10 * i:02d}") for i in range(pm)])


def test_a_day_is_short_when_either_half_is_short():
    rows = (_am_pm(SHANGCHAO, "2026-03-02", 5, 1) + _am_pm(SHANGCHAO, "2026-03-03", 4, 0)
            + _am_pm(SHANGCHAO, "2026-03-04", 3, 3))
    r = run(rows, month="2026-03")
    # 商超业务员: quota 6, 3 morning + 3 afternoon.
    # 2 March: 5 + 1 = 6 uploads, but the afternoon is 2 short → short 2 (below half of 6) → 50.
    # 3 March: 4 + 0 → quota short 2, afternoon short 3 → short 3 (half) → 100.
    # 4 March: 3 + 3 → nothing.
    got = [(d.am, d.pm, d.shortfall, d.fine) for d in (day(r, SHANGCHAO, f"2026-03-0{n}") for n in (2, 3, 4))]
    assert got == [(5, 1, 2, 50), (4, 0, 3, 100), (3, 3, 0, 0)]


def test_noon_is_the_afternoon_and_a_policy_setting():
    times = ["09:00", "09:10", "11:54", "12:00", "12:10", "12:20"]   # 11:54 → 12:00 is over 5 minutes
    rows = [up(SHANGCHAO, f"2026-03-02 {t}") for t in times]
    at_noon = day(run(rows, month="2026-03"), SHANGCHAO, "2026-03-02")
    assert (at_noon.am, at_noon.pm, at_noon.fine) == (3, 3, 0)   # 12:00 is already afternoon
    later = day(run(rows, month="2026-03", pol=policy(noon_seconds=12 * 3600 + 30 * 60)), SHANGCHAO, "2026-03-02")
    assert (later.am, later.pm, later.shortfall, later.fine) == (6, 0, 3, 100)   # noon 12:30: afternoon 3 short


def test_banquet_credits_count_in_their_half():
    # 商团部: a banquet earns 3 uploads; at 18:00 they are the afternoon's. Morning 3 + banquet 3 → no fine.
    r = run(_am_pm(SHANGCHAO, "2026-03-02", 3, 0), month="2026-03", events=[banquet(SHANGCHAO, "2026-03-02 18:00")])
    d = day(r, SHANGCHAO, "2026-03-02")
    assert (d.am, d.pm, d.fine) == (3, 3, 0)


def test_policy_reads_the_halves_and_noon():
    base = {"roles": [{"department": "d", "role": "r", "uploads_per_day": 6, "am_min": 3, "pm_min": 3}],
            "uploads": {"noon": "12:30"}}
    pol = parse_policy(base)
    assert (pol.roles[0].am_min, pol.roles[0].pm_min, pol.noon_seconds) == (3, 3, 45000)
    assert policy().role_for("餐饮部", "餐饮业务员", None).am_min == 4
    with pytest.raises(PolicyError, match="uploads.noon"):
        parse_policy({**base, "uploads": {"noon": "25:00"}})
    with pytest.raises(PolicyError, match=r"roles\[1\].am_min"):
        parse_policy({"roles": [{"department": "d", "role": "r", "uploads_per_day": 6, "am_min": 4, "pm_min": 3}]})
    with pytest.raises(PolicyError, match="calendar.statutory"):
        parse_policy({"calendar": {"statutory": "japan"}})
    assert date(2025, 10, 8) in parse_policy({"calendar": {"extra_workdays": ["2025-10-08"]}}).extra_working_days
    assert replace(pol, statutory="none").is_working_weekday(date(2025, 10, 1))
