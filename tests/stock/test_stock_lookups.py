"""What the stock screens look up goes through services: the open count sheet, and a document's customer
(found by code or name, visible to the user unless they keep stock)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from crm_tui.core.errors import NotFound
from crm_tui.db.models.customers import Customer
from crm_tui.services.stock import documents as sd
from crm_tui.services.stock import stocktake as stock_stocktake


def test_the_open_count_sheet_of_a_warehouse_is_its_newest_draft(engine, admin, world, tx):
    w1, w2 = world["w1"], world["w2"]
    with tx() as s:
        sd.quick_document(s, admin, "stock_in", w1, world["p1"], D("10"), unit_cost=D("4"))
        assert stock_stocktake.open_count_sheet(s, w1) is None
        older = stock_stocktake.create_count_sheet(s, admin, w1)
        newest = stock_stocktake.create_count_sheet(s, admin, w1)
    with tx() as s:
        sheet = stock_stocktake.open_count_sheet(s, w1)
        assert (sheet.id, sheet.kind, sheet.status) == (newest, "stocktake", "draft")
        assert [ln.product_code for ln in sheet.lines] == ["P001"]
        assert stock_stocktake.open_count_sheet(s, w2) is None
        stock_stocktake.set_counts(s, admin, newest, {world["p1"]: "9"})
        sd.confirm(s, admin, newest)
    with tx() as s:
        assert stock_stocktake.open_count_sheet(s, w1).id == older  # still being counted


@pytest.fixture
def owned_customer(world, tx, make_user):
    owner = make_user("li", "salesperson")
    with tx() as s:
        s.get(Customer, world["c1"]).owner_id = owner.id
    return world["c1"]


def test_a_documents_customer_is_found_by_code_or_name(world, tx, owned_customer, make_user):
    keeper = make_user("wang", "warehouse")
    with tx(keeper) as s:
        assert sd.customer_for_document(s, keeper, "K00001") == owned_customer
        assert sd.customer_for_document(s, keeper, "临沂大酒店") == owned_customer
        with pytest.raises(NotFound):
            sd.customer_for_document(s, keeper, "K99999")


def test_someone_who_keeps_no_stock_finds_only_the_customers_they_see(world, tx, owned_customer, make_user):
    other = make_user("zhao", "salesperson")
    with tx(other) as s, pytest.raises(NotFound, match="No such customer: K00001"):
        sd.customer_for_document(s, other, "K00001")
