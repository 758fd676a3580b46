"""SMS: the HTTP gateway adapter against a local HTTP server, the file adapter, and length counting."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from crm_tui.db.models.messaging import OutboxMessage
from crm_tui.db.session import read_session, transaction
from crm_tui.services.messaging import outbox, sending, templates
from crm_tui.services.messaging.channels import FileSmsGateway, HttpSmsGateway, Outgoing, Permanent, Transient
from crm_tui.services.messaging.merge import sms_length


@pytest.fixture
def gateway():
    """A provider's HTTP API: records each request; answers 400 for numbers starting 100, 503 for 199."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, to: str):
            code = 400 if to.startswith("100") else 503 if to.startswith("199") else 200
            self.send_response(code)
            self.end_headers()
            self.wfile.write(b'{"ok": true}' if code == 200 else b'{"error": "bad number"}')

        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
            seen.append({"method": "POST", "path": self.path, "headers": dict(self.headers), "body": body})
            data = json.loads(body) if "json" in self.headers["Content-Type"] else {
                k: v[0] for k, v in parse_qs(body).items()}
            self._answer(data["mobile"])

        def do_GET(self):  # noqa: N802
            query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
            seen.append({"method": "GET", "path": self.path, "query": query})
            self._answer(query["mobile"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def _msg(to="13800138000", body='张三您好，"订单"已发货\n谢谢'):
    return Outgoing("<m1@crm-tui>", to, "张三", "", body)


def test_http_adapter_json_post(gateway, monkeypatch):
    url, seen = gateway
    monkeypatch.setenv("SMS_KEY", "k-123")
    gw = HttpSmsGateway.from_settings({"url": url + "/send", "method": "POST",
                                       "body": '{"mobile": "{to}", "content": "{text}", "ref": "{message_id}"}',
                                       "headers": {"X-Api-Key": "env:SMS_KEY"}, "signature": "【测试公司】"})
    gw.open()
    gw.send(_msg())
    (req,) = seen
    assert req["headers"]["X-Api-Key"] == "k-123"
    assert json.loads(req["body"]) == {"mobile": "13800138000", "content": '【测试公司】张三您好，"订单"已发货\n谢谢',
                                       "ref": "<m1@crm-tui>"}
    with pytest.raises(Permanent, match="400"):
        gw.send(_msg(to="10012345678"))
    with pytest.raises(Transient, match="503"):
        gw.send(_msg(to="19912345678"))


def test_http_adapter_get_and_form(gateway):
    url, seen = gateway
    HttpSmsGateway(url + "/sms?mobile={to}&text={text}&id={message_id}", method="GET").send(_msg())
    assert seen[-1]["query"] == {"mobile": "13800138000", "text": '张三您好，"订单"已发货\n谢谢', "id": "<m1@crm-tui>"}
    HttpSmsGateway(url, body="mobile={to}&text={text}", content_type="application/x-www-form-urlencoded").send(
        _msg(body="a&b=c 中文"))
    assert parse_qs(seen[-1]["body"]) == {"mobile": ["13800138000"], "text": ["a&b=c 中文"]}


def test_unreachable_gateway_is_transient():
    from tests.messaging.conftest import free_port

    with pytest.raises(Transient, match="Cannot reach"):
        HttpSmsGateway(f"http://127.0.0.1:{free_port()}/x", body="{text}", timeout=2).send(_msg())


def test_file_adapter_through_the_outbox(engine, team, tmp_path):
    with transaction(engine, team.admin) as s:
        templates.add_template(s, team.admin, "发货短信", "sms", "{联系人}您好，{客户名称}的货已发出。")
        codes = [team.codes[n] for n in ("北京华夏科技有限公司", "上海明珠贸易有限公司", "广州南方商行")]
        results = sending.send(s, team.admin, "发货短信", customer_codes=codes)
    assert [r.status for r in results] == ["queued", "queued", "no_address"]  # 王五 has no mobile
    path = tmp_path / "sms" / "out.jsonl"
    report = outbox.deliver_pending(engine, {"sms": FileSmsGateway(path, "【测试公司】")})
    assert report.sent == 2
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert [(x["to"], x["text"]) for x in lines] == [
        ("13800138000", "【测试公司】张三您好，北京华夏科技有限公司的货已发出。"),
        ("13900139000", "【测试公司】李四您好，上海明珠贸易有限公司的货已发出。")]
    with read_session(engine) as s:
        ids = set(s.scalars(select(OutboxMessage.message_id).where(OutboxMessage.status == "sent")))
    assert {x["message_id"] for x in lines} == ids


@pytest.mark.parametrize(("text", "expected"), [
    ("", (0, 0, "gsm7")),
    ("a" * 160, (160, 1, "gsm7")),
    ("a" * 161, (161, 2, "gsm7")),
    ("a" * 306, (306, 2, "gsm7")),
    ("a" * 307, (307, 3, "gsm7")),
    ("{" * 80, (160, 1, "gsm7")),  # extension characters count twice
    ("中" * 70, (70, 1, "ucs2")),
    ("中" * 71, (71, 2, "ucs2")),
    ("中" * 134, (134, 2, "ucs2")),
    ("中" * 135, (135, 3, "ucs2")),
    ("a" * 69 + "中", (70, 1, "ucs2")),  # one Chinese character makes the whole message UCS-2
])
def test_sms_length(text, expected):
    assert sms_length(text) == expected
