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

A large import writes its new customers' rows into ``customer_search_pending`` instead (a plain table, no
index to keep: the import commits seconds sooner), and ``catch_up`` moves them into ``customer_search`` right
after, a chunk per short transaction. Meanwhile every query also scans the pending rows with the same rules
(``_pending_ids``), so search stays complete; ``driver`` steps aside while any are pending, as the FTS tables it
joins do not hold them. A customer's row is in one of the two tables, never both: ``refresh`` removes it from
the pending table.
"""

from __future__ import annotations

import logging
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
    func,
    insert,
    literal_column,
    select,
    table,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.types import Text

from crm_tui.core import pinyin
from crm_tui.core.search_text import build_document, digits, grams_of, normalize  # noqa: F401 (built there)
from crm_tui.core.text import normalize_key
from crm_tui.db import bulk
from crm_tui.db.models.customers import Contact, Customer, CustomerSearch, CustomerSearchPending

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
    conn.execute(delete(CustomerSearchPending).where(CustomerSearchPending.customer_id.in_(ids)))
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
            _fill_fts(cursor, ranges)
        except BaseException as exc:  # handed to the caller's thread by ready()
            self._error = exc
        finally:
            cursor.close()


def _fill_fts(cursor, ranges: list[tuple[int, int]]) -> None:
    """SQLite: index the ``customer_search`` rows with ids in ``ranges`` (the insert trigger being dropped)."""
    for table_name, column_name in (("customer_fts", "doc"), ("customer_grams", "grams")):
        cursor.executemany(
            f"INSERT INTO {table_name}(rowid, {column_name}) SELECT customer_id, {column_name} "
            "FROM customer_search WHERE customer_id BETWEEN ? AND ?", ranges)


@contextmanager
def bulk_documents(conn: Connection) -> Iterator[DocumentWriter]:
    """A ``DocumentWriter`` for an import's new customers, inside the caller's transaction (PostgreSQL's
    indexes follow by themselves; on SQLite see ``_insert_trigger_dropped``)."""
    with _insert_trigger_dropped(conn) as dropped:
        writer = DocumentWriter(conn, threaded=dropped)
        try:
            yield writer
            writer.ready()
        finally:
            writer.join()  # never leave a statement running on the connection the caller rolls back


@contextmanager
def _insert_trigger_dropped(conn: Connection) -> Iterator[bool]:
    """SQLite: the FTS insert trigger dropped for the block and re-created at the end, for the block to fill the
    FTS tables in bulk (SQLite DDL is transactional and the writer holds the write lock, so no other connection
    ever writes without it). False, and nothing done, on PostgreSQL or inside another bulk load."""
    trigger = conn.dialect.name == "sqlite" and conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'customer_search_ai'").scalar()
    if not trigger:
        yield False
        return
    conn.exec_driver_sql("DROP TRIGGER customer_search_ai")
    try:
        yield True
    finally:
        # After an error SQLite may have rolled the transaction back by itself (disk full, I/O error): the
        # drop is undone then, and creating the trigger again would only hide the real error.
        if conn.connection.driver_connection.in_transaction:
            conn.exec_driver_sql(trigger)


def rebuild_all(conn: Connection) -> int:
    """Rebuild every customer's search row (after a restore from an old export, or to repair)."""
    ids = list(conn.execute(select(Customer.id)).scalars())
    conn.execute(delete(CustomerSearchPending))
    conn.execute(delete(CustomerSearch))
    refresh(conn, ids)
    return len(ids)


# --- rows waiting for the index (a large import's) ----------------------------------------------------------

_log = logging.getLogger(__name__)
_PENDING_TABLE = CustomerSearchPending.__table__


class PendingWriter:
    """``DocumentWriter``'s stand-in (and its own context manager) for an import whose new customers' rows wait
    for ``catch_up``: stored in the caller's transaction, nothing indexed."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def __enter__(self) -> PendingWriter:
        return self

    def __exit__(self, *_exc) -> None:
        return None

    def ready(self) -> None:
        return None

    def add(self, rows: list[tuple[int, str, str]]) -> None:
        """``rows`` of (customer_id, doc, grams)."""
        bulk.insert_rows(self.conn, _PENDING_TABLE, ("customer_id", "doc", "grams"), rows)


def has_pending(bind) -> bool:
    """Whether any row waits for the index (one indexed probe; ``bind``: a Session or Connection)."""
    return bind.scalar(select(CustomerSearchPending.customer_id).limit(1)) is not None


def pending_count(bind) -> int:
    return bind.scalar(select(func.count()).select_from(_PENDING_TABLE)) or 0


def catch_up(engine, chunk: int = 5000) -> int:
    """Move every pending row into ``customer_search`` (and so the index); returns how many were moved.

    Each chunk is its own short write transaction: other writers wait at most one chunk, and a crash loses
    nothing (the rest stays pending, moved by the next run). Two runs at once never move a row twice: SQLite
    runs their chunks one after the other, PostgreSQL's skip the rows the other has locked."""
    moved = 0
    with engine.connect() as conn:
        conn = conn.execution_options(crm_write=True)
        while True:
            with conn.begin():
                done = _move_pg(conn, chunk) if conn.dialect.name == "postgresql" else _move_sqlite(conn, chunk)
            if not done:
                break
            moved += done
        if moved >= 10_000 and conn.dialect.name == "postgresql":
            _settle_pg(conn)
    return moved


def _settle_pg(conn: Connection) -> None:
    """After a large catch-up: fresh planner figures for the grown table (see imports_write.ANALYZE_AFTER), and
    the GIN indexes' pending lists merged into them (left there until autovacuum, every search scans them:
    华联 0.96 s instead of 29 ms over 100,000 customers)."""
    with conn.begin():
        conn.exec_driver_sql("ANALYZE customer_search")
    try:
        with conn.begin():
            conn.exec_driver_sql("SET LOCAL work_mem = '256MB'")
            conn.exec_driver_sql(
                "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                "WHERE i.indrelid = 'customer_search'::regclass AND a.amname = 'gin'").all()
    except DBAPIError:  # not the indexes' owner: autovacuum merges them in its time
        _log.warning("could not merge the search indexes' pending lists", exc_info=True)


def _move_sqlite(conn: Connection, chunk: int) -> int:
    ids = conn.execute(select(CustomerSearchPending.customer_id).order_by(CustomerSearchPending.customer_id)
                       .limit(chunk)).scalars().all()
    if not ids:
        return 0
    span = (ids[0], ids[-1])  # the writer holds the lock: exactly ``ids`` are pending in the span
    with _insert_trigger_dropped(conn):  # one bulk fill per chunk: 4-5 times less work than the row trigger
        conn.exec_driver_sql("INSERT INTO customer_search (customer_id, doc, grams) SELECT customer_id, doc, "
                             "grams FROM customer_search_pending WHERE customer_id BETWEEN ? AND ?", span)
        cursor = conn.connection.driver_connection.cursor()
        try:
            _fill_fts(cursor, [span])
        finally:
            cursor.close()
    conn.exec_driver_sql("DELETE FROM customer_search_pending WHERE customer_id BETWEEN ? AND ?", span)
    return len(ids)


def _move_pg(conn: Connection, chunk: int) -> int:
    # A backend merges the GIN pending list into the index in work_mem-sized batches (4MB by default): a longer
    # list and larger batches, fewer passes (measured, 100,000 rows under load: backend CPU 16.0 s -> 13.2 s)
    conn.exec_driver_sql("SET LOCAL gin_pending_list_limit = '64MB'")
    conn.exec_driver_sql("SET LOCAL work_mem = '256MB'")
    # ON CONFLICT: a row already indexed was written by ``refresh`` since, from the customer's current data
    return conn.exec_driver_sql(
        "WITH moved AS (DELETE FROM customer_search_pending WHERE customer_id IN ("
        "SELECT customer_id FROM customer_search_pending ORDER BY customer_id LIMIT %s FOR UPDATE SKIP LOCKED) "
        "RETURNING customer_id, doc, grams), "
        "indexed AS (INSERT INTO customer_search (customer_id, doc, grams) SELECT customer_id, doc, grams "
        "FROM moved ON CONFLICT (customer_id) DO NOTHING) "
        "SELECT count(*) FROM moved", (chunk,)).scalar_one()


def catch_up_later(engine) -> threading.Thread | None:
    """When rows are pending (one probe), ``catch_up`` on a thread of its own: the app's import screen and its
    start do not wait for it. A failure is logged; the rows stay pending (and found) for the next run."""
    with engine.connect() as conn:
        if not has_pending(conn):
            return None

    def run() -> None:
        try:
            catch_up(engine)
        except Exception:  # noqa: BLE001 (a background step: searches still find the pending rows)
            _log.exception("search index catch-up failed")

    thread = threading.Thread(target=run, name="search-catch-up", daemon=True)
    thread.start()
    return thread


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
        return select(CustomerSearch.customer_id).where(_grams_array("customer_search").contains([word]))
    return select(CustomerSearch.customer_id).where(like)


def _grams_array(table_name: str):
    from sqlalchemy.dialects.postgresql import ARRAY  # only PostgreSQL pays for importing it

    return literal_column(f"string_to_array({table_name}.grams, ' ')", type_=ARRAY(Text))


def _pending_ids(dialect: str, word: str):
    """``_word_ids`` over the rows waiting for the index, by a scan, with the same rules: 3+ characters (or
    not a word) a substring of ``doc``, else a whole token of ``grams`` (the grams are what the token index
    would hold: runs of letters and digits, lowercased)."""
    p = CustomerSearchPending
    if len(word) >= 3 or not word.isalnum():
        found = p.doc.like(_like_pattern(word), escape="\\")
    elif dialect == "postgresql":
        found = _grams_array("customer_search_pending").contains([word])
    else:
        found = func.instr(" " + p.grams + " ", f" {word} ") > 0
    return select(p.customer_id).where(found)


def search_clause(dialect: str, query: str, id_column=None, *, skip_first: bool = False,
                  pending: bool = True) -> ColumnElement[bool] | None:
    """A WHERE clause on ``id_column`` (default ``customers.id``) for customers matching every word of
    ``query``, or None when the query is empty. ``skip_first`` leaves out the word ``driver`` joins.

    ``pending=False`` (the caller found none with ``has_pending`` in its transaction) leaves out the scan of
    the rows waiting for the index, and so keeps the plans made for the index alone: on PostgreSQL a UNION
    ALL hides that the ids are unique, and a common character's first page would be sorted, not walked."""
    id_column = Customer.id if id_column is None else id_column
    words = terms(query)[1 if skip_first else 0:]
    if not words:
        return None
    return and_(*(id_column.in_(_matches(dialect, w, i, pending)) for i, w in enumerate(words)))


def _matches(dialect: str, word: str, n: int, pending: bool = True):
    ids = _word_ids(dialect, word)
    if pending:
        ids = ids.union_all(_pending_ids(dialect, word))
    if dialect != "postgresql" or len(word) == 1:
        # (one character matches a large share of all customers: walking them in order is cheaper there)
        return ids
    # A materialised CTE makes PostgreSQL find the matches through the index first. Left to itself, with
    # ORDER BY … LIMIT and the visibility OR (whose selectivity it overestimates), it walks the customers in
    # order and tests every row's grams instead: 1.8 s for 华联 over 200,000 customers, against a few ms.
    cte = ids.cte(f"search_{n}").prefix_with("MATERIALIZED")
    return select(cte.c[0])


def driver(dialect: str, query: str, bind):
    """(table, MATCH condition) to JOIN and ORDER BY ``table.c.rowid``, for SQLite when the first word is a
    plain index lookup and no row waits for the index (``bind``, a Session or Connection, is asked); else None.

    ``id IN (SELECT rowid … MATCH …)`` builds the whole match set before the first row comes out (150,000
    ids for 华 over 1,000,000 customers: 0.3 s); joining the FTS table and ordering by its rowid streams the
    matches in id order instead, so the first page of a common term costs almost nothing."""
    words = terms(query)
    if dialect != "sqlite" or not words or not words[0].isalnum() or len(words[0]) > 3 or has_pending(bind):
        return None
    word = words[0]
    if len(word) < 3:
        fts = table("customer_grams", column("rowid")).alias("search_driver")
        return fts, literal_column("search_driver.customer_grams").op("MATCH")(_fts_phrase(word))
    fts = table("customer_fts", column("rowid")).alias("search_driver")
    return fts, literal_column("search_driver.customer_fts").op("MATCH")(_trigram_query(word))
