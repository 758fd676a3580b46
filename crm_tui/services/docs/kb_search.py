"""Finding knowledge-base articles: the customers' search engine (crm_tui/db/search.py) over ``kb_search``.

The same documents and grams, built by the same functions (``normalize``, ``grams_of``, ``terms``) and asked
the same way: SQLite FTS5 trigram (``kb_fts``) for terms of 3+ characters and FTS5 unicode61 over the 1- and
2-character grams (``kb_grams``) for shorter ones; PostgreSQL pg_trgm ``LIKE`` and a GIN index over the grams
array. Migration 0009_docs makes the tables and indexes; ``refresh`` rebuilds an article's row in the writer's
transaction.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, column, delete, insert, literal_column, select, table
from sqlalchemy.orm import Session
from sqlalchemy.types import Text

from crm_tui.core import pinyin
from crm_tui.db import search
from crm_tui.db.models.docs import KbArticle, KbSearch

_fts = table("kb_fts", column("rowid"))
_grams_fts = table("kb_grams", column("rowid"))


def build_document(title: str, category: str, tags: str, body: str) -> tuple[str, str]:
    """(doc, grams) for one article: its text lowercased, plus the title's pinyin and initials."""
    full, initials = pinyin.name_fields(title)
    texts = [search.normalize(t) for t in (title, category, tags, body)]
    doc = " ".join(p for p in (*texts, search.normalize(full), search.normalize(initials)) if p)
    return doc, search.grams_of(texts, search.normalize(initials))


def refresh(session: Session, article: KbArticle) -> None:
    doc, grams = build_document(article.title, article.category or "", article.tags or "", article.body or "")
    conn = session.connection()
    conn.execute(delete(KbSearch).where(KbSearch.article_id == article.id))
    conn.execute(insert(KbSearch.__table__).values(article_id=article.id, doc=doc, grams=grams))


def _word_ids(dialect: str, word: str):
    short = len(word) < 3
    like = KbSearch.doc.like(search._like_pattern(word), escape="\\")
    if short and not word.isalnum():
        return select(KbSearch.article_id).where(like)
    if dialect == "sqlite":
        if short:
            return select(_grams_fts.c.rowid).where(literal_column("kb_grams").op("MATCH")(search._fts_phrase(word)))
        found = select(_fts.c.rowid).where(literal_column("kb_fts").op("MATCH")(search._trigram_query(word)))
        if len(word) == 3:
            return found
        return select(KbSearch.article_id).where(KbSearch.article_id.in_(found), like)
    if short:
        from sqlalchemy.dialects.postgresql import ARRAY

        arr = literal_column("string_to_array(kb_search.grams, ' ')", type_=ARRAY(Text))
        return select(KbSearch.article_id).where(arr.contains([word]))
    return select(KbSearch.article_id).where(like)


def search_clause(dialect: str, query: str) -> ColumnElement[bool] | None:
    """WHERE clause on ``KbArticle.id`` for the articles matching every word of ``query``; None if empty."""
    words = search.terms(query)
    if not words:
        return None
    return and_(*(KbArticle.id.in_(_word_ids(dialect, w)) for w in words))
