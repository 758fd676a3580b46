"""E-mail through a real SMTP server (aiosmtpd on 127.0.0.1, a free port)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from crm_tui.db.base import utcnow
from crm_tui.db.models.messaging import OutboxMessage
from crm_tui.db.session import read_session, transaction
from crm_tui.services.messaging import consent, outbox, sending, templates


@pytest.fixture
def notice(engine, team):
    with transaction(engine, team.admin) as s:
        templates.add_template(s, team.admin, "订单通知", "email", "{联系人}您好：{客户名称}的订单已确认，业务员{业务员}。",
                               subject="【{公司名称}】{客户名称} 订单确认")
    return "订单通知"


def _rows(engine):
    with read_session(engine) as s:
        return {r.recipient_name: r for r in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))}


def test_one_message_per_recipient_encoded_filled_opted_out_refused(engine, team, notice, smtp_server,
                                                                      smtp_settings):
    smtp_server.start()
    with transaction(engine, team.admin) as s:
        consent.set_consent(s, team.admin, team.contacts["李四"], opted_out=True)
    codes = [team.codes[n] for n in ("北京华夏科技有限公司", "上海明珠贸易有限公司", "广州南方商行", "无联系方式商店")]
    with transaction(engine, team.s1) as s:
        results = sending.send(s, team.s1, notice, customer_codes=codes)
    assert [r.status for r in results] == ["queued", "skipped", "queued", "no_address"]
    report = outbox.deliver_pending(engine)
    assert (report.sent, report.failed) == (1, 1)

    box = smtp_server.mailbox.messages
    assert len(box) == 1  # 李四 opted out, 王五 refused, 钱七 has no address
    rcpt, mail = box[0]
    assert rcpt == ["zhang@example.com"]
    assert mail["Subject"] == "【测试公司】北京华夏科技有限公司 订单确认"
    raw = mail.as_bytes().decode("ascii")  # every header and the body travel as 7-bit ASCII
    assert "=?utf-8?" in raw.lower() and "北京" not in raw
    assert mail.get_content().strip() == "张三您好：北京华夏科技有限公司的订单已确认，业务员孙伟。"
    assert mail.get_content_charset() == "utf-8"
    assert "测试公司销售部" in str(mail["From"])

    rows = _rows(engine)
    assert rows["张三"].status == "sent" and rows["张三"].message_id == mail["Message-ID"]
    assert rows["李四"].status == "skipped" and rows["李四"].sent_at is None
    assert rows["王五"].status == "failed" and "550" in rows["王五"].last_error
    assert rows["钱七"].status == "no_address"


def test_every_send_is_audited(engine, team, notice, smtp_server, smtp_settings):
    from crm_tui.db.models.system import AuditEntry

    smtp_server.start()
    with transaction(engine, team.s1) as s:
        sending.send(s, team.s1, notice, customer_codes=[team.codes["北京华夏科技有限公司"]])
    outbox.deliver_pending(engine)
    with read_session(engine) as s:
        entries = s.execute(select(AuditEntry.action, AuditEntry.user_login, AuditEntry.changes)
                            .where(AuditEntry.entity == "message_outbox").order_by(AuditEntry.id)).all()
    assert entries[0][0] == "create" and entries[0][1] == "s1"
    assert any('"sent"' in (changes or "") for _a, _u, changes in entries[1:])


def test_outbox_waits_for_the_server_then_delivers_once(engine, team, notice, smtp_server, smtp_settings):
    with transaction(engine, team.s1) as s:
        sending.send(s, team.s1, notice, customer_codes=[team.codes["北京华夏科技有限公司"]])
    report = outbox.deliver_pending(engine)  # no server yet
    assert report.sent == 0 and report.retrying == 1 and "Cannot reach the SMTP server" in report.errors[0]
    row = _rows(engine)["张三"]
    assert row.status == "queued" and row.attempts == 0 and row.next_attempt_at > utcnow()
    assert outbox.deliver_pending(engine).sent == 0  # backing off: not due yet

    smtp_server.start()
    later = utcnow() + timedelta(minutes=5)
    assert outbox.deliver_pending(engine, now=later).sent == 1
    assert outbox.deliver_pending(engine, now=later + timedelta(hours=1)).sent == 0
    assert len(smtp_server.mailbox.messages) == 1
    assert _rows(engine)["张三"].status == "sent"


def test_salesperson_messages_only_own_customers(engine, team, notice):
    from crm_tui.core.errors import NotFound

    with transaction(engine, team.s2) as s, pytest.raises(NotFound):
        sending.send(s, team.s2, notice, customer_codes=[team.codes["北京华夏科技有限公司"]])
    with transaction(engine, team.mgr) as s:  # the manager reaches his people's customers
        assert len(sending.send(s, team.mgr, notice, customer_codes=[team.codes["北京华夏科技有限公司"]],
                                dry_run=True)) == 1


def test_password_never_from_settings(monkeypatch):
    from crm_tui.core.errors import ValidationError
    from crm_tui.services.messaging.channels import smtp_password

    with pytest.raises(ValidationError, match="CRM_SMTP_PASSWORD"):
        smtp_password({"password": "secret", "password_env": "CRM_SMTP_PASSWORD"})
    monkeypatch.setenv("CRM_SMTP_PASSWORD", "from-env")
    assert smtp_password({"password_env": "CRM_SMTP_PASSWORD", "user": "u"}) == "from-env"
