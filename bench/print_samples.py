"""Sample documents for the print benchmarks (Chinese names, realistic sizes)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from crm_tui.core.money import line_from_gross_price, net_from_gross
from crm_tui.io.print_model import Company, Party, PrintDocument, PrintLine

NAMES = ["不锈钢保温杯", "高强度六角螺栓（热镀锌，8.8级，国标GB/T5782）", "A4复印纸", "工业级无线路由器双频千兆企业版",
         "304不锈钢法兰盘", "劳保手套", "LED节能灯管", "办公椅（人体工学，带头枕，可调扶手）"]
COMPANY = Company(name="深圳市鹏程电子贸易有限公司", address="深圳市南山区科技园南区高新南九道10号",
                  phone="0755-26781234", tax_number="91440300MA5DXXXX1Y", bank="招商银行深圳科技园支行",
                  account="755912345678901")
PARTY = Party(name="北京华夏科技有限公司", code="K00012", address="北京市海淀区中关村大街27号中关村大厦15层",
              contact="王经理", phone="010-62345678")


def lines(n: int, seed: int = 0) -> list[PrintLine]:
    out = []
    rate = D("0.13")
    for i in range(n):
        qty = D(1 + (i * 37 + seed) % 250)
        price = D(100 + (i * 7919 + seed * 13) % 90000) / 100
        net, tax, gross = line_from_gross_price(qty, price, rate)
        out.append(PrintLine(name=f"{NAMES[i % len(NAMES)]}-{i + 1}", quantity=qty, code=f"P{10001 + i}",
                             spec="M16×80", unit="个", unit_price=net_from_gross(price, rate, 4),
                             gross_price=price, tax_rate=rate, net_amount=net, tax_amount=tax, amount=gross))
    return out


def document(kind: str, n: int, number: str = "QT202611-0001", seed: int = 0) -> PrintDocument:
    return PrintDocument(kind=kind, number=number, date=date(2026, 11, 5), party=PARTY, lines=lines(n, seed),
                         company=COMPANY, valid_until=date(2026, 12, 5), salesperson="李明")
