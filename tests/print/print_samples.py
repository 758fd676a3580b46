"""Sample documents with Chinese data, and reading text back out of PDFs (imported by the print tests)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal as D

from crm_tui.core.money import line_from_gross_price, line_from_net_price
from crm_tui.io.print_model import (
    Company,
    Party,
    PrintDocument,
    PrintLine,
    StatementDocument,
    StatementEntry,
)

PRODUCTS = [
    ("不锈钢保温杯", "500ml 真空"),
    ("高强度六角螺栓（热镀锌，8.8级，国标GB/T5782）", "M16×80"),
    ("A4复印纸", "70g 500张/包"),
    ("工业级无线路由器双频千兆企业版", "AX3000"),
    ("304不锈钢法兰盘", "DN50 PN16"),
    ("劳保手套", "均码"),
    ("LED节能灯管", "T8 1.2米 18W"),
    ("办公椅（人体工学，带头枕，可调扶手）", "黑色网布"),
]

COMPANY = Company(name="深圳市鹏程电子贸易有限公司", address="深圳市南山区科技园南区高新南九道10号",
                  phone="0755-26781234", tax_number="91440300MA5DXXXX1Y", bank="招商银行深圳科技园支行",
                  account="755912345678901")
CUSTOMER = Party(name="北京华夏科技有限公司", code="K00012", address="北京市海淀区中关村大街27号中关村大厦15层",
                 contact="王经理", phone="010-62345678", tax_number="91110108MA01ABCD2X",
                 bank="中国工商银行北京中关村支行", account="0200004509200123456")
SUPPLIER = Party(name="苏州恒达五金制品厂", code="S0007", address="江苏省苏州市吴中区木渎镇金枫南路1688号",
                 contact="陈师傅", phone="0512-66201234")


def make_lines(n: int, unique: bool = True, rate: D = D("0.13")) -> list[PrintLine]:
    lines = []
    for i in range(n):
        name, spec = PRODUCTS[i % len(PRODUCTS)]
        if unique:
            name = f"{name}-{i + 1:03d}"
        qty = D(1 + (i * 37) % 250)
        if i % 2:
            gross_price = D(100 + (i * 7919) % 90000) / 100
            net, tax, gross = line_from_gross_price(qty, gross_price, rate)
            net_price = None
        else:
            net_price = D(100 + (i * 104729) % 50000) / 100
            net, tax, gross = line_from_net_price(qty, net_price, rate)
            gross_price = None
        lines.append(PrintLine(name=name, quantity=qty, code=f"P{10001 + i}", spec=spec, unit="个",
                               unit_price=net_price, gross_price=gross_price, tax_rate=rate,
                               net_amount=net, tax_amount=tax, amount=gross,
                               remark="加急" if i % 7 == 0 else "", delivery_date=date(2026, 12, 1)))
    return lines


def make_doc(kind: str = "quote", n: int = 12, **kw) -> PrintDocument:
    party = SUPPLIER if kind == "purchase_order" else CUSTOMER
    prefix = {"quote": "QT", "order": "SO", "delivery": "CK", "purchase_order": "PO"}[kind]
    fields = dict(kind=kind, number=f"{prefix}202611-0001", date=date(2026, 11, 5), party=party, lines=make_lines(n),
                  company=COMPANY, valid_until=date(2026, 12, 5), salesperson="李明", payment_terms="月结30天",
                  reference="PO-88921", delivery_date=date(2026, 12, 1), remarks="价格含运费。")
    fields.update(kw)
    return PrintDocument(**fields)


def make_statement(n: int = 10) -> StatementDocument:
    entries = []
    for i in range(n):
        day = date(2026, 10, 1 + i)
        if i % 3 == 2:
            entries.append(StatementEntry(day, "收款", f"SK202610-{i:04d}", credit=D(1000 * (i + 1)),
                                          remark="银行转账"))
        else:
            entries.append(StatementEntry(day, "销售出库", f"CK202610-{i:04d}", debit=D(12345 + i * 1001) / 100,
                                          remark=f"订单 SO202610-{i:04d}"))
    return StatementDocument(party=CUSTOMER, date_from=date(2026, 10, 1), date_to=date(2026, 10, 31),
                             opening_balance=D("12345.67"), entries=entries, company=COMPANY,
                             number="DZ202610-0007", date=date(2026, 11, 2), salesperson="李明")


def pages_text(pdf: bytes, engine: str = "auto") -> list[str]:
    """The text of each page: poppler's pdftotext when installed (else pypdf)."""
    if engine in ("auto", "pdftotext") and shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                             check=True).stdout.decode("utf-8")
        pages = out.split("\f")
        return pages[:-1] if pages and not pages[-1].strip() else pages
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def squash(text: str) -> str:
    """Text without any whitespace: extraction tools space CJK and numbers differently."""
    return re.sub(r"\s+", "", text)
