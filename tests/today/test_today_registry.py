"""The composition root's today sources, customer tabs and employee sections resolve; the today view is first
after login unless the setting puts it last."""

from __future__ import annotations

import pytest

from crm_tui.core.actor import Actor


def test_every_registered_entry_resolves_to_a_function():
    from crm_tui import bootstrap
    from crm_tui.services.today import registry

    for entries, registered in ((bootstrap.TODAY_SOURCES, registry.TODAY_SOURCES),
                                (bootstrap.CUSTOMER_TABS, registry.CUSTOMER_TABS),
                                (bootstrap.EMPLOYEE_SECTIONS, registry.EMPLOYEE_SECTIONS)):
        assert [e.id for e in registered] == [entry_id for entry_id, _title, _fn in entries]
        for entry in registered:
            assert callable(entry.load()), entry.fn


@pytest.mark.today_home
def test_the_today_view_is_the_first_area():
    from crm_tui.screens.areas import areas_for

    ids = [a.id for a in areas_for(Actor(2, "s1", "孙伟", "salesperson"))]
    assert ids[0] == "today" and "customers" in ids


@pytest.mark.today_home
def test_the_setting_puts_it_last():
    from crm_tui import config
    from crm_tui.paths import get_paths
    from crm_tui.screens.areas import areas_for

    path = get_paths().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[today]\nhome = false\n", encoding="utf-8")
    config.reload_settings()
    try:
        ids = [a.id for a in areas_for(Actor(2, "s1", "孙伟", "salesperson"))]
    finally:
        path.unlink()
        config.reload_settings()
    assert ids[-1] == "today" and ids[0] == "customers"
