"""Synthetic but realistic customers for the customers benchmarks: Shandong shop and company names, 临沂
addresses, contacts with mobiles and landlines, 片区, classifications, salespeople by 工号.

Deterministic for a given seed; names are unique (a running number is folded into the brand when needed).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

PLACES = ["临沂", "兰山", "河东", "罗庄", "沂南", "沂水", "郯城", "兰陵", "费县", "平邑", "蒙阴", "莒南", "临沭",
          "济南", "青岛", "日照", "枣庄", "潍坊", "单县", "深圳", "北京", "上海"]
BRANDS = ["华夏", "金源", "鑫隆", "福瑞", "宏达", "百盛", "泰华", "恒丰", "天元", "聚福", "瑞丰", "佳和", "德润", "汇通",
          "沂蒙", "东方", "兴隆", "万家", "惠民", "龙泉", "银河", "九州", "康乐", "长城", "和顺", "祥和", "盛源", "华联",
          "大润", "利群", "琅琊", "书圣", "蒙山", "凤凰", "金锣", "鲁南", "新华", "振华", "永盛", "通达"]
KINDS = ["超市", "购物广场", "便利店", "商贸有限公司", "贸易有限公司", "实业有限公司", "副食品商行", "食品经营部",
         "批发部", "烟酒店", "大酒店", "饭庄", "酒楼", "餐饮有限公司", "农家乐", "科技有限公司"]
ROADS = ["通达路", "解放路", "沂蒙路", "金雀山路", "银雀山路", "北京路", "上海路", "涑河街", "工业大道", "滨河大道",
         "双岭路", "蒙山大道", "罗程路", "人民大街", "沂河路", "振兴路", "长安路", "人民路"]
DISTRICTS = ["兰山区", "河东区", "罗庄区", "沂南县", "沂水县", "郯城县", "兰陵县", "费县", "平邑县"]
AREAS = ["南坊片区", "市区西片区", "城西片区", "城北片区", "河东片区", "罗庄片区", "市区东片区"]
INDUSTRIES = ["商超", "团购", "流通", "餐饮"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建国",
         "海燕", "志强", "红梅", "国庆", "玉兰", "春生", "丽华", "德胜", "文静", "家豪", "晓东", "桂英", "立新"]
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(rng: random.Random) -> str:
    body = "91" + rng.choice(["371302", "371311", "371312", "370102", "370202"]) + "".join(
        rng.choice(CREDIT_ALPHABET) for _ in range(9))
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


def customers(n: int, staff: list[str], seed: int = 7) -> Iterator[dict]:
    """``n`` customers as import rows: the field keys of crm_tui.services.customers.imports.SPECS."""
    rng = random.Random(seed)
    seen: set[str] = set()
    for i in range(n):
        name = f"{rng.choice(PLACES)}{rng.choice(BRANDS)}{rng.choice(KINDS)}"
        if name in seen:
            name = f"{rng.choice(PLACES)}{rng.choice(BRANDS)}{i}{rng.choice(KINDS)}"
        seen.add(name)
        yield {
            "name": name,
            "contact": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "mobile": f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}",
            "phone": f"0539-{rng.randint(2_000_000, 8_999_999)}" if rng.random() < 0.5 else None,
            "address": f"山东省临沂市{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randint(1, 999)}号",
            "area": rng.choice(AREAS),
            "industry": rng.choice(INDUSTRIES),
            "classification": rng.choice(["A类", "B类", "C类", "B类,县城", "A类,重点"]),
            "owner": rng.choice(staff),
            "credit_limit": rng.choice([None, 5000, 10000, 20000]),
            "credit_code": credit_code(rng) if rng.random() < 0.3 else None,
        }
