"""Benchmark: confirming 50-line stock documents (number, locks, costing, moves, balances, commit).

Builds a fresh database with 10,000 products in 2 warehouses, each holding stock, then creates drafts and times
``stock_documents.confirm`` in its own transaction (what the screen and the CLI do), per document kind.

    PYTHONPATH=$PWD python bench/stock_confirm.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
           [--lines 50] [--docs 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from decimal import Decimal as D

from bench.stock_onhand import make_engine


def seed(engine, n_products: int) -> tuple[list[int], list[int]]:
    from crm_tui.core.actor import SYSTEM
    from crm_tui.db.models.products import Product
    from crm_tui.db.session import transaction
    from crm_tui.services.stock import documents as sd
    from crm_tui.services.stock import warehouses as stock_warehouses
    from crm_tui.services.stock.documents import LineInput

    with transaction(engine, SYSTEM) as s:
        warehouses = [stock_warehouses.add_warehouse(s, SYSTEM, f"WH{i}", f"仓库{i}") for i in (1, 2)]
        s.execute(Product.__table__.insert(), [
            {"code": f"P{i:06d}", "name": f"商品{i}", "tax_rate": D("0.13"), "safety_stock": D(0), "active": True,
             "version": 1} for i in range(1, n_products + 1)])
    with transaction(engine, SYSTEM) as s:
        ids = list(s.scalars(Product.__table__.select().with_only_columns(Product.__table__.c.id)))
        for w in warehouses:  # opening stock: one 500-line stock-in after another
            for start in range(0, len(ids), 500):
                doc = sd.create_document(s, SYSTEM, "stock_in", w, lines=[
                    LineInput(p, D(1000), unit_cost=D("12.34")) for p in ids[start:start + 500]])
                sd.confirm(s, SYSTEM, doc)
    return warehouses, ids


def bench_kind(engine, kind: str, warehouses, ids, lines: int, docs: int, rng) -> None:
    from crm_tui.core.actor import SYSTEM
    from crm_tui.db.session import transaction
    from crm_tui.services.stock import documents as sd
    from crm_tui.services.stock.documents import LineInput

    drafts = []
    with transaction(engine, SYSTEM) as s:
        for _ in range(docs):
            chosen = rng.sample(ids, lines)
            cost = {"unit_cost": D("13.57")} if kind == "stock_in" else {}
            drafts.append(sd.create_document(
                s, SYSTEM, kind, warehouses[0], to_warehouse_id=warehouses[1] if kind == "transfer" else None,
                lines=[LineInput(p, D(rng.randint(1, 5)), **cost) for p in chosen]))
    times = []
    for doc in drafts:
        t = time.perf_counter()
        with transaction(engine, SYSTEM) as s:
            sd.confirm(s, SYSTEM, doc)
        times.append((time.perf_counter() - t) * 1000)
    print(f"  confirm a {lines}-line {kind:<12} median {statistics.median(times):6.1f} ms   "
          f"best {min(times):6.1f} ms   worst {max(times):6.1f} ms   ({docs} documents)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url")
    ap.add_argument("--lines", type=int, default=50)
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--products", type=int, default=10_000)
    args = ap.parse_args()
    engine, cleanup = make_engine(args.url)
    print(f"engine: {engine.dialect.name}")
    try:
        t = time.perf_counter()
        warehouses, ids = seed(engine, args.products)
        print(f"  seeded {len(ids)} products × 2 warehouses in {time.perf_counter() - t:.1f} s")
        rng = random.Random(11)
        for kind in ("stock_in", "stock_out", "transfer"):
            bench_kind(engine, kind, warehouses, ids, args.lines, args.docs, rng)
        from crm_tui.services.common.checks import run_checks

        bad = {k: v for k, v in run_checks(engine).items() if v}
        print(f"  db check afterwards: {'ok' if not bad else bad}")
    finally:
        if cleanup:
            cleanup()


if __name__ == "__main__":
    main()
