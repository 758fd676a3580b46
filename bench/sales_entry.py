"""Order entry in the terminal interface: a keystroke in the quantity field (line preview and totals refreshed)
and adding a line (table and totals redrawn), measured headless with Textual's Pilot (aim: under 30 ms).

    PYTHONPATH=. python bench/sales_entry.py

Each figure is the processor time the app spends from the key press until it is idle again (the keystroke
handled, the widgets updated, the screen laid out and composed), median and 95th percentile. Processor time,
not wall time: Pilot's waiting for idleness sleeps in steps of tens of milliseconds, which is the harness, not
the app (wall times are printed too, for reference).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from decimal import Decimal as D

os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")


def _database():
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine
    from crm_tui.db.session import transaction
    from crm_tui.services.admin.database import initialize
    from crm_tui.services.customers import records as customers
    from crm_tui.services.stock import products

    os.environ["CRM_HOME"] = tempfile.mkdtemp(prefix="crm-bench-")
    engine = make_engine(f"sqlite:///{os.environ['CRM_HOME']}/bench.db")
    migrate.upgrade(engine)
    admin = initialize(engine, "admin", "admin-pass", "基准公司", "管理员")
    with transaction(engine, admin) as s:
        customers.create_customer(s, admin, code="K001", name="临沂大酒店")
        for i in range(1, 121):
            products.add_product(s, admin, code=f"P{i:03d}", name=f"商品{i}", unit="箱",
                                 sale_price_gross=D("100") + i)
    return engine


def _stats(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return f"median {statistics.median(samples) * 1000:5.1f} ms, p95 {p95 * 1000:5.1f} ms ({len(samples)} samples)"


async def run() -> None:
    from crm_tui.app import CrmApp
    from crm_tui.screens.sales.entry import DocumentEntry

    engine = _database()
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(150, 45)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if type(app.screen).__name__ == "MainScreen":
                break
        app.push_screen(DocumentEntry("order"))
        await pilot.pause(0.2)
        await pilot.press(*"K001", "enter")
        await pilot.pause(0.3)
        keystroke: dict[int, list[float]] = {}
        add_line: dict[int, list[float]] = {}
        wall: list[float] = []
        for n in range(1, 101):
            screen = app.screen
            await pilot.press(*f"P{n:03d}")
            for _ in range(40):  # the product search runs in a worker
                await pilot.pause(0.02)
                if screen.query_one("#product").matches:
                    break
            await pilot.press("enter")
            await pilot.pause(0.05)
            await pilot.press("backspace")
            for key in "12":  # two keystrokes in the quantity: each refreshes the line and the totals
                t, w = time.process_time(), time.perf_counter()
                await pilot.press(key)
                keystroke.setdefault(len(screen.lines), []).append(time.process_time() - t)
                wall.append(time.perf_counter() - w)
            await pilot.press("enter")  # to the price
            t, w = time.process_time(), time.perf_counter()
            await pilot.press("enter")  # adds the line
            add_line.setdefault(len(screen.lines) - 1, []).append(time.process_time() - t)
            wall.append(time.perf_counter() - w)
        idle = []
        for _ in range(20):  # what the harness itself costs: a key nothing is bound to
            t = time.process_time()
            await pilot.press("f20")
            idle.append(time.process_time() - t)
        print(f"Pilot's own cost of a key press (no binding): {_stats(idle)}")
        for upto in (10, 50, 100):
            ks = [x for k, v in keystroke.items() if upto - 10 <= k < upto for x in v]
            al = [x for k, v in add_line.items() if upto - 10 <= k < upto for x in v]
            print(f"with {upto - 10:3d}-{upto - 1:3d} lines: keystroke {_stats(ks)}; add a line {_stats(al)}")
        print(f"(wall time per key press through Pilot, harness waits included: {_stats(wall)})")
        assert len(app.screen.lines) == 100, len(app.screen.lines)


if __name__ == "__main__":
    asyncio.run(run())
