"""``crm import customers``, ``crm import staff``, ``crm export customers``, ``crm customers undo-import``."""

from __future__ import annotations

import click

from crm_tui.cli.common import CliState, echo_json, pass_state
from crm_tui.cli.customers.options import build_filter, customers_group, filter_options
from crm_tui.cli.groups import export_group, import_group
from crm_tui.i18n import _, n_


def _progress(phase: str, done: int, total: int) -> None:
    if total >= 5000 and (done == total or done % 20000 == 0):
        labels = {"read": _("reading"), "check": _("checking"), "write": _("writing")}
        click.echo(f"{labels.get(phase, phase)} {done}/{total}", err=True)


@click.command("customers")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and report what would happen; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the good rows; put the bad ones into the error workbook.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False), metavar="OUT.xlsx",
              help="Write the rejected rows, with a reason column, to this workbook "
                   "(default with --skip-invalid: FILE.errors.xlsx).")
@click.option("--on-duplicate", type=click.Choice(["skip", "update", "error"]), default="error", show_default=True,
              help="What to do with a row matching an existing customer (by code, then credit code, then name).")
@click.option("--sheet", help="Sheet name (default: the first sheet with a customer header).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_state
def import_customers_cmd(state: CliState, file, dry_run, skip_invalid, errors_path, on_duplicate, sheet,
                         fmt) -> None:
    """Import customers from .xlsx, .xls or .csv (UTF-8, UTF-8 with BOM, GBK).

    Headers: 客户编号 客户名称* 简称 联系人 手机 电话 邮箱 地址 片区 行业 客户分类 业务员 信用额度 期初余额 建档日期
    统一社会信用代码 备注 (aliases and English names accepted). The whole file is checked first; by default
    one bad row means nothing is written and the command exits 1 listing every bad row."""
    from crm_tui.services.customers.imports import import_customers

    actor = state.actor()
    summary = import_customers(state.engine(), actor, file, dry_run=dry_run, skip_invalid=skip_invalid,
                               on_duplicate=on_duplicate, errors_path=errors_path, sheet=sheet, progress=_progress,
                               on_wait=state.say_waiting)
    if fmt == "json":
        echo_json({"file": summary.file, "dry_run": dry_run, "written": summary.written,
                   "created": summary.created, "updated": summary.updated, "skipped": summary.skipped,
                   "rejected": summary.rejected, "errors": [str(e) for e in summary.errors],
                   "error_file": summary.error_file, "batch": summary.batch_id,
                   "unknown_columns": list(summary.unknown_columns),
                   "passed_over": [{"row": row, "why": why} for row, why in summary.passed_over]})
    else:
        for error in summary.errors:
            click.echo(str(error), err=True)
        _echo_summary(summary, dry_run)
    if summary.written:
        from crm_tui.services.customers.search_index import catch_up

        catch_up(state.engine())  # a large import's search rows, indexed now (found meanwhile by a scan)
    if summary.rejected and not skip_invalid:
        raise SystemExit(1)


def _echo_summary(summary, dry_run: bool) -> None:
    if dry_run:
        head = _("Dry run, nothing written: would create {c}, update {u}, skip {s}; {r} rows rejected.")
    elif summary.written:
        head = _("Imported: created {c}, updated {u}, skipped {s}; {r} rows rejected.")
    else:
        head = _("Nothing written: {r} rows are bad (would create {c}, update {u}, skip {s}). Fix them, or use "
                 "--skip-invalid to import the good rows.")
    click.echo(head.format(c=summary.created, u=summary.updated, s=summary.skipped, r=summary.rejected))
    if summary.unknown_columns:
        click.echo(_("Columns not imported (no such field): {names}").format(
            names=", ".join(summary.unknown_columns)))
    if summary.passed_over:
        from crm_tui.io.importing import describe_passed_over

        click.echo(_("Rows passed over, not customers: {rows}").format(rows=describe_passed_over(summary.passed_over)))
    if summary.error_file:
        click.echo(_("Rejected rows with reasons: {path}").format(path=summary.error_file))


@click.command("undo-import")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def undo_import_cmd(state: CliState, yes: bool) -> None:
    """Undo the last customer import: remove what it created, restore what it updated."""
    import sys

    from crm_tui.services.customers.imports_write import last_batch, undo_last_import

    actor = state.actor()
    if not yes and sys.stdin.isatty():

        def work(session):
            batch = last_batch(session)
            return f"{batch.file_name} ({batch.created_at:%Y-%m-%d %H:%M})" if batch else "-"
        label = state.read(work)
        click.confirm(_("Undo the import of {file}?").format(file=label), abort=True)

    def work(session):
        return undo_last_import(session, actor)
    result = state.run(work)
    click.echo(n_("Import of {file} undone: {r} customer removed, {u} restored.",
                 "Import of {file} undone: {r} customers removed, {u} restored.", result.removed).format(
        file=result.file, r=result.removed, u=result.restored))


@click.command("staff")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and report what would happen; write nothing.")
@pass_state
def import_staff_cmd(state: CliState, file, dry_run) -> None:
    """Import the staff roster: 工号* 姓名* 部门 岗位 片区 上级 (creates and updates users and departments).

    New users get their 工号 (lowercased) as login and no password: set one with `crm users passwd`."""
    from crm_tui.services.admin.staff_import import import_staff

    actor = state.actor()
    summary = import_staff(state.engine(), actor, file, dry_run=dry_run, on_wait=state.say_waiting)
    for error in summary.errors:
        click.echo(str(error), err=True)
    if summary.errors:
        click.echo(n_("Nothing written: {n} problem in the roster.", "Nothing written: {n} problems in the roster.",
                      len(summary.errors)).format(n=len(summary.errors)))
        raise SystemExit(1)
    head = _("Dry run, nothing written:") if dry_run else _("Staff imported:")
    click.echo(_("{head} {c} new users, {u} updated, {k} unchanged, {d} new departments.").format(
        head=head, c=len(summary.created), u=summary.updated, k=summary.unchanged, d=len(summary.departments)))
    if summary.created:
        click.echo(_("New users have no password yet; set one with `crm users passwd LOGIN`: {logins}").format(
            logins=", ".join(summary.created)))


@click.command("customers")
@click.argument("out", type=click.Path(dir_okay=False), metavar="OUT.xlsx")
@filter_options
@pass_state
def export_customers_cmd(state: CliState, out, **filters) -> None:
    """Export the customers you may see (filters as in `crm customers list`), under the import headers."""
    from crm_tui.services.customers.export import export_customers

    actor = state.actor()

    def work(session):
        return export_customers(session, actor, out, build_filter(session, **filters))
    n = state.read(work)
    click.echo(n_("{n} customer written to {path}", "{n} customers written to {path}", n).format(n=n, path=out))


def register(_cli: click.Group) -> None:
    import_group.add_command(import_customers_cmd)
    import_group.add_command(import_staff_cmd)
    export_group.add_command(export_customers_cmd)
    customers_group.add_command(undo_import_cmd)
