"""Settings: a TOML file in the config folder, merged over the defaults below.

The app writes the defaults on first run so an administrator can see and edit every setting.
Each area adds its section to ``DEFAULTS``; code reads ``get_settings()["section"]["key"]``.
"""

from __future__ import annotations

import copy
import os
import tomllib
from typing import Any

from crm_tui.paths import ensure_dir, get_paths, make_private

DEFAULTS: dict[str, dict[str, Any]] = {
    "general": {
        "language": "auto",  # auto | zh_CN | en
        "theme": "textual-dark",
    },
    "company": {  # printed at the head of quotes, contracts, delivery notes, statements, purchase orders
        "name": "",  # 深圳市某某贸易有限公司
        "address": "",
        "phone": "",
        "tax_number": "",  # 纳税人识别号 (unified social credit code)
        "bank": "",  # 开户行
        "account": "",  # bank account number
        "logo": "",  # path of a PNG/JPEG image shown left of the name; empty for none
    },
    "numbering": {
        # {yyyy} {yy} {mm} {dd} date of confirmation; {seq:N} the counter, N digits, per period of the mask
        "quote": "QT{yyyy}{mm}-{seq:4}",
        "sales_order": "SO{yyyy}{mm}-{seq:4}",
        "delivery_notice": "DN{yyyy}{mm}-{seq:4}",
        "stock_out": "CK{yyyy}{mm}-{seq:4}",
        "stock_in": "RK{yyyy}{mm}-{seq:4}",
        "transfer": "DB{yyyy}{mm}-{seq:4}",
        "requisition": "LL{yyyy}{mm}-{seq:4}",
        "stocktake": "PD{yyyy}{mm}-{seq:4}",
        "sample": "YP{yyyy}{mm}-{seq:4}",
        "loan": "JC{yyyy}{mm}-{seq:4}",
        "loan_return": "GH{yyyy}{mm}-{seq:4}",
        "inquiry": "XJ{yyyy}{mm}-{seq:4}",
        "purchase_order": "PO{yyyy}{mm}-{seq:4}",
        "purchase_receipt": "CR{yyyy}{mm}-{seq:4}",
        "purchase_return": "CT{yyyy}{mm}-{seq:4}",
        "receipt": "SK{yyyy}{mm}-{seq:4}",
        "invoice": "FP{yyyy}{mm}-{seq:4}",
        "expense": "FY{yyyy}{mm}-{seq:4}",
        "customer": "K{seq:5}",
        "product": "P{seq:5}",
        "supplier": "S{seq:4}",
        "sales_return": "XT{yyyy}{mm}-{seq:4}",
        "red_invoice": "HZ{yyyy}{mm}-{seq:4}",
    },
    "customers": {  # customers area: no contact for N days sends a customer back to the public pool; 0 = off
        "pool_return_days": 0,
    },
    "print": {  # printed documents (crm print, F9 in the interface); templates: <config>/templates/*.toml
        "font": "",  # a TrueType .ttf/.ttc (not CFF/.otf) to embed; empty: a system CJK one, else the bundled
        "font_index": 0,  # which font of a .ttc collection
        "format": "pdf",  # pdf | xlsx
        "open_after": True,  # open the written file with the system's viewer (interface only)
        "folder": "",  # where printed files go when no path is given; empty: the current folder
    },
    "import": {  # caps on an imported workbook, checked before it is read (a zip bomb is refused at once)
        "max_unzipped_mb": 200,  # what the .xlsx may unpack to
        "max_rows": 1_000_000,  # rows of a sheet
    },
    "backup": {
        "keep": 30,  # automatic backups (before upgrades and restores) kept
    },
    "stock": {
        "allow_negative": False,  # true: confirming a document may take on-hand below zero
        "slow_mover_days": 90,  # a product with stock and no out-move for this many days is a slow mover
    },
    "purchasing": {
        "approval_amount": "50000.00",  # purchase orders above this tax-inclusive total need approval
    },
    "visits": {"policy": ""},  # visit policy TOML file; empty: the shipped default (assets/policies)
    "sales": {  # the sales flow (quotes, orders, delivery, receipts, invoices, expenses)
        # The largest discount (percent off the list price) each role may confirm without a manager's approval.
        "discount_limits": {"salesperson": 5, "clerk": 5, "manager": 15, "administrator": 100},
        "receivable_basis": "orders",  # orders: confirmed orders are billed | stock_outs: what has shipped
        "expense_validity_days": 60,  # claims for money spent longer ago than this are refused
        "require_payment_before_delivery": False,  # true: goods ship only up to what the order has been paid
        "quote_validity_days": 30,  # a new quote is valid this many days unless given a date
    },
    "opportunities": {  # opportunities (机会) and the funnel; the stages themselves are data (opportunity_stages)
        "number_mask": "OP{yyyy}{mm}-{seq:4}",  # numbers of new opportunities, as the [numbering] masks
        # The reasons an opportunity may be lost for (输单原因); `crm opportunities lose --reason` takes one.
        "lost_reasons": ["价格太高", "选择了竞争对手", "需求取消", "预算不足", "联系不上", "其他"],
    },
    "tickets": {  # after-sales service tickets (客户服务与支持)
        "number_mask": "TK{yyyy}{mm}-{seq:4}",  # ticket numbers, taken when the ticket is opened
        # SLA: hours from opening (or reopening) to the due time, per priority; calendar hours (nights,
        # weekends and holidays count), so 24 means "this time tomorrow".
        "sla_hours": {"urgent": 4, "high": 8, "normal": 24, "low": 72},
        "default_priority": "normal",  # the priority of a ticket opened without one
    },
    "docs": {  # attachments and the knowledge base (文档管理)
        "max_attachment_mb": 20,  # a larger file is refused when attached
    },
    "today": {  # the today view (home screen), reminders and announcements
        "home": True,  # the today view opens first after login; false: it is the last area, lists open first
    },
    "messaging": {  # e-mail and SMS (crm messages, the 消息 area); the SMTP password is never kept here
        "smtp": {
            "host": "",  # empty: e-mail stays queued in the outbox
            "port": 587,
            "security": "starttls",  # starttls | ssl | plain
            "user": "",  # empty: no login
            "password_env": "CRM_SMTP_PASSWORD",  # environment variable holding the password
            "keyring_service": "crm-tui",  # else the system keyring (if installed): service, user
            "from_address": "",  # sender address
            "from_name": "",  # sender name shown to recipients; empty: the company name
            "timeout": 30,  # seconds
        },
        "sms": {
            "adapter": "file",  # file | http | none (none: SMS stays queued)
            "file": "",  # file adapter: JSON lines appended here; empty: <data>/sms-outbox.jsonl
            "url": "",  # http adapter: the gateway's URL ({to} {text} {message_id} filled in, URL-encoded)
            "method": "POST",  # GET | POST
            "content_type": "application/json",  # or application/x-www-form-urlencoded
            "body": "",  # body template, e.g. {"mobile": "{to}", "content": "{text}", "ref": "{message_id}"}
            "headers": {},  # extra request headers (an API key may come from an env var: "env:NAME")
            "signature": "",  # 短信签名 put in front of every SMS, e.g. 【某某贸易】
            "timeout": 15,  # seconds
        },
        "retry_base_seconds": 60,  # first retry after this; doubles each attempt
        "retry_max_seconds": 3600,  # longest wait between attempts
        "max_attempts": 8,  # then the message is failed
        "sending_lease_seconds": 300,  # a message left "sending" longer than this (a crash) becomes uncertain
        "background_seconds": 120,  # the app sends pending messages this often; 0: never in the background
    },
    "analysis": {  # analyses and charts (crm report churn|reorder|prices|…, the Analysis area)
        "churn_days": 90,  # churned: ordered in the reference window but not in the last N days
        "reorder_factor": "1.5",  # reorder overdue: days since the last order exceed k × the median interval
        "price_quantity_tolerance": "0.10",  # quantity change within ±10 % counts as held (price lists)
        "price_change_min": "0.01",  # a price change below 1 % is no rise and no cut
        "margin_gap": "0.00",  # a product's margin this far below its category's makes it a rise candidate
    },
    "credit": {  # credit limits (信用额度), payment terms (账期) and dunning (催款)
        # Confirming an order beyond the customer's credit limit: approve (a manager decides) | refuse | off.
        "over_limit": "approve",
        "default_terms": "",  # terms of customers without their own: "30" = 30 days, "M30" = month-end + 30; "" none
        "dunning_step_days": 15,  # an overdue document goes up one dunning level every this many days
        "dunning_levels": 3,  # the highest level (3: the last reminder before other steps)
    },
}

_cache: dict[str, Any] | None = None
_cache_home: str | None = None  # CRM_HOME when _cache was read: it may point elsewhere later in a process


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_settings() -> dict[str, Any]:
    path = get_paths().settings_file
    user: dict[str, Any] = {}
    if path.exists():
        try:
            user = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            from crm_tui.core.errors import ValidationError

            raise ValidationError(f"{path}: not valid TOML: {exc}") from exc
    return _merge(DEFAULTS, user)


def get_settings() -> dict[str, Any]:
    global _cache, _cache_home
    home = os.environ.get("CRM_HOME")  # cheaper than resolving the paths on every call (prices, print models)
    if _cache is None or _cache_home != home:
        _cache, _cache_home = load_settings(), home
    return _cache


def reload_settings() -> dict[str, Any]:
    global _cache
    _cache = None
    return get_settings()


def save_settings(settings: dict[str, Any]) -> None:
    import tomli_w

    paths = get_paths()
    ensure_dir(paths.config)
    paths.settings_file.write_text(tomli_w.dumps(settings), encoding="utf-8")
    make_private(paths.settings_file)
    reload_settings()


def update_settings(section: str, **values: Any) -> dict[str, Any]:
    settings = copy.deepcopy(get_settings())
    settings.setdefault(section, {}).update(values)
    save_settings(settings)
    return get_settings()


def write_defaults_if_missing() -> None:
    """First run: write the full settings file so every option is visible and editable."""
    if not get_paths().settings_file.exists():
        save_settings(get_settings())
