"""The knowledge base (知识库): Markdown articles with a title, category and tags, found by any words.

Everyone who logs in reads every article (it is the company's shared knowledge). Anyone may write one;
changing it is for its author, managers, clerks (``documents.manage``) and administrators. Every write is
audited (``KbArticle`` is ``Audited``) and versioned: an edit names the version it started from, and a stale
one is a conflict, never a silent overwrite. The search row is rebuilt in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from crm_tui.db.models.docs import KbArticle
from crm_tui.db.models.people import User
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.docs import kb_search

CATEGORIES = ("产品知识", "销售话术", "售后政策")  # suggested; any category up to 32 characters is allowed
MAX_TITLE = 200
MAX_BODY = 200_000
_TAG_SPLIT = re.compile(r"[\s,，;；、]+")


@dataclass(frozen=True)
class ArticleRow:
    id: int
    title: str
    category: str
    tags: str
    author: str
    updated_at: datetime
    version: int

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "category": self.category, "tags": self.tags.split(),
                "author": self.author, "updated_at": self.updated_at.isoformat(timespec="seconds")}


@dataclass(frozen=True)
class Article(ArticleRow):
    body: str = ""
    updated_by: str | None = None
    created_at: datetime | None = None

    def as_json(self) -> dict:
        return {**super().as_json(), "body": self.body, "updated_by": self.updated_by,
                "version": self.version}


def clean_tags(tags) -> str:
    """Tags as one space-separated string; accepts a list or text split by spaces, commas or 、."""
    if tags is None:
        return ""
    items = tags if isinstance(tags, (list, tuple)) else _TAG_SPLIT.split(str(tags))
    out = list(dict.fromkeys(t.strip().lstrip("#") for t in items if t and t.strip().lstrip("#")))
    text = " ".join(out)
    if len(text) > 300:
        raise ValidationError(_("Tags are {n} characters together; at most 300.").format(n=len(text)), "tags")
    return text


def _check(title: str | None, category: str | None, body: str | None) -> tuple[str, str, str]:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(_("An article needs a title."), "title")
    if len(title) > MAX_TITLE:
        raise ValidationError(_("The title is {n} characters; at most {max}.").format(n=len(title), max=MAX_TITLE),
                              "title")
    category = (category or "").strip()
    if len(category) > 32:
        raise ValidationError(_("The category is {n} characters; at most 32.").format(n=len(category)), "category")
    body = (body or "").replace("\r\n", "\n")
    if len(body) > MAX_BODY:
        raise ValidationError(_("The text is {n} characters; at most {max}.").format(n=len(body), max=MAX_BODY),
                              "body")
    return title, category, body


def can_edit(actor: Actor, article: KbArticle) -> bool:
    return (article.author_id == actor.id or actor.is_admin or actor.role == "manager"
            or permissions.can(actor, "documents.manage"))


def add_article(session: Session, actor: Actor, title: str, body: str = "", *, category: str = "",
                tags=None, at: datetime | None = None) -> int:
    """A new article by ``actor``; ``at``: when it was written (default now; the demo dates its articles)."""
    title, category, body = _check(title, category, body)
    at = at or clock.now()
    article = KbArticle(title=title, category=category, tags=clean_tags(tags), body=body, author_id=actor.id,
                        updated_by=actor.id, created_at=at, updated_at=at)
    session.add(article)
    session.flush()
    kb_search.refresh(session, article)
    return article.id


_UNSET = object()


def edit_article(session: Session, actor: Actor, article_id: int, *, version: int | None = None, title=_UNSET,
                 body=_UNSET, category=_UNSET, tags=_UNSET) -> int:
    """Change the given fields; ``version``: the one the editor started from (a stale one is a conflict).
    Returns the new version."""
    article = session.scalar(select(KbArticle).where(KbArticle.id == article_id).with_for_update())
    if article is None:
        raise NotFound(_("No such article: {id}").format(id=f"#{article_id}"))
    if not can_edit(actor, article):
        raise PermissionDenied(_("Only its author, managers, clerks and administrators may change article "
                                 "{id}.").format(id=f"#{article_id}"))
    if version is not None and version != article.version:
        raise ConflictError(_("Article {id} was changed by someone else meanwhile (version {theirs}, yours {ours}); "
                              "reload it and make your change again.").format(
                                  id=f"#{article_id}", theirs=article.version, ours=version))
    new_title, new_category, new_body = _check(
        article.title if title is _UNSET else title, article.category if category is _UNSET else category,
        article.body if body is _UNSET else body)
    article.title, article.category, article.body = new_title, new_category, new_body
    if tags is not _UNSET:
        article.tags = clean_tags(tags)
    if session.is_modified(article):
        article.updated_by = actor.id
        article.updated_at = clock.now()
        session.flush()
        kb_search.refresh(session, article)
    return article.version


def _author_names():
    author, editor = aliased(User), aliased(User)
    return author, editor


def get_article(session: Session, actor: Actor, article_id: int) -> Article:
    author, editor = _author_names()
    row = session.execute(
        select(KbArticle, author.display_name, editor.display_name)
        .join(author, author.id == KbArticle.author_id)
        .outerjoin(editor, editor.id == KbArticle.updated_by)
        .where(KbArticle.id == article_id)).first()
    if row is None:
        raise NotFound(_("No such article: {id}").format(id=f"#{article_id}"))
    a, author_name, editor_name = row
    return Article(a.id, a.title, a.category, a.tags, author_name, a.updated_at, a.version, a.body, editor_name,
                   a.created_at)


def find_article(session: Session, key: str) -> int:
    """An article by ``#id`` / id, or by its exact title."""
    key = str(key).strip()
    plain = key.removeprefix("#")
    if plain.isdigit() and session.get(KbArticle, int(plain)) is not None:
        return int(plain)
    found = session.scalars(select(KbArticle.id).where(KbArticle.title == key).limit(2)).all()
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ValidationError(_("Several articles are titled {title}; name one by its #id.").format(title=key))
    raise NotFound(_("No such article: {id}").format(id=key))


def search_articles(session: Session, actor: Actor, query: str = "", *, category: str | None = None,
                    limit: int = 200) -> list[ArticleRow]:
    """Articles matching every word of ``query`` (all of them when it is empty), newest change first."""
    author = aliased(User)
    stmt = (select(KbArticle.id, KbArticle.title, KbArticle.category, KbArticle.tags, author.display_name,
                   KbArticle.updated_at, KbArticle.version)
            .join(author, author.id == KbArticle.author_id)
            .order_by(KbArticle.updated_at.desc(), KbArticle.id.desc()).limit(limit))
    clause = kb_search.search_clause(session.get_bind().dialect.name, query or "")
    if clause is not None:
        stmt = stmt.where(clause)
    if category:
        stmt = stmt.where(KbArticle.category == category.strip())
    return [ArticleRow(*r) for r in session.execute(stmt)]


def categories(session: Session) -> list[str]:
    """The categories in use, with the suggested ones first."""
    used = session.scalars(select(KbArticle.category).where(KbArticle.category != "").group_by(KbArticle.category)
                           .order_by(func.min(KbArticle.id))).all()
    return list(dict.fromkeys([*CATEGORIES, *used]))
