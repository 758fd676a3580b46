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
    "sales_return": f"{SALES}.return_printing:return_for_print",
    "invoice": f"{SALES}.return_printing:invoice_for_print",
    "purchase_return": f"{PURCHASING}.return_printing:purchase_return_for_print",
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
    f"{SALES}.return_checks",
]
DEMO_STEPS = [f"crm_tui.services.demo.{name}" for name in (
    "people", "customers", "stock", "sales", "visits", "opps", "service",
    "docs", "today", "messaging", "analysis", "credit", "lists", "units", "returns", "purchase_returns")]
TODAY = "crm_tui.services.today"
# The today view's sources, in the order shown: (id, title msgid, "module:fn(session, actor, today)").
# Other areas add one line each, e.g. ("tickets", "Tickets overdue or mine", "….tickets:overdue_or_mine").
TODAY_SOURCES = [
    ("reminders", "My reminders", f"{TODAY}.sources:my_reminders"),
    ("notifications", "Notifications", f"{TODAY}.sources:unread_notifications"),
    ("announcements", "Unread announcements", f"{TODAY}.sources:unread_announcements"),
    ("follow_ups", "Follow-ups due", f"{TODAY}.sources:follow_ups"),
    ("approvals", "Approvals waiting for me", f"{TODAY}.sources:approvals"),
    ("logs_to_review", "Contact logs to review", f"{TODAY}.sources:logs_to_review"),
    ("plans_to_review", "Weekly plans to review", f"{TODAY}.sources:plans_to_review"),
    ("receivables", "Receivables overdue", f"{TODAY}.sources:receivables"),
    ("stock_alarms", "Stock alarms", f"{TODAY}.sources:stock_alarms"),
    ("opportunities", "Opportunities closing this week", f"{TODAY}.area_sources:opportunities_closing"),
    ("tickets", "Tickets overdue or mine", f"{TODAY}.area_sources:tickets_due"),
]
# The customer page's tabs: (id, title msgid, "module:fn(session, actor, customer_id) -> Table"). Opportunities,
# tickets and documents add theirs (e.g. ("tickets", "Tickets", "….tickets:for_customer")).
CUSTOMER_TABS = [
    ("contacts", "Contacts", f"{TODAY}.customer_page:contacts"),
    ("contact_logs", "Contact logs", f"{TODAY}.customer_page:contact_logs"),
    ("quotes_orders", "Quotes and orders", f"{TODAY}.customer_page:quotes_orders"),
    ("stock_outs", "Stock-outs", f"{TODAY}.customer_page:stock_outs"),
    ("receipts", "Receipts", f"{TODAY}.customer_page:receipts"),
    ("invoices", "Invoices", f"{TODAY}.customer_page:invoices"),
    ("receivables", "Receivables and aging", f"{TODAY}.customer_page:receivables"),
    ("visits", "Store visits", f"{TODAY}.customer_page:visits"),
    ("opportunities", "Opportunities", f"{TODAY}.area_sources:opportunities_tab"),
    ("tickets", "Tickets", f"{TODAY}.area_sources:tickets_tab"),
    ("documents", "Documents", f"{TODAY}.area_sources:documents_tab"),
]
# The employee page's sections: (id, title msgid, "module:fn(session, actor, user_id, start, end) -> Table").
EMPLOYEE_SECTIONS = [
    ("logs", "Contact logs", f"{TODAY}.employee_page:logs"),
    ("visits", "Store visits", f"{TODAY}.employee_page:visits"),
    ("plans", "Weekly plans and reviews", f"{TODAY}.employee_page:plans"),
    ("orders", "Orders", f"{TODAY}.employee_page:orders"),
    ("receipts", "Receipts", f"{TODAY}.employee_page:receipts"),
    ("expenses", "Expense claims", f"{TODAY}.employee_page:expenses"),
    ("opportunities", "Opportunities", f"{TODAY}.area_sources:opportunities_section"),
]
# Business events (services/common/events.py) and who listens: the messaging triggers.
EVENT_LISTENERS = {event: ["crm_tui.services.messaging.triggers:on_event"]
                   for event in ("order_confirmed", "shipment_confirmed", "receipt_recorded", "ticket_resolved")}

_lock = threading.Lock()
_installed = False


def register_print_adapters() -> None:
    from crm_tui.services.printing import documents as printing

    for kind, adapter in PRINT_ADAPTERS.items():
        printing.register_adapter(kind, adapter)
    printing.register_statement_adapter(STATEMENT_ADAPTER)


def register_today() -> None:
    from crm_tui.services.today import registry

    for args in TODAY_SOURCES:
        registry.register_today_source(*args)
    for args in CUSTOMER_TABS:
        registry.register_customer_tab(*args)
    for args in EMPLOYEE_SECTIONS:
        registry.register_employee_section(*args)


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
        register_today()
        from crm_tui.services.common import events

        for event, listeners in EVENT_LISTENERS.items():
            for listener in listeners:
                events.subscribe(event, listener)
        _installed = True
