"""The stock-document and purchase-order forms' one action each (save, or save then confirm/submit), as the
screens call them through the runner."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from crm_tui.core.errors import NotFound
from crm_tui.services.purchasing import orders as po
from crm_tui.services.purchasing import suppliers as sup
from crm_tui.services.runner import run
from crm_tui.services.stock import documents as sd
from crm_tui.services.stock.ledger import on_hand


def test_a_draft_is_saved_changed_then_confirmed_with_a_number(engine, admin, world):
    header = {"warehouse_id": world["w1"]}
    first = [sd.LineInput(world["p1"], D("5"), unit_cost=D("4"))]
    assert run(engine, admin, lambda s: sd.save_document(s, admin, "stock_in", header, first)) == "draft"
    doc_id = run(engine, admin, lambda s: sd.list_documents(s, kind="stock_in")[0].id, write=False)
    changed = [sd.LineInput(world["p1"], D("7"), unit_cost=D("4")), sd.LineInput(world["p2"], D("1"),
                                                                                 unit_cost=D("900"))]
    number = run(engine, admin, lambda s: sd.save_document(s, admin, "stock_in", header, changed, draft_id=doc_id,
                                                           then_confirm=True))
    view = run(engine, admin, lambda s: sd.get_document(s, doc_id), write=False)
    assert view.number == number and view.status == "confirmed"
    assert [ln.quantity for ln in view.lines] == [D("7"), D("1")]
    assert run(engine, admin, lambda s: on_hand(s, world["w1"], world["p1"]), write=False) == D("7")


def test_a_sample_names_its_customer_and_an_unknown_one_writes_nothing(engine, admin, world):
    run(engine, admin, lambda s: sd.save_document(s, admin, "stock_in", {"warehouse_id": world["w1"]},
                                                  [sd.LineInput(world["p1"], D("5"), unit_cost=D("4"))],
                                                  then_confirm=True))
    line = [sd.LineInput(world["p1"], D("1"))]
    header = {"warehouse_id": world["w1"]}
    with pytest.raises(NotFound):
        run(engine, admin, lambda s: sd.save_document(s, admin, "sample", header, line, customer="K99999"))
    assert run(engine, admin, lambda s: sd.list_documents(s, kind="sample"), write=False) == []
    run(engine, admin, lambda s: sd.save_document(s, admin, "sample", header, line, customer="K00001",
                                                  then_confirm=True))
    (doc,) = run(engine, admin, lambda s: sd.list_documents(s, kind="sample"), write=False)
    view = run(engine, admin, lambda s: sd.get_document(s, doc.id), write=False)
    assert view.customer_id == world["c1"] and view.status == "confirmed"
    assert "customer_id" not in header  # the form's values are left as they were: a retry sees the same


def test_a_purchase_order_is_saved_as_a_draft_or_submitted(engine, admin, world):
    supplier = run(engine, admin, lambda s: sup.add_supplier(s, admin, code="S001", name="景芝酒业"))
    lines = [po.OrderLineInput(world["p1"], D("10"), price=D("45"))]
    assert run(engine, admin, lambda s: po.save_order(s, admin, supplier, lines, warehouse_id=world["w1"])) == "draft"
    status = run(engine, admin, lambda s: po.save_order(s, admin, supplier, lines, then_submit=True))
    assert status != "draft"
    views = run(engine, admin, lambda s: [po.get_order(s, o.id) for o in po.list_orders(s)], write=False)
    assert sorted(v.status for v in views) == sorted(["draft", status])
    assert {v.amount_net for v in views} == {D("450.00")}
