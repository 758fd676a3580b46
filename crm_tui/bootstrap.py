"""The composition root: the one place that plugs the areas into the shared registries.

Print adapters, the customer ranking's sales sources, the invariants of ``crm db check`` and the demo
company's steps are registered here, once, by ``install_plugins``; importing a module registers nothing.
The CLI calls it before running a command, the app (``crm_tui.app.create_app``) while the database opens,
and the tests from their conftest. Add a line here when an area lands.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_installed = False


def register_print_adapters() -> None:
    from crm_tui.services.printing import documents as printing
    from crm_tui.services.purchasing import printing as purchase_print
    from crm_tui.services.sales import printing as sales_print

    for kind, adapter in {**sales_print.ADAPTERS, **purchase_print.ADAPTERS}.items():
        printing.register_adapter(kind, adapter)
    printing.register_statement_adapter(sales_print.statement_for_print)


def register_report_sources() -> None:
    from crm_tui.services.customers import search as customer_search
    from crm_tui.services.sales import orders

    customer_search.register_sales_source(orders.ordered_amounts)


def register_invariants() -> None:
    from crm_tui.services.common import checks
    from crm_tui.services.customers import checks as customer_checks
    from crm_tui.services.purchasing import area as purchasing
    from crm_tui.services.sales import checks as sales_checks
    from crm_tui.services.stock import ledger
    from crm_tui.services.visits import checks as visit_checks

    checks.register_invariants(checks, customer_checks, ledger, purchasing, sales_checks, visit_checks)


def register_demo_steps() -> None:
    from crm_tui.services import demo
    from crm_tui.services.demo import customers, people, sales, stock, visits

    demo.register_steps(people, customers, stock, sales, visits)


def install_plugins() -> None:
    """Register every area's plug-ins; later calls do nothing."""
    global _installed
    with _lock:
        if _installed:
            return
        register_print_adapters()
        register_report_sources()
        register_invariants()
        register_demo_steps()
        _installed = True
