"""The knowledge base area (知识库): the articles, found by any words as you type; an article shown as Markdown;
the form to write or change one.

Keys: F3 or / find · Enter read · F2 new · F4 edit · F5 refresh. On an article: F4 edit, Esc back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Label, Markdown, Static, TextArea

from crm_tui.i18n import _, n_
from crm_tui.screens.base import CrmScreen, run_service
from crm_tui.screens.main import AreaPane
from crm_tui.services.docs import kb
from crm_tui.widgets.forms import Field, FieldError, FormDialog
from crm_tui.widgets.tables import SizedTable, cut

LIMIT = 500
TITLE_WIDTH = 36


def when(at) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


class KnowledgePane(AreaPane):
    BINDINGS = [
        Binding("f2", "new", "New", id="kb.new"),
        Binding("f3", "find", "Find", id="kb.find"),
        Binding("slash,ideographic_comma", "find", "Find", id="kb.find2", show=False),
        Binding("f4", "edit", "Edit", id="kb.edit"),
    ]

    def compose(self) -> ComposeResult:
        yield Input(placeholder=_("find: title, category, tags or text (保修, 话术 …)"), id="kb-find", compact=True)
        yield Label("", id="kb-info", classes="page-info")
        table = SizedTable(id="kb-list", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        table.add_columns(_("Title"), _("Category"), _("Tags"), _("Author"), _("Updated"))
        yield table

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows: list[kb.ArticleRow] = []

    def refresh_data(self) -> None:
        text = self.query_one("#kb-find", Input).value
        actor = self.app.actor
        run_service(self, lambda s: kb.search_articles(s, actor, text, limit=LIMIT), self._show, group="kb-load")

    def _show(self, rows: list[kb.ArticleRow]) -> None:
        self.rows = rows
        table = self.query_one("#kb-list", DataTable)
        table.clear()
        for r in rows:
            table.add_row(cut(r.title, TITLE_WIDTH), r.category, cut(r.tags, 20), r.author, r.updated_at.strftime("%Y-%m-%d"),
                          key=str(r.id))
        self.query_one("#kb-info", Label).update(n_("{n} article", "{n} articles", len(rows)).format(n=len(rows)))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "kb-find":
            self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "kb-find":
            self.query_one("#kb-list", DataTable).focus()

    def action_find(self) -> None:
        self.query_one("#kb-find", Input).focus()

    def focus_first(self) -> None:
        self.query_one("#kb-list", DataTable).focus()

    def selected(self) -> kb.ArticleRow | None:
        table = self.query_one("#kb-list", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_new(self) -> None:
        self.app.push_screen(ArticleForm(None), self._after)

    def action_edit(self) -> None:
        row = self.selected()
        if row is not None:
            self.app.push_screen(ArticleForm(row.id), self._after)

    def _after(self, result) -> None:
        if result:
            self.app.notify(_("Article saved."))
            self.refresh_data()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "kb-list" and event.row_key is not None:
            self.app.push_screen(ArticleScreen(int(event.row_key.value)), lambda _r: self.refresh_data())


class ArticleScreen(CrmScreen):
    """One article: title, category, tags, who wrote it and when, and the text as Markdown."""

    DEFAULT_CSS = """
    ArticleScreen #kb-title { text-style: bold; padding: 0 1; height: auto; }
    ArticleScreen #kb-meta { color: $text-muted; padding: 0 1; height: auto; }
    ArticleScreen #kb-body-box { height: 1fr; border: round $primary; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="article.back"),
        Binding("f4", "edit", "Edit", id="article.edit"),
        Binding("f5", "reload", "Refresh", id="article.refresh", show=False),
    ]

    def __init__(self, article_id: int):
        super().__init__()
        self.article_id = article_id
        self.article: kb.Article | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="kb-title")
        yield Static("", id="kb-meta")
        with VerticalScroll(id="kb-body-box"):
            yield Markdown("", id="kb-body")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        actor, aid = self.app.actor, self.article_id
        run_service(self, lambda s: kb.get_article(s, actor, aid), self._show, group="kb-article")

    def _show(self, article: kb.Article) -> None:
        self.article = article
        self.query_one("#kb-title", Static).update(article.title)
        meta = _("{category} · tags: {tags} · by {author} · updated {at} by {editor} · version {version}").format(
            category=article.category or _("(no category)"), tags=article.tags or "-", author=article.author,
            at=when(article.updated_at), editor=article.updated_by or article.author, version=article.version)
        self.query_one("#kb-meta", Static).update(meta)
        self.query_one("#kb-body", Markdown).update(article.body or _("(no text)"))
        self.query_one("#kb-body-box").focus()

    def action_edit(self) -> None:
        if self.article is not None:
            self.app.push_screen(ArticleForm(self.article_id), self._edited)

    def _edited(self, result) -> None:
        if result:
            self.app.notify(_("Article saved."))
            self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)


class ArticleForm(FormDialog):
    """Write a new article or change one (the version it started from guards against a colleague's change)."""

    DEFAULT_CSS = """
    ArticleForm .dialog { width: 100; }
    ArticleForm .field.tall { height: 12; }
    ArticleForm .field.tall TextArea { height: 12; }
    """

    def __init__(self, article_id: int | None):
        super().__init__()
        self.article_id = article_id
        self.version: int | None = None
        self.title_text = _("Edit article") if article_id else _("New article")

    def fields(self) -> ComposeResult:
        yield Field(_("Title"), Input(id="title"), required=True)
        yield Field(_("Category"), Input(id="category", placeholder=" / ".join(kb.CATEGORIES)))
        yield Field(_("Tags"), Input(id="tags", placeholder=_("separated by spaces or commas")))
        body = Field(_("Text (Markdown)"), TextArea(id="body", language=None, soft_wrap=True))
        body.add_class("tall")
        yield body

    def on_mount(self) -> None:
        if self.article_id is not None:
            actor, aid = self.app.actor, self.article_id
            run_service(self, lambda s: kb.get_article(s, actor, aid), self._fill, group="kb-form")

    def _fill(self, article: kb.Article) -> None:
        self.version = article.version
        self.query_one("#title", Input).value = article.title
        self.query_one("#category", Input).value = article.category
        self.query_one("#tags", Input).value = article.tags
        self.query_one("#body", TextArea).text = article.body
        self.call_after_refresh(self.mark_clean)

    def collect(self) -> dict:
        values = {"title": self.value("title"), "category": self.value("category"), "tags": self.value("tags"),
                  "body": self.query_one("#body", TextArea).text}
        if not values["title"]:
            raise FieldError("title", _("{field} is required.").format(field=_("Title")))
        if len(values["title"]) > kb.MAX_TITLE:
            raise FieldError("title", _("The title is {n} characters; at most {max}.").format(
                n=len(values["title"]), max=kb.MAX_TITLE))
        if len(values["category"]) > 32:
            raise FieldError("category", _("The category is {n} characters; at most 32.").format(
                n=len(values["category"])))
        return values

    def save(self, values: dict) -> None:
        actor, aid, version = self.app.actor, self.article_id, self.version

        def work(session):
            if aid is None:
                return kb.add_article(session, actor, values["title"], values["body"], category=values["category"],
                                      tags=values["tags"])
            kb.edit_article(session, actor, aid, version=version, **values)
            return aid

        run_service(self, work, lambda result: self.finish(result), write=True)
