"""The domain's clock: services take today and now from it, so a test can stop it on any day."""

from __future__ import annotations

from datetime import date, datetime

from crm_tui.core import clock
from crm_tui.db.session import transaction
from crm_tui.services.common.numbering import take_number
from crm_tui.services.customers import contact_logs


def test_a_frozen_clock_stands_still_and_runs_again_after_the_block():
    with clock.frozen(date(2031, 4, 2)):
        assert clock.today() == date(2031, 4, 2)
        assert clock.now() == datetime(2031, 4, 2, 0, 0)
        with clock.frozen(datetime(2031, 5, 6, 7, 8, 9)):
            assert clock.now() == datetime(2031, 5, 6, 7, 8, 9)
        assert clock.today() == date(2031, 4, 2)
    assert clock.today() == date.today()


def test_numbers_take_their_period_from_the_clock(engine):
    with clock.frozen(date(2031, 4, 2)), transaction(engine) as s:
        assert take_number(s, "quote") == "QT203104-0001"


def test_business_times_come_from_the_clock_to_the_second():
    with clock.frozen(datetime(2031, 4, 2, 9, 30, 15, 123456)):
        assert contact_logs.now() == datetime(2031, 4, 2, 9, 30, 15)


def test_services_screens_and_commands_ask_the_clock_not_the_system():
    """No service, screen or command calls date.today() or datetime.now() itself (a backup file's name is the
    one exception: it must be unique, whatever a test did to the clock)."""
    import ast
    from pathlib import Path

    import crm_tui

    allowed = {("services/admin/backup.py", "now")}
    root = Path(crm_tui.__file__).parent
    calls = []
    for path in sorted(p for top in ("services", "screens", "cli") for p in (root / top).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            if (isinstance(func, ast.Attribute) and func.attr in ("today", "now", "utcnow")
                    and isinstance(func.value, ast.Name) and func.value.id in ("date", "datetime")):
                where = (path.relative_to(root).as_posix(), func.attr)
                if where not in allowed:
                    calls.append(f"{where[0]}:{node.lineno} {func.value.id}.{func.attr}()")
    assert calls == []
