"""The areas (capabilities) the app has. Each area module may register invariants, demo steps and permissions
at import; ``load_areas`` imports them all. Add one line here when an area lands."""

from __future__ import annotations

import importlib

AREA_MODULES: list[str] = [
    "crm_tui.services.admin.users",
    "crm_tui.services.customers.records",
    "crm_tui.services.stock.area",
    "crm_tui.services.visits",
    "crm_tui.services.sales.area",
]


def load_areas() -> None:
    for name in AREA_MODULES:
        importlib.import_module(name)
