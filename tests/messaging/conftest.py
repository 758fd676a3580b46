"""Messaging fixtures: a small sales team with customers and contacts, a real SMTP server (aiosmtpd) on a free
port of 127.0.0.1, and an SMTP channel pointed at it."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy

import pytest

from crm_tui.db.session import transaction


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Team:
    admin: object
    mgr: object
    s1: object
    s2: object
    codes: dict = field(default_factory=dict)  # name -> customer code
    contacts: dict = field(default_factory=dict)  # contact name -> id


@pytest.fixture
def team(engine, admin, make_user) -> Team:
    from crm_tui.services.customers import contacts, records

    mgr = make_user("mgr", "manager", "钱经理", staff_number="S002")
    s1 = make_user("s1", "salesperson", "孙伟", supervisor_id=mgr.id, staff_number="S003")
    s2 = make_user("s2", "salesperson", "李娜", supervisor_id=mgr.id, staff_number="S004")
    t = Team(admin, mgr, s1, s2)
    rows = [  # customer, owner, area, classification, contact, email, mobile
        ("北京华夏科技有限公司", s1, "河东片区", "A类,重点", "张三", "zhang@example.com", "13800138000"),
        ("上海明珠贸易有限公司", s1, "河东片区", "B类", "李四", "li@example.com", "13900139000"),
        ("广州南方商行", s1, "河西片区", "A类", "王五", "refuse@example.com", None),
        ("深圳前海电子", s2, "河西片区", "A类", "赵六", "zhao@example.com", "13700137000"),
        ("无联系方式商店", s1, "河东片区", "C类", "钱七", None, None),
    ]
    with transaction(engine, admin) as s:
        for name, owner, area, cls, contact, email, mobile in rows:
            cid = records.create_customer(s, admin, name=name, owner_id=owner.id, area=area, classification=cls)
            t.contacts[contact] = contacts.add_contact(s, admin, cid, name=contact, email=email, mobile=mobile)
            from crm_tui.db.models.customers import Customer

            t.codes[name] = s.get(Customer, cid).code
    return t


class Mailbox:
    """Collects what the SMTP server accepted; refuses RCPT for addresses starting with ``refuse``."""

    def __init__(self):
        self.messages = []  # (envelope recipients, parsed message)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 — aiosmtpd's name
        if address.startswith("refuse"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    """Start with ``smtp_server.start()`` (a test may first try while it is down)."""
    from aiosmtpd.controller import Controller

    box = Mailbox()

    class Server:
        mailbox = box
        controller = None

        def start(self):
            self.controller = Controller(box, hostname="127.0.0.1", port=smtp_port)
            self.controller.start()
            return self

        def stop(self):
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

    server = Server()
    yield server
    server.stop()


@pytest.fixture
def smtp_settings(smtp_port, crm_home):
    """settings.toml pointing the e-mail channel at the test server (plain SMTP, no login)."""
    from crm_tui import config

    cfg = crm_home / "config"
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.toml").write_text(
        "[messaging]\nretry_base_seconds = 60\n[messaging.smtp]\n"
        f'host = "127.0.0.1"\nport = {smtp_port}\nsecurity = "plain"\nfrom_address = "crm@example.com"\n'
        'from_name = "测试公司销售部"\n[messaging.sms]\nadapter = "file"\n', encoding="utf-8")
    config.reload_settings()
    return cfg / "settings.toml"
