"""Demo step: four months of the sales flow of 临沂华夏商贸有限公司 — quotes (one copied), orders (some with a
discount a manager approved, one still waiting, one cancelled), delivery notices, stock-outs (partial ones,
several orders in one, tracking numbers), receipts (several per order, advances, one in USD), invoices and
expense claims. Runs after the customers and stock steps; every figure comes from ``ctx.rng`` and every date
from the demo's fixed "today", so each run gives the same books.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal as D

from sqlalchemy import select

from crm_tui.core.actor import Actor
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.sales import SalesOrder
from crm_tui.services.sales import approvals, deliveries, expenses, invoices, orders, quotes, receipts
from crm_tui.services.sales import stock_outs as outs
from crm_tui.services.sales.pricing import LineInput
from crm_tui.services.stock import documents as stock_documents

TITLE = "Quotes, orders, deliveries, receipts, invoices and expenses"

DAYS = 120  # how far back the sales go
ORDERS = 60
COURIERS = ["顺丰速运", "中通快递", "德邦物流", "圆通速递", "韵达快递"]
ACCOUNTS = [("临商银行基本户", "bank", "临商银行兰山支行", "6230 5800 0012 3456"),
            ("中国银行美元户", "bank", "中国银行临沂分行", "2563 1188 0099 7731"),
            ("现金", "cash", None, None), ("微信收款", "wechat", None, None), ("支付宝", "alipay", None, None)]
METHODS = {"临商银行基本户": "银行转账", "现金": "现金", "微信收款": "微信", "支付宝": "支付宝"}
CATEGORIES = [("交通费", 30, 180), ("招待费", 200, 1200), ("差旅费", 300, 1500), ("通讯费", 50, 200),
              ("样品费", 100, 600)]
MANAGERS = {"sunwei": "qianli", "lina": "qianli", "zhouqiang": "qianli", "zhengkai": "wumin", "wangfang": "wumin",
            "fengjun": "wumin", "chuyang": "chenjing", "weixue": "chenjing"}


def _actor(session, user_id: int) -> Actor:
    return Actor.from_user(session.get(User, user_id))


def run(session, ctx) -> None:
    rng, today = ctx.rng, ctx.today
    users = ctx.made["users"]
    products: dict[str, int] = ctx.made["products"]
    wh = ctx.made["warehouses"]["WH01"]
    clerk, finance = _actor(session, users["jiangtao"]), _actor(session, users["yangli"])
    keeper = _actor(session, users["hanlei"])
    logins = {uid: login for login, uid in users.items()}

    def at(days_ago: int, hour: int = 10) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour)) - timedelta(hours=8)  # UTC

    def day(days_ago: int) -> date:
        return today - timedelta(days=days_ago)

    _opening_stock(session, clerk, wh, products, at(DAYS + 5))
    accounts = {name: receipts.add_account(session, finance, name, kind, bank=bank, account_no=no)
                for name, kind, bank, no in ACCOUNTS}
    owned = session.execute(select(Customer.id, Customer.owner_id).where(Customer.owner_id.is_not(None))
                            .order_by(Customer.id)).all()
    chosen = sorted(rng.sample(owned, 36))
    owner_of = dict(chosen)
    sellers = {uid: _actor(session, uid) for uid in set(owner_of.values())}
    codes = sorted(products)

    made = {"quotes": 0, "orders": [], "stock_outs": 0, "receipts": 0, "invoices": 0, "claims": 0}
    for i in range(ORDERS):
        ago = DAYS - i * DAYS // ORDERS
        cid, _owner = rng.choice(chosen)
        seller = sellers[owner_of[cid]]
        lines = [LineInput(products[c], _quantity(rng, c), discount=rng.choice(["0", "0", "0", "3%", "5%"]))
                 for c in rng.sample(codes, rng.randint(1, 4))]
        if i in (17, 41, ORDERS - 2):  # a discount beyond the salesperson's 5%: the manager decides
            lines[0] = LineInput(lines[0].product_id, lines[0].quantity, discount="8%")
        if rng.random() < 0.3:
            oid = _from_quote(session, seller, cid, lines, ago, at, day)
            made["quotes"] += 1
        else:
            ref = f"KH{day(ago):%m%d}{i:02d}" if rng.random() < 0.3 else None
            oid = orders.create_order(session, seller, cid, lines, order_date=day(ago), external_ref=ref,
                                      delivery_date=day(ago - rng.randint(2, 7)),
                                      payment_terms=rng.choice(["款到发货", "月结30天", "货到付款", None]))
        status = orders.confirm_order(session, seller, oid, at=at(ago))
        if status == "pending_approval" and ago > 5:  # the latest still waits in the queue
            manager = _actor(session, users[MANAGERS[logins[seller.id]]])
            request = next(a for a in approvals.queue(session, manager) if a.doc_id == oid)
            approvals.approve(session, manager, request.id, "老客户，同意", at=at(ago, 15))
        made["orders"].append((oid, cid, ago))
    _copy_a_quote(session, day)
    made["quotes"] += 1

    shipped = _deliver(session, rng, clerk, keeper, wh, made["orders"], at, day)
    made["stock_outs"] = shipped
    made["receipts"], made["invoices"] = _money(session, rng, finance, accounts, made["orders"], at, day)
    made["claims"] = _expenses(session, rng, sellers, users, logins, chosen, today, at, day)
    _cancel_one(session, rng, clerk, made["orders"])
    ctx.made["quotes"] = made["quotes"]
    ctx.made["sales orders"] = len(made["orders"])
    ctx.made["sales stock-outs"] = shipped
    ctx.made["receipts"] = made["receipts"]
    ctx.made["invoices"] = made["invoices"]
    ctx.made["expense claims"] = made["claims"]


def _quantity(rng, code: str) -> int:
    if code[:2] in ("PJ", "YL"):
        return rng.randint(2, 12) * 5  # cases
    if code[:2] == "BJ":
        return rng.randint(1, 8) * 6  # bottles, by the carton
    return rng.randint(2, 10) * 5


def _opening_stock(session, actor, wh: int, products: dict[str, int], when: datetime) -> None:
    """What the distributor had before the demo's four months: enough to ship everything sold."""
    from crm_tui.db.models.products import Product
    from crm_tui.services.stock.documents import LineInput as StockLine

    cost = dict(session.execute(select(Product.id, Product.purchase_price)).all())
    doc = stock_documents.create_document(session, actor, "stock_in", wh, doc_date=when.date(), remarks="期初库存",
                                          lines=[StockLine(pid, D(600), unit_cost=cost[pid])
                                                 for _c, pid in sorted(products.items())])
    stock_documents.confirm(session, actor, doc, at=when)


def _from_quote(session, seller, cid, lines, ago, at, day) -> int:
    qid = quotes.create_quote(session, seller, cid, lines, quote_date=day(ago + 4),
                              terms="以上价格含13%增值税\n款到发货，市区免费送货")
    quotes.confirm_quote(session, seller, qid, at=at(ago + 4))
    return quotes.quote_to_order(session, seller, qid, order_date=day(ago))


def _copy_a_quote(session, day) -> None:
    """The latest quote copied for the same customer this week (a draft still being worked on)."""
    from crm_tui.db.models.sales import Quote

    source = session.scalars(select(Quote).order_by(Quote.id.desc()).limit(1)).first()
    if source is not None:
        quotes.copy_quote(session, _actor(session, source.owner_id), source.id, quote_date=day(1))


def _deliver(session, rng, clerk, keeper, wh, made_orders, at, day) -> int:
    """Ship the orders: through notices or straight from the order, some partly, some together."""
    count = 0
    pending: dict[int, list[tuple[int, int]]] = {}  # customer -> orders waiting to ship together
    for oid, cid, ago in made_orders:
        order = session.get(SalesOrder, oid)
        if order.status != "confirmed" or ago <= 4:
            continue  # the last days' orders have not shipped yet
        ship_day = max(ago - rng.randint(1, 3), 0)
        tracking = [(rng.choice(COURIERS), f"{rng.randint(10**11, 10**12 - 1)}")] if rng.random() < 0.6 else None
        if rng.random() < 0.4:
            nid = deliveries.notice_from_order(session, clerk, oid, warehouse_id=wh, notice_date=day(ago))
            deliveries.confirm_notice(session, clerk, nid, at=at(ago, 16))
            out = outs.from_notice(session, keeper, nid, out_date=day(ship_day))
            outs.confirm_stock_out(session, keeper, out, at=at(ship_day, 9), tracking=tracking)
            count += 1
            continue
        if rng.random() < 0.15:  # part now; the rest stays in the unshipped report
            line = orders.order_lines(session, oid)[0]
            half = max(D(1), (line.quantity / 2).to_integral_value())
            out = outs.create_stock_out(session, clerk, cid, wh, [outs.OutLineInput(line.id, half)],
                                        out_date=day(ship_day))
            outs.confirm_stock_out(session, clerk, out, at=at(ship_day, 9), tracking=tracking)
            count += 1
            continue
        pending.setdefault(cid, []).append((oid, ship_day))
        if len(pending[cid]) == 2 or rng.random() < 0.6:  # two orders of a customer leave together
            ids = [o for o, _d in pending.pop(cid)]
            out = outs.from_orders(session, clerk, ids, wh, out_date=day(ship_day))
            outs.confirm_stock_out(session, clerk, out, at=at(ship_day, 9), tracking=tracking)
            count += 1
    return count


def _money(session, rng, finance, accounts, made_orders, at, day) -> tuple[int, int]:
    """Receipts (in full, in parts, in advance, once in USD) and invoices of the paid orders."""
    n_receipts = n_invoices = 0
    usd_done = False
    for oid, cid, ago in made_orders:
        order = session.get(SalesOrder, oid)
        if order.status not in ("confirmed", "done") or ago <= 8 or rng.random() < 0.2:
            continue
        paid_day = max(ago - rng.randint(3, 20), 0)
        if not usd_done and order.gross_total > 1000:
            usd = (order.gross_total / D("7.1023")).quantize(D("0.01"))
            receipts.record_receipt(session, finance, cid, usd, currency="USD", rate="7.1023", received_on=day(paid_day),
                                    account_id=accounts["中国银行美元户"], method="电汇", fee="35.00",
                                    order_id=oid, remarks="外贸客户美元付款")
            usd_done = True
            n_receipts += 1
            continue
        name = rng.choice(["临商银行基本户", "临商银行基本户", "微信收款", "现金", "支付宝"])
        share = rng.choice([D(1), D(1), D(1), D("0.5")])
        first = (order.gross_total * share).quantize(D("0.01"))
        receipts.record_receipt(session, finance, cid, first, received_on=day(paid_day), account_id=accounts[name],
                                method=METHODS[name], order_id=oid)
        n_receipts += 1
        if share < 1 and paid_day > 5:  # the rest a little later: two receipts for one order
            receipts.record_receipt(session, finance, cid, order.gross_total - first, received_on=day(paid_day - 5),
                                    account_id=accounts["临商银行基本户"], method="银行转账", order_id=oid)
            n_receipts += 1
        if share == 1 and rng.random() < 0.6:  # one invoice per tax rate of the order
            by_rate: dict[D, D] = {}
            for ln in orders.order_lines(session, oid):
                by_rate[ln.tax_rate] = by_rate.get(ln.tax_rate, D(0)) + ln.gross_amount
            kind = rng.choice(["special", "special", "ordinary"])
            for rate, amount in sorted(by_rate.items()):
                invoices.record_invoice(session, finance, f"{rng.randint(10**7, 10**8 - 1)}", amount, order_id=oid,
                                        kind=kind, tax_rate=rate, invoice_date=day(max(paid_day - 1, 0)))
                n_invoices += 1
    # advances: money before the order; one is applied to an order later
    recent = [(oid, cid) for oid, cid, ago in made_orders if ago <= 8]
    for oid, cid in recent[:3]:
        rid = receipts.record_receipt(session, finance, cid, "5000.00", received_on=day(10),
                                      account_id=accounts["临商银行基本户"], method="银行转账", remarks="预付货款")
        n_receipts += 1
        if oid == recent[0][0] and session.get(SalesOrder, oid).status in ("confirmed", "done"):
            receipts.apply_receipt(session, finance, rid, oid, applied_on=day(2), must_apply=False)
    return n_receipts, n_invoices


def _expenses(session, rng, sellers, users, logins, chosen, today, at, day) -> int:
    count = 0
    for uid, seller in sorted(sellers.items()):
        mine = [c for c, o in chosen if o == uid]
        manager = _actor(session, users[MANAGERS[logins[uid]]])
        for _k in range(rng.randint(2, 3)):
            category, low, high = rng.choice(CATEGORIES)
            spent = rng.randint(1, 50)
            claim = expenses.create_claim(session, seller, D(rng.randint(low, high)), category, day(spent),
                                          customer_id=rng.choice(mine) if mine else None,
                                          description=f"{category}（{day(spent):%m月%d日}）")
            expenses.submit_claim(session, seller, claim, today=day(max(spent - 2, 0)), at=at(max(spent - 2, 0)))
            count += 1
            if spent > 7:
                request = next(a for a in approvals.queue(session, manager) if a.doc_id == claim and a.kind == "expense")
                if rng.random() < 0.85:
                    approvals.approve(session, manager, request.id, at=at(max(spent - 4, 0), 17))
                else:
                    approvals.reject(session, manager, request.id, "请补充发票")
    return count


def _cancel_one(session, rng, clerk, made_orders) -> None:
    """A customer called one order off after it had shipped: the goods came back."""
    for oid, _cid, ago in made_orders:
        if 20 < ago < 60:
            progress = orders.progress_of(session, [oid])[oid]
            if session.get(SalesOrder, oid).status in ("confirmed", "done") and not progress.invoiced \
                    and not progress.paid:
                shipments = orders.stock_outs_of(session, oid)
                if shipments and all(orders.orders_of_stock_out(session, out.id) == {oid} for out in shipments):
                    orders.cancel_order(session, clerk, oid, "客户取消订单，货已退回")
                    return
