"""``crm print``: write a quote, order, delivery note, purchase order or statement as PDF or Excel.

    crm print KIND NUMBER [--format pdf|xlsx] [--template NAME] [-o PATH]
    crm print statement --customer CODE --from DATE --to DATE [--format …] [--template …] [-o PATH]
    crm print-templates [--overwrite]      copy the shipped templates into the config folder to edit them

The documents come from adapters the sales and purchasing areas register (``crm_tui/services/printing/documents.py``);
a kind nobody provides yet fails with one line, like a missing document or an unwritable path.
"""

from __future__ import annotations

from datetime import date

import click

from crm_tui.cli.common import CliState, pass_state
from crm_tui.i18n import _

KIND_NAMES = ["quote", "order", "delivery", "purchase-order", "statement"]
KIND_NAMES += ["sales-return", "invoice"]
KIND_NAMES.append("purchase-return")


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        from crm_tui.core.errors import ValidationError

        raise ValidationError(_("{option}: not a date: {value!r} (expected YYYY-MM-DD)").format(
            option=option, value=value), field=option) from None


@click.command("print")
@click.argument("kind", metavar="KIND")
@click.argument("number", required=False)
@click.option("--format", "fmt", type=click.Choice(["pdf", "xlsx"]), default=None,
              help="Output format (default: settings [print] format, pdf).")
@click.option("--template", "template", metavar="NAME", default=None,
              help="Template name (e.g. delivery_a5) or a .toml file; default: the kind's own.")
@click.option("-o", "--output", "output", metavar="PATH", default=None,
              help="File to write, or a folder for the default name.")
@click.option("--customer", metavar="CODE", default=None, help="Statement: the customer's code.")
@click.option("--from", "date_from", metavar="DATE", default=None, help="Statement: first day (YYYY-MM-DD).")
@click.option("--to", "date_to", metavar="DATE", default=None, help="Statement: last day (YYYY-MM-DD).")
@pass_state
def print_cmd(state: CliState, kind: str, number: str | None, fmt: str | None, template: str | None,
              output: str | None, customer: str | None, date_from: str | None, date_to: str | None) -> None:
    """Print a document: KIND is quote, order, delivery, purchase-order or statement."""
    from crm_tui.core.errors import ValidationError
    from crm_tui.services.printing import documents as printing

    model_kind = printing.model_kind(kind)
    if model_kind == "statement":
        start, end = _parse_date(date_from, "--from"), _parse_date(date_to, "--to")
        if not (customer and start and end):
            raise ValidationError(_("A statement needs --customer CODE --from DATE --to DATE."), field="customer")
    elif not number:
        raise ValidationError(_("Give the number of the {kind} to print.").format(kind=kind), field="number")
    if template:  # a bad template is reported before touching the database
        from crm_tui.io.templates import template_for

        template_for(model_kind, template)
    printing.require_adapter(model_kind)
    actor = state.actor()

    def work(session):
        if model_kind == "statement":
            return printing.load_statement(session, actor, customer, start, end)
        return printing.load_document(session, actor, model_kind, number)

    doc = state.read(work, actor=None)
    path = printing.write_document(doc, fmt, output, template)
    if path.suffix.lower() == ".pdf":  # which font the PDF embeds: on stderr, so stdout stays the path alone
        click.echo(_("Font: {font}").format(font=printing.pdf_font(doc, template)), err=True)
    click.echo(str(path))


@click.command("print-templates")
@click.option("--overwrite", is_flag=True, help="Replace templates already in the config folder.")
def print_templates_cmd(overwrite: bool) -> None:
    """Copy the shipped print templates into the config folder, where they can be edited."""
    from crm_tui.io.templates import available_templates, install_templates, user_template_folder

    written = install_templates(overwrite=overwrite)
    for path in written:
        click.echo(_("wrote {path}").format(path=path))
    if not written:
        click.echo(_("The templates are already in {folder} (use --overwrite to replace them).").format(
            folder=user_template_folder()))
    click.echo(_("Templates: {names}").format(names=", ".join(available_templates())))


def register(cli: click.Group) -> None:
    cli.add_command(print_cmd)
    cli.add_command(print_templates_cmd)
