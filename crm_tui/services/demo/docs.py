"""Demo step: knowledge-base articles (产品知识, 销售话术, 售后政策) and a couple of text documents attached to
the first customers.

The documents are written by this step into the data folder (``<data>/demo-documents``) with fixed content,
then attached as any file is (copied into the store by checksum), so the same demo gives the same checksums on
every machine. Times derive from the demo's "today", never from the clock.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.paths import ensure_dir, get_paths
from crm_tui.services.docs import attachments, kb

TITLE = "Documents and the knowledge base"

ARTICLES = [
    ("产品知识", "商用冷柜选型要点", "冷柜 选型 产品",
     "1. **容积**：便利店一般选 300–500 升，超市选 800 升以上。\n"
     "2. **能效**：优先一级能效，电费一年可省约 400 元。\n"
     "3. **温区**：冷藏 2–8 ℃，冷冻 −18 ℃ 以下。\n\n"
     "> 客户问到“压缩机”时，说明我们的机型压缩机保修十年。\n"),
    ("销售话术", "电话开场白", "电话 开场 话术",
     "您好，我是临沂华夏商贸的小王。上次您店里问的冷柜到货了，想约您这周看一下样机，"
     "周三上午还是周四下午方便？\n\n"
     "- 先报公司和姓名；\n- 一句话说明来意；\n- 给两个时间让客户选。\n"),
    ("销售话术", "客户嫌价格高怎么办", "价格 异议 话术",
     "先认同，再比较：**同样容积的一级能效机型**，三年电费差价就够补上价差。"
     "可以给出首单 5% 以内的折扣，超过需要经理审批。\n"),
    ("售后政策", "退换货政策", "退货 换货 售后",
     "| 情形 | 处理 |\n| --- | --- |\n| 到货七天内质量问题 | 免费换新 |\n"
     "| 一年内故障 | 免费上门维修 |\n| 人为损坏 | 收取配件费 |\n\n"
     "退货需保留原包装和发货单。\n"),
    ("售后政策", "保修期说明", "保修 售后",
     "整机保修三年，压缩机保修十年，自签收之日起计算。\n"),
]

DOCUMENTS = [
    ("年度合作协议摘要.txt", "年度合作协议摘要\n\n甲方：{name}\n乙方：临沂华夏商贸有限公司\n"
     "合作期限：一年\n付款方式：月结 30 天\n", "合同摘要"),
    ("门店陈列照片说明.txt", "门店陈列说明\n\n客户：{name}\n冷柜摆放在入口右侧，堆头两处。\n", "陈列"),
]


def run(session, ctx) -> None:
    from crm_tui.core.actor import Actor

    manager = session.scalar(select(User).where(User.role == "manager").order_by(User.id).limit(1))
    writer = Actor.from_user(manager) if manager is not None else ctx.actor
    base = datetime.combine(ctx.today, time(9, 0))
    made_articles = []
    for i, (category, title, tags, body) in enumerate(ARTICLES):
        made_articles.append(kb.add_article(session, writer, title, body, category=category, tags=tags,
                                            at=base - timedelta(days=20 - 3 * i)))
    ctx.made["knowledge-base articles"] = made_articles

    customers = session.execute(select(Customer.id, Customer.name, Customer.owner_id)
                                .where(Customer.owner_id.is_not(None)).order_by(Customer.id).limit(2)).all()
    folder = ensure_dir(get_paths().data / "demo-documents")
    made_docs = []
    for n, (customer_id, name, owner_id) in enumerate(customers):
        owner = Actor.from_user(session.get(User, owner_id))
        for file_name, text, note in DOCUMENTS[: 2 - n]:  # two on the first customer, one on the second
            path = folder / f"{customer_id}-{file_name}"
            path.write_text(text.format(name=name), encoding="utf-8")
            path.chmod(0o600)
            made_docs.append(attachments.attach(session, owner, "customer", customer_id, path, note=note,
                                                name=file_name, at=base - timedelta(days=7 - n, hours=-n)))
    ctx.made["attached documents"] = made_docs
