"""Opening what a line of the today view, the customer page or the employee page points at.

A link is "kind:id" (customer, order, user, announcement), "area:<area>.<action>" for an area of the main
screen, or "notification:ID|<link>" / "reminder:ID|<link>": a notification is marked read as it is opened.
"""

from __future__ import annotations

import importlib

from crm_tui.i18n import _
from crm_tui.screens.base import run_service

# The screen that opens a record of each kind, by where it lives: imported when first opened (and the pages that
# open links themselves are not imported back from here).
SCREENS = {
    "customer": "crm_tui.screens.today.customer_page:CustomerPageScreen",
    "order": "crm_tui.screens.sales.detail:OrderDetail",
    "user": "crm_tui.screens.today.employee_page:EmployeeScreen",
    "opportunity": "crm_tui.screens.opportunities.detail:OpportunityDetail",
    "ticket": "crm_tui.screens.service.detail:TicketScreen",
}
SHOW_ANNOUNCEMENT = "crm_tui.screens.today.announcements:show_announcement"


def _screen(ref: str):
    module, _colon, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def open_link(node, link: str | None, done=None) -> None:
    """Open ``link`` from ``node`` (a widget or screen); ``done()`` runs when a pushed screen closes."""
    app = node.app
    if not link:
        return
    head, _bar, rest = link.partition("|")
    kind, _colon, ident = head.partition(":")
    if kind == "notification":
        from crm_tui.services.notices import notifications

        actor = app.actor
        run_service(node, lambda s: notifications.mark_read(s, actor, int(ident)), lambda _n: _after(node, rest, done),
                    write=True, group="notification-read")
        return
    if kind == "reminder":
        _after(node, rest, done)
        return
    if kind in SCREENS and ident.isdigit():
        app.push_screen(_screen(SCREENS[kind])(int(ident)), lambda _r: done() if done else None)
    elif kind == "announcement" and ident.isdigit():
        _screen(SHOW_ANNOUNCEMENT)(node, int(ident), done)
    elif kind == "area":
        area, _dot, action = ident.partition(".")
        _close_to_main(app)
        if action:
            app.run_area_action(area, action)
        else:
            app.open_area(area)
    elif kind == "customers":
        _close_to_main(app)
        app.open_area("customers")
    else:
        app.notify(_("Nothing to open here."), severity="warning")


def _after(node, rest: str, done) -> None:
    if rest:
        open_link(node, rest, done)
    elif done:
        done()


def _close_to_main(app) -> None:
    from crm_tui.screens.main import MainScreen

    while len(app.screen_stack) > 2 and not isinstance(app.screen, MainScreen):
        app.pop_screen()
