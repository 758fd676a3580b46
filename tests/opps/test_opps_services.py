"""Opportunity services on both engines: add, criteria on move, win through the quote, lose, visibility, funnel."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from crm_tui.core.errors import NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.opportunities import Opportunity, OpportunityStageChange
from crm_tui.db.models.sales import Quote, SalesOrder
from crm_tui.db.models.system import AuditEntry
from crm_tui.services.opportunities import funnel, records
from crm_tui.services.opportunities import stages as st


def _add(tx, actor, customer, title="年货团购", **kw) -> int:
    with tx(actor) as s:
        return records.add_opportunity(s, actor, customer, title, **kw)


def test_add_sums_lines_and_starts_in_the_first_stage_with_history(world, tx, rd):
    oid = _add(tx, world.li, world.c1, lines=[records.LineIn(world.p1, "10", "110.50"),
                                              records.LineIn(world.p3, 3)],
               expected_close=date(2026, 12, 20), source="展会")
    with rd(world.li) as s:
        v = records.get_opportunity(s, world.li, oid)
        audited = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "opportunities")).all()
    assert v.number.startswith("OP")
    assert v.stage.name == "初步接洽" and v.stage.probability == D("0.1")
    assert [ln.amount for ln in v.lines] == [D("1105.00"), D("150.00")]  # P3 at its list price 50.00
    assert v.expected_amount == D("1255.00") and v.weighted == D("125.50")
    assert [(h.from_stage, h.to_stage, h.by) for h in v.history] == [(None, "初步接洽", "李业务")]
    assert v.owner_name == "李业务" and audited == ["create"]


def test_bad_input_names_the_field_and_writes_nothing(world, tx, rd):
    with pytest.raises(ValidationError) as err:
        _add(tx, world.li, world.c1, lines=[records.LineIn(world.p1, "-2")])
    assert err.value.field == "lines" and "Line 1" in str(err.value)
    with pytest.raises(ValidationError) as err:
        _add(tx, world.li, world.c1, title="  ")
    assert err.value.field == "title"
    with pytest.raises(ValidationError) as err:
        _add(tx, world.li, world.c1, expected_amount="12x")
    assert "not an amount" in str(err.value)
    with rd() as s:
        assert s.scalar(select(func.count()).select_from(Opportunity)) == 0


def test_move_checks_entry_criteria_and_records_who_and_when(world, tx, rd):
    from crm_tui.services.customers import contacts

    oid = _add(tx, world.li, world.c1, lines=[records.LineIn(world.p1, 2)])
    with pytest.raises(ValidationError) as err:
        with tx(world.li) as s:
            records.move(s, world.li, oid, "方案报价")
    assert "a linked quote" in str(err.value)
    with pytest.raises(ValidationError, match="needs a contact"):
        with tx(world.li) as s:
            records.move(s, world.li, oid, "需求确认")
    with tx(world.li) as s:
        cid = contacts.add_contact(s, world.li, world.c1, name="刘经理", mobile="13800138000")
        records.update_opportunity(s, world.li, oid, contact_id=cid)
    with tx(world.li) as s:
        records.move(s, world.li, oid, "qualified", note="见了采购")
    with tx(world.li) as s:
        qid = records.make_quote(s, world.li, oid)
    with tx(world.li) as s:
        assert records.move(s, world.li, oid, "proposal").name == "方案报价"
    with pytest.raises(ValidationError, match="Win it instead"):
        with tx(world.li) as s:
            records.move(s, world.li, oid, "赢单")
    with rd(world.li) as s:
        v = records.get_opportunity(s, world.li, oid)
        quote = s.get(Quote, qid)
    assert [h.to_stage for h in v.history] == ["初步接洽", "需求确认", "方案报价"]
    assert v.history[1].note == "见了采购" and v.history[1].from_stage == "初步接洽"
    assert quote.status == "draft" and quote.customer_id == world.c1 and quote.gross_total == D("226.00")


def test_win_makes_the_order_from_the_linked_quote(world, tx, rd):
    oid = _add(tx, world.li, world.c1, lines=[records.LineIn(world.p1, 5, "113")])
    with tx(world.li) as s:
        records.make_quote(s, world.li, oid)
    with tx(world.li) as s:
        result = records.win(s, world.li, oid)
    with rd(world.li) as s:
        v = records.get_opportunity(s, world.li, oid)
        order = s.get(SalesOrder, result.order_id)
        quote = s.get(Quote, v.quote_id)
    assert result.made and v.stage.outcome == "won" and v.order_id == order.id
    assert order.quote_id == quote.id and order.gross_total == D("565.00") and quote.status == "done"
    assert v.closed_on is not None and v.weighted == v.expected_amount
    with pytest.raises(StateError):
        with tx(world.li) as s:
            records.move(s, world.li, oid, "negotiation")


def test_win_without_a_quote_is_refused(world, tx):
    oid = _add(tx, world.li, world.c1, expected_amount="5000")
    with pytest.raises(ValidationError, match="has no quote"):
        with tx(world.li) as s:
            records.win(s, world.li, oid)


def test_lose_needs_a_reason_from_the_list(world, tx, rd):
    oid = _add(tx, world.li, world.c1, expected_amount="800")
    with pytest.raises(ValidationError, match="not in the list"):
        with tx(world.li) as s:
            records.lose(s, world.li, oid, "心情不好")
    with tx(world.li) as s:
        records.lose(s, world.li, oid, "价格太高", note="对方压价", day=date(2026, 11, 20))
    with rd(world.li) as s:
        v = records.get_opportunity(s, world.li, oid)
    assert v.stage.code == "lost" and v.lost_reason == "价格太高" and v.closed_on == date(2026, 11, 20)


def test_a_salesperson_neither_sees_nor_moves_anothers(world, tx, rd):
    mine = _add(tx, world.li, world.c1, expected_amount="100")
    theirs = _add(tx, world.zhao, world.c2, expected_amount="200")
    with rd(world.li) as s:
        assert [r.id for r in records.list_opportunities(s, world.li)] == [mine]
        with pytest.raises(NotFound):
            records.get_opportunity(s, world.li, theirs)
        with pytest.raises(NotFound):
            records.find_opportunity(s, world.li, f"#{theirs}")
        with pytest.raises(NotFound):
            records.for_customer(s, world.li, world.c2)
        assert [f.count for f in funnel.funnel(s, world.li).stages][0] == 1
    with pytest.raises(NotFound):
        with tx(world.li) as s:
            records.move(s, world.li, theirs, "qualified")
    with pytest.raises(NotFound):
        with tx(world.li) as s:
            records.add_opportunity(s, world.li, world.c2, "偷单")
    with rd(world.manager) as s:  # li's manager sees li's, not zhao's
        assert {r.id for r in records.list_opportunities(s, world.manager)} == {mine}
    with rd(world.clerk) as s:
        assert {r.id for r in records.list_opportunities(s, world.clerk)} == {mine, theirs}


def test_a_shared_customer_is_seen_but_its_opportunity_not_moved(world, tx, rd):
    from crm_tui.db.models.customers import CustomerShare

    theirs = _add(tx, world.zhao, world.c2, expected_amount="200")
    with tx() as s:
        s.add(CustomerShare(customer_id=world.c2, user_id=world.li.id))
    with rd(world.li) as s:
        assert [r.id for r in records.list_opportunities(s, world.li)] == [theirs]
    with pytest.raises(PermissionDenied):
        with tx(world.li) as s:
            records.lose(s, world.li, theirs, "其他")


def test_filters_and_closing_this_week(world, tx, rd):
    a = _add(tx, world.li, world.c1, title="A", expected_amount="100", expected_close=date(2026, 12, 2))
    b = _add(tx, world.li, world.c3, title="B", expected_amount="100", expected_close=date(2026, 12, 20))
    c = _add(tx, world.zhao, world.c2, title="C", expected_amount="100", expected_close=date(2026, 12, 3))
    with rd() as s:
        stage = st.find_stage(s, "初步接洽")
        assert [r.id for r in records.list_opportunities(s, world.admin, owner_id=world.li.id)] == [a, b]
        assert [r.id for r in records.list_opportunities(s, world.admin, customer_id=world.c2)] == [c]
        assert [r.id for r in records.list_opportunities(s, world.admin, close_from=date(2026, 12, 1),
                                                         close_to=date(2026, 12, 5))] == [a, c]
        assert len(records.list_opportunities(s, world.admin, stage_id=stage.id)) == 3
        assert records.list_opportunities(s, world.admin, status="won") == []
    with rd(world.li) as s:
        assert [r.id for r in records.closing_this_week(s, world.li, date(2026, 12, 1))] == [a]
        assert [r.id for r in records.for_customer(s, world.li, world.c3)] == [b]


def test_funnel_counts_weights_converts_and_reads_lost_reasons(world, tx, rd):
    t0 = datetime(2026, 11, 1, 2)
    won = _add(tx, world.li, world.c1, lines=[records.LineIn(world.p1, 10, "100")], expected_close=date(2026, 11, 25),
               at=t0)
    lost = _add(tx, world.li, world.c1, expected_amount="3000", expected_close=date(2026, 12, 10), at=t0)
    open_ = _add(tx, world.li, world.c3, expected_amount="2000", expected_close=date(2026, 12, 15), at=t0)
    with tx(world.li) as s:
        records.make_quote(s, world.li, won)
        records.move(s, world.li, won, "proposal", at=datetime(2026, 11, 5, 2))
        records.win(s, world.li, won, order_date=date(2026, 11, 25), at=datetime(2026, 11, 25, 2))
        records.lose(s, world.li, lost, "预算不足", day=date(2026, 11, 28), at=datetime(2026, 11, 28, 2))
        records.update_opportunity(s, world.li, open_, contact_id=None, next_step="再约")
    with rd(world.li) as s:
        f = funnel.funnel(s, world.li, utc_now=datetime(2026, 11, 30, 10))
        only_dec = funnel.funnel(s, world.li, date_from=date(2026, 12, 1), date_to=date(2026, 12, 31))
        zhao = funnel.funnel(s, world.li, owner_id=world.zhao.id)
    by = {r.code: r for r in f.stages}
    assert (by["initial"].count, by["initial"].amount, by["initial"].weighted) == (1, D("2000.00"), D("200.00"))
    assert (by["won"].count, by["won"].amount, by["won"].weighted) == (1, D("1000.00"), D("1000.00"))
    assert (by["lost"].count, by["lost"].amount, by["lost"].weighted) == (1, D("3000.00"), D("0.00"))
    assert [(m.month, m.weighted) for m in f.forecast] == [("2026-12", D("200.00"))]
    conv = {(c.from_stage, c.to_stage): (c.reached, c.moved_on) for c in f.conversion}
    assert conv[("初步接洽", "需求确认")] == (3, 1)  # the won one skipped 需求确认 but got past it
    assert conv[("商务谈判", "赢单")] == (1, 1)
    days = {d.stage: d.average_days for d in f.days}
    assert days["初步接洽"] == D("20.1")  # 4 days (won), 27 (lost), 29.33 (open, up to now)
    assert days["方案报价"] == D("20.0")
    assert [(r.reason, r.count, r.amount) for r in f.lost] == [("预算不足", 1, D("3000.00"))]
    assert sum(r.count for r in only_dec.stages) == 1  # only the open one closes in December; the lost closed in Nov
    assert sum(r.count for r in zhao.stages) == 0


def test_stage_history_rows_are_written_per_move(world, tx, rd):
    oid = _add(tx, world.li, world.c1, expected_amount="1")
    with tx(world.li) as s:
        records.lose(s, world.li, oid, "其他")
    with rd() as s:
        rows = s.scalars(select(OpportunityStageChange).where(OpportunityStageChange.opportunity_id == oid)).all()
    assert len(rows) == 2 and rows[1].changed_by == world.li.id
