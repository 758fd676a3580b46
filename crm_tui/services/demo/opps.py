"""Demo step: a living pipeline of 临沂华夏商贸 — opportunities at every stage of the funnel, with their
products, next steps, stage histories, quotes made from them, three won (each with its order, a draft to
confirm) and three lost for reasons from the list. Every figure comes from a generator of its own and every
date from the demo's fixed "today", so each run gives the same pipeline and the steps before it are untouched.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from crm_tui.core.actor import Actor
from crm_tui.db.models.customers import Contact, Customer
from crm_tui.db.models.people import User
from crm_tui.services.opportunities import records

TITLE = "Opportunities and the sales funnel"
SEED = 20261207

# (stage reached, title, source, days since it started, days until it is expected to close)
PIPELINE = [
    ("initial", "春节年货团购", "电话", 3, 40),
    ("initial", "新店开业首批铺货", "老客户介绍", 6, 25),
    ("initial", "员工福利采购", "网站", 9, 33),
    ("initial", "年会酒水", "展会", 14, 12),
    ("qualified", "酒店季度供货", "老客户介绍", 18, 20),
    ("qualified", "超市调味品专柜", "展会", 22, 3),
    ("qualified", "学校食堂大米", "电话", 26, 30),
    ("proposal", "连锁门店啤酒独家", "展会", 30, 2),
    ("proposal", "婚宴酒水包场", "老客户介绍", 34, 5),
    ("proposal", "团餐粮油年度合同", "网站", 38, 16),
    ("negotiation", "商超春季堆头", "展会", 42, 1),
    ("negotiation", "餐饮连锁年度框架", "老客户介绍", 46, 9),
    ("won", "节日礼盒", "电话", 50, -10),
    ("won", "酒店年度啤酒", "老客户介绍", 55, -18),
    ("won", "社区团购调味品", "网站", 60, -25),
    ("lost", "批发市场整柜", "展会", 48, -12),
    ("lost", "写字楼食堂", "电话", 57, -20),
    ("lost", "县城超市铺货", "老客户介绍", 63, -30),
]
LOST = ["价格太高", "选择了竞争对手", "预算不足"]
NEXT_STEPS = ["电话回访", "上门拜访采购", "发送样品", "约见老板", "提交报价", "确认合同条款"]
LADDER = ["initial", "qualified", "proposal", "negotiation"]


def run(session, ctx) -> None:
    rng = random.Random(SEED)
    today = ctx.today
    products = [pid for _code, pid in sorted(ctx.made["products"].items())]
    sellers = [Actor.from_user(u) for u in session.scalars(
        select(User).where(User.role == "salesperson", User.active.is_(True)).order_by(User.id))]
    with_contacts = {}
    for cid, owner, contact in session.execute(
            select(Customer.id, Customer.owner_id, Contact.id).join(Contact, Contact.customer_id == Customer.id)
            .where(Customer.owner_id.in_([s.id for s in sellers]), Customer.status == "active")
            .order_by(Customer.id, Contact.is_primary.desc(), Contact.id)):
        with_contacts.setdefault(cid, (owner, contact))
    chosen = rng.sample(sorted(with_contacts), len(PIPELINE))
    by_id = {s.id: s for s in sellers}

    def at(days_ago: int, hour: int = 10) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour)) - timedelta(hours=8)  # UTC

    def day(days_ago: int) -> date:
        return today - timedelta(days=days_ago)

    won = lost = 0
    for (reached, title, source, ago, close_in), cid in zip(PIPELINE, chosen, strict=True):
        owner, contact = with_contacts[cid]
        seller = by_id[owner]
        lines = [records.LineIn(pid, rng.choice([20, 30, 50, 80, 100, 200]))
                 for pid in rng.sample(products, rng.randint(1, 3))]
        step = rng.choice(NEXT_STEPS)
        oid = records.add_opportunity(
            session, seller, cid, title, contact_id=contact, source=source, lines=lines,
            expected_close=day(-close_in) if close_in >= 0 else day(ago - 20),
            next_step=step if reached not in ("won", "lost") else None,
            next_step_date=day(-rng.randint(1, 6)) if reached not in ("won", "lost") else None, at=at(ago))
        target = LADDER.index(reached) if reached in LADDER else (3 if reached == "won" else rng.randint(1, 3))
        when = ago
        for i in range(1, target + 1):
            when = max(when - rng.randint(3, 6), 1)
            if LADDER[i] == "proposal":
                records.make_quote(session, seller, oid, quote_date=day(when))
            records.move(session, seller, oid, LADDER[i], at=at(when, 15))
        if reached == "won":
            records.win(session, seller, oid, order_date=day(max(when - 2, 0)), at=at(max(when - 2, 0), 16))
            won += 1
        elif reached == "lost":
            records.lose(session, seller, oid, LOST[lost % len(LOST)], day=day(max(when - 3, 0)),
                         at=at(max(when - 3, 0), 16))
            lost += 1
    ctx.made["opportunities"] = len(PIPELINE)
