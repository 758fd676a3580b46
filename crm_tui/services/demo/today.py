"""Demo step: an announcement (公告), reminders (some due on 2026-11-30, the Monday after the demo's "today")
and a few notifications, so the today view of a newcomer has something in it. Times are fixed, not the clock's,
so the demo is the same on every machine."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from crm_tui.db.models.customers import ContactLog, Customer
from crm_tui.db.models.notices import Announcement, Notification, Reminder
from crm_tui.services.notices import texts

TITLE = "Announcements, reminders and notifications"

ANNOUNCEMENTS = [
    ("admin", None, "年终盘点安排", "12月28日起各仓库年终盘点，盘点期间暂停出库。请各部门提前安排发货。",
     datetime(2026, 11, 27, 10, 0)),
    ("zhaogang", "销售部", "十二月销售冲刺", "本月重点：回款与年度合同续签。请每周五前提交周计划。",
     datetime(2026, 11, 27, 16, 30)),
]
# (login, due, note, record kind)
REMINDERS = [
    ("sunwei", datetime(2026, 11, 30, 9, 0), "给客户回电话确认到货时间", "customer"),
    ("sunwei", datetime(2026, 11, 30, 15, 0), "准备下周拜访资料", "none"),
    ("sunwei", datetime(2026, 12, 3, 10, 0), "跟进年度合同续签", "customer"),
    ("admin", datetime(2026, 11, 30, 9, 0), "检查上月应收账款", "none"),
    ("qianli", datetime(2026, 11, 30, 11, 0), "审阅孙伟的周计划", "none"),
]


def run(session, ctx) -> None:
    users: dict[str, int] = ctx.made["users"]
    users = {**users, "admin": ctx.actor.id}
    departments: dict = ctx.made.get("departments", {})
    for login, dept, title, body, at in ANNOUNCEMENTS:
        dept_id = next((v for k, v in departments.items() if k == dept or str(k).endswith(f"/{dept}")), None)
        session.add(Announcement(title=title, body=body, author_id=users[login], department_id=dept_id,
                                 posted_at=at, withdrawn=False))
    owned = {}
    for cid, code, name, owner in session.execute(select(Customer.id, Customer.code, Customer.name, Customer.owner_id)
                                                  .order_by(Customer.id)):
        owned.setdefault(owner, []).append((cid, code, name))
    made = 0
    for login, due, note, kind in REMINDERS:
        mine = owned.get(users.get(login), [])
        record = mine[made % len(mine)][0] if kind == "customer" and mine else None
        session.add(Reminder(user_id=users[login], kind=kind if record else "none", record_id=record, due_at=due,
                             note=note, state="open"))
        made += 1
    # The earlier steps' reviews and claim decisions told their people already (services notify as they act):
    # those count as read, so the demo's today view shows the few below rather than weeks of history.
    session.execute(update(Notification).where(Notification.read_at.is_(None))
                    .values(read_at=datetime(2026, 11, 27, 18, 0)).execution_options(synchronize_session=False))
    sunwei = users.get("sunwei")
    notes = 0
    reviewed = session.execute(select(ContactLog.customer_id, Customer.name, ContactLog.review_comment)
                               .join(Customer, Customer.id == ContactLog.customer_id)
                               .where(ContactLog.author_id == sunwei, ContactLog.reviewed_at.is_not(None))
                               .order_by(ContactLog.id).limit(1)).first()
    if sunwei and reviewed:
        session.add(Notification(user_id=sunwei, at=datetime(2026, 11, 27, 17, 5), text_code="log_reviewed",
                                 params=texts.encode({"reviewer": "钱丽", "customer": reviewed[1],
                                                      "comment": reviewed[2]}),
                                 link_kind="customer", link_id=reviewed[0]))
        notes += 1
    if sunwei and owned.get(sunwei):
        cid, code, name = owned[sunwei][-1]
        session.add(Notification(user_id=sunwei, at=datetime(2026, 11, 28, 9, 15), text_code="customer_transferred",
                                 params=texts.encode({"code": code, "name": name, "who": "赵刚"}),
                                 link_kind="customer", link_id=cid))
        notes += 1
    session.flush()
    ctx.made["announcements"] = len(ANNOUNCEMENTS)
    ctx.made["reminders"] = made
    ctx.made["notifications"] = notes
