"""Demo step: after-sales tickets (服务工单) of the demo customers, in every status.

Times are set from the demo's "today" (2026-11-27), so the pictures taken on 2026-11-30 09:30 always show the
same six tickets overdue: new, in progress and waiting ones past their SLA, and a reopened one. The rest are
on time, resolved, or closed with a satisfaction score. Each customer is the first or second of a demo
salesperson's own; with no customers in the database the step writes nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.products import Product
from crm_tui.db.models.service import Ticket, TicketLog
from crm_tui.services.common.numbering import take_number
from crm_tui.services.tickets import states
from crm_tui.services.tickets.records import number_mask

TITLE = "Service tickets"

# (salesperson, which of their customers, kind, priority, subject, product, opened (days after "today", hour),
#  assignee, what happened: (hours after opening, action, text, satisfaction))
TICKETS = [
    ("wangfang", 1, "inquiry", "low", "对账单金额与我方记录不符，请核对", None, (-17, 9.5), "yangli",
     [(5, "note", "已调出十月对账单核对", None), (50, "resolve", "少记一笔退货，已重开对账单", None),
      (52, "close", "客户确认无误", 4)]),
    ("zhouqiang", 1, "complaint", "urgent", "发票抬头开错，客户无法报销", None, (-11, 10), "jiangtao",
     [(1, "note", "已与财务联系作废重开", None), (3, "resolve", "已重开专票并快递寄出", None),
      (24, "close", "客户嫌处理慢", 2)]),
    ("weixue", 0, "return", "normal", "临期红星二锅头申请退货", "BJ005", (-9, 14), "jiangtao",
     [(20, "resolve", "同意退货，已安排取回", None), (26, "close", "客户满意", 4),
      (138, "reopen", "退款尚未到账，客户来电催问", None)]),
    ("fengjun", 0, "complaint", "normal", "业务员未按约定时间拜访", None, (-7, 14), "wumin",
     [(2, "note", "已向客户致歉，改约周五上午", None), (20, "resolve", "已补拜访并送上新品样酒", None),
      (44, "close", "客户表示理解", 3)]),
    ("wangfang", 0, "inquiry", "normal", "咨询开具专票需要的资料", None, (-4, 9.5), "yangli",
     [(5.5, "resolve", "已发送开票资料清单", None), (24.5, "close", "", 5)]),
    ("chuyang", 0, "repair", "high", "门头灯箱不亮", None, (-2, 9), "jiangtao",
     [(1, "assign", "", None), (7.5, "resolve", "更换镇流器，灯箱恢复", None)]),
    ("lina", 0, "complaint", "high", "送货晚了两天，影响周末销售", None, (-1, 10), "qianli",
     [(0.5, "in_progress", "已致歉，正在查物流记录", None)]),
    ("zhouqiang", 0, "return", "normal", "两箱兰陵王酒瓶身破损要求换货", "BJ002", (0, 15), "jiangtao",
     [(2, "waiting", "请客户拍照并保留外箱", None)]),
    ("chuyang", 1, "complaint", "normal", "促销赠品未兑现", None, (0, 16), None, []),
    ("lina", 1, "repair", "normal", "展示冰柜温控器损坏", None, (1, 10), "jiangtao",
     [(3, "waiting", "配件已订，等客户约上门时间", None)]),
    ("zhengkai", 0, "inquiry", "low", "询问兰陵美酒春节团购价格", "BJ004", (1, 11), None, []),
    ("sunwei", 0, "repair", "urgent", "展示冰柜不制冷，酒品存放受影响", None, (2, 20), "jiangtao", []),
    ("sunwei", 1, "inquiry", "normal", "新品上市时间和进货政策", None, (3, 8.5), "sunwei", []),
    ("zhengkai", 1, "return", "high", "整箱串货退回", None, (3, 9), "yangli",
     [(0.25, "in_progress", "已核对批号，安排取货", None)]),
]


def run(session, ctx) -> None:
    users = dict(session.execute(select(User.login, User.id)).all())
    names = dict(session.execute(select(User.id, User.display_name)).all())
    products = dict(session.execute(select(Product.code, Product.id)).all())
    owned: dict[int, list[int]] = {}
    for cid, owner in session.execute(select(Customer.id, Customer.owner_id).order_by(Customer.id)):
        if owner is not None:
            owned.setdefault(owner, []).append(cid)
    if not owned:
        ctx.made["service tickets"] = 0
        return
    base = datetime.combine(ctx.today, time(0, 0))
    mask = number_mask()
    made = []
    for login, nth, kind, priority, subject, product, (day, hour), assignee, events in sorted(
            TICKETS, key=lambda t: t[6]):
        owner = users.get(login)
        mine = owned.get(owner or -1, [])
        if len(mine) <= nth:
            continue
        opened = base + timedelta(days=day, hours=hour)
        assignee_id = users.get(assignee) if assignee else None
        ticket = Ticket(number=take_number(session, "ticket", opened.date(), mask=mask), customer_id=mine[nth],
                        product_id=products.get(product) if product else None, kind=kind, priority=priority,
                        subject=subject, description=None, assignee_id=assignee_id, created_by_id=owner,
                        status="new", opened_at=opened, due_at=states.due_time(opened, priority), reopen_count=0)
        session.add(ticket)
        session.flush()
        worker = assignee_id or owner
        for hours, action, text, score in events:
            at = opened + timedelta(hours=hours)
            if action == "assign":
                text = f"指派给{names[assignee_id]}"
            elif action in ("in_progress", "waiting"):
                ticket.status = action
                action = "status"
            elif action == "resolve":
                ticket.status, ticket.resolved_at, ticket.resolution = "resolved", at, text
            elif action == "close":
                ticket.status, ticket.closed_at, ticket.satisfaction = "closed", at, score
                text = f"满意度 {score}/5" + (f"：{text}" if text else "")
            elif action == "reopen":
                ticket.status, ticket.resolved_at, ticket.closed_at = "in_progress", None, None
                ticket.resolution, ticket.satisfaction = None, None
                ticket.reopen_count += 1
                ticket.due_at = states.due_time(at, priority)
            session.add(TicketLog(ticket_id=ticket.id, at=at, author_id=worker, action=action, text=text))
        made.append(ticket.id)
    session.flush()
    ctx.made["service tickets"] = made
