"""The policy file: the shipped default is the seed's table; a bad file is refused naming the key."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from crm_tui.services.visits.policy import PolicyError, default_policy_path, load_policy, parse_policy


def default_data() -> dict:
    return tomllib.loads(default_policy_path().read_text(encoding="utf-8"))


def test_default_policy_is_the_seed_table():
    p = load_policy(default_policy_path())
    table = {(r.department, r.role, r.areas): (r.visits_per_day, r.uploads_per_day, r.minimum, r.period, r.photos)
             for r in p.roles}
    assert table == {
        ("商团部", "商超业务员", ()): (2, 6, 1, "month", 2),
        ("商团部", "团购业务员", ()): (2, 6, 1, "month", 1),
        ("商团部", "社会团购员", ()): (2, 6, 1, "month", 1),
        ("商团部", "商超促销主管", ()): (None, None, 1, "month", 2),
        ("流通部", "联营体分销代表", ("南坊片区", "市区西片区", "城西片区")): (8, 8, 3, "month", 2),
        ("流通部", "联营体分销代表", ("城北片区", "河东片区", "罗庄片区", "市区东片区")): (8, 8, 2, "month", 2),
        ("流通部", "流通客户业务代表", ()): (2, 6, 1, "week", 2),
        ("餐饮部", "餐饮业务员", ()): (8, 8, 2, "month", 2),
        ("餐饮部", "餐饮促销主管", ()): (None, None, 1, "month", 2),
    }
    assert p.min_interval_seconds == 300
    assert p.working_weekdays == frozenset({1, 2, 3, 4, 5, 6})
    assert (p.fines.small, p.fines.large, p.fines.boundary_percent, p.fines.at_boundary, p.fines.per_customer) \
        == (50, 100, 50, "large", 50)
    assert p.flex.fine(10) == 0
    assert p.event_credit("帮送喜宴", "商团部") == (1, 3)
    assert p.event_credit("帮送喜宴", "流通部") == (2, 2)
    assert p.event_credit("帮送喜宴", "餐饮部") == (2, 2)
    assert p.event_credit("帮送喜宴", "财务部") == (0, 0)
    assert {(c.classification, c.months) for c in p.cycles} == {("县城", 2), ("县城", 6)}
    assert p.longest_cycle_months == 6
    assert p.digest


def test_area_rule_wins_and_unknown_area_has_no_rule():
    p = load_policy(default_policy_path())
    assert p.role_for("流通部", "联营体分销代表", "罗庄片区").minimum == 2
    assert p.role_for("流通部", "联营体分销代表", "城西片区").minimum == 3
    assert p.role_for("流通部", "联营体分销代表", "火星片区") is None
    assert p.role_for("餐饮部", "餐饮业务员", "任意片区").uploads_per_day == 8
    assert p.role_for("财务部", "会计", None) is None


def test_cycle_rules_match_role_and_label():
    p = load_policy(default_policy_path())
    assert p.cycle_for("商团部", "团购业务员", frozenset({"县城", "A类"})).months == 2
    assert p.cycle_for("商团部", "商超业务员", frozenset({"县城"})).months == 6
    assert p.cycle_for("商团部", "商超业务员", frozenset({"A类"})) is None
    assert p.cycle_for("餐饮部", "餐饮业务员", frozenset({"县城"})) is None


def _expect(data: dict, key: str, fragment: str = "") -> None:
    with pytest.raises(PolicyError) as info:
        parse_policy(data, source="my.toml")
    assert info.value.field == key
    assert f"my.toml: {key}:" in info.value.message
    assert fragment in info.value.message


def test_bad_number_names_the_key():
    data = default_data()
    data["roles"][2]["uploads_per_day"] = "six"
    _expect(data, "roles[3].uploads_per_day", "'six'")


def test_negative_and_boolean_numbers_are_refused():
    data = default_data()
    data["uploads"]["min_interval_seconds"] = -1
    _expect(data, "uploads.min_interval_seconds")
    data = default_data()
    data["fines"]["small"] = True
    _expect(data, "fines.small")


def test_unknown_key_is_an_error_not_a_silent_default():
    data = default_data()
    data["fines"]["per_custmer"] = 60
    _expect(data, "fines.per_custmer", "unknown key")
    data = default_data()
    data["roles"][0]["photo"] = 3
    _expect(data, "roles[1].photo", "unknown key")


def test_missing_required_key():
    data = default_data()
    del data["roles"][4]["role"]
    _expect(data, "roles[5].role", "required")


def test_choices_are_checked():
    data = default_data()
    data["roles"][0]["period"] = "fortnight"
    _expect(data, "roles[1].period", "month, week")
    data = default_data()
    data["fines"]["at_boundary"] = "middle"
    _expect(data, "fines.at_boundary")
    data = default_data()
    data["calendar"]["cycle_anchor"] = "lunar"
    _expect(data, "calendar.cycle_anchor")


def test_dates_and_weekdays_are_checked():
    data = default_data()
    data["calendar"]["holidays"] = ["2027-10-01", "2027-13-01"]
    _expect(data, "calendar.holidays[2]", "YYYY-MM-DD")
    data = default_data()
    data["calendar"]["working_weekdays"] = [0, 1]
    _expect(data, "calendar.working_weekdays")
    data = default_data()
    data["calendar"]["holidays"] = ["2027-10-01", date(2027, 10, 2)]
    assert parse_policy(data).holidays == {date(2027, 10, 1), date(2027, 10, 2)}


def test_two_rules_for_the_same_role_and_area_are_refused():
    data = default_data()
    data["roles"].append(dict(data["roles"][0]))
    _expect(data, f"roles[{len(data['roles'])}]", "roles[1]")
    data = default_data()
    data["events"].append(dict(data["events"][0]))
    _expect(data, f"events[{len(data['events'])}]")


def test_boundary_percent_range():
    data = default_data()
    data["fines"]["boundary_percent"] = 0
    _expect(data, "fines.boundary_percent", "1–100")


def test_file_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[fines\nsmall = 1", encoding="utf-8")
    with pytest.raises(PolicyError, match="bad.toml: not valid TOML"):
        load_policy(bad)
    with pytest.raises(PolicyError, match="Cannot read"):
        load_policy(tmp_path / "missing.toml")


def test_setting_selects_the_policy_file(tmp_path):
    from crm_tui.config import update_settings

    custom = tmp_path / "custom.toml"
    custom.write_text(default_policy_path().read_text(encoding="utf-8").replace(
        'name = "某某销售部关于CRM系统使用的管理办法"', 'name = "我们的办法"'), encoding="utf-8")
    update_settings("visits", policy=str(custom))
    assert load_policy().name == "我们的办法"
    assert load_policy(default_policy_path()).name != "我们的办法"


def test_minimal_policy_uses_defaults():
    p = parse_policy({"roles": [{"department": "A", "role": "B"}]})
    assert p.roles[0].photos == 1 and p.roles[0].uploads_per_day is None
    assert p.min_interval_seconds == 300 and p.fines.large == 100
