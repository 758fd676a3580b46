"""The importers on copies of real templates from open-source Chinese ERP/CRM projects and tax-invoice exports
(/work/shared/fixtures/erp-templates, see SOURCES.md there). What each file gives:

- jshERP/goods_template.xls (2025) and goods_template_2021-03_erp_web.xls: products. 规格 and 型号 both present:
  规格 is the specification, 型号 is reported as not imported (a weak alias), the file is not refused.
  基本单位 / 基础单位 -> unit, 基本条码 / 基础条码 -> barcode, 类别 -> category, 安全存量 -> safety stock,
  采购价 / 销售价 -> prices; 零售价, 最低售价, 副单位, 副条码, 比例, 仓库1-n are reported as not imported.
- FenXiCloud-jxc/goods.xlsx: products; 分类名称 -> category, 基础单位 -> unit, 商品编码 number cells -> codes.
- gooderp/sell.xlsx (开票软件 output-invoice export): customers; 购方企业名称 -> name, 购方税号 -> credit code.
  Its sample tax number 9000009 is not a credit code: the row is reported, nothing written.
- gooderp/201805_3.xls (input-invoice list): suppliers; 销方名称 -> name, 销方税号 -> credit code; the sample
  tax numbers (1A, 2A …) are reported row by row, nothing written.
- jshERP/customer_template.xls and vendor_template.xls: customers and suppliers, 2 rows each.
- jshERP/member_template.xls (no name column), FenXiCloud-jxc/goodsCategory.xlsx and LinkWechat-Scrm's header-only
  sheet, gooderp/buy_order.xls (a print template): refused or empty with a message naming what is missing.
"""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import select

from crm_tui.db.models.customers import Customer
from crm_tui.db.models.products import Product
from crm_tui.db.models.purchasing import Supplier
from crm_tui.db.session import read_session
from crm_tui.io.headers import HeaderError
from crm_tui.services.customers.imports import import_customers
from crm_tui.services.purchasing.suppliers_io import import_suppliers
from crm_tui.services.stock.products_io import import_products

TEMPLATES = Path("/work/shared/fixtures/erp-templates")
pytestmark = pytest.mark.skipif(not TEMPLATES.is_dir(), reason="the shared ERP templates are not on this machine")


def copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / Path(name).name
    shutil.copyfile(TEMPLATES / name, target)
    return target


def products_by_name(engine) -> dict[str, Product]:
    with read_session(engine) as s:
        rows = list(s.scalars(select(Product)))
        for p in rows:
            s.expunge(p)
    return {p.name: p for p in rows}


@pytest.mark.parametrize("name", ["jshERP/goods_template.xls", "jshERP/goods_template_2021-03_erp_web.xls"])
def test_jsherp_goods_with_spec_and_model_import_with_unit_and_barcode(engine, admin, tmp_path, name):
    out = import_products(engine, admin, copy(tmp_path, name))
    assert (out.ok, out.written, out.created, out.rejected) == (True, True, 2, 0)
    got = products_by_name(engine)
    cola, beer = got["可乐test"], got["啤酒test"]
    assert (cola.spec, cola.unit, cola.category, cola.barcode) == ("250ml", "瓶", "饮料", "2001")
    assert (beer.spec, beer.unit, beer.barcode) == ("500ml", "瓶", "2011")
    assert cola.purchase_price == D("5.00")


def test_jsherp_2021_safety_stock_from_anquan_cunliang(engine, admin, tmp_path):
    import_products(engine, admin, copy(tmp_path, "jshERP/goods_template_2021-03_erp_web.xls"))
    got = products_by_name(engine)
    assert (got["可乐test"].safety_stock, got["啤酒test"].safety_stock) == (D(12), D(14))
    assert got["可乐test"].sale_price == D("10.00")  # 销售价; 零售价 12 is not the sale price


def test_model_column_is_reported_not_imported(engine, admin, tmp_path):
    from crm_tui.io.importing import read_and_validate
    from crm_tui.services.stock.products_io import SPECS

    result = read_and_validate(copy(tmp_path, "jshERP/goods_template.xls"), SPECS)
    assert result.columns["spec"] == "规格" and result.columns["unit"] == "基本单位*"
    assert result.columns["barcode"] == "基本条码*"
    assert "型号" in result.header.unknown


def test_model_alone_is_the_specification(engine, admin, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["商品名称", "型号", "计量单位"])
    wb.active.append(["电钻", "TD-120", "台"])
    wb.save(tmp_path / "m.xlsx")
    import_products(engine, admin, tmp_path / "m.xlsx")
    p = products_by_name(engine)["电钻"]
    assert (p.spec, p.unit) == ("TD-120", "台")


def test_fenxi_goods_category_name_and_base_unit(engine, admin, tmp_path):
    out = import_products(engine, admin, copy(tmp_path, "FenXiCloud-jxc/goods.xlsx"))
    assert (out.ok, out.created) == (True, 3)
    got = products_by_name(engine)
    assert (got["连衣裙"].code, got["连衣裙"].category, got["连衣裙"].unit) == ("12000701", "银行存款", "件")
    assert (got["劲仔小鱼"].spec, got["劲仔小鱼"].unit) == ("200克一箱", "斤")


def test_tax_invoice_export_buyer_columns_are_read_and_bad_tax_number_reported(engine, admin, tmp_path):
    out = import_customers(engine, admin, copy(tmp_path, "gooderp/sell.xlsx"))
    assert not out.written
    text = "\n".join(str(e) for e in out.errors)
    assert "购方税号" in text and "9000009" in text


def test_buyer_columns_import_customers(engine, admin, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["XX有限公司发票数据"])
    ws.append(["发票代码", "发票号码", "购方企业名称", "购方税号", "商品名称", "单价"])
    ws.append(["3000000130", "18181818", "浙江盛达股份有限公司", "91330100MA2B3C4D5N", "铜塑线", "783.6990595"])
    wb.save(tmp_path / "sell.xlsx")
    out = import_customers(engine, admin, tmp_path / "sell.xlsx")
    assert out.written and out.created == 1
    with read_session(engine) as s:
        c = s.scalar(select(Customer).where(Customer.name == "浙江盛达股份有限公司"))
        assert c.credit_code == "91330100MA2B3C4D5N"


def test_input_invoice_list_seller_columns_for_suppliers(engine, admin, tmp_path):
    out = import_suppliers(engine, admin, copy(tmp_path, "gooderp/201805_3.xls"))
    assert (out.written, out.rejected) == (False, 17)
    assert all("销方税号" in str(e) for e in out.errors)


@pytest.mark.parametrize("importer,name,created", [
    (import_customers, "jshERP/customer_template.xls", 2),
    (import_suppliers, "jshERP/vendor_template.xls", 2),
])
def test_jsherp_customer_and_vendor_templates(engine, admin, tmp_path, importer, name, created):
    out = importer(engine, admin, copy(tmp_path, name))
    assert out.written and out.created == created
    with read_session(engine) as s:
        model = Customer if importer is import_customers else Supplier
        names = set(s.scalars(select(model.name)))
    assert {"客户a", "客户b"} <= names or {"供应商a", "供应商b"} <= names


@pytest.mark.parametrize("importer,name", [
    (import_customers, "jshERP/member_template.xls"),
    (import_products, "FenXiCloud-jxc/goodsCategory.xlsx"),
    (import_products, "LinkWechat-Scrm/CustomerSeas.xlsx"),
])
def test_files_without_the_needed_columns_are_refused_with_a_message(engine, admin, tmp_path, importer, name):
    with pytest.raises(HeaderError) as err:
        importer(engine, admin, copy(tmp_path, name))
    assert Path(name).name in str(err.value)
