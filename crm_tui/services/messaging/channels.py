"""How a message leaves: e-mail over SMTP, SMS through a gateway (an HTTP adapter or a file adapter).

A channel is opened for a batch, sends one message at a time, and says how a failure should be handled:
``Transient`` (no connection, a 4xx reply: try again later) or ``Permanent`` (the recipient was refused: the
message is failed). No provider is hard-wired: the HTTP adapter is configured by URL, method and body template.
"""

from __future__ import annotations

import importlib
import json
import os
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, localtime
from pathlib import Path
from typing import Protocol

from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _


class Transient(Exception):  # noqa: N818 — names the kind of failure, as smtplib's do
    """Try again later."""


class Permanent(Exception):  # noqa: N818
    """This message cannot be delivered as it is."""


@dataclass(frozen=True)
class Outgoing:
    message_id: str
    recipient: str
    recipient_name: str
    subject: str
    body: str


class Channel(Protocol):
    def open(self) -> None: ...
    def send(self, msg: Outgoing) -> None: ...
    def close(self) -> None: ...


# --- e-mail -------------------------------------------------------------------------------------------------

def smtp_password(cfg: dict) -> str | None:
    """The SMTP password from the environment variable the settings name, else the system keyring (when the
    ``keyring`` package is installed). A ``password`` key in settings.toml is refused."""
    if cfg.get("password"):
        raise ValidationError(_("Do not keep the SMTP password in settings.toml: set the environment variable "
                                "{env} or store it in the system keyring.").format(env=cfg.get("password_env")),
                              field="messaging.smtp.password")
    value = os.environ.get(cfg.get("password_env") or "CRM_SMTP_PASSWORD")
    if value:
        return value
    if cfg.get("user"):
        try:
            keyring = importlib.import_module("keyring")  # optional: only where the office installed it
        except ImportError:
            return None
        try:
            return keyring.get_password(cfg.get("keyring_service") or "crm-tui", cfg["user"])
        except Exception:  # noqa: BLE001 — no usable keyring backend: no password
            return None
    return None


@dataclass
class SmtpChannel:
    host: str
    port: int
    security: str = "starttls"  # starttls | ssl | plain
    user: str = ""
    password: str | None = None
    from_address: str = ""
    from_name: str = ""
    timeout: float = 30
    tls_context: ssl.SSLContext | None = None
    _smtp: smtplib.SMTP | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls, cfg: dict, company_name: str = "") -> SmtpChannel:
        if cfg.get("security", "starttls") not in ("starttls", "ssl", "plain"):
            raise ValidationError(_("messaging.smtp.security: expected starttls, ssl or plain, got {value}").format(
                value=cfg.get("security")), field="messaging.smtp.security")
        return cls(host=cfg.get("host", ""), port=int(cfg.get("port") or 587), security=cfg.get("security", "starttls"),
                   user=cfg.get("user", ""), password=smtp_password(cfg), from_address=cfg.get("from_address", ""),
                   from_name=cfg.get("from_name") or company_name, timeout=float(cfg.get("timeout") or 30))

    def open(self) -> None:
        if not self.host:
            raise Transient(_("No SMTP server is set (messaging.smtp.host)."))
        try:
            if self.security == "ssl":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                        context=self.tls_context or ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.security == "starttls":
                    smtp.starttls(context=self.tls_context or ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise Transient(_("The SMTP server refused the login: {error}").format(error=_smtp_text(exc))) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise Transient(_("Cannot reach the SMTP server {host}:{port}: {error}").format(
                host=self.host, port=self.port, error=_smtp_text(exc))) from exc
        self._smtp = smtp

    def message(self, msg: Outgoing) -> EmailMessage:
        mail = EmailMessage()  # default policy: non-ASCII headers are RFC 2047 encoded, the body UTF-8
        mail["From"] = formataddr((self.from_name, self.from_address)) if self.from_name else self.from_address
        mail["To"] = formataddr((msg.recipient_name, msg.recipient)) if msg.recipient_name else msg.recipient
        mail["Subject"] = msg.subject
        mail["Date"] = format_datetime(localtime())
        mail["Message-ID"] = msg.message_id
        mail.set_content(msg.body, charset="utf-8")
        return mail

    def send(self, msg: Outgoing) -> None:
        if self._smtp is None:
            self.open()
        try:
            refused = self._smtp.send_message(self.message(msg))
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            error = _("The server refused {to}: {code} {text}").format(to=msg.recipient, code=code,
                                                                       text=_decode(text))
            raise (Permanent(error) if code >= 500 else Transient(error)) from exc
        except smtplib.SMTPResponseException as exc:
            error = _smtp_text(exc)
            self._drop()
            raise (Permanent(error) if exc.smtp_code >= 500 else Transient(error)) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise Transient(_smtp_text(exc)) from exc
        if refused:
            code, text = next(iter(refused.values()))
            raise Permanent(_("The server refused {to}: {code} {text}").format(to=msg.recipient, code=code,
                                                                              text=_decode(text)))

    def _drop(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.close()
        finally:
            self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._drop()


def _decode(text) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


def _smtp_text(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_decode(exc.smtp_error)}"
    return str(exc) or type(exc).__name__


# --- SMS ----------------------------------------------------------------------------------------------------

def _signed(signature: str, text: str) -> str:
    return text if not signature or text.startswith(signature) else signature + text


@dataclass
class HttpSmsGateway:
    """Any HTTP SMS provider: ``{to}``, ``{text}``, ``{message_id}`` are filled into the URL (URL-encoded) and
    the body template (JSON-escaped for a JSON body, form-encoded otherwise). A 2xx reply is sent; 4xx is
    permanent; 5xx or no connection is transient. ``message_id`` lets a gateway drop a repeat."""

    url: str
    method: str = "POST"
    body: str = ""
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)
    signature: str = ""
    timeout: float = 15

    @classmethod
    def from_settings(cls, cfg: dict) -> HttpSmsGateway:
        headers = {}
        for key, value in (cfg.get("headers") or {}).items():
            value = str(value)
            headers[key] = os.environ.get(value[4:], "") if value.startswith("env:") else value
        method = str(cfg.get("method") or "POST").upper()
        if method not in ("GET", "POST"):
            raise ValidationError(_("messaging.sms.method: expected GET or POST, got {value}").format(value=method),
                                  field="messaging.sms.method")
        return cls(url=cfg.get("url", ""), method=method, body=cfg.get("body", ""),
                   content_type=cfg.get("content_type") or "application/json", headers=headers,
                   signature=cfg.get("signature", ""), timeout=float(cfg.get("timeout") or 15))

    def open(self) -> None:
        if not self.url:
            raise Transient(_("No SMS gateway URL is set (messaging.sms.url)."))

    @staticmethod
    def _fill(template: str, values: dict[str, str], escape) -> str:
        for key, value in values.items():
            template = template.replace("{" + key + "}", escape(value))
        return template

    def send(self, msg: Outgoing) -> None:
        values = {"to": msg.recipient, "text": _signed(self.signature, msg.body), "message_id": msg.message_id}
        url = self._fill(self.url, values, lambda v: urllib.parse.quote(v, safe=""))
        data = None
        if self.method == "POST":
            if "json" in self.content_type:
                text = self._fill(self.body, values, lambda v: json.dumps(v, ensure_ascii=False)[1:-1])
            else:
                text = self._fill(self.body, values, lambda v: urllib.parse.quote_plus(v))
            data = text.encode("utf-8")
        request = urllib.request.Request(url, data=data, method=self.method)
        if data is not None:
            request.add_header("Content-Type", f"{self.content_type}; charset=utf-8")
        for key, value in self.headers.items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310 — URL from settings
                reply.read()
        except urllib.error.HTTPError as exc:
            error = _("The SMS gateway answered {code}: {text}").format(
                code=exc.code, text=exc.read()[:200].decode("utf-8", "replace"))
            raise (Permanent(error) if 400 <= exc.code < 500 else Transient(error)) from exc
        except (OSError, urllib.error.URLError) as exc:
            raise Transient(_("Cannot reach the SMS gateway: {error}").format(error=exc)) from exc

    def close(self) -> None:
        pass


@dataclass
class FileSmsGateway:
    """For offices without a provider: one JSON line per SMS appended to a file (a modem tool or a person
    sends them on). The file is flushed and synced before the message counts as sent."""

    path: Path
    signature: str = ""

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)

    def send(self, msg: Outgoing) -> None:
        line = json.dumps({"message_id": msg.message_id, "to": msg.recipient, "name": msg.recipient_name,
                           "text": _signed(self.signature, msg.body)}, ensure_ascii=False)
        try:
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(line + "\n")
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            raise Transient(str(exc)) from exc

    def close(self) -> None:
        pass


class NoChannel:
    """A channel switched off (messaging.sms.adapter = none): its messages wait in the outbox."""

    def __init__(self, why: str):
        self.why = why

    def open(self) -> None:
        raise Transient(self.why)

    def send(self, msg: Outgoing) -> None:
        raise Transient(self.why)

    def close(self) -> None:
        pass


def from_settings(session=None) -> dict[str, Channel]:
    """The e-mail and SMS channels as the settings describe them."""
    from crm_tui.config import get_settings
    from crm_tui.paths import get_paths

    cfg = get_settings()["messaging"]
    company = ""
    if session is not None:
        from crm_tui.services.admin.company import get_details

        company = get_details(session).get("name", "")
    sms_cfg = cfg["sms"]
    adapter = sms_cfg.get("adapter", "file")
    if adapter == "http":
        sms: Channel = HttpSmsGateway.from_settings(sms_cfg)
    elif adapter == "file":
        path = Path(sms_cfg["file"]).expanduser() if sms_cfg.get("file") else get_paths().data / "sms-outbox.jsonl"
        sms = FileSmsGateway(path, sms_cfg.get("signature", ""))
    elif adapter == "none":
        sms = NoChannel(_("No SMS gateway is set (messaging.sms.adapter = none)."))
    else:
        raise ValidationError(_("messaging.sms.adapter: expected file, http or none, got {value}").format(
            value=adapter), field="messaging.sms.adapter")
    return {"email": SmtpChannel.from_settings(cfg["smtp"], company), "sms": sms}
