"""``crm docs``: attach files to records, list and copy them out; ``crm kb``: the knowledge base."""

from __future__ import annotations

from pathlib import Path

import click

from crm_tui.cli.common import CliState, echo_json, echo_table, pass_state
from crm_tui.i18n import _
from crm_tui.services.docs import OWNER_KINDS

KIND = click.Choice(OWNER_KINDS)
FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                      help="table (default) or json.")


@click.group("docs")
def docs_group() -> None:
    """Attachments (附件) on customers, quotes, orders, contact logs, tickets and expense claims."""


@docs_group.command("attach")
@click.argument("kind", type=KIND)
@click.argument("owner")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--note", help="A short note (up to 300 characters).")
@FORMAT
@pass_state
def attach_cmd(state: CliState, kind: str, owner: str, file: str, note: str | None, fmt: str) -> None:
    """Attach FILE to a record: OWNER is a customer code, a document number or #id."""
    from crm_tui.services.docs import attachments as att

    actor = state.actor()

    def work(session):
        record = att.find_owner(session, actor, kind, owner)
        aid = att.attach(session, actor, kind, record.id, Path(file), note=note)
        return record, att.get(session, actor, aid)

    record, row = state.run(work)
    if fmt == "json":
        echo_json(row.as_json())
        return
    click.echo(_("Attached {name} ({size}) to {kind} {owner} as #{id}; sha256 {sha}.").format(
        name=row.file_name, size=att.size_text(row.size), kind=att.kind_label(kind), owner=record.label, id=row.id,
        sha=row.checksum[:16]))


@docs_group.command("list")
@click.option("--kind", type=KIND, help="Only attachments of this kind of record.")
@click.option("--owner", help="Only those of this record (with --kind): a code, a document number or #id.")
@click.option("--customer", help="Only those of this customer and its records (a customer code or #id).")
@click.option("--deleted", is_flag=True, help="Include deleted attachments.")
@FORMAT
@pass_state
def list_cmd(state: CliState, kind: str | None, owner: str | None, customer: str | None, deleted: bool,
             fmt: str) -> None:
    """List the attachments you may see, newest first."""
    from crm_tui.services.docs import attachments as att

    if owner and not kind:
        raise click.UsageError(_("--owner needs --kind (which kind of record it names)."))
    actor = state.actor()

    def work(session):
        owner_id = att.find_owner(session, actor, kind, owner).id if owner else None
        customer_id = att.find_owner(session, actor, "customer", customer).id if customer else None
        return att.list_attachments(session, actor, kind=kind, owner_id=owner_id, customer_id=customer_id,
                                    include_deleted=deleted)

    rows = state.read(work)
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table(["#", _("Record"), _("Customer"), _("File"), _("Size"), _("Uploaded by"), _("Uploaded at"),
                _("Note")],
               [[r.id, f"{att.kind_label(r.owner_kind)} #{r.owner_id}", r.customer_name or "",
                 r.file_name + (" " + _("(deleted)") if r.deleted_at else ""), att.size_text(r.size), r.uploaded_by,
                 r.uploaded_at.strftime("%Y-%m-%d %H:%M"), r.note or ""] for r in rows])


@docs_group.command("get")
@click.argument("attachment_id", type=int)
@click.option("-o", "--output", type=click.Path(), help="File or folder to write to (default: the current "
              "folder, under the original name).")
@pass_state
def get_cmd(state: CliState, attachment_id: int, output: str | None) -> None:
    """Copy an attachment out of the store (checked against its checksum)."""
    from crm_tui.services.docs import attachments as att
    from crm_tui.services.docs import storage

    actor = state.actor()
    row = state.read(lambda session: att.stored_file(session, actor, attachment_id)[0])
    target = Path(output) if output else Path.cwd()
    if target.is_dir():
        target = target / row.file_name
    written = storage.copy_out(row.checksum, target)  # outside the transaction: a retry never writes twice
    click.echo(_("Written to {path}").format(path=written))


@docs_group.command("delete")
@click.argument("attachment_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def delete_cmd(state: CliState, attachment_id: int, yes: bool) -> None:
    """Delete an attachment (kept in the audit log and in backups)."""
    import sys

    from crm_tui.services.docs import attachments as att

    actor = state.actor()
    row = state.read(lambda session: att.get(session, actor, attachment_id))
    if not yes and sys.stdin.isatty():
        click.confirm(_("Delete attachment #{id} ({name})?").format(id=row.id, name=row.file_name), abort=True)
    state.run(lambda session: att.delete(session, actor, attachment_id))
    click.echo(_("Attachment #{id} ({name}) deleted.").format(id=row.id, name=row.file_name))


# --- the knowledge base ------------------------------------------------------------------------------

@click.group("kb")
def kb_group() -> None:
    """The knowledge base (知识库): Markdown articles, searched by any words."""


def _body(body: str | None, body_file: str | None) -> str | None:
    if body is not None and body_file:
        raise click.UsageError(_("Give the text with --body or --file, not both."))
    if body_file:
        try:
            return Path(body_file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(_("Cannot read {path} as UTF-8 text: {err}").format(path=body_file, err=exc)) from exc
    return body


@kb_group.command("add")
@click.option("--title", required=True, help="The article's title.")
@click.option("--category", default="", help="产品知识, 销售话术, 售后政策 or any other (up to 32 characters).")
@click.option("--tags", default="", help="Tags, separated by spaces or commas.")
@click.option("--body", help="The Markdown text.")
@click.option("--file", "body_file", type=click.Path(dir_okay=False), help="Read the Markdown text from this file.")
@FORMAT
@pass_state
def kb_add(state: CliState, title: str, category: str, tags: str, body: str | None, body_file: str | None,
           fmt: str) -> None:
    """Add an article."""
    from crm_tui.services.docs import kb

    text = _body(body, body_file) or ""
    actor = state.actor()
    aid = state.run(lambda session: kb.add_article(session, actor, title, text, category=category, tags=tags))
    if fmt == "json":
        echo_json({"id": aid})
        return
    click.echo(_("Article #{id} added.").format(id=aid))


@kb_group.command("edit")
@click.argument("article")
@click.option("--title", help="A new title.")
@click.option("--category", help="A new category.")
@click.option("--tags", help="New tags (replace the old ones).")
@click.option("--body", help="New Markdown text.")
@click.option("--file", "body_file", type=click.Path(dir_okay=False), help="Read the new text from this file.")
@click.option("--version", type=int, help="Refuse if the article is no longer at this version.")
@pass_state
def kb_edit(state: CliState, article: str, title: str | None, category: str | None, tags: str | None,
            body: str | None, body_file: str | None, version: int | None) -> None:
    """Change an article (ARTICLE: #id or its exact title)."""
    from crm_tui.services.docs import kb

    text = _body(body, body_file)
    changes = {k: v for k, v in (("title", title), ("category", category), ("tags", tags), ("body", text))
               if v is not None}
    if not changes:
        raise click.UsageError(_("Nothing to change: give --title, --category, --tags, --body or --file."))
    actor = state.actor()

    def work(session):
        aid = kb.find_article(session, article)
        return aid, kb.edit_article(session, actor, aid, version=version, **changes)

    aid, new_version = state.run(work)
    click.echo(_("Article #{id} saved (version {version}).").format(id=aid, version=new_version))


@kb_group.command("search")
@click.argument("query", nargs=-1)
@click.option("--category", help="Only this category.")
@click.option("--limit", type=int, default=200, show_default=True)
@FORMAT
@pass_state
def kb_search_cmd(state: CliState, query: tuple[str, ...], category: str | None, limit: int, fmt: str) -> None:
    """Find articles containing every word of QUERY (title, category, tags, text; 1-character words too)."""
    from crm_tui.services.docs import kb

    actor = state.actor()
    rows = state.read(lambda session: kb.search_articles(session, actor, " ".join(query), category=category,
                                                         limit=limit))
    if fmt == "json":
        echo_json([r.as_json() for r in rows])
        return
    echo_table(["#", _("Title"), _("Category"), _("Tags"), _("Author"), _("Updated")],
               [[r.id, r.title, r.category, r.tags, r.author, r.updated_at.strftime("%Y-%m-%d %H:%M")] for r in rows])


@kb_group.command("show")
@click.argument("article")
@FORMAT
@pass_state
def kb_show(state: CliState, article: str, fmt: str) -> None:
    """Show an article (ARTICLE: #id or its exact title) with its Markdown text."""
    from crm_tui.services.docs import kb

    actor = state.actor()
    art = state.read(lambda session: kb.get_article(session, actor, kb.find_article(session, article)))
    if fmt == "json":
        echo_json(art.as_json())
        return
    click.echo(f"# {art.title}")
    click.echo(_("Category: {category}  Tags: {tags}").format(category=art.category or "-", tags=art.tags or "-"))
    click.echo(_("By {author}, updated {at} (version {version})").format(
        author=art.author, at=art.updated_at.strftime("%Y-%m-%d %H:%M"), version=art.version))
    click.echo("")
    click.echo(art.body)


def register(cli: click.Group) -> None:
    cli.add_command(docs_group)
    cli.add_command(kb_group)
