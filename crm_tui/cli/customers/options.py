"""What the customer commands share: the ``crm customers`` group, the list filter options, ``--format``."""

from __future__ import annotations

from datetime import date

import click

from crm_tui.i18n import _

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)


def as_date(_ctx, _param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value.replace("/", "-"))
    except ValueError as exc:
        raise click.BadParameter(_("expected a date such as 2026-11-03")) from exc


def filter_options(fn):
    """The list filter, shared by ``customers list`` and ``export customers``."""
    options = [
        click.option("--search", "text", default="", help="Code, name, contact, phone, address or pinyin (bjhx)."),
        click.option("--scope", type=click.Choice(["all", "mine", "pool", "shared"]), default="all",
                     show_default=True, help="All visible, my own, the public pool, or shared with me."),
        click.option("--area", help="Sales area (片区)."),
        click.option("--industry", help="Industry (行业)."),
        click.option("--classification", help="A classification label (A类, 重点, 县城 …)."),
        click.option("--owner", help="Salesperson: login, staff number or name."),
        click.option("--status", type=click.Choice(["active", "archived", "all"]), default="active",
                     show_default=True),
        click.option("--created-from", callback=as_date, help="Created on or after (YYYY-MM-DD)."),
        click.option("--created-to", callback=as_date, help="Created on or before."),
        click.option("--contact-from", callback=as_date, help="Last contact on or after."),
        click.option("--contact-to", callback=as_date, help="Last contact on or before."),
        click.option("--overdue", is_flag=True, help="Only customers with an overdue follow-up."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def build_filter(session, text, scope, area, industry, classification, owner, status, created_from, created_to,
                 contact_from, contact_to, overdue):
    from crm_tui.services.admin import users
    from crm_tui.services.customers.search import CustomerFilter

    return CustomerFilter(
        text=text, scope=scope, area=area, industry=industry, classification=classification,
        owner_id=users.find_user(session, owner).id if owner else None,
        status=None if status == "all" else status, created_from=created_from, created_to=created_to,
        contact_from=contact_from, contact_to=contact_to, follow_up_overdue=overdue)


@click.group("customers")
def customers_group() -> None:
    """Customers (客户): find, add, edit, transfer, share; contacts and contact logs."""
