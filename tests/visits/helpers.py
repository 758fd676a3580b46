"""Small builders for tally tests: people by role, customers, uploads at readable times."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from crm_tui.services.visits.calendar import to_seconds
from crm_tui.services.visits.policy import load_policy
from crm_tui.services.visits.tally import (
    NEW_CUSTOMER,
    VISIT,
    Absence,
    Customer,
    Event,
    Person,
    Upload,
    group_uploads,
    tally_month,
)


def policy(**changes):
    from crm_tui.services.visits.policy import default_policy_path

    p = load_policy(default_policy_path())
    return replace(p, **changes) if changes else p


# One person per role of the default policy.
SHANGCHAO = Person(1, "孙伟", "商团部", "商超业务员", None, "S003")
TUANGOU = Person(2, "李娜", "商团部", "团购业务员", None, "S004")
LIANYING_3 = Person(3, "郑凯", "流通部", "联营体分销代表", "南坊片区", "S007")
LIANYING_2 = Person(4, "王芳", "流通部", "联营体分销代表", "河东片区", "S008")
LIUTONG = Person(5, "冯军", "流通部", "流通客户业务代表", None, "S009")
CANYIN = Person(6, "褚洋", "餐饮部", "餐饮业务员", None, "S011")
CANYIN_SUP = Person(7, "陈静", "餐饮部", "餐饮促销主管", None, "S010")
CLERK = Person(8, "蒋涛", "综合办公室", "内勤", None, "S013")
EVERYONE = [SHANGCHAO, TUANGOU, LIANYING_3, LIANYING_2, LIUTONG, CANYIN, CANYIN_SUP, CLERK]


def ts(text: str) -> int:
    """'2027-03-01 09:00' or '2027-03-01 09:00:30' → wall-clock seconds."""
    fmt = "%Y-%m-%d %H:%M:%S" if text.count(":") == 2 else "%Y-%m-%d %H:%M"
    return to_seconds(datetime.strptime(text, fmt))


def up(person: Person, when: str, customer: int | None = 101, *, kind: int = VISIT, address: bool = True,
       photos: int = 2, remarks_ok: bool = False, ref=None) -> tuple[int, Upload]:
    """(person id, Upload): ``run`` groups the pairs per person."""
    return person.id, Upload.of(ts(when), kind, customer, has_address=address, photos=photos,
                                remarks_ok=remarks_ok, ref=ref if ref is not None else customer)


def new_customer(person: Person, when: str, remarks_ok: bool = True, **kw) -> tuple[int, Upload]:
    return up(person, when, None, kind=NEW_CUSTOMER, remarks_ok=remarks_ok, ref=f"new-{when}", **kw)


def banquet(person: Person, when: str) -> Event:
    return Event(person.id, ts(when), "帮送喜宴", "喜宴")


def cust(cid: int, code: str, owner: Person | None, *labels: str) -> Customer:
    return Customer(cid, code, owner.id if owner else None, frozenset(labels), f"客户{code}")


def leave(person: Person, start: str, end: str | None = None) -> Absence:
    return Absence(person.id, "leave", date.fromisoformat(start), date.fromisoformat(end or start))


def flex(person: Person, month: str) -> Absence:
    y, m = map(int, month.split("-"))
    return Absence(person.id, "flex", date(y, m, 1), date(y, m, 1))


def run(uploads=(), *, month="2027-03", people=None, customers=(), events=(), absences=(), pol=None, as_of=None):
    y, m = map(int, month.split("-"))
    return tally_month(pol or policy(), y, m, people or EVERYONE, customers, group_uploads(uploads), list(events),
                       list(absences), date.fromisoformat(as_of) if as_of else None)


def person_of(result, person: Person):
    for pm in result.people:
        if pm.person.id == person.id:
            return pm
    raise AssertionError(f"{person.name} not in the tally")


def day(result, person: Person, iso: str):
    d = date.fromisoformat(iso)
    return result.all_days[person.id][d]
