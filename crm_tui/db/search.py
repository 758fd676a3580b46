"""Finding customers by any piece of text, fast on SQLite and PostgreSQL alike.

Every customer has one row in ``customer_search`` (models/customers.py ``CustomerSearch``), rebuilt here
whenever the customer or one of its contacts is written:

- ``doc``: code, name, short name, address, credit code, contact names, phones (digits only) and the pinyin
  variants of the name, lowercased. Terms of 3+ characters are substrings of it: SQLite answers through an FTS5
  table with the trigram tokenizer (``customer_fts``), PostgreSQL through a pg_trgm GIN index and ``LIKE``.
- ``grams``: the distinct 1- and 2-character grams of the name, short name, address, contact names, code and
  initials. Trigram indexes cannot answer terms under 3 characters (FTS5 never matches them, pg_trgm falls back
  to scanning), yet most Chinese words are 2 characters (深圳, 华联), so a term of 1 or 2 characters is looked up
  as a whole token: SQLite FTS5 ``unicode61`` table ``customer_grams``, PostgreSQL a GIN index over
  ``string_to_array(grams, ' ')``.

The FTS5 tables are "external content" tables over ``customer_search`` kept in step by triggers, and the
PostgreSQL indexes are ordinary indexes, so the database keeps them right inside the writer's transaction
(migration 0003 creates them; models/customers.py keeps autogenerate off them). Phones and full pinyin are
left out of ``grams``: a 2-digit or 2-letter piece of them matches nearly everything and would only bloat
the index.

The session hooks at the end keep the pinyin columns and the search rows in step with every ORM write; they
are installed by importing this module, which db/session.py does (every session is made there).

``search_clause`` is the one entry point for queries; callers AND it with the visibility rule.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    column,
    delete,
    event,
    insert,
    literal_column,
    select,
    table,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.types import Text

from crm_tui.core import pinyin
from crm_tui.core.search_text import build_document, digits, grams_of, normalize  # noqa: F401 (built there)
from crm_tui.core.text import normalize_key
from crm_tui.db import bulk
from crm_tui.db.models.customers import Contact, Customer, CustomerSearch

CHUNK = 500
_PHONEISH = re.compile(r"^[\d\-+() ]{3,}$")


# --- keeping the index up to date ---------------------------------------------------------------------------

def refresh(conn: Connection, customer_ids: Iterable[int]) -> None:
    """Rebuild the search rows of these customers from their current data (missing customers: rows removed)."""
    ids = sorted(set(customer_ids))
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(conn, ids[start:start + CHUNK])


def _refresh_chunk(conn: Connection, ids: list[int]) -> None:
    cust = conn.execute(
        select(Customer.id, Customer.code, Customer.name, Customer.short_name, Customer.address,
               Customer.credit_code, Customer.name_pinyin, Customer.name_initials).where(Customer.id.in_(ids))
    ).all()
    contacts: dict[int, list[tuple]] = {}
    for cid, name, mobile, landline in conn.execute(
        select(Contact.customer_id, Contact.name, Contact.mobile, Contact.landline)
        .where(Contact.customer_id.in_(ids)).order_by(Contact.customer_id, Contact.id)
    ):
        contacts.setdefault(cid, []).append((name, mobile, landline))
    rows = []
    for r in cust:
        doc, grams = build_document(r.code, r.name, r.short_name, r.address, r.credit_code, r.name_pinyin,
                                    r.name_initials, contacts.get(r.id, ()))
        rows.append({"customer_id": r.id, "doc": doc, "grams": grams})
    conn.execute(delete(CustomerSearch).where(CustomerSearch.customer_id.in_(ids)))
    if rows:
        conn.execute(insert(CustomerSearch.__table__), rows)


class DocumentWriter:
    """Search rows for NEW customers, written a step at a time by an import (``bulk_documents``).

    On SQLite the FTS5 tables are filled with one INSERT … SELECT per step instead of by the row trigger
    (4-5 times less work; measured: 20,000 rows 0.5 s instead of 2.4 s). That fill is one statement spent
    wholly inside SQLite, which lets go of the GIL while it works, so it runs on a thread of its own while the
    caller builds the next step's rows in Python (measured: 100,000 rows, fills of 3 s hidden behind the
    building). The caller must not touch the connection until ``ready()`` returns."""

    def __init__(self, conn: Connection, threaded: bool):
        self.conn = conn
        self.threaded = threaded
        self._fill: threading.Thread | None = None
        self._error: BaseException | None = None

    def ready(self) -> None:
        """Wait for the fill under way; re-raise what it failed with."""
        self.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def join(self) -> None:
        if self._fill is not None:
            self._fill.join()
            self._fill = None

    def add(self, rows: list[tuple[int, str, str]]) -> None:
        """``rows`` of (customer_id, doc, grams); returns once they are stored, before they are indexed."""
        self.ready()
        if not rows:
            return
        bulk.insert_rows(self.conn, CustomerSearch.__table__, ("customer_id", "doc", "grams"), rows)
        if not self.threaded:
            return
        ids = sorted(r[0] for r in rows)
        # new customers get ids above every older one: the range holds only the rows just inserted
        ranges = [(ids[0], ids[-1])] if len(ids) == ids[-1] - ids[0] + 1 else [(i, i) for i in ids]
        cursor = self.conn.connection.driver_connection.cursor()
        self._fill = threading.Thread(target=self._index, args=(cursor, ranges), name="search-fill", daemon=True)
        self._fill.start()

    def _index(self, cursor, ranges: list[tuple[int, int]]) -> None:
        try:
            for table_name, column_name in (("customer_fts", "doc"), ("customer_grams", "grams")):
                cursor.executemany(
                    f"INSERT INTO {table_name}(rowid, {column_name}) SELECT customer_id, {column_name} "
                    "FROM customer_search WHERE customer_id BETWEEN ? AND ?", ranges)
        except BaseException as exc:  # handed to the caller's thread by ready()
            self._error = exc
        finally:
            cursor.close()


@contextmanager
def bulk_documents(conn: Connection) -> Iterator[DocumentWriter]:
    """A ``DocumentWriter`` for an import's new customers, inside the caller's transaction.

    On SQLite the FTS insert trigger is dropped for the duration and re-created at the end (SQLite DDL is
    transactional and the writer holds the write lock, so no other connection ever writes without it).
    PostgreSQL's indexes follow by themselves."""
    trigger = conn.dialect.name == "sqlite" and conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'customer_search_ai'").scalar()
    writer = DocumentWriter(conn, threaded=bool(trigger))
    if not trigger:  # PostgreSQL, or already inside another bulk load
        yield writer
        writer.ready()
        return
    conn.exec_driver_sql("DROP TRIGGER customer_search_ai")
    try:
        yield writer
        writer.ready()
    finally:
        writer.join()  # never leave a statement running on the connection the caller rolls back
        # After an error SQLite may have rolled the transaction back by itself (disk full, I/O error): the
        # drop is undone then, and creating the trigger again would only hide the real error.
        if conn.connection.driver_connection.in_transaction:
            conn.exec_driver_sql(trigger)


def rebuild_all(conn: Connection) -> int:
    """Rebuild every customer's search row (after a restore from an old export, or to repair)."""
    ids = list(conn.execute(select(Customer.id)).scalars())
    conn.execute(delete(CustomerSearch))
    refresh(conn, ids)
    return len(ids)


def set_pinyin(customer: Customer) -> None:
    """The columns derived from the name: pinyin variants, initials, and the duplicate-matching key."""
    customer.name_pinyin, customer.name_initials = pinyin.name_fields(customer.name)
    customer.name_key = name_key(customer.name)


def name_key(name: str) -> str:
    return normalize_key(name)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _ctx, _instances) -> None:
    # Pinyin columns follow the name on every ORM write.
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Customer) and (obj in session.new or sa_inspect(obj).attrs.name.history.has_changes()):
            set_pinyin(obj)


CUSTOMER_FIELDS = ("code", "name", "short_name", "address", "credit_code", "name_pinyin", "name_initials")
CONTACT_FIELDS = ("customer_id", "name", "mobile", "landline")


def _changed(obj, fields: tuple[str, ...]) -> bool:
    attrs = sa_inspect(obj).attrs
    return any(attrs[f].history.has_changes() for f in fields)


_PENDING = "search.pending"


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx) -> None:
    # session.new/dirty/deleted still hold the flushed objects (and their attribute history) here. The ids are
    # only collected: a batch that flushes a customer and then each of its contacts rebuilds its row once, at
    # commit, not once per flush.
    ids: set[int] = set()
    for obj in session.new:
        if isinstance(obj, Customer):
            ids.add(obj.id)
        elif isinstance(obj, Contact):
            ids.add(obj.customer_id)
    for obj in session.dirty:
        if isinstance(obj, Customer) and _changed(obj, CUSTOMER_FIELDS):
            ids.add(obj.id)
        elif isinstance(obj, Contact) and _changed(obj, CONTACT_FIELDS):
            hist = sa_inspect(obj).attrs.customer_id.history
            ids.update(x for x in (obj.customer_id, *(hist.deleted or ())) if x is not None)
    for obj in session.deleted:
        if isinstance(obj, Contact):
            ids.add(obj.customer_id)
    ids.discard(None)  # a deleted customer's row goes with it (ON DELETE CASCADE)
    if ids:
        session.info.setdefault(_PENDING, set()).update(ids)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    """Rebuild the search rows of every customer the transaction touched, inside the same transaction."""
    session.flush()
    ids = session.info.pop(_PENDING, None)
    if ids:
        refresh(session.connection(), ids)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


# --- querying -----------------------------------------------------------------------------------------------

_fts = table("customer_fts", column("rowid"))
_grams_fts = table("customer_grams", column("rowid"))


def terms(query: str) -> list[str]:
    """The words of a search box entry, normalised; a phone-like word loses its separators."""
    out = []
    for word in normalize(query).split(" "):
        if not word:
            continue
        if _PHONEISH.match(word) and len(digits(word)) >= 3:
            word = digits(word)
        out.append(word)
    return out


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _like_pattern(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _trigram_query(word: str) -> str:
    """FTS5 query for a term of 3+ characters: all its distinct trigrams (the index keeps no positions)."""
    grams = dict.fromkeys(word[i:i + 3] for i in range(len(word) - 2))
    return " AND ".join(_fts_phrase(g) for g in grams)


def _word_ids(dialect: str, word: str):
    """A SELECT of the customer ids whose search text contains ``word``."""
    short = len(word) < 3
    like = CustomerSearch.doc.like(_like_pattern(word), escape="\\")
    if short and not word.isalnum():
        # Rare (a lone "-" or "#"): no index holds it; scan the documents.
        return select(CustomerSearch.customer_id).where(like)
    if dialect == "sqlite":
        if short:
            return select(_grams_fts.c.rowid).where(literal_column("customer_grams").op("MATCH")(_fts_phrase(word)))
        found = select(_fts.c.rowid).where(literal_column("customer_fts").op("MATCH")(_trigram_query(word)))
        if len(word) == 3:
            return found
        # the trigrams may come from different places in the text: confirm the substring itself
        return select(CustomerSearch.customer_id).where(CustomerSearch.customer_id.in_(found), like)
    if short:
        from sqlalchemy.dialects.postgresql import ARRAY  # only PostgreSQL pays for importing it

        arr = literal_column("string_to_array(customer_search.grams, ' ')", type_=ARRAY(Text))
        return select(CustomerSearch.customer_id).where(arr.contains([word]))
    return select(CustomerSearch.customer_id).where(like)


def search_clause(dialect: str, query: str, id_column=None, *, skip_first: bool = False) -> ColumnElement[bool] | None:
    """A WHERE clause on ``id_column`` (default ``customers.id``) for customers matching every word of
    ``query``, or None when the query is empty. ``skip_first`` leaves out the word ``driver`` joins."""
    id_column = Customer.id if id_column is None else id_column
    words = terms(query)[1 if skip_first else 0:]
    if not words:
        return None
    return and_(*(id_column.in_(_matches(dialect, w, i)) for i, w in enumerate(words)))


def _matches(dialect: str, word: str, n: int):
    ids = _word_ids(dialect, word)
    if dialect != "postgresql" or len(word) == 1:
        # (one character matches a large share of all customers: walking them in order is cheaper there)
        return ids
    # A materialised CTE makes PostgreSQL find the matches through the index first. Left to itself, with
    # ORDER BY … LIMIT and the visibility OR (whose selectivity it overestimates), it walks the customers in
    # order and tests every row's grams instead: 1.8 s for 华联 over 200,000 customers, against a few ms.
    cte = ids.cte(f"search_{n}").prefix_with("MATERIALIZED")
    return select(cte.c[0])


def driver(dialect: str, query: str):
    """(table, MATCH condition) to JOIN and ORDER BY ``table.c.rowid``, for SQLite when the first word is a
    plain index lookup; else None.

    ``id IN (SELECT rowid … MATCH …)`` builds the whole match set before the first row comes out (150,000
    ids for 华 over 1,000,000 customers: 0.3 s); joining the FTS table and ordering by its rowid streams the
    matches in id order instead, so the first page of a common term costs almost nothing."""
    words = terms(query)
    if dialect != "sqlite" or not words or not words[0].isalnum() or len(words[0]) > 3:
        return None
    word = words[0]
    if len(word) < 3:
        fts = table("customer_grams", column("rowid")).alias("search_driver")
        return fts, literal_column("search_driver.customer_grams").op("MATCH")(_fts_phrase(word))
    fts = table("customer_fts", column("rowid")).alias("search_driver")
    return fts, literal_column("search_driver.customer_fts").op("MATCH")(_trigram_query(word))
