"""Products and suppliers from and to Excel: whole-file validation, nothing written on error, skip-invalid with
an error workbook, dry run, duplicates, updates, and exports that import back."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from crm_tui.core.errors import ValidationError
from crm_tui.db.models.products import Product
from crm_tui.db.models.purchasing import Supplier, SupplierContact
from crm_tui.services.purchasing.suppliers_io import export_suppliers, import_suppliers
from crm_tui.services.stock import products
from crm_tui.services.stock.products_io import export_products, import_products

HEADERS = ["序号", "货号", "品名", "规格型号", "单位", "类别", "条码", "税率", "单价", "含税单价", "进价", "安全库存",
           "备注"]


def workbook(path: Path, rows, headers=HEADERS, title="2026年商品资料") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "商品"
    if title:
        ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


GOOD = [
    [1, "BJ001", "一品景芝", "52度 500ml", "瓶", "白酒", "6901234567892", "13%", None, 168, 110, 24, "畅销"],
    [2, "PJ001", "青岛啤酒经典", "500ml*12听", "箱", "啤酒", None, 0.13, 58.41, 66, 45, "80", None],
    [3, None, "海天金标生抽", "1.9L", "桶", "调味品", None, None, "17.61", None, "13.2", None, None],
]


def count(engine):
    from crm_tui.db.session import read_session

    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(Product))


def get(engine, code):
    from crm_tui.db.session import read_session

    with read_session(engine) as s:
        return products.row_of(s.scalar(select(Product).where(Product.code == code)))


def test_good_file_with_title_row_and_aliases(engine, admin, tmp_path):
    out = import_products(engine, admin, workbook(tmp_path / "p.xlsx", GOOD))
    assert (out.ok, out.written, out.rows, out.created) == (True, True, 3, 3)
    bj = get(engine, "BJ001")
    assert (bj.name, bj.spec, bj.unit, bj.category, bj.barcode) == ("一品景芝", "52度 500ml", "瓶", "白酒",
                                                                   "6901234567892")
    assert (bj.sale_price, bj.sale_price_gross, bj.purchase_price, bj.safety_stock) == (
        D("148.67"), D("168.00"), D("110.00"), D("24"))
    assert get(engine, "P00001").name == "海天金标生抽"  # no code: the next product number


def test_bad_rows_write_nothing_and_name_sheet_row_column(engine, admin, tmp_path):
    rows = GOOD + [[4, "X1", "", "", "", "", None, "abc", -1, None, None, None, None],
                   [5, "BJ001", "重复编码", None, None, None, None, None, None, None, None, None, None],
                   [6, "X2", "含税不符", None, None, None, None, "13%", "100", "200", None, None, None]]
    out = import_products(engine, admin, workbook(tmp_path / "bad.xlsx", rows))
    assert not out.written and count(engine) == 0
    assert out.rejected == 3 and out.created == 0
    text = "\n".join(out.errors)
    assert 'bad.xlsx, sheet 商品, row 6, column 品名: "" — a value is required' in text
    assert 'row 6, column 税率: "abc" — expected a tax rate' in text
    assert 'row 6, column 单价: "-1" — expected a number that is not negative' in text
    assert 'row 7, column 货号: "BJ001" — repeats row 3 of this file' in text
    assert "row 8, column 含税单价" in text and "expected about 113.00" in text


def test_skip_invalid_writes_good_rows_and_an_error_workbook(engine, admin, tmp_path):
    rows = GOOD + [[4, "X1", "坏行", None, None, None, None, "abc", None, None, None, None, None]]
    src = workbook(tmp_path / "mixed.xlsx", rows)
    out = import_products(engine, admin, src, skip_invalid=True)
    assert out.written and out.created == 3 and out.rejected == 1 and count(engine) == 3
    assert out.error_workbook == tmp_path / "mixed-errors.xlsx"
    bad = list(load_workbook(out.error_workbook).active.iter_rows(values_only=True))
    assert bad[0][:3] == ("序号", "货号", "品名") and bad[1][1] == "X1" and "税率" in bad[1][-1]


def test_dry_run_writes_nothing(engine, admin, tmp_path):
    out = import_products(engine, admin, workbook(tmp_path / "p.xlsx", GOOD), dry_run=True)
    assert (out.ok, out.created, out.written) == (True, 3, False)
    assert count(engine) == 0


def test_reimport_duplicates_error_skip_or_update(engine, admin, tmp_path):
    src = workbook(tmp_path / "p.xlsx", GOOD)
    import_products(engine, admin, src)
    again = import_products(engine, admin, src)
    assert not again.written and again.rejected == 3
    assert "product BJ001 already exists" in again.errors[0]
    assert "product P00001 already exists" in again.errors[2]  # matched by name and spec: no code given
    skipped = import_products(engine, admin, src, on_duplicate="skip")
    assert (skipped.skipped, skipped.created, count(engine)) == (3, 0, 3)
    # update: only filled cells change; an empty cell leaves the field alone
    changed = workbook(tmp_path / "u.xlsx", [["BJ001", "一品景芝(新包装)", None, "188"]],
                       headers=["商品编码", "商品名称", "规格", "含税销售单价"], title=None)
    up = import_products(engine, admin, changed, on_duplicate="update")
    assert (up.updated, up.created) == (1, 0)
    bj = get(engine, "BJ001")
    assert (bj.name, bj.spec, bj.sale_price_gross, bj.sale_price, bj.purchase_price, bj.version) == (
        "一品景芝(新包装)", "52度 500ml", D("188.00"), D("166.37"), D("110.00"), 2)


def test_barcode_of_another_product_is_refused(engine, admin, tmp_path):
    import_products(engine, admin, workbook(tmp_path / "p.xlsx", GOOD))
    out = import_products(engine, admin, workbook(tmp_path / "q.xlsx", [[1, "NEW", "新品", None, None, None,
                                                                       "6901234567892"]]))
    assert "barcode already used by product BJ001" in out.errors[0] and not out.written


def test_uncoded_repeats_within_a_file_are_refused(engine, admin, tmp_path):
    rows = [[1, None, "散装白酒", "1L"], [2, None, "散装白酒", "1L"], [3, None, "散装白酒", "2L"]]
    out = import_products(engine, admin, workbook(tmp_path / "p.xlsx", rows, headers=HEADERS[:4]))
    assert out.rejected == 1 and "same name and specification as row 3" in out.errors[0]


def test_missing_required_column_is_a_file_error(engine, admin, tmp_path):
    with pytest.raises(ValidationError, match="商品名称"):
        import_products(engine, admin, workbook(tmp_path / "p.xlsx", [["A"]], headers=["商品编码"]))


def test_gbk_csv(engine, admin, tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes("商品编码,商品名称,规格,税率,销售单价\nC1,农夫山泉,550ml*24,13%,31.86\n".encode("gbk"))
    out = import_products(engine, admin, path)
    assert out.created == 1 and get(engine, "C1").sale_price_gross == D("36.00")


def test_export_has_the_import_headers_and_imports_back(engine, admin, tmp_path):
    import_products(engine, admin, workbook(tmp_path / "p.xlsx", GOOD))
    from crm_tui.db.session import read_session

    with read_session(engine) as s:
        n = export_products(s, tmp_path / "out.xlsx")
    rows = list(load_workbook(tmp_path / "out.xlsx").active.iter_rows(values_only=True))
    assert n == 3 and list(rows[0]) == ["商品编码", "商品名称", "规格", "单位", "类别", "条码", "税率", "销售单价",
                                       "含税销售单价", "采购单价", "安全库存", "备注"]
    assert rows[1][0] == "BJ001" and rows[1][5] == "6901234567892"
    back = import_products(engine, admin, tmp_path / "out.xlsx", on_duplicate="update")
    assert (back.ok, back.updated, back.created, count(engine)) == (True, 3, 0, 3)
    assert get(engine, "BJ001").sale_price == D("148.67")


# --- suppliers ---------------------------------------------------------------------------------------

SUPPLIER_HEADERS = ["供应商编码", "供应商名称", "简称", "税号", "地址", "联系电话", "开户行", "账号", "期初余额",
                    "联系人", "职务", "手机", "备注"]


def test_suppliers_import_with_contacts_and_validation(engine, admin, tmp_path):
    rows = [["S0001", "山东景芝酒业股份有限公司", "景芝", "91370000163080411P", "安丘市景芝镇", "0536-4321234",
             "工商银行", "1607002109200012345", "1,000.50", "孙建国", "区域经理", 13705391234.0, None],
            [None, "临沂糖酒副食品有限公司", None, None, None, None, None, None, None, "王建华", None, None, None],
            ["S0003", "坏供应商", None, "123", None, None, None, None, None, None, None, "12345", None]]
    src = workbook(tmp_path / "s.xlsx", rows, headers=SUPPLIER_HEADERS, title="供应商名录")
    bad = import_suppliers(engine, admin, src)
    assert not bad.written and bad.rejected == 1
    text = "\n".join(bad.errors)
    assert "row 5, column 税号" in text and "row 5, column 手机" in text
    out = import_suppliers(engine, admin, src, skip_invalid=True)
    assert out.created == 2
    from crm_tui.db.session import read_session

    with read_session(engine) as s:
        jz = s.scalar(select(Supplier).where(Supplier.code == "S0001"))
        contacts = list(s.scalars(select(SupplierContact.mobile).where(SupplierContact.supplier_id == jz.id)))
        second = s.scalar(select(Supplier).where(Supplier.name == "临沂糖酒副食品有限公司"))
    assert (jz.opening_balance, jz.account, jz.phone, contacts) == (D("1000.50"), "1607002109200012345",
                                                                    "0536-4321234", ["13705391234"])
    assert second.code == "S0002"  # S0001 was taken by the first row
    again = import_suppliers(engine, admin, src, skip_invalid=True, on_duplicate="skip")
    assert (again.created, again.skipped) == (0, 2)
    with read_session(engine) as s:
        n = export_suppliers(s, tmp_path / "sup.xlsx")
    back = list(load_workbook(tmp_path / "sup.xlsx").active.iter_rows(values_only=True))
    assert n == 2 and back[0][0] == "供应商编码" and back[1][9] == "孙建国"
    assert import_suppliers(engine, admin, tmp_path / "sup.xlsx", on_duplicate="update").updated == 2


def test_cli_import_and_export_products(engine, admin, db_url, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from crm_tui.cli import cli

    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")
    runner = CliRunner()

    def crm(*args):
        return runner.invoke(cli, ["--db", db_url, "--lang", "en", *args], catch_exceptions=False)

    bad = workbook(tmp_path / "bad.xlsx", GOOD + [[4, "X", "坏", None, None, None, None, "abc"]])
    result = crm("import", "products", str(bad))
    assert result.exit_code == 1 and "row 6, column 税率" in result.output and "Nothing was written" in result.output
    assert count(engine) == 0
    result = crm("import", "products", str(bad), "--skip-invalid", "--errors", str(tmp_path / "e.xlsx"))
    assert result.exit_code == 0 and (tmp_path / "e.xlsx").exists() and count(engine) == 3
    result = crm("export", "products", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 0 and "3 products" in result.output
    result = crm("import", "products", str(tmp_path / "nope.xlsx"))
    assert result.exit_code == 2  # click: the file does not exist
