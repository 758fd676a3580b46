"""Demo step: 临沂 and Shandong customers of the demo company, with contacts, contact logs and reviews.

Customers belong to the salespeople of services/demo/people.py, in their line of trade (商超, 团购, 流通, 餐饮)
and, for the 流通部 representatives who have one, in their 片区; county customers carry the 县城 label the visit
policy keys on; a few sit in the public pool. Everything goes through the services (so the audit log and the
search index are as real use leaves them) and comes from ``ctx.rng``, so every run gives the same company.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from crm_tui.core.actor import Actor
from crm_tui.services.customers import contact_logs, contacts
from crm_tui.services.customers import records as customers
from crm_tui.services.customers.fields import CREDIT_ALPHABET, credit_check_char

TITLE = "Customers, contacts and contact logs"
CUSTOMERS = 260

CITY_AREAS = ["南坊片区", "市区西片区", "城西片区", "城北片区", "河东片区", "罗庄片区", "市区东片区"]
CITY_ROADS = {
    "南坊片区": ("兰山区", ["南坊路", "沂蒙路", "蒙山大道", "涑河南街"]),
    "市区西片区": ("兰山区", ["金雀山路", "银雀山路", "解放路", "新华路"]),
    "城西片区": ("兰山区", ["西安路", "双岭路", "工业大道", "临西十二路"]),
    "城北片区": ("兰山区", ["北京路", "上海路", "通达路", "启阳路"]),
    "河东片区": ("河东区", ["人民大街", "沂河路", "东兴路", "凤凰大街"]),
    "罗庄片区": ("罗庄区", ["罗程路", "湖北路", "龙潭路", "盛庄路"]),
    "市区东片区": ("兰山区", ["滨河大道", "沂州路", "平安路", "金五路"]),
}
COUNTIES = {
    "沂南县": ["振兴路", "历山路"], "沂水县": ["长安路", "正阳路"], "郯城县": ["人民路", "郯东路"],
    "兰陵县": ["金山路", "会宝路"], "费县": ["北京路", "探沂路"], "平邑县": ["莲花山路", "银花路"],
    "蒙阴县": ["叠翠路", "东城路"], "莒南县": ["文化路", "隆山路"], "临沭县": ["常林大街", "沭河大街"],
}
OTHER_CITIES = [("济南市", "历下区", "泉城路"), ("青岛市", "市南区", "香港中路"), ("日照市", "东港区", "海曲中路"),
                ("枣庄市", "市中区", "光明路"), ("潍坊市", "奎文区", "胜利东街"), ("菏泽市", "单县", "舜师路")]
BRANDS = ["华夏", "金源", "鑫隆", "福瑞", "宏达", "百盛", "泰华", "恒丰", "天元", "聚福", "瑞丰", "佳和", "德润",
          "汇通", "沂蒙", "东方", "兴隆", "万家", "惠民", "龙泉", "银河", "九州", "康乐", "长城", "和顺", "祥和",
          "盛源", "新世纪", "大润", "利群", "琅琊", "书圣", "蒙山", "凤凰", "金锣", "鲁南"]
KINDS = {
    "商超": ["超市", "购物广场", "便利店", "生活超市", "商贸有限公司"],
    "团购": ["商贸有限公司", "贸易有限公司", "实业有限公司", "商务服务有限公司"],
    "流通": ["副食品商行", "食品经营部", "批发部", "商贸有限公司", "烟酒店"],
    "餐饮": ["大酒店", "饭庄", "酒楼", "餐饮有限公司", "农家乐"],
}
# Salespeople (demo logins) and their line of trade; the 流通部 representatives with a 片区 work in it.
OWNERS = {
    "sunwei": "商超", "lina": "团购", "zhouqiang": "团购", "zhengkai": "流通", "wangfang": "流通",
    "fengjun": "流通", "chuyang": "餐饮", "weixue": "餐饮",
}
OWNER_AREAS = {"zhengkai": "南坊片区", "wangfang": "河东片区"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建国",
         "海燕", "志强", "红梅", "国庆", "玉兰", "春生", "丽华", "德胜", "文静", "家豪", "晓东", "桂英", "立新"]
TITLES = ["老板", "店长", "采购经理", "财务", "经理", "总经理", "行政主管", "前台"]
SOURCES = ["老客户介绍", "陌生拜访", "展会", "电话开发", "网络"]
SUMMARIES = {
    "visit": ["拜访店长，了解近期销量，陈列位置需要调整", "送新品样品，店长愿意试销两箱", "检查堆头陈列，补充价签",
              "与老板面谈年货团购方案，需报价", "回收上月货款，对账无误", "协助店内促销活动，现场试饮效果好"],
    "phone": ["电话确认订货数量", "电话催收货款，答应月底前付清", "电话沟通促销政策", "预约下周拜访时间"],
    "wechat": ["微信发送新品图片和价格表", "微信确认发货时间", "微信沟通喜宴用酒需求"],
    "email": ["发送年度合作协议草稿", "邮件发送对账单"],
    "other": ["在展会上交流，留下联系方式", "客户来公司参观"],
}
RESULTS = ["有意向", "已下单", "暂无需求", "需再跟进", "已回款", None]
NEXT_STEPS = ["送样品", "报价", "安排促销员", "再次拜访", "催收货款"]
REVIEWS = ["好，抓紧落实报价", "注意回款进度", "下次带上新品目录", "陈列要拍照留档", "继续跟进，争取本月签约"]


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _mobile(rng) -> str:
    return rng.choice(["13", "15", "18", "17", "19"]) + str(rng.randint(0, 9)) + f"{rng.randint(0, 99999999):08d}"


def _credit_code(rng) -> str:
    body = "91" + rng.choice(["371302", "371311", "371312", "371321", "371323"]) + "".join(
        rng.choice(CREDIT_ALPHABET) for _ in range(9))
    return body + credit_check_char(body)


def _short_county(county: str) -> str:
    return county[:-1] if len(county) > 2 else county  # 沂南县 -> 沂南, 费县 stays


def _place(rng, owner: str | None) -> tuple[str | None, str, str | None]:
    """(area, address, county or None) for a customer of ``owner``."""
    if owner in OWNER_AREAS or (owner and rng.random() < 0.7):
        area = OWNER_AREAS.get(owner) or rng.choice(CITY_AREAS)
        district, roads = CITY_ROADS[area]
        return area, f"山东省临沂市{district}{rng.choice(roads)}{rng.randint(1, 399)}号", None
    if rng.random() < 0.75:
        county = rng.choice(list(COUNTIES))
        address = f"山东省临沂市{county}{rng.choice(COUNTIES[county])}{rng.randint(1, 200)}号"
        return f"{_short_county(county)}片区", address, county
    city, district, road = rng.choice(OTHER_CITIES)
    return None, f"山东省{city}{district}{road}{rng.randint(1, 300)}号", district if district.endswith("县") else None


def _name(rng, industry: str, area: str | None, county: str | None, used: set[str]) -> str:
    """A shop or company name; its place word agrees with where it is (河东… in 河东片区, 沂南… in 沂南县)."""
    district = CITY_ROADS[area][0][:2] if area in CITY_ROADS else None
    name = ""
    for _ in range(50):
        place = _short_county(county) if county else rng.choice(["临沂", "临沂", "", district or "沂州"])
        name = f"{place}{rng.choice(BRANDS)}{rng.choice(KINDS[industry])}"
        if name not in used:
            break
    else:
        name = f"{name}{len(used)}"
    used.add(name)
    return name


def _owner_actor(session, users: dict[str, int], login: str) -> Actor:
    from crm_tui.db.models.people import User

    return Actor.from_user(session.get(User, users[login]))


def run(session, ctx) -> None:
    rng = ctx.rng
    users: dict[str, int] = ctx.made["users"]
    actors = {login: _owner_actor(session, users, login) for login in [*OWNERS, "qianli", "wumin", "chenjing"]}
    managers = {"sunwei": "qianli", "lina": "qianli", "zhouqiang": "qianli", "zhengkai": "wumin",
                "wangfang": "wumin", "fengjun": "wumin", "chuyang": "chenjing", "weixue": "chenjing"}
    used: set[str] = set()
    made: list[int] = []
    logs = reviews = 0
    logins = list(OWNERS)
    for i in range(CUSTOMERS):
        owner = None if i % 25 == 24 else logins[i % len(logins)]  # every 25th customer sits in the pool
        industry = OWNERS[owner] if owner else rng.choice(list(KINDS))
        area, address, county = _place(rng, owner)
        labels = [rng.choice(["A类", "B类", "B类", "C类", "C类"])]
        if rng.random() < 0.15:
            labels.append("重点")
        if county:
            labels.append("县城")
        values = dict(
            name=_name(rng, industry, area, county, used), industry=industry, area=area, address=address,
            classification=",".join(labels), source=rng.choice(SOURCES),
            created_on=ctx.today - timedelta(days=rng.randint(20, 900)),
            credit_limit=rng.choice([None, 5000, 10000, 20000, 50000]),
            opening_balance=rng.choice([None, None, 0, 1200.5, 3680, 15000]),
            owner_id=users[owner] if owner else None,
        )
        if rng.random() < 0.5:
            values["credit_code"] = _credit_code(rng)
        if len(values["name"]) > 6 and rng.random() < 0.4:
            values["short_name"] = values["name"][:4]
        cid = customers.create_customer(session, ctx.actor, **values)
        made.append(cid)
        for k in range(rng.choice([1, 1, 2, 2, 3])):
            extra = {}
            if rng.random() < 0.5:
                extra["landline"] = f"0539-{rng.randint(2000000, 8999999)}"
            if rng.random() < 0.3:
                extra["wechat"] = f"wx{rng.randint(100000, 999999)}"
            if rng.random() < 0.2:
                extra["birthday"] = f"{rng.randint(1960, 1995)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            contacts.add_contact(session, ctx.actor, cid, name=_person(rng), title=rng.choice(TITLES),
                                 mobile=_mobile(rng), is_primary=k == 0, **extra)
        if owner is None:
            continue
        author = actors[owner]
        for _ in range(rng.choice([0, 1, 2, 2, 3, 4])):
            kind = rng.choice(["visit", "visit", "visit", "phone", "phone", "wechat", "email", "other"])
            at = datetime.combine(ctx.today - timedelta(days=rng.randint(0, 90)),
                                  time(rng.randint(8, 18), rng.choice([0, 10, 20, 30, 40, 50])))
            follow = None
            if rng.random() < 0.35:
                follow = at.date() + timedelta(days=rng.randint(2, 14))
            log_id = contact_logs.add_log(
                session, author, cid, kind, rng.choice(SUMMARIES[kind]), at=at, result=rng.choice(RESULTS),
                next_step=rng.choice(NEXT_STEPS) if follow else None, next_follow_up=follow)
            logs += 1
            if at.date() < ctx.today - timedelta(days=7) and rng.random() < 0.6:
                contact_logs.review_log(session, actors[managers[owner]], log_id, rng.choice(REVIEWS))
                reviews += 1
    ctx.made["customers"] = made
    ctx.made["contact logs"] = logs
    ctx.made["reviews"] = reviews
