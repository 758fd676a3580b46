"""The composition root: the one place that plugs the areas into the shared registries.

Print adapters, the customer ranking's sales sources, the invariants of ``crm db check`` and the demo
company's steps are registered here, once, by ``install_plugins``; importing a module registers nothing.
The CLI calls it before running a command, the app (``crm_tui.app.create_app``) while the database opens,
and the tests from their conftest. Plug-ins are named by where they live and imported when first used, so a
command pays only for the areas it touches. Add a line here when an area lands.
"""

from __future__ import annotations

import threading

SALES = "crm_tui.services.sales"
PURCHASING = "crm_tui.services.purchasing"

PRINT_ADAPTERS = {
    "quote": f"{SALES}.printing:quote_for_print",
    "order": f"{SALES}.printing:order_for_print",
    "delivery": f"{SALES}.printing:delivery_for_print",
    "purchase_order": f"{PURCHASING}.printing:purchase_order_for_print",
}
STATEMENT_ADAPTER = f"{SALES}.printing:statement_for_print"
SALES_AMOUNT_SOURCES = [f"{SALES}.orders:ordered_amounts"]
INVARIANT_MODULES = [
    "crm_tui.services.common.checks",
    "crm_tui.services.customers.checks",
    "crm_tui.services.stock.ledger",
    f"{PURCHASING}.area",
    f"{SALES}.checks",
    "crm_tui.services.visits.checks",
]
DEMO_STEPS = [f"crm_tui.services.demo.{name}" for name in ("people", "customers", "stock", "sales", "visits")]
DEMO_STEPS.append("crm_tui.services.demo.lists")  # contact-log quotas (branch lists)

_lock = threading.Lock()
_installed = False


def register_print_adapters() -> None:
    from crm_tui.services.printing import documents as printing

    for kind, adapter in PRINT_ADAPTERS.items():
        printing.register_adapter(kind, adapter)
    printing.register_statement_adapter(STATEMENT_ADAPTER)


def install_plugins() -> None:
    """Register every area's plug-ins; later calls do nothing."""
    global _installed
    with _lock:
        if _installed:
            return
        from crm_tui.services import demo
        from crm_tui.services.common import checks
        from crm_tui.services.customers import search as customer_search

        register_print_adapters()
        for source in SALES_AMOUNT_SOURCES:
            customer_search.register_sales_source(source)
        checks.register_invariants(*INVARIANT_MODULES)
        demo.register_steps(*DEMO_STEPS)
        _installed = True
