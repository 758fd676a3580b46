"""Products: prices both ways, search by code/name/spec/barcode/pinyin, images, safety stock and alarms,
stock analysis."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest

from crm_tui.core.errors import ConflictError, ValidationError
from crm_tui.services.stock import alarms as stock_alarms
from crm_tui.services.stock import analysis as stock_analysis
from crm_tui.services.stock import documents as sd
from crm_tui.services.stock import products


def add(tx, admin, **values):
    with tx() as s:
        return products.add_product(s, admin, **values)


def test_sale_price_entered_net_or_gross_gives_the_other(engine, admin, tx):
    a = add(tx, admin, code="A", name="农夫山泉", sale_price="10", tax_rate=D("0.13"))
    b = add(tx, admin, code="B", name="怡宝", sale_price_gross="11.30", tax_rate=D("0.13"))
    c = add(tx, admin, code="C", name="大米", sale_price_gross="100", tax_rate=D("0.09"))
    with tx() as s:
        pa, pb, pc = (products.get_product(s, i) for i in (a, b, c))
    assert (pa.sale_price, pa.sale_price_gross) == (D("10.00"), D("11.30"))
    assert (pb.sale_price, pb.sale_price_gross) == (D("10.00"), D("11.30"))
    assert (pc.sale_price, pc.sale_price_gross) == (D("91.74"), D("100.00"))  # 100 / 1.09 = 91.743 -> 91.74
    with tx() as s:
        products.update_product(s, admin, a, tax_rate=D("0.09"))
        assert products.get_product(s, a).sale_price_gross == D("10.90")  # the net price stays


def test_product_validation(engine, admin, tx):
    add(tx, admin, code="A", name="X")
    with pytest.raises(ConflictError):
        add(tx, admin, code="A", name="Y")
    with pytest.raises(ValidationError, match="Product name is required"):
        add(tx, admin, code="B", name="  ")
    with pytest.raises(ValidationError, match="negative"):
        add(tx, admin, code="C", name="Z", purchase_price="-1")
    with pytest.raises(ValidationError, match="not a number"):
        add(tx, admin, code="D", name="Z", safety_stock="many")


def test_code_is_taken_from_the_product_mask_when_missing(engine, admin, tx):
    with tx() as s:
        pid = products.add_product(s, admin, name="无编码商品")
        assert products.get_product(s, pid).code == "P00001"


def test_search_by_code_name_spec_barcode_and_pinyin(engine, admin, tx):
    add(tx, admin, code="JS001", name="单县羊肉汤料", spec="500g", barcode="6901234567890")
    add(tx, admin, code="BJ002", name="青岛啤酒经典", spec="500ml*12")
    add(tx, admin, code="BJ003", name="燕京啤酒", spec="330ml*24", active=False)

    def codes(text, **kw):
        with tx() as s:
            return [r.code for r in products.search_products(s, text, **kw)]

    assert codes("JS0") == ["JS001"]
    assert codes("啤酒") == ["BJ002"]  # the inactive one is hidden by default
    assert codes("啤酒", active_only=False) == ["BJ002", "BJ003"]
    assert codes("330ml", active_only=False) == ["BJ003"]
    assert codes("6901234") == ["JS001"]
    assert codes("qdpj") == ["BJ002"]  # initials
    assert codes("qingdao") == ["BJ002"]  # full pinyin
    assert codes("sx") == ["JS001"]  # 单县 read as shan xian (heteronym)
    assert codes("dx") == ["JS001"]  # and as dan xian
    assert codes("100%") == []  # LIKE wildcards are literal
    with tx() as s:
        assert products.find_product(s, "6901234567890").code == "JS001"
        assert products.find_product(s, "青岛啤酒经典").code == "BJ002"


def test_images_are_stored_under_the_data_folder(engine, admin, tx, tmp_path):
    pid = add(tx, admin, code="A", name="X")
    src = tmp_path / "photo.JPG"
    src.write_bytes(b"\xff\xd8fake")
    with tx() as s:
        image_id = products.attach_image(s, admin, pid, src)
    with tx() as s:
        [(iid, name, path)] = products.list_images(s, pid)
    assert (iid, name) == (image_id, "photo.JPG")
    assert path.read_bytes() == b"\xff\xd8fake" and path.suffix == ".jpg"
    assert str(path).startswith(str(products.images_folder()))
    with tx() as s:
        products.remove_image(s, admin, image_id)
    assert not path.exists()


def test_safety_stock_alarms_per_warehouse(engine, admin, world, tx):
    w1, w2, p1 = world["w1"], world["w2"], world["p1"]  # P001 has a default safety stock of 5
    with tx() as s:
        sd.quick_document(s, admin, "stock_in", w1, p1, D("4"), unit_cost=D("1"))
        sd.quick_document(s, admin, "stock_in", w2, p1, D("6"), unit_cost=D("1"))

    def current():
        with tx() as s:
            return [(a.warehouse_code, a.product_code, a.safety_stock, a.quantity) for a in stock_alarms.alarms(s)], \
                stock_alarms.alarm_count(s)

    assert current() == ([("WH1", "P001", D("5"), D("4"))], 1)
    with tx() as s:
        products.set_safety_stock(s, admin, p1, w2, "10")  # WH2 needs more
        products.set_safety_stock(s, admin, world["p3"], w1, "1")  # none of P003 in WH1
    assert current()[1] == 3
    with tx() as s:
        products.set_safety_stock(s, admin, p1, w1, "0")  # WH1 exempt
        products.set_safety_stock(s, admin, world["p3"], w1, None)  # back to P003's default (0)
    assert current() == ([("WH2", "P001", D("10"), D("6"))], 1)


def test_onhand_value_history_and_slow_movers(engine, admin, world, tx):
    w1, w2, p1, p2 = world["w1"], world["w2"], world["p1"], world["p2"]
    with tx() as s:
        sd.quick_document(s, admin, "stock_in", w1, p1, D("10"), unit_cost=D("2"))
        sd.quick_document(s, admin, "stock_in", w1, p2, D("2"), unit_cost=D("1000"))
        sd.quick_document(s, admin, "transfer", w1, p1, D("4"), to_warehouse_id=w2)
        sd.quick_document(s, admin, "stock_out", w2, p1, D("1"))
    with tx() as s:
        rows = stock_analysis.onhand(s)
        by_wh = stock_analysis.value_by_warehouse(s)
        history = stock_analysis.movement_history(s, p1)
        history_w2 = stock_analysis.movement_history(s, p1, w2)
        slow = stock_analysis.slow_movers(s, days=30)
        later = stock_analysis.slow_movers(s, days=30, now=history[-1].moved_at + timedelta(days=31))
    assert [r.as_json() for r in rows] == [
        {"warehouse": "WH1", "product_code": "P001", "quantity": "6.0000", "unit_cost": "2.000000", "value": "12.00"},
        {"warehouse": "WH1", "product_code": "P002", "quantity": "2.0000", "unit_cost": "1000.000000",
         "value": "2000.00"},
        {"warehouse": "WH2", "product_code": "P001", "quantity": "3.0000", "unit_cost": "2.000000", "value": "6.00"}]
    assert [(v.warehouse_code, v.products, v.value) for v in by_wh] == [("WH1", 2, D("2012.00")),
                                                                      ("WH2", 1, D("6.00"))]
    assert [h.balance for h in history] == [D(10), D(6), D(10), D(9)]
    assert [h.balance for h in history_w2] == [D(4), D(3)]
    assert [(m.warehouse_code, m.product_code) for m in slow] == [("WH1", "P002")]  # never went out
    assert [(m.warehouse_code, m.product_code) for m in later] == [("WH1", "P002"), ("WH1", "P001"),
                                                                  ("WH2", "P001")]


def test_automatic_code_skips_numbers_already_used_by_hand(engine, admin, tx):
    add(tx, admin, code="P00001", name="手工编码")
    with tx() as s:
        pid = products.add_product(s, admin, name="自动编码")
        assert products.get_product(s, pid).code == "P00002"
