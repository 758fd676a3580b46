"""``crm export KIND OUT.xlsx [filters]`` for every list in the export registry (services/exports): orders,
quotes, notices, stock-outs, receipts, invoices, expenses, contact-logs, approvals, stock-documents,
stock-ledger, purchase-orders (and whatever other areas register). ``crm export customers|products|suppliers``
are their areas' own commands, under the import headers."""

from __future__ import annotations

import click

from crm_tui.cli.common import CliState
from crm_tui.cli.groups import export_group
from crm_tui.i18n import n_

pass_state = click.make_pass_decorator(CliState)

# option -> (ExportFilters field it fills, help)
OPTIONS = {
    "status": ("status", "Status (draft, confirmed, done, cancelled, pending …)."),
    "customer": ("customer_id", "Customer code or name."),
    "owner": ("owner_id", "Salesperson, author or claimant (login or staff number)."),
    "supplier": ("supplier_id", "Supplier code or name."),
    "warehouse": ("warehouse_id", "Warehouse code."),
    "product": ("product_id", "Product code, barcode or name."),
    "kind": ("kind", "Document kind within the list (stock documents, ledger, approvals)."),
    "date_from": ("date_from", "From this day (YYYY-MM-DD)."),
    "date_to": ("date_to", "To this day, included (YYYY-MM-DD)."),
    "text": ("text", "Search text, as in the list's search box."),
}
FLAGS = {"date_from": "--from", "date_to": "--to", "text": "--search"}


def _command(name: str, kind) -> click.Command:
    def run(state: CliState, out: str, **raw) -> None:
        from crm_tui.cli.sales.common import parse_day
        from crm_tui.services.exports.export import export
        from crm_tui.services.exports.filters import resolve

        actor = state.actor()
        raw["date_from"] = parse_day(raw.get("date_from"), "--from")
        raw["date_to"] = parse_day(raw.get("date_to"), "--to")

        def work(session):
            return export(session, actor, name, out, resolve(session, actor, **raw))
        n = state.read(work)
        click.echo(n_("{n} row written to {path}", "{n} rows written to {path}", n).format(n=n, path=out))

    fn = pass_state(run)
    for option in reversed(OPTIONS):
        field, help_text = OPTIONS[option]
        if field in kind.filters:
            flag = FLAGS.get(option, "--" + option)
            fn = click.option(flag, option, help=help_text)(fn)
    fn = click.argument("out", type=click.Path(dir_okay=False), metavar="OUT.xlsx")(fn)
    return click.command(name, help=f"Export {kind.help} to Excel, as you may see them, with the list's filters.")(
        fn)


def register(_cli: click.Group) -> None:
    from crm_tui.services.exports.export import get_kind, names

    for name in names():
        if name not in export_group.commands:
            export_group.add_command(_command(name, get_kind(name)))
