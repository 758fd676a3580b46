"""The product import reads a second unit: 辅助单位 / 换算率 (副单位 / 比例 of jshERP, 副单位1 of FenXi)."""

from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import Workbook

from crm_tui.db.session import read_session
from crm_tui.services.stock import units
from crm_tui.services.stock.products import find_product
from crm_tui.services.stock.products_io import import_products

TEMPLATES = Path("/work/shared/fixtures/erp-templates")


def _units(engine, code):
    with read_session(engine) as s:
        return [(u.unit, u.factor, u.barcode) for u in units.list_units(s, find_product(s, code).id)]


def _sheet(tmp_path, *rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(list(r))
    wb.save(tmp_path / "p.xlsx")
    return tmp_path / "p.xlsx"


def test_second_unit_and_factor_are_imported_and_updated(engine, admin, tmp_path):
    path = _sheet(tmp_path, ["商品编码", "商品名称", "单位", "副单位", "比例", "副条码"],
                  ["B1", "景芝白干", "瓶", "箱", 12, "6900000000012"], ["B2", "青岛啤酒", "瓶", None, None, None])
    out = import_products(engine, admin, path)
    assert out.written and out.created == 2
    assert _units(engine, "B1") == [("瓶", D(1), None), ("箱", D(12), "6900000000012")]
    assert _units(engine, "B2") == [("瓶", D(1), None)]
    path = _sheet(tmp_path, ["商品编码", "商品名称", "单位", "辅助单位", "换算率"], ["B1", "景芝白干", "瓶", "箱", 6],
                  ["B2", "青岛啤酒", "瓶", "件", "24"])
    assert import_products(engine, admin, path, on_duplicate="update").updated == 2
    assert _units(engine, "B1")[1][:2] == ("箱", D(6)) and _units(engine, "B2")[1][:2] == ("件", D(24))


def test_a_unit_without_factor_or_the_base_unit_again_is_reported(engine, admin, tmp_path):
    path = _sheet(tmp_path, ["商品名称", "单位", "辅助单位", "换算率"], ["甲", "瓶", "箱", None], ["乙", "瓶", "瓶", 2],
                  ["丙", "瓶", "箱", 0])
    out = import_products(engine, admin, path)
    assert not out.written and out.rejected == 3
    text = "\n".join(str(e) for e in out.errors)
    assert "换算率" in text and "base unit" in text


@pytest.mark.skipif(not TEMPLATES.is_dir(), reason="the shared ERP templates are not on this machine")
def test_fenxi_second_unit(engine, admin, tmp_path):
    import shutil

    shutil.copyfile(TEMPLATES / "FenXiCloud-jxc/goods.xlsx", tmp_path / "goods.xlsx")
    out = import_products(engine, admin, tmp_path / "goods.xlsx")
    assert out.created == 3
    with read_session(engine) as s:
        skirt = find_product(s, "裙装")
        assert [(u.unit, u.factor) for u in units.list_units(s, skirt.id)] == [("件", D(1)), ("条", D(2))]
