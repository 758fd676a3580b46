"""Units of measure on the command line: ``crm products units|unit-add|unit-remove`` (services/stock/units.py)."""

from __future__ import annotations

import click

from crm_tui.cli.common import CliState, echo_json, echo_table, pass_state
from crm_tui.i18n import _

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                      show_default=True, help="Output format.")


def _plain(d) -> str:
    return format(d.normalize(), "f")


@click.command("units")
@click.argument("code")
@FORMAT
@pass_state
def products_units(state: CliState, code: str, fmt: str) -> None:
    """List a product's units: its base unit and each conversion (1 箱 = 12 瓶)."""
    from crm_tui.services.stock import products, units

    def work(session):
        product = products.find_product(session, code)
        return product.code, product.unit, units.list_units(session, product.id)
    code, base, rows = state.read(work)
    if fmt == "json":
        echo_json([{"unit": r.unit, "factor": str(r.factor), "barcode": r.barcode, "base": r.is_base} for r in rows])
        return
    echo_table([_("Unit"), _("Base units"), _("Barcode")],
               [[r.unit, _("base unit") if r.is_base else f"{_plain(r.factor)} {base}", r.barcode or ""]
                for r in rows])


@click.command("unit-add")
@click.argument("code")
@click.option("--unit", required=True, help="The unit's name (箱, 件 …).")
@click.option("--factor", required=True, help="Base units in one of this unit (12 for 1 箱 = 12 瓶).")
@click.option("--barcode", help="The barcode of this unit (a case's barcode).")
@pass_state
def products_unit_add(state: CliState, code: str, unit: str, factor: str, barcode: str | None) -> None:
    """Add a unit to a product: 1 UNIT = FACTOR base units."""
    from crm_tui.services.stock import products, units

    actor = state.actor()

    def work(session):
        product = products.find_product(session, code)
        units.add_unit(session, actor, product.id, unit, factor, barcode)
        return product.code, product.unit
    code, base = state.run(work)
    click.echo(_("Product {code}: 1 {unit} = {factor} {base}.").format(code=code, unit=unit.strip(),
                                                                      factor=factor.strip(), base=base))


@click.command("unit-remove")
@click.argument("code")
@click.option("--unit", required=True, help="The unit to remove (refused if a document uses it).")
@pass_state
def products_unit_remove(state: CliState, code: str, unit: str) -> None:
    """Remove a unit from a product."""
    from crm_tui.services.stock import products, units

    actor = state.actor()

    def work(session):
        product = products.find_product(session, code)
        units.remove_unit(session, actor, product.id, unit)
        return product.code
    code = state.run(work)
    click.echo(_("Product {code}: unit {unit} removed.").format(code=code, unit=unit.strip()))


def register(cli: click.Group) -> None:
    group = cli.commands["products"]
    for command in (products_units, products_unit_add, products_unit_remove):
        group.add_command(command)
