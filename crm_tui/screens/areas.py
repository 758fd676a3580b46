"""The areas of the main screen. An area lands by adding one ``Area`` line to ``AREAS``.

Each area is a pane (a Widget) built lazily the first time it is shown, plus the command-palette commands it
offers ("Area: verb"). ``visible`` decides from the actor whether the area shows at all: only what works and
what the user may use is shown.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from crm_tui.config import get_settings
from crm_tui.core.actor import Actor
from crm_tui.services.admin.permissions import can
from crm_tui.services.sales.permissions import can_use as sales_can_use
from crm_tui.services.stock.permissions import can_do as stock_can


@dataclass(frozen=True)
class Area:
    id: str
    title: str  # msgid
    pane: str  # "module:ClassName" of the pane widget
    visible: Callable[[Actor], bool] = lambda actor: True
    commands: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (msgid, action on the pane)
    status: str | None = None  # "module:function(session, actor) -> str | None": a status line piece

    def load_status(self):
        module, fn = self.status.split(":")
        return getattr(importlib.import_module(module), fn)

    def load_pane(self):
        module, cls = self.pane.split(":")
        return getattr(importlib.import_module(module), cls)


AREAS: list[Area] = [
    Area("today", "Today", "crm_tui.screens.today.home:TodayPane", status="crm_tui.services.today.home:status_text",
         commands=(("Today: new reminder", "new_reminder"), ("Today: post an announcement", "announce"),
                   ("Today: my page", "my_page"), ("Today: a person's page", "people"))),  # first: the home screen
    Area("customers", "Customers", "crm_tui.screens.customers.listing:CustomersPane",
         commands=(("Customers: find", "find"), ("Customers: new customer", "new"),
                   ("Customers: import from Excel", "import_file"), ("Customers: export the list", "export"),
                   ("Customers: transfer or share", "transfer"), ("Customers: ranking", "ranking"))),
    Area("contact_logs", "Contact logs", "crm_tui.screens.customers.logs:ContactLogsPane",
         commands=(("Contact logs: review queue", "review_queue"), ("Contact logs: quota check", "quota_check"),
                   ("Contact logs: export to Excel", "export_list"))),
    Area("opportunities", "Opportunities", "crm_tui.screens.opportunities.listing:OpportunitiesPane",
         visible=sales_can_use, commands=(("Opportunities: new opportunity", "new"), ("Opportunities: funnel", "funnel"),
                                          ("Opportunities: find", "find"))),
    Area("service", "Service", "crm_tui.screens.service.listing:ServicePane",
         visible=lambda actor: can(actor, "records.create") or can(actor, "records.assign"),
         commands=(("Service: new ticket", "new_ticket"), ("Service: overdue tickets", "show_overdue"),
                   ("Service: my tickets", "show_mine"))),
    Area("sales", "Sales management", "crm_tui.screens.sales.listing:SalesPane", visible=sales_can_use,
         commands=(("Sales: new order", "new_order"), ("Sales: new quote", "new_quote"), ("Sales: orders", "orders"),
                   ("Sales: approval queue", "approvals"), ("Sales: receivables", "receivables"),
                   ("Sales: new expense claim", "new_expense"), ("Sales: reports", "reports"),
                   ("Print: the selected sales document", "print"), ("Print: delivery notes of a day", "print_delivery_day"),
                   ("Print: statements of the listed customers", "print_statements"),
                   ("Sales: returns", "returns"))),
    Area("credit", "Credit and terms", "crm_tui.screens.sales.credit:CreditPane", visible=sales_can_use,
         commands=(("Credit: dunning list", "dunning"), ("Credit: new price", "new_price"))),
    Area("products", "Products", "crm_tui.screens.stock.products:ProductsPane",
         visible=lambda actor: stock_can(actor, "products.manage") or stock_can(actor, "purchase.manage"),
         commands=(("Products: new product", "new"), ("Products: find", "find"))),
    Area("stock", "Stock", "crm_tui.screens.stock.listing:StockPane", visible=lambda actor: stock_can(actor, "stock.manage"),
         status="crm_tui.services.stock.alarms:status_text",
         commands=(("Stock: new stock document", "new_document"), ("Stock: stock-in", "new_stock_in"),
                   ("Stock: transfer", "new_transfer"), ("Stock: count a warehouse", "stocktaking"),
                   ("Stock: new warehouse", "new_warehouse"), ("Stock: find", "find"))),
    Area("purchasing", "Purchasing", "crm_tui.screens.purchasing.listing:PurchasingPane",
         visible=lambda actor: stock_can(actor, "purchase.manage") or stock_can(actor, "purchase.approve"),
         commands=(("Purchasing: new purchase order", "new_order"), ("Purchasing: new supplier", "new_supplier"),
                   ("Purchasing: new inquiry", "new_inquiry"),
                   ("Purchasing: payables", "payables"))),
    Area("visits", "Store visits", "crm_tui.screens.visits.tally:VisitsPane",
         visible=lambda actor: actor.role in ("administrator", "statistician", "manager", "salesperson"),
         commands=(("Store visits: import the visit log", "import_file"), ("Store visits: absence (报备)", "new_absence"),
                   ("Store visits: publish a week or month", "publish"),
                   ("Store visits: reopen a week or month", "reopen"),
                   ("Store visits: export the month to Excel", "export"))),
    Area("week", "My week", "crm_tui.screens.visits.week:WeekPane",
         visible=lambda actor: actor.role in ("salesperson", "manager"),
         commands=(("My week: plan a visit", "add_item"), ("My week: goals, summary and suggestions", "write"),
                   ("My week: submit the plan", "submit"), ("My week: register an outing", "new_outing"))),
    Area("messages", "Messages", "crm_tui.screens.messaging.listing:MessagesPane",
         commands=(("Messages: new template", "new_template"), ("Messages: send waiting messages", "send_pending"),
                   ("Messages: campaigns", "show_campaigns"))),
    Area("kb", "Knowledge base", "crm_tui.screens.docs.kb:KnowledgePane",
         commands=(("Knowledge base: find", "find"), ("Knowledge base: new article", "new"))),
    Area("analysis", "Analyses", "crm_tui.screens.analysis.pane:AnalysisPane",
         visible=lambda actor: actor.role in ("administrator", "manager", "salesperson", "clerk", "statistician"),
         commands=(("Analysis: dashboard", "dashboard"), ("Analysis: export to Excel", "export"),
                   ("Analysis: write ABC grades into classifications", "write_grades"),
                   ("Analysis: set a sales target", "set_target"))),
    Area("admin", "Administration", "crm_tui.screens.admin.users:AdminPane",
         visible=lambda actor: can(actor, "admin.users"),
         commands=(("Administration: add user", "new_user"), ("Administration: add department", "new_department"),
                   ("Administration: back up the database", "backup"),
                   ("Administration: company details", "company"))),
]


def areas_for(actor: Actor) -> list[Area]:
    shown = [a for a in AREAS if a.visible(actor)]
    if not get_settings().get("today", {}).get("home", True):  # the today view last: a list opens first
        shown = [a for a in shown if a.id != "today"] + [a for a in shown if a.id == "today"]
    return shown
