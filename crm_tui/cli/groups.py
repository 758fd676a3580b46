"""Command groups several areas share: ``crm import …``, ``crm export …`` and ``crm report …``.

An area adds its subcommands at import time::

    from crm_tui.cli.groups import export_group, import_group, report_group

    @import_group.command("products")
    def import_products(...): ...

and lists its module in ``cli/__init__.py`` ``COMMAND_MODULES`` after this one.
"""

from __future__ import annotations

import click


@click.group("import")
def import_group() -> None:
    """Import data from Excel (.xlsx, .xls) or CSV files."""


@click.group("export")
def export_group() -> None:
    """Export data to Excel workbooks (the same headers as the imports)."""


@click.group("report")
def report_group() -> None:
    """Reports (receivables, unshipped goods, sales, expenses …) as tables or JSON."""


def register(cli: click.Group) -> None:
    cli.add_command(import_group)
    cli.add_command(export_group)
    cli.add_command(report_group)
