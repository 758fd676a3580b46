"""Two editors open the same draft: the first save wins, the second (from the older version) is refused with
who changed it, and the stored draft stays the first one's. One case per kind of draft, through the runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from crm_tui.core.errors import ConflictError
from crm_tui.db.models.system import AuditEntry
from crm_tui.services.runner import read, run
from crm_tui.services.sales.pricing import LineInput


@dataclass
class Kind:
    """How to make, load, save and read one kind of draft (``save(session, version, quantity)``)."""

    make: Callable
    version: Callable
    save: Callable
    stored: Callable  # the quantities of the stored lines (or the plan's goals)


def _sales_kind(world, kind):
    from crm_tui.services.sales import orders, quotes
    from crm_tui.services.sales.actions import save_draft

    get = (lambda s, i: quotes.get_quote(s, world.li, i)) if kind == "quote" else \
        (lambda s, i: orders.get_order(s, world.li, i))
    return Kind(
        make=lambda s: save_draft(s, world.li, kind, None, world.c1, [LineInput(world.p1, 1)], {}),
        version=lambda s, i: get(s, i).version,
        save=lambda s, i, v, q: save_draft(s, world.li, kind, i, world.c1, [LineInput(world.p1, q)],
                                           {"remarks": f"qty {q}"}, version=v),
        stored=lambda s, i: [ln.quantity for ln in get(s, i).lines])


def _notice_kind(world):
    from crm_tui.services.sales import deliveries, orders

    def make(s):
        oid = orders.create_order(s, world.li, world.c1, [LineInput(world.p1, 10)])
        orders.confirm_order(s, world.li, oid)
        return deliveries.notice_from_order(s, world.li, oid, None)

    def save(s, i, v, q):
        line = deliveries.get_notice(s, world.li, i).lines[0]
        deliveries.set_lines(s, world.li, i, [deliveries.NoticeLineInput(line.order_line_id, q)], expected_version=v)

    return Kind(make, lambda s, i: deliveries.get_notice(s, world.li, i).version, save,
                lambda s, i: [ln.quantity for ln in deliveries.get_notice(s, world.li, i).lines])


def _stock_kind(world):
    from crm_tui.services.stock import documents as sd

    header = {"warehouse_id": world.w1}
    return Kind(
        make=lambda s: sd.create_document(s, world.admin, "stock_in", world.w1, lines=[sd.LineInput(world.p1, D(1))]),
        version=lambda s, i: sd.get_document(s, i).version,
        save=lambda s, i, v, q: sd.save_document(s, world.admin, "stock_in", header, [sd.LineInput(world.p1, D(q))],
                                                 draft_id=i, version=v),
        stored=lambda s, i: [ln.quantity for ln in sd.get_document(s, i).lines])


def _purchase_kind(world):
    from crm_tui.services.purchasing import orders as po
    from crm_tui.services.purchasing import suppliers

    def make(s):
        sid = suppliers.add_supplier(s, world.admin, code="S001", name="临沂调味品厂")
        return po.create_order(s, world.admin, sid, [po.OrderLineInput(world.p2, D(1), price=D("6"))])

    return Kind(
        make=make,
        version=lambda s, i: po.get_order(s, i).version,
        save=lambda s, i, v, q: po.set_lines(s, world.admin, i, [po.OrderLineInput(world.p2, D(q), price=D("6"))],
                                             expected_version=v),
        stored=lambda s, i: [ln.quantity for ln in po.get_order(s, i).lines])


def _plan_kind(world):
    from crm_tui.services.visits import plans

    week = "2026-W50"
    return Kind(
        make=lambda s: plans.set_plan_text(s, world.li, week, goals="start"),
        version=lambda s, _i: plans.plan_view(s, world.li, world.li.id, week).version,
        save=lambda s, _i, v, q: plans.set_plan_text(s, world.li, week, goals=f"goal {q}", expected_version=v),
        stored=lambda s, _i: [plans.plan_view(s, world.li, world.li.id, week).goals])


KINDS = {
    "quote": lambda w: _sales_kind(w, "quote"),
    "sales order": lambda w: _sales_kind(w, "order"),
    "delivery notice": _notice_kind,
    "stock document": _stock_kind,
    "purchase order": _purchase_kind,
    "weekly plan": _plan_kind,
}


def _actor(world, name):
    return world.admin if name in ("stock document", "purchase order") else world.li


@pytest.mark.parametrize("name", list(KINDS))
def test_a_stale_draft_save_is_refused_and_the_first_save_stays(engine, world, name):
    kind, actor = KINDS[name](world), _actor(world, name)
    doc_id = run(engine, actor, kind.make)
    loaded = read(engine, actor, lambda s: kind.version(s, doc_id))  # both editors open the draft here
    first = run(engine, actor, lambda s: kind.stored(s, doc_id))

    run(engine, actor, lambda s: kind.save(s, doc_id, loaded, 3))  # editor A saves
    after_a = read(engine, actor, lambda s: (kind.version(s, doc_id), kind.stored(s, doc_id)))
    assert after_a[0] > loaded and after_a[1] != first

    with pytest.raises(ConflictError) as refused:  # editor B saves what it loaded before A's save
        run(engine, actor, lambda s: kind.save(s, doc_id, loaded, 7))
    message = str(refused.value)
    assert "changed by" in message and "reopen" in message
    assert read(engine, actor, lambda s: (kind.version(s, doc_id), kind.stored(s, doc_id))) == after_a

    run(engine, actor, lambda s: kind.save(s, doc_id, after_a[0], 7))  # reopened: B's save goes through
    assert read(engine, actor, lambda s: kind.stored(s, doc_id)) != after_a[1]


def test_the_conflict_names_who_saved_last(engine, world):
    kind = KINDS["quote"](world)
    qid = run(engine, world.li, kind.make)
    loaded = read(engine, world.li, lambda s: kind.version(s, qid))
    run(engine, world.manager, lambda s: _sales_save_as(s, world, world.manager, qid, loaded))
    with pytest.raises(ConflictError, match="王经理"):
        run(engine, world.li, lambda s: kind.save(s, qid, loaded, 2))


def _sales_save_as(s, world, actor, qid, version):
    from crm_tui.services.sales.actions import save_draft

    return save_draft(s, actor, "quote", qid, world.c1, [LineInput(world.p1, 5)], {}, version=version)


def test_a_lines_only_save_moves_the_version_on_and_is_audited(engine, world):
    """Same header, same totals: the lines are other rows, yet the draft's version must still move."""
    from sqlalchemy import select

    kind = KINDS["quote"](world)
    qid = run(engine, world.li, kind.make)
    v1 = read(engine, world.li, lambda s: kind.version(s, qid))
    run(engine, world.li, lambda s: kind.save(s, qid, v1, 1))  # the same line again
    assert read(engine, world.li, lambda s: kind.version(s, qid)) > v1
    saves = read(engine, world.li, lambda s: s.scalars(select(AuditEntry.action).where(
        AuditEntry.entity == "quotes", AuditEntry.entity_id == str(qid), AuditEntry.action == "save")).all())
    assert saves == ["save"]


def test_commands_without_a_version_still_save(engine, world):
    """A command reads and writes in one transaction: no version to pass, and no conflict."""
    kind = KINDS["stock document"](world)
    doc_id = run(engine, world.admin, kind.make)
    run(engine, world.admin, lambda s: kind.save(s, doc_id, None, 4))
    run(engine, world.admin, lambda s: kind.save(s, doc_id, None, 5))
    assert read(engine, world.admin, lambda s: kind.stored(s, doc_id)) == [D(5)]
