"""Templates, preview, consent, target lists, triggers and campaigns, through the services."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from crm_tui.core import clock
from crm_tui.core.errors import PermissionDenied, StateError, ValidationError
from crm_tui.db.models.customers import Contact, Customer
from crm_tui.db.models.messaging import OutboxMessage
from crm_tui.db.session import read_session, transaction
from crm_tui.services.messaging import campaigns, consent, outbox, targets, templates, triggers
from crm_tui.services.messaging.channels import FileSmsGateway


@pytest.fixture
def product(engine, admin):
    from crm_tui.services.stock import products

    with transaction(engine, admin) as s:
        return products.add_product(s, admin, code="P1", name="青岛啤酒", unit="箱", sale_price_gross=D("113.00"))


def _order(engine, actor, customer_id, product, qty=10, day=None) -> int:
    from crm_tui.services.sales import orders
    from crm_tui.services.sales.pricing import LineInput

    with transaction(engine, actor) as s:
        oid = orders.create_order(s, actor, customer_id, [LineInput(product, qty)], order_date=day)
        orders.confirm_order(s, actor, oid)
    return oid


def _cid(engine, code) -> int:
    with read_session(engine) as s:
        return s.scalar(select(Customer.id).where(Customer.code == code))


def _outbox(engine):
    with read_session(engine) as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_unknown_field_is_refused_naming_it(engine, team):
    with transaction(engine, team.admin) as s:
        with pytest.raises(ValidationError, match=r"\{客户名\} in the body"):
            templates.add_template(s, team.admin, "坏模板", "sms", "{客户名}您好")
        with pytest.raises(ValidationError, match=r"\{单号\} in the subject"):
            templates.add_template(s, team.admin, "坏模板", "email", "正文", subject="订单{单号}")
        with pytest.raises(ValidationError, match="Unknown trigger"):
            templates.add_template(s, team.admin, "坏模板", "sms", "正文", triggers=["order_shipped"])
        with pytest.raises(ValidationError, match="days past due"):
            templates.add_template(s, team.admin, "坏模板", "sms", "正文", triggers=["receivable_overdue"])
    with read_session(engine) as s:
        assert templates.list_templates(s, team.admin) == []  # nothing written
    with transaction(engine, team.s1) as s, pytest.raises(PermissionDenied):
        templates.add_template(s, team.s1, "业务员模板", "sms", "正文")


def test_preview_from_a_real_order(engine, team, product):
    code = team.codes["北京华夏科技有限公司"]
    oid = _order(engine, team.admin, _cid(engine, code), product)
    with transaction(engine, team.admin) as s:
        templates.add_template(s, team.admin, "确认", "sms",
                               "{联系人}您好，{客户名称}订单{订单号}金额{金额}元（{大写金额}），业务员{业务员}。")
        from crm_tui.db.models.sales import SalesOrder

        number = s.get(SalesOrder, oid).number
    with read_session(engine) as s:
        p = templates.preview(s, team.s1, "确认", code, order_number=number)
    assert p.body == (f"张三您好，北京华夏科技有限公司订单{number}金额1,130.00元（壹仟壹佰叁拾元整），业务员孙伟。")
    assert (p.units, p.parts, p.encoding) == (len(p.body), 1 if len(p.body) <= 70 else 2, "ucs2")


def test_target_list_filters_and_visibility(engine, team, product):
    with transaction(engine, team.admin) as s:
        targets.add_list(s, team.admin, "河东A类", {"area": "河东片区", "classification": "A类"})
        targets.add_list(s, team.admin, "有手机", {"has": "mobile"})
        targets.add_list(s, team.admin, "孙伟的", {"owner": "S003"})
        targets.add_list(s, team.admin, "久未下单", {"last_order_before": "2026-06-01"})
        with pytest.raises(ValidationError, match="expected a date"):
            targets.add_list(s, team.admin, "坏", {"last_order_before": "昨天"})
    _order(engine, team.admin, _cid(engine, team.codes["北京华夏科技有限公司"]), product, day=date(2026, 7, 1))

    def names(actor, list_name):
        with read_session(engine) as s:
            return [c.name for c in targets.list_customers(s, actor, list_name)]

    assert names(team.admin, "河东A类") == ["北京华夏科技有限公司"]  # B类 and C类 left out
    assert names(team.admin, "有手机") == ["北京华夏科技有限公司", "上海明珠贸易有限公司", "深圳前海电子"]
    assert names(team.s2, "有手机") == ["深圳前海电子"]  # a salesperson: own customers only
    assert len(names(team.admin, "孙伟的")) == 4
    assert "北京华夏科技有限公司" not in names(team.admin, "久未下单")


def test_order_shipment_and_receipt_triggers(engine, team, product):
    from crm_tui.services.sales import receipts, stock_outs

    with transaction(engine, team.admin) as s:
        templates.add_template(s, team.admin, "订单确认", "sms", "{客户名称}订单{订单号}已确认，金额{金额}元",
                               triggers=["order_confirmed"])
        templates.add_template(s, team.admin, "已发货", "sms", "{快递公司}{快递单号}", triggers=["shipment_confirmed"])
        templates.add_template(s, team.admin, "到款", "email", "收到{金额}元", subject="到款通知",
                               triggers=["receipt_recorded"])
    cid = _cid(engine, team.codes["北京华夏科技有限公司"])
    oid = _order(engine, team.admin, cid, product)
    with transaction(engine, team.admin) as s:
        stock_outs.add_tracking(s, team.admin, "顺丰", "SF1234567890", order_id=oid)
        receipts.record_receipt(s, team.admin, cid, "500.00", order_id=oid)
    rows = _outbox(engine)
    assert [(r.trigger, r.status) for r in rows] == [("order_confirmed", "queued"), ("shipment_confirmed", "queued"),
                                                      ("receipt_recorded", "queued")]
    assert rows[0].body.startswith("北京华夏科技有限公司订单SO") and rows[0].body.endswith("金额1,130.00元")
    assert rows[1].body == "顺丰SF1234567890" and rows[1].recipient == "13800138000"
    assert rows[2].body == "收到500.00元" and rows[2].recipient == "zhang@example.com"

    # A business write that fails queues nothing: the message is part of its transaction.
    from crm_tui.services.sales import orders
    from crm_tui.services.sales.pricing import LineInput

    with pytest.raises(RuntimeError), transaction(engine, team.admin) as s:
        o2 = orders.create_order(s, team.admin, cid, [LineInput(product, 1)])
        orders.confirm_order(s, team.admin, o2)
        raise RuntimeError("rolled back")
    assert len(_outbox(engine)) == 3


def test_dated_triggers_fire_once(engine, team, product):
    from crm_tui.services.customers import contacts

    with transaction(engine, team.admin) as s:
        contact = s.get(Contact, team.contacts["张三"])
        contacts.update_contact(s, team.admin, contact.id, contact.version, birthday=date(1980, 9, 25))
        templates.add_template(s, team.admin, "生日", "sms", "{联系人}，生日快乐！", triggers=["birthday"])
        templates.add_template(s, team.admin, "中秋", "sms", "{客户名称}：中秋快乐", triggers=["mid_autumn"])
        templates.add_template(s, team.admin, "催款", "sms", "{客户名称}尚欠{金额}元，到期日{到期日}",
                               triggers=["receivable_overdue"], overdue_days=30)
        consent.set_consent(s, team.admin, team.contacts["赵六"], opted_out=True)
    _order(engine, team.admin, _cid(engine, team.codes["上海明珠贸易有限公司"]), product, day=date(2026, 8, 1))
    _order(engine, team.admin, _cid(engine, team.codes["上海明珠贸易有限公司"]), product, day=date(2026, 9, 20))

    mid_autumn = date(2026, 9, 25)
    for _ in range(2):  # scanned twice the same day: queued once
        with transaction(engine, team.admin) as s:
            triggers.scan_dates(s, mid_autumn)
    rows = _outbox(engine)
    by_trigger = Counter((r.trigger, r.status) for r in rows)
    assert by_trigger[("birthday", "queued")] == 1
    assert by_trigger[("mid_autumn", "queued")] == 2  # 张三, 李四
    assert by_trigger[("mid_autumn", "skipped")] == 1  # 赵六 opted out: recorded, not sent
    assert by_trigger[("mid_autumn", "no_address")] == 2  # 王五 and 钱七 have no mobile
    assert sum(by_trigger.values()) == 1 + 5 + 1
    overdue = [r for r in rows if r.trigger == "receivable_overdue"]
    assert [r.body for r in overdue] == ["上海明珠贸易有限公司尚欠1,130.00元，到期日2026-08-01"]  # 9-20 not yet 30 days


def test_campaign_needs_a_manager_and_reports_attributed_orders(engine, team, product, tmp_path):
    with transaction(engine, team.admin) as s:
        templates.add_template(s, team.admin, "双十二", "sms", "{客户名称}：双十二订货八折")
        targets.add_list(s, team.admin, "全部手机", {"has": "mobile"})
    with transaction(engine, team.s1) as s, pytest.raises(PermissionDenied, match="manager"):
        campaigns.add_campaign(s, team.s1, "双十二促销", "全部手机", "双十二")
    with transaction(engine, team.mgr) as s:
        campaigns.add_campaign(s, team.mgr, "双十二促销", "全部手机", "双十二", budget="¥2,000", cost="350.50",
                               starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 12), attribution_days=14)
        with pytest.raises(ValidationError, match="expected an amount"):
            campaigns.add_campaign(s, team.mgr, "坏", "全部手机", "双十二", budget="很多")
    with transaction(engine, team.admin) as s:
        consent.set_consent(s, team.admin, team.contacts["李四"], opted_out=True)
    with transaction(engine, team.mgr) as s:
        results = campaigns.run_campaign(s, team.mgr, "双十二促销")
    assert sorted(r.status for r in results) == ["queued", "queued", "skipped"]
    outbox.deliver_pending(engine, {"sms": FileSmsGateway(tmp_path / "sms.jsonl")})
    with transaction(engine, team.mgr) as s, pytest.raises(StateError):
        campaigns.run_campaign(s, team.mgr, "双十二促销")

    today = clock.today()
    hx, mz = _cid(engine, team.codes["北京华夏科技有限公司"]), _cid(engine, team.codes["上海明珠贸易有限公司"])
    _order(engine, team.admin, hx, product, qty=10, day=today + timedelta(days=3))  # counts: 1,130.00
    _order(engine, team.admin, hx, product, qty=1, day=today + timedelta(days=20))  # too late
    _order(engine, team.admin, hx, product, qty=1, day=today - timedelta(days=2))  # before the send
    _order(engine, team.admin, mz, product, qty=5, day=today + timedelta(days=1))  # 李四 opted out: not reached
    with read_session(engine) as s:
        rep = campaigns.report(s, team.mgr, "双十二促销").as_json()
    assert (rep["sent"], rep["failed"], rep["skipped"]) == (2, 0, 1)
    assert (rep["customers_reached"], rep["orders"], rep["amount"]) == (2, 1, "1130.00")
    assert (rep["budget"], rep["cost"]) == ("2000.00", "350.50")


def test_an_uncertain_message_is_requeued_only_by_someone_who_may_message_it(engine, team, tmp_path):
    from crm_tui.core.errors import NotFound
    from crm_tui.db.base import utcnow

    with transaction(engine, team.admin) as s:
        templates.add_template(s, team.admin, "问候", "sms", "{联系人}您好")
        from crm_tui.services.messaging import sending

        (r,) = sending.send(s, team.s1, "问候", customer_codes=[team.codes["北京华夏科技有限公司"]])
        s.get(OutboxMessage, r.outbox_id).status = "sending"
        s.get(OutboxMessage, r.outbox_id).claimed_at = utcnow() - timedelta(hours=1)
    assert outbox.deliver_pending(engine, {"sms": FileSmsGateway(tmp_path / "x.jsonl")}).uncertain == 1
    with transaction(engine, team.s2) as s, pytest.raises(NotFound):
        outbox.requeue(s, team.s2, r.outbox_id)
    with transaction(engine, team.s1) as s:
        outbox.requeue(s, team.s1, r.outbox_id)
        with pytest.raises(StateError):
            outbox.requeue(s, team.s1, r.outbox_id)
    assert outbox.deliver_pending(engine, {"sms": FileSmsGateway(tmp_path / "x.jsonl")}).sent == 1
    assert len((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_a_resolved_ticket_queues_its_template_to_the_ticket_contact(engine, team):
    from crm_tui.services.tickets import records as tickets

    with transaction(engine, team.admin) as s:
        templates.add_template(s, team.admin, "工单已解决", "sms", "{客户名称}：您的问题已解决",
                               triggers=["ticket_resolved"])
    cid = _cid(engine, team.codes["深圳前海电子"])
    with transaction(engine, team.admin) as s:
        ticket = tickets.add_ticket(s, team.admin, cid, "repair", "冰柜不制冷", contact_id=team.contacts["赵六"])
        tickets.resolve(s, team.admin, ticket.id, "更换压缩机")
    rows = _outbox(engine)
    assert [(r.trigger, r.status, r.recipient) for r in rows] == [("ticket_resolved", "queued", "13700137000")]
    assert rows[0].body == "深圳前海电子：您的问题已解决"
