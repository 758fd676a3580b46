"""The ``crm`` command. Without a subcommand it opens the terminal interface."""

from __future__ import annotations

import importlib

import click

from crm_tui import __version__
from crm_tui.cli.common import CliState

# Each module exposes ``register(cli)``; an area adds its module here.
COMMAND_MODULES = [
    "crm_tui.cli.admin",
    "crm_tui.cli.printing",
    "crm_tui.cli.groups",
    "crm_tui.cli.customers.commands",
    "crm_tui.cli.customers.files",
    "crm_tui.cli.stock",
    "crm_tui.cli.visits",
    "crm_tui.cli.sales.documents",
    "crm_tui.cli.sales.money",
    "crm_tui.cli.opportunities",
    "crm_tui.cli.tickets",
    "crm_tui.cli.docs",
    "crm_tui.cli.today",
    "crm_tui.cli.messaging",
    "crm_tui.cli.analysis",
    "crm_tui.cli.credit",
    "crm_tui.cli.exports",
    "crm_tui.cli.contact_quotas",
    "crm_tui.cli.units",
    "crm_tui.cli.returns",
    "crm_tui.cli.purchase_returns",
]


class CrmGroup(click.Group):
    """Turns every error into one line and a non-zero exit, never a traceback: a domain error says what to fix,
    an unexpected one goes to the log file with its traceback and the line says where (``crm_tui/log.py``)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            from crm_tui.log import describe

            raise click.ClickException(describe(exc, f"crm {ctx.invoked_subcommand or ''}".strip())) from exc


@click.group(cls=CrmGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="crm")
@click.option("--lang", type=click.Choice(["zh", "zh_CN", "en"]), help="Interface language (default: settings/locale).")
@click.option("--db", "db_url", metavar="URL", help="Database URL (default: CRM_DATABASE_URL or the SQLite file).")
@click.pass_context
def cli(ctx: click.Context, lang: str | None, db_url: str | None) -> None:
    """crm-tui: a keyboard-driven terminal CRM. Run without a command to open the interface."""
    from crm_tui.config import get_settings
    from crm_tui.core import pinyin
    from crm_tui.i18n import set_language
    from crm_tui.paths import get_paths

    pinyin.set_cache_dir(get_paths().cache)
    set_language(lang or get_settings()["general"].get("language"))
    ctx.obj = CliState(db_url=db_url)
    if ctx.invoked_subcommand is None:
        from crm_tui.app import run_app

        run_app(db_url=db_url, lang=lang)  # the app installs the plug-ins while the database opens
    else:
        from crm_tui.bootstrap import install_plugins
        from crm_tui.log import setup_logging

        setup_logging()
        install_plugins()


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)
