"""Finding customers: one search box, a multi-condition filter, sorting, paging, counting and ranking.

Every query starts from ``visible_customers_clause``: lists, the command palette, exports and reports see only
what the user may see. Pages are fetched by offset over an indexed order (never the whole table), so a list of
1,000,000 customers costs what its first page costs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Select, and_, func, literal, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql import column as sql_column
from sqlalchemy.sql import table as sql_table

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.db import name_sort, search
from crm_tui.db.models.customers import ContactLog, Customer, CustomerShare
from crm_tui.db.models.people import User
from crm_tui.i18n import _
from crm_tui.services.common.plugins import resolve
from crm_tui.services.customers.visibility import visible_customers_clause

SCOPES = ("all", "mine", "pool", "shared")


@dataclass(frozen=True)
class CustomerFilter:
    """What a list shows. Empty fields do not filter; ``status`` None shows active and archived alike."""

    text: str = ""
    scope: str = "all"  # all visible | mine (owned by me) | pool (公海) | shared (shared with me)
    area: str | None = None
    industry: str | None = None
    classification: str | None = None  # one label; matches customers carrying it among theirs
    owner_id: int | None = None
    status: str | None = "active"
    created_from: date | None = None
    created_to: date | None = None
    contact_from: date | None = None  # last contact between (inclusive dates)
    contact_to: date | None = None
    follow_up_overdue: bool = False
    ids: tuple[int, ...] | None = None  # a selection (batch actions, export of the selected rows)
    today: date | None = None  # "overdue" is judged against this day (tests pin it)

@dataclass(frozen=True)
class CustomerRow:
    id: int
    code: str
    name: str
    short_name: str | None
    classification: str | None
    industry: str | None
    area: str | None
    address: str | None
    owner_id: int | None
    owner: str | None
    status: str
    created_on: date
    last_contact_at: datetime | None
    credit_limit: Decimal | None
    opening_balance: Decimal | None
    credit_code: str | None
    remarks: str | None
    version: int
    contact: str | None = None
    mobile: str | None = None
    landline: str | None = None
    email: str | None = None


# Sort keys -> column. Name sorts by the pinyin column: code-point order is not what a Chinese reader expects.
SORTS = {
    "code": Customer.code,
    "name": Customer.name_pinyin,
    "short_name": Customer.short_name,
    "classification": Customer.classification,
    "industry": Customer.industry,
    "area": Customer.area,
    "address": Customer.address,
    "owner": User.display_name,
    "status": Customer.status,
    "created_on": Customer.created_on,
    "last_contact_at": Customer.last_contact_at,
    "credit_limit": Customer.credit_limit,
    "opening_balance": Customer.opening_balance,
}


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _where(session: Session, actor: Actor, f: CustomerFilter, skip_first_word: bool = False) -> list:
    if f.scope not in SCOPES:
        raise ValidationError(_("Unknown scope {scope}; expected one of: {scopes}").format(
            scope=f.scope, scopes=", ".join(SCOPES)))
    conds = [visible_customers_clause(session, actor)]
    text = search.search_clause(_dialect(session), f.text, skip_first=skip_first_word,
                                pending=bool(f.text.strip()) and search.has_pending(session))
    if text is not None:
        conds.append(text)
    if f.scope == "mine":
        conds.append(Customer.owner_id == actor.id)
    elif f.scope == "pool":
        conds.append(Customer.owner_id.is_(None))
    elif f.scope == "shared":
        conds.append(Customer.id.in_(select(CustomerShare.customer_id).where(CustomerShare.user_id == actor.id)))
    for column, value in ((Customer.area, f.area), (Customer.industry, f.industry),
                          (Customer.owner_id, f.owner_id), (Customer.status, f.status)):
        if value is not None and value != "":
            conds.append(column == value)
    if f.classification:
        wrapped = literal(",") + func.coalesce(Customer.classification, "") + literal(",")
        conds.append(wrapped.like(f"%,{f.classification.strip()},%"))
    if f.created_from:
        conds.append(Customer.created_on >= f.created_from)
    if f.created_to:
        conds.append(Customer.created_on <= f.created_to)
    if f.contact_from:
        conds.append(Customer.last_contact_at >= datetime.combine(f.contact_from, datetime.min.time()))
    if f.contact_to:
        conds.append(Customer.last_contact_at < datetime.combine(f.contact_to + timedelta(days=1),
                                                                 datetime.min.time()))
    if f.follow_up_overdue:
        overdue = select(ContactLog.customer_id).where(
            ContactLog.next_follow_up.is_not(None), ContactLog.follow_up_done_at.is_(None),
            ContactLog.next_follow_up < (f.today or clock.today()))
        conds.append(Customer.id.in_(overdue))
    if f.ids is not None:
        conds.append(Customer.id.in_(list(f.ids)))
    return conds


def customer_ids_query(session: Session, actor: Actor, f: CustomerFilter) -> Select:
    """SELECT customers.id of the filtered, visible customers (for batch actions over a whole filter)."""
    return select(Customer.id).where(*_where(session, actor, f))


def _ordered(stmt: Select, sort: str, descending: bool) -> Select:
    if sort not in SORTS:
        raise ValidationError(_("Cannot sort by {key}; use one of: {keys}").format(key=sort, keys=", ".join(SORTS)))
    column = SORTS[sort]
    order = column.desc() if descending else column.asc()
    tiebreak = Customer.id.desc() if descending else Customer.id.asc()
    return stmt.order_by(order, tiebreak)


def _base(session: Session, actor: Actor, f: CustomerFilter, skip_first_word: bool = False) -> Select:
    return (
        select(Customer, User.display_name)
        .outerjoin(User, User.id == Customer.owner_id)
        .where(*_where(session, actor, f, skip_first_word))
    )


def _to_rows(session: Session, result) -> list[CustomerRow]:
    pairs = list(result)
    from crm_tui.services.customers.contacts import primary_contacts

    primary = primary_contacts(session, [c.id for c, _n in pairs])
    rows = []
    for c, owner in pairs:
        p = primary.get(c.id)
        rows.append(CustomerRow(
            c.id, c.code, c.name, c.short_name, c.classification, c.industry, c.area, c.address, c.owner_id, owner,
            c.status, c.created_on, c.last_contact_at, c.credit_limit, c.opening_balance, c.credit_code, c.remarks,
            c.version, p.name if p else None, p.mobile if p else None, p.landline if p else None,
            p.email if p else None,
        ))
    return rows


def list_page(session: Session, actor: Actor, f: CustomerFilter = CustomerFilter(), *, sort: str = "code",
              descending: bool = False, offset: int = 0, limit: int = 100,
              after: int | None = None) -> list[CustomerRow]:
    """One page of the filtered, visible customers in the given order.

    With a search text and the default order (code, ascending) results come in the order the customers were
    created (for generated codes the same order), which the search index can deliver without sorting every
    match: the first page of a one-character search over 1,000,000 customers is then immediate.

    ``after``: the id of the customer just before the page (the last row of the page above, which the list
    has). The page then starts at that row's place in the order instead of skipping ``offset`` rows, so the
    next page costs what the first one does at any depth; where that cannot be told, ``offset`` is used."""
    if after is not None and (rows := _page_after(session, actor, f, sort, descending, after, limit)) is not None:
        return rows
    if _by_id(f, sort, descending):
        stmt = _by_id_query(session, actor, f)
    else:
        if offset >= DEFER_FROM and sort != "owner":
            return _deep_page(session, actor, f, sort, descending, offset, limit)
        if sort == "name" and (rows := _by_name_key(session, actor, f, descending, offset, limit)) is not None:
            return rows
        stmt = _ordered(_base(session, actor, f), sort, descending)
    return _to_rows(session, session.execute(stmt.offset(offset).limit(limit)))


def _by_id(f: CustomerFilter, sort: str, descending: bool) -> bool:
    """Whether the page is in id order: a search in the default order (see ``list_page``)."""
    return bool(f.text.strip()) and sort == "code" and not descending


def _by_id_query(session: Session, actor: Actor, f: CustomerFilter, after: int | None = None) -> Select:
    drive = search.driver(_dialect(session), f.text, session)
    stmt = _base(session, actor, f, skip_first_word=drive is not None)
    if drive is None:
        stmt = stmt.order_by(Customer.id)
        return stmt if after is None else stmt.where(Customer.id > after)
    fts, match = drive
    stmt = stmt.join(fts, fts.c.rowid == Customer.id).where(match).order_by(fts.c.rowid)
    # the bound on the index's own rowid: FTS5 starts there (on customers.id it read every match before it)
    return stmt if after is None else stmt.where(fts.c.rowid > after)


# --- keyset pages: the rows after a given one -------------------------------------------------------------------

def _page_after(session: Session, actor: Actor, f: CustomerFilter, sort: str, descending: bool, after: int,
                limit: int) -> list[CustomerRow] | None:
    """The ``limit`` rows after customer ``after`` in the list's order, or None where OFFSET must be used (the
    owner order, a row gone or without a sort value, the last rows of an order that puts empty values last)."""
    if _by_id(f, sort, descending):
        stmt = _by_id_query(session, actor, f, after)
        return _to_rows(session, session.execute(stmt.limit(limit)))
    if sort not in SORTS or sort == "owner":
        return None
    column = SORTS[sort]
    value = session.scalar(select(column).where(Customer.id == after))
    if value is None:  # gone, or an empty value (where those go differs between engines): skip by offset
        return None
    past = _past(column, value, after, descending)
    rows = None
    if sort == "name":
        rows = _by_name_key(session, actor, f, descending, 0, limit, after=(value, past))
    if rows is None:
        stmt = _ordered(_base(session, actor, f).where(past), sort, descending)
        rows = _to_rows(session, session.execute(stmt.limit(limit)))
    # empty values come after every other one on PostgreSQL (ascending) and SQLite (descending): a short page
    # may be missing them
    nulls_last = (_dialect(session) == "sqlite") == descending
    return None if len(rows) < limit and nulls_last else rows


def _past(column, value, anchor: int, descending: bool):
    """Rows with a value after ``value`` in the order, or the same value and a later id (no empty values).
    The bound alone is a range an index walks; the OR only tells apart the rows equal to it."""
    if descending:
        return and_(column <= value, or_(column < value, Customer.id < anchor))
    return and_(column >= value, or_(column > value, Customer.id > anchor))


DEFER_FROM = 1000  # a page this deep (a scrollbar jump) is found by its ids first


def _deep_page(session: Session, actor: Actor, f: CustomerFilter, sort: str, descending: bool, offset: int,
               limit: int) -> list[CustomerRow]:
    """Skip ``offset`` rows of the narrow index of the sort column, then read the ``limit`` customers found:
    skipping whole joined rows cost 225 ms at offset 500,000 of 1,000,000."""
    ids = _ordered(select(Customer.id).where(*_where(session, actor, f)), sort, descending)
    page = ids.offset(offset).limit(limit).subquery()
    stmt = (select(Customer, User.display_name).join(page, page.c.id == Customer.id)
            .outerjoin(User, User.id == Customer.owner_id))
    return _to_rows(session, session.execute(_ordered(stmt, sort, descending)))


# --- name order through customer_sort (migration 0010_srch, SQLite) -------------------------------------------

# From this many matches of the search's first word on, a page sorted by name is found through the narrow
# customer_sort table: fewer matches cost little either way (a capped count of them decides, ~0.1 ms).
NAME_KEY_FROM = 2000
MARGIN = 50  # keys read past the page, so that the keys equal to the last one on it are usually all read
_SORT = sql_table("customer_sort", *(sql_column(c) for c in ("id", "k", "owner_id", "status")))


def _by_name_key(session: Session, actor: Actor, f: CustomerFilter, descending: bool, offset: int,
                 limit: int, after: tuple | None = None) -> list[CustomerRow] | None:
    """A page sorted by name for a frequent term, or None where this way does not apply.

    The plain query reads the wide customers row of every match to sort them (45,000 rows for 深圳 among
    1,000,000: ~80 ms). Here the visible matches are put in order of their keys from ``customer_sort`` (a
    prefix of the pinyin, db/name_sort.py), and the plain query runs over only the first of them: up to the key
    K of the (offset+limit)-th, and every other match whose key is K. A key never orders two names against
    their real order, so every row of the page is among those, and the plain query orders them as always.
    ``after`` (name_pinyin, condition) of a keyset page: only the matches past that row count."""
    dialect = _dialect(session)
    drive = search.driver(dialect, f.text, session)
    if drive is None or offset + limit > DEFER_FROM or not _narrow_filter(f):
        return None
    fts, match = drive
    sample = select(fts.c.rowid).where(match).limit(NAME_KEY_FROM).subquery()
    if session.scalar(select(func.count()).select_from(sample)) < NAME_KEY_FROM:
        return None
    s = _SORT.alias("name_key")
    matches = (select(s.c.id, s.c.k).select_from(fts.join(s, s.c.id == fts.c.rowid))
               .where(match, *_narrow_where(session, actor, f, s)))
    if after is not None:
        matches = matches.where(_keys_past(s, *after, descending))
    need = offset + limit
    first = session.execute(matches.order_by(s.c.k.desc() if descending else s.c.k).limit(need + MARGIN)).all()
    if len(first) < need:
        ids = [r.id for r in first]
    else:
        bound = first[need - 1].k
        if len(first) == need + MARGIN and first[-1].k == bound:  # more keys equal to it than were read
            ids = matches.with_only_columns(s.c.id).where(_up_to(s.c.k, bound, descending))
        else:
            ids = [r.id for r in first if _key_within(r.k, bound, descending)]
    stmt = _base(session, actor, f, skip_first_word=True).where(Customer.id.in_(ids))
    return _to_rows(session, session.execute(_ordered(stmt, "name", descending).offset(offset).limit(limit)))


def _keys_past(s, value: str, past, descending: bool):
    """Rows of customer_sort ``s`` past a keyset anchor with name ``value``: by the key alone, except where the
    key equals the anchor's (the names then tell; the OR reads them only there)."""
    key = name_sort.prefix_key(value)
    beyond = s.c.k < key if descending else s.c.k > key
    return or_(beyond, and_(s.c.k == key, select(Customer.id).where(Customer.id == s.c.id, past).exists()))


def _key_within(key: str | None, bound: str | None, descending: bool) -> bool:
    """Whether ``key`` comes no later than ``bound`` in the list's order (SQLite sorts NULL first)."""
    if descending:
        key, bound = bound, key
    return key is None or (bound is not None and key <= bound)


def _up_to(key, bound: str | None, descending: bool):
    if bound is None:
        return true() if descending else key.is_(None)
    return or_(key.is_(None), key <= bound) if not descending else key >= bound


def _narrow_filter(f: CustomerFilter) -> bool:
    """Whether every condition of ``f`` can be asked of customer_sort (text, scope, owner, status)."""
    return (f.scope in SCOPES and not any((f.area, f.industry, f.classification, f.created_from, f.created_to,
                                           f.contact_from, f.contact_to, f.follow_up_overdue))
            and f.ids is None)


def _narrow_where(session: Session, actor: Actor, f: CustomerFilter, s) -> list:
    """``_where`` over customer_sort ``s``, leaving out the first word (the caller joins it)."""
    conds = [visible_customers_clause(session, actor, customer=s.c)]
    rest = search.search_clause(_dialect(session), f.text, s.c.id, skip_first=True, pending=False)  # driver: none pending
    if rest is not None:
        conds.append(rest)
    if f.scope == "mine":
        conds.append(s.c.owner_id == actor.id)
    elif f.scope == "pool":
        conds.append(s.c.owner_id.is_(None))
    elif f.scope == "shared":
        conds.append(s.c.id.in_(select(CustomerShare.customer_id).where(CustomerShare.user_id == actor.id)))
    for name, value in (("owner_id", f.owner_id), ("status", f.status)):
        if value is not None and value != "":
            conds.append(s.c[name] == value)
    return conds


def count(session: Session, actor: Actor, f: CustomerFilter = CustomerFilter()) -> int:
    stmt = select(func.count()).select_from(Customer).where(*_where(session, actor, f))
    return session.scalar(stmt) or 0


def iter_rows(session: Session, actor: Actor, f: CustomerFilter = CustomerFilter(), *,
              chunk: int = 2000) -> Iterator[CustomerRow]:
    """Every filtered, visible customer in code order, fetched in chunks by code (exports, reports, printing)."""
    last = None
    while True:
        stmt = _base(session, actor, f).order_by(Customer.code).limit(chunk)
        if last is not None:
            stmt = stmt.where(Customer.code > last)
        rows = _to_rows(session, session.execute(stmt))
        if not rows:
            return
        last = rows[-1].code
        yield from rows


def quick_find(session: Session, actor: Actor, text: str, limit: int = 10) -> list[CustomerRow]:
    """For the command palette and pickers: the first few visible active customers matching ``text``."""
    return list_page(session, actor, CustomerFilter(text=text), sort="name", limit=limit)


def distinct_values(session: Session, actor: Actor, column: str, limit: int = 200) -> list[str]:
    """The areas, industries or classifications in use among visible customers (filter pick-lists)."""
    col = {"area": Customer.area, "industry": Customer.industry, "classification": Customer.classification}[column]
    stmt = (select(col).where(col.is_not(None), visible_customers_clause(session, actor))
            .group_by(col).order_by(col).limit(limit))
    values = [v for v in session.scalars(stmt) if v]
    if column == "classification":
        values = sorted({label for v in values for label in v.split(",") if label})
    return values


def owner_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(user id, name) of the people whose customers ``actor`` may see: the 业务员 filter's choices, in pinyin
    order. For those who see everything, the users who own any customer."""
    from crm_tui.core import pinyin
    from crm_tui.services.customers.visibility import owner_ids

    ids = owner_ids(session, actor)
    stmt = select(User.id, User.display_name)
    if ids is None:
        stmt = stmt.where(select(Customer.id).where(Customer.owner_id == User.id).exists())
    else:
        stmt = stmt.where(User.id.in_(sorted(ids)))
    rows = [(uid, name) for uid, name in session.execute(stmt)]
    return sorted(rows, key=lambda r: (pinyin.sort_key(r[1]), r[1]))


# --- ranking -----------------------------------------------------------------------------------------------

# Functions (session, start, end) -> SELECT of (customer_id, amount) from the areas that record sales, put here
# by the composition root; ranking uses sales when any exist in the period, the number of contacts otherwise.
SALES_AMOUNT_SOURCES: list[Callable | str] = []  # a function, or where it lives ("package.module:function")


def register_sales_source(source: Callable | str) -> None:
    if source not in SALES_AMOUNT_SOURCES:
        SALES_AMOUNT_SOURCES.append(source)


@dataclass(frozen=True)
class RankRow:
    rank: int
    customer_id: int
    code: str
    name: str
    owner: str | None
    sales: Decimal | None
    contacts: int


@dataclass
class Ranking:
    by: str  # "sales" or "contacts"
    rows: list[RankRow] = field(default_factory=list)


def rank_customers(session: Session, actor: Actor, start: date, end: date, limit: int = 50,
                   f: CustomerFilter = CustomerFilter()) -> Ranking:
    """Visible customers ranked by sales in [start, end] when there are sales, else by contact logs."""
    since, until = datetime.combine(start, datetime.min.time()), datetime.combine(end + timedelta(1), datetime.min.time())
    contacts = (select(ContactLog.customer_id.label("cid"), func.count().label("n"))
                .where(ContactLog.at >= since, ContactLog.at < until).group_by(ContactLog.customer_id).subquery())
    sales = None
    for source in SALES_AMOUNT_SOURCES:
        sub = resolve(source)(session, start, end).subquery()
        if session.scalar(select(func.count()).select_from(sub)):
            sales = select(sub.c[0].label("cid"), func.sum(sub.c[1]).label("amount")).group_by(sub.c[0]).subquery()
            break
    stmt = (select(Customer.id, Customer.code, Customer.name, User.display_name,
                   func.coalesce(contacts.c.n, 0).label("n"))
            .outerjoin(User, User.id == Customer.owner_id)
            .outerjoin(contacts, contacts.c.cid == Customer.id)
            .where(*_where(session, actor, f)))
    if sales is not None:
        stmt = stmt.add_columns(sales.c.amount).join(sales, sales.c.cid == Customer.id)
        stmt = stmt.order_by(sales.c.amount.desc(), func.coalesce(contacts.c.n, 0).desc(), Customer.id)
    else:
        stmt = stmt.where(contacts.c.n > 0).order_by(contacts.c.n.desc(), Customer.name_pinyin, Customer.id)
    rows = []
    for i, r in enumerate(session.execute(stmt.limit(limit)), start=1):
        amount = r[5] if sales is not None else None
        rows.append(RankRow(i, r[0], r[1], r[2], r[3], amount, r[4]))
    return Ranking("sales" if sales is not None else "contacts", rows)



def reindex_all(session: Session, chunk: int = 5000) -> int:
    """Recompute every customer's pinyin columns, then rebuild the search rows (repair, old data)."""
    from sqlalchemy import bindparam, update

    from crm_tui.core import pinyin

    conn = session.connection()
    last, total = 0, 0
    stmt = (update(Customer).where(Customer.id == bindparam("cid"))
            .values(name_pinyin=bindparam("py"), name_initials=bindparam("ini"), name_key=bindparam("key")))
    while True:
        rows = conn.execute(select(Customer.id, Customer.name).where(Customer.id > last)
                            .order_by(Customer.id).limit(chunk)).all()
        if not rows:
            break
        params = []
        for cid, name in rows:
            py, ini = pinyin.name_fields(name)
            params.append({"cid": cid, "py": py, "ini": ini, "key": search.name_key(name)})
        conn.execute(stmt.execution_options(synchronize_session=False), params)
        last, total = rows[-1][0], total + len(rows)
    search.rebuild_all(conn)
    return total


def lookup_customers(session: Session, actor: Actor, text: str, limit: int = 8, *,
                     handled_by: str | None = None) -> list[CustomerRow]:
    """For pickers: visible active customers by code, name, contact, phone, pinyin or initials, best match
    first (an exact code before the names that merely contain it). Holders of ``handled_by`` (an action whose
    holders work for every customer, as ``find_customer`` allows) look among all active customers."""
    from crm_tui.services.admin import permissions
    from crm_tui.services.common.lookups import best_first

    if not text.strip():
        return []
    wide = max(limit * 5, 40)
    everyone = handled_by is not None and permissions.can(actor, handled_by)
    base = select(Customer, User.display_name).outerjoin(User, User.id == Customer.owner_id).where(
        Customer.status == "active", *(() if everyone else (visible_customers_clause(session, actor),)))
    # the exact code first: among thousands of matches by name order it might not be in the first few
    rows = _to_rows(session, session.execute(base.where(Customer.code == text.strip().upper())))
    if everyone:
        stmt = base.where(search.search_clause(_dialect(session), text, pending=search.has_pending(session)))
        stmt = stmt.order_by(Customer.name_pinyin, Customer.id)
        rows += _to_rows(session, session.execute(stmt.limit(wide)))
    else:
        rows += quick_find(session, actor, text, limit=wide)
    rows = list({r.id: r for r in rows}.values())
    return best_first(rows, text, lambda r: r.code, lambda r: r.name, limit)
