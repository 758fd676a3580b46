"""Demo step: products, warehouses, suppliers and six weeks of purchasing and stock work of 临沂华夏商贸有限公司,
a food and beverage distributor (白酒, 啤酒, 饮料, 调味品). Deterministic: quantities come from ``ctx.rng`` and
every document is dated relative to the demo's fixed "today"."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal as D

from sqlalchemy import select

from crm_tui.services.purchasing import orders as po
from crm_tui.services.purchasing import payables as pay
from crm_tui.services.purchasing import receipts as pr
from crm_tui.services.purchasing import suppliers as sup
from crm_tui.services.stock import documents as sd
from crm_tui.services.stock import products as product_service
from crm_tui.services.stock import stocktake as stock_stocktake
from crm_tui.services.stock import warehouses as stock_warehouses
from crm_tui.services.stock.documents import LineInput

TITLE = "Products, warehouses, suppliers and purchasing"

WAREHOUSES = [("WH01", "临沂总仓", "临沂市兰山区金雀山路188号", "韩磊"),
              ("WH02", "河东分仓", "临沂市河东区沂河路66号", "韩磊")]

# code, name, spec, unit, category, sale price incl. 13% VAT, purchase price net, safety stock
PRODUCTS = [
    ("BJ001", "一品景芝", "52度 500ml", "瓶", "白酒", "168.00", "110.00", 24),
    ("BJ002", "兰陵王酒", "52度 500ml", "瓶", "白酒", "258.00", "175.00", 12),
    ("BJ003", "景芝白干", "42度 480ml", "瓶", "白酒", "35.00", "21.50", 60),
    ("BJ004", "兰陵美酒·陈香", "38度 500ml", "瓶", "白酒", "88.00", "56.00", 24),
    ("BJ005", "红星二锅头", "56度 500ml", "瓶", "白酒", "22.00", "13.80", 120),
    ("BJ006", "泸州老窖特曲", "52度 500ml", "瓶", "白酒", "328.00", "235.00", 12),
    ("PJ001", "青岛啤酒经典", "500ml*12听", "箱", "啤酒", "66.00", "45.00", 80),
    ("PJ002", "青岛啤酒纯生", "500ml*12瓶", "箱", "啤酒", "78.00", "54.00", 60),
    ("PJ003", "崂山啤酒", "330ml*24听", "箱", "啤酒", "52.00", "35.50", 50),
    ("PJ004", "雪花勇闯天涯", "500ml*12听", "箱", "啤酒", "58.00", "39.00", 60),
    ("PJ005", "燕京U8", "500ml*12听", "箱", "啤酒", "62.00", "42.00", 40),
    ("YL001", "农夫山泉饮用天然水", "550ml*24瓶", "箱", "饮料", "36.00", "24.00", 100),
    ("YL002", "康师傅冰红茶", "500ml*15瓶", "箱", "饮料", "45.00", "30.50", 60),
    ("YL003", "娃哈哈AD钙奶", "220g*24瓶", "箱", "饮料", "48.00", "32.00", 40),
    ("YL004", "王老吉凉茶", "310ml*24罐", "箱", "饮料", "96.00", "68.00", 40),
    ("YL005", "露露杏仁露", "240ml*20罐", "箱", "饮料", "86.00", "60.00", 30),
    ("YL006", "加多宝", "310ml*24罐", "箱", "饮料", "92.00", "65.00", 30),
    ("TW001", "海天金标生抽", "1.9L", "桶", "调味品", "19.90", "13.20", 50),
    ("TW002", "海天老抽王", "1.9L", "桶", "调味品", "21.50", "14.30", 40),
    ("TW003", "恒顺香醋", "500ml*12瓶", "箱", "调味品", "78.00", "52.00", 20),
    ("TW004", "太太乐鸡精", "454g", "袋", "调味品", "16.80", "11.00", 80),
    ("TW005", "鲁花5S压榨一级花生油", "5L", "桶", "调味品", "149.00", "112.00", 30),
    ("TW006", "莒县小磨香油", "400ml", "瓶", "调味品", "28.00", "18.50", 40),
    ("TW007", "单县羊肉汤料", "200g*10袋", "提", "调味品", "45.00", "29.00", 20),
]

# code, name, short name, address, contact, title, products supplied
SUPPLIERS = [
    ("S0001", "山东景芝酒业股份有限公司", "景芝酒业", "潍坊市安丘市景芝镇", "孙建国", "区域经理", ["BJ001", "BJ003"]),
    ("S0002", "山东兰陵美酒股份有限公司", "兰陵美酒", "临沂市兰陵县兰陵镇", "刘洪涛", "销售经理", ["BJ002", "BJ004"]),
    ("S0003", "青岛啤酒(临沂)有限公司", "青啤临沂", "临沂市经济技术开发区", "张海燕", "客户经理",
     ["PJ001", "PJ002", "PJ003"]),
    ("S0004", "临沂糖酒副食品有限公司", "临沂糖酒", "临沂市兰山区通达路", "王建华", "业务主管",
     ["BJ005", "BJ006", "PJ004", "PJ005", "YL001", "YL002", "YL003", "YL004", "YL005", "YL006"]),
    ("S0005", "佛山市海天(山东)调味食品有限公司", "海天山东", "德州市齐河县经济开发区", "陈立新", "渠道经理",
     ["TW001", "TW002", "TW004"]),
    ("S0006", "鲁花集团临沂经销处", "鲁花临沂", "临沂市罗庄区罗七路", "李振东", "经理", ["TW003", "TW005", "TW006",
                                                                                      "TW007"]),
]


def _ean13(rng) -> str:
    body = "69" + "".join(str(rng.randint(0, 9)) for _ in range(10))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _mobile(rng) -> str:
    return rng.choice(["135", "138", "139", "150", "158", "186", "187"]) + "".join(
        str(rng.randint(0, 9)) for _ in range(8))


def run(session, ctx) -> None:
    actor, rng = ctx.actor, ctx.rng

    def at(days_ago: int, hour: int = 10) -> datetime:
        return datetime.combine(ctx.today - timedelta(days=days_ago), time(hour)) - timedelta(hours=8)  # UTC

    def day(days_ago: int):
        return ctx.today - timedelta(days=days_ago)

    wh = {code: stock_warehouses.add_warehouse(session, actor, code, name, address=addr, keeper=keeper)
          for code, name, addr, keeper in WAREHOUSES}
    prod = {}
    for code, name, spec, unit, cat, gross, cost, safety in PRODUCTS:
        prod[code] = product_service.add_product(
            session, actor, code=code, name=name, spec=spec, unit=unit, category=cat, barcode=_ean13(rng),
            tax_rate=D("0.13"), sale_price_gross=D(gross), purchase_price=D(cost), safety_stock=D(safety))
        # The branch keeps beer and drinks only, and less of them.
        branch = D(safety // 3) if cat in ("啤酒", "饮料") else D(0)
        product_service.set_safety_stock(session, actor, prod[code], wh["WH02"], branch)
    cost_of = {p[0]: D(p[6]) for p in PRODUCTS}
    supplier_ids, supplies = {}, {}
    for code, name, short, addr, contact, title, goods in SUPPLIERS:
        supplier_ids[code] = sup.add_supplier(
            session, actor, code=code, name=name, short_name=short, address=addr,
            contacts=[{"name": contact, "title": title, "mobile": _mobile(rng), "is_primary": True}])
        supplies[code] = goods

    def order(supplier: str, days_ago: int, scale: int = 1, drift: bool = False) -> int:
        def price(c: str) -> D:  # later orders cost a little more or less: the average moves
            return (cost_of[c] * D(rng.choice(["0.97", "1.00", "1.03", "1.05"]))).quantize(D("0.01")) \
                if drift else cost_of[c]

        lines = [po.OrderLineInput(prod[c], D(rng.randint(4, 12) * 10 * scale if c[:2] in ("PJ", "YL")
                                              else rng.randint(2, 8) * 6 * scale), price=price(c))
                 for c in supplies[supplier]]
        oid = po.create_order(session, actor, supplier_ids[supplier], lines, warehouse_id=wh["WH01"],
                              doc_date=day(days_ago), expected_on=day(days_ago - 5))
        if po.submit(session, actor, oid, at=at(days_ago)) == "pending_approval" and days_ago > 10:
            po.approve(session, actor, oid, at=at(days_ago, 15))
        return oid

    def receive_part(oid: int, share: float, days_ago: int) -> None:
        view = po.get_order(session, oid)
        quantities = {ln.id: D(int(ln.remaining * D(str(share)))) for ln in view.lines}
        pr.receive(session, actor, oid, {k: v for k, v in quantities.items() if v > 0}, at=at(days_ago))

    # First round: everything ordered six weeks ago; most of it has arrived.
    first = {code: order(code, 45) for code in supplier_ids}
    for code in ("S0001", "S0002", "S0003", "S0005", "S0006"):
        pr.receive(session, actor, first[code], at=at(40))
    receive_part(first["S0004"], 0.6, 40)
    for code, share in (("S0001", 1), ("S0002", 1), ("S0003", 0.5), ("S0005", 1), ("S0004", 0.3)):
        money = pay.order_money(session, first[code])
        amount = (money.received * D(str(share))).quantize(D("0.01"))
        pay.record_payment(session, actor, supplier_ids[code], amount, day(35), order_id=first[code],
                           method="银行转账", account="临商银行基本户")
        if share == 1:
            pay.record_invoice(session, actor, supplier_ids[code], f"3700{rng.randint(10**7, 10**8 - 1)}",
                               amount_gross=money.received, tax_rate=D("0.13"), invoice_date=day(34),
                               order_id=first[code])

    # Beer and drinks go to the branch; weekly issues from both warehouses.
    transfer = sd.create_document(session, actor, "transfer", wh["WH01"], to_warehouse_id=wh["WH02"],
                                  doc_date=day(30), remarks="河东片区备货",
                                  lines=[LineInput(prod[c], D(rng.randint(2, 5) * 5))
                                         for c in ("PJ001", "PJ002", "PJ003", "YL001", "YL002")])
    sd.confirm(session, actor, transfer, at=at(30))
    from crm_tui.services.stock.ledger import on_hand

    for week in range(4):
        days_ago = 28 - week * 7
        for w in ("WH01", "WH02"):
            lines = []
            for c in rng.sample(sorted(prod), 6):
                have = on_hand(session, wh[w], prod[c])
                if have > 2:
                    lines.append(LineInput(prod[c], D(rng.randint(1, max(1, int(have) // 3)))))
            if lines:
                doc = sd.create_document(session, actor, "stock_out", wh[w], doc_date=day(days_ago),
                                         remarks="门店配送", lines=lines)
                sd.confirm(session, actor, doc, at=at(days_ago, 16))
    req = sd.create_document(session, actor, "requisition", wh["WH01"], recipient="销售部/餐饮部",
                             doc_date=day(12), remarks="品鉴会用酒",
                             lines=[LineInput(prod["BJ001"], D(6)), LineInput(prod["BJ002"], D(2))])
    sd.confirm(session, actor, req, at=at(12))

    # Second round: beer again (all arrived), drinks (partly arrived), and a big oil order awaiting approval.
    second_beer = order("S0003", 20, drift=True)
    pr.receive(session, actor, second_beer, at=at(15))
    receive_part(order("S0004", 14, drift=True), 0.5, 9)
    order("S0006", 6, scale=20)  # above the approval amount (even at the fewest cases): waits for a manager

    # The branch was counted three days ago: one case of 崂山啤酒 missing.
    sheet = stock_stocktake.create_count_sheet(session, actor, wh["WH02"], remarks="月末盘点")
    counts = {ln.product_id: ln.book_quantity - (1 if ln.product_code == "PJ003" else 0)
              for ln in sd.get_document(session, sheet).lines}
    stock_stocktake.set_counts(session, actor, sheet, counts)
    sd.confirm(session, actor, sheet, at=at(3, 17))

    _samples_and_loans(session, ctx, wh, prod, at)
    ctx.made["warehouses"] = wh
    ctx.made["products"] = prod
    ctx.made["suppliers"] = supplier_ids


def _samples_and_loans(session, ctx, wh, prod, at) -> None:
    """A sample and a loan to the first customers, when the customers step has made some."""
    from crm_tui.db.models.customers import Customer

    customers = list(session.scalars(select(Customer.id).order_by(Customer.id).limit(2)))
    if not customers:
        return
    sample = sd.create_document(session, ctx.actor, "sample", wh["WH01"], customer_id=customers[0],
                                lines=[LineInput(prod["BJ004"], D(2))], doc_date=(at(8)).date())
    sd.confirm(session, ctx.actor, sample, at=at(8))
    loan = sd.create_document(session, ctx.actor, "loan", wh["WH01"], customer_id=customers[-1],
                              remarks="婚宴借酒", lines=[LineInput(prod["BJ001"], D(12)),
                                                     LineInput(prod["PJ001"], D(10))], doc_date=at(5).date())
    sd.confirm(session, ctx.actor, loan, at=at(5))
    back = sd.create_document(session, ctx.actor, "loan_return", wh["WH01"], customer_id=customers[-1],
                              lines=[LineInput(prod["BJ001"], D(7))], doc_date=at(2).date())
    sd.confirm(session, ctx.actor, back, at=at(2))
