"""Demo step: message templates (some switched on for events), a target list, a campaign that ran with its
results, and an outbox with sent, waiting, failed and skipped messages. Runs after the sales step; its times are
fixed (message ids and send times do not come from the clock), so the demo is the same on every machine."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from crm_tui.db.models.customers import Contact, Customer
from crm_tui.db.models.messaging import Campaign, OutboxMessage
from crm_tui.services.messaging import campaigns, consent, sending, targets, templates

TITLE = "Messages"

TEMPLATES = [
    ("订单确认短信", "sms", "", "{联系人}您好，{客户名称}的订单{订单号}已确认，金额{金额}元。{公司名称}", ["order_confirmed"]),
    ("发货通知", "sms", "", "{联系人}您好，您的货物已由{快递公司}发出，单号{快递单号}，请注意查收。", ["shipment_confirmed"]),
    ("到款确认", "email", "【{公司名称}】到款确认", "{联系人}您好：\n\n已收到{客户名称}货款{金额}元（{大写金额}）。\n\n业务员 {业务员}",
     ["receipt_recorded"]),
    ("生日祝福", "sms", "", "{联系人}，祝您生日快乐！{业务员}敬上", ["birthday"]),
    ("中秋问候", "sms", "", "{客户名称}：中秋快乐，阖家团圆！{公司名称}", ["mid_autumn"]),
    ("年末促销", "sms", "", "{联系人}您好，年末订货满一万元享九五折，详询业务员{业务员}。", []),
]


def run(session, ctx) -> None:
    actor = ctx.actor
    for name, channel, subject, body, trig in TEMPLATES:
        templates.add_template(session, actor, name, channel, body, subject=subject, triggers=trig)
    targets.add_list(session, actor, "有手机的客户", {"has": "mobile"})
    customers = list(session.scalars(select(Customer).order_by(Customer.id)))
    if not customers:
        return
    # Two contacts declined messages (PIPL): their skips are recorded.
    contacts = list(session.scalars(select(Contact).where(Contact.is_primary.is_(True)).order_by(Contact.id)))
    for contact in contacts[3:12:6]:
        consent.set_consent(session, actor, contact.id, opted_out=True, on=ctx.today - timedelta(days=40))
    for contact in contacts[:8]:
        consent.set_consent(session, actor, contact.id, consent=True, on=ctx.today - timedelta(days=60))

    run_day = ctx.today - timedelta(days=17)
    cid = campaigns.add_campaign(session, actor, "双十一老客户回访", "有手机的客户", "年末促销", budget="3000",
                                 cost="486.00", starts_on=run_day, ends_on=run_day + timedelta(days=14),
                                 attribution_days=14)
    results = campaigns.run_campaign(session, actor, "双十一老客户回访")
    session.get(Campaign, cid).run_at = datetime.combine(run_day, datetime.min.time()) + timedelta(hours=9)
    sent_at = datetime.combine(run_day, datetime.min.time()) + timedelta(hours=1)  # 09:00 local, in UTC
    queued = [r.outbox_id for r in results if r.status == "queued"]
    for i, row_id in enumerate(queued):
        row = session.get(OutboxMessage, row_id)
        row.message_id = f"<demo-c{i:03d}@crm-tui>"
        if i % 9 == 4:
            row.status, row.attempts, row.last_error = "failed", 1, "400 号码无效"
        else:
            row.status, row.attempts, row.sent_at = "sent", 1, sent_at + timedelta(seconds=i)
    for row in session.scalars(select(OutboxMessage).where(OutboxMessage.message_id.not_like("<demo-%"))):
        row.created_at = sent_at
    # Waiting in the outbox today: an e-mail (no SMTP server set in the demo) and an SMS.
    recent = customers[:2]
    waiting = sending.send(session, actor, "到款确认", customer_codes=[c.code for c in recent]) + sending.send(
        session, actor, "生日祝福", customer_codes=[customers[2].code])
    for i, r in enumerate(waiting):
        row = session.get(OutboxMessage, r.outbox_id)
        row.message_id = f"<demo-w{i:03d}@crm-tui>"
        row.created_at = datetime.combine(ctx.today, datetime.min.time())
    for i, row in enumerate(session.scalars(select(OutboxMessage).where(OutboxMessage.message_id.not_like("<demo-%"))
                                            .order_by(OutboxMessage.id))):
        row.message_id = f"<demo-s{i:03d}@crm-tui>"
    ctx.made["messages"] = len(results) + len(waiting)
