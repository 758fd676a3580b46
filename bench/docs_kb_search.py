"""Knowledge-base search and attachment figures: N articles of generated Chinese text, then the time of a 1-,
2-, 3- and 4-character search, and of attaching (hash + copy) a file at the size cap.

    CRM_HOME=/tmp/kb-bench .venv/bin/python bench/docs_kb_search.py [N] [DATABASE_URL]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    home = Path(os.environ.setdefault("CRM_HOME", tempfile.mkdtemp(prefix="kb-bench-")))
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{home / 'bench.db'}"
    from crm_tui.bootstrap import install_plugins
    from crm_tui.db.session import transaction
    from crm_tui.services.admin.database import initialize, open_database
    from crm_tui.services.customers import records
    from crm_tui.services.docs import attachments, kb

    install_plugins()
    engine = open_database(url)
    admin = initialize(engine, "admin", "admin-pass")
    rng = random.Random(7)
    words = ["冷柜", "保修", "压缩机", "能效", "退货", "换货", "价格", "折扣", "客户", "门店", "陈列", "促销", "电费",
             "安装", "配送", "售后", "合同", "付款", "样机", "库存"]
    t0 = time.perf_counter()
    with transaction(engine, admin) as s:
        for i in range(n):
            body = "，".join(rng.choice(words) + rng.choice(words) for _ in range(60))
            kb.add_article(s, admin, f"文章{i} {rng.choice(words)}", body, category=rng.choice(kb.CATEGORIES),
                           tags=" ".join(rng.sample(words, 3)))
    print(f"{n} articles written in {time.perf_counter() - t0:.1f} s")
    for term in ("冷", "保修", "压缩机", "压缩机保", "文章1999"):
        with transaction(engine, admin, write=False) as s:
            t = time.perf_counter()
            found = kb.search_articles(s, admin, term, limit=50)
            print(f"search {term!r}: {len(found)} shown, {(time.perf_counter() - t) * 1000:.1f} ms")
    with transaction(engine, admin) as s:
        customer = records.create_customer(s, admin, name="基准测试客户")
    big = home / "big.bin"
    big.write_bytes(os.urandom(20 * 1024 * 1024 - 1))
    t = time.perf_counter()
    with transaction(engine, admin) as s:
        attachments.attach(s, admin, "customer", customer, big)
    print(f"attach 20 MB: {(time.perf_counter() - t) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
