"""Writing workbooks, read back with both openpyxl and python-calamine; export -> import round trip."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from io_builders import GOOD_CODE, SPECS

from crm_tui.io import cells
from crm_tui.io.importing import FieldSpec, read_and_validate
from crm_tui.io.workbook import (
    Column,
    Sheet,
    columns_for,
    display_width,
    export_records,
    kind_of,
    write_error_workbook,
    write_workbook,
)


def calamine_rows(path, sheet=0):
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    ws = book.get_sheet_by_index(sheet) if isinstance(sheet, int) else book.get_sheet_by_name(sheet)
    return ws.to_python(skip_empty_area=False)


def test_kinds_from_parsers():
    assert [kind_of(s) for s in SPECS] == [
        "text",
        "text",
        "text",
        "text",
        "text",
        "money",
        "date",
        "text",
        "text",
    ]
    assert kind_of(FieldSpec("q", "数量", parse=cells.quantity)) == "decimal"
    assert kind_of(FieldSpec("r", "税率", parse=cells.rate)) == "rate"
    assert kind_of(FieldSpec("t", "时间", parse=cells.datetime)) == "datetime"
    assert kind_of(FieldSpec("m", "金额", parse=cells.text, kind="money")) == "money"


def test_display_width():
    assert display_width("abc") == 3
    assert display_width("北京华夏") == 8
    assert display_width("ＡＢ1") == 5


CUSTOMERS = [
    [
        "C0001",
        "北京华夏科技有限公司",
        "13800138000",
        "010-12345678",
        "li@example.com",
        Decimal("1234567.80"),
        dt.date(2026, 11, 3),
        GOOD_CODE,
        "第一行\n第二行",
    ],
    ["C0002", "=深圳华联", None, "0755-88881234", None, Decimal("0.10"), None, None, "=1+1"],
    [
        "00123",
        "上海",
        "13900000000",
        None,
        None,
        Decimal("1234567890123.45"),
        dt.date(2000, 2, 29),
        None,
        None,
    ],
]


@pytest.fixture
def export(tmp_path):
    return write_workbook(tmp_path / "out" / "customers.xlsx", [Sheet("客户", columns_for(SPECS), CUSTOMERS)])


def test_export_read_back_with_openpyxl(export):
    from openpyxl import load_workbook

    ws = load_workbook(export)["客户"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header == [s.header for s in SPECS]
    assert all(c.font.b for c in ws[1])
    row2 = ws[2]
    assert row2[0].value == "C0001" and row2[0].data_type == "s"
    assert row2[2].value == "13800138000" and row2[2].data_type == "s"  # a phone stays text
    assert row2[5].value == pytest.approx(1234567.8) and row2[5].number_format == "#,##0.00"
    assert row2[6].value == dt.datetime(2026, 11, 3) and row2[6].number_format == "yyyy-mm-dd"
    assert row2[6].is_date
    assert row2[8].value == "第一行\n第二行"
    row3 = ws[3]
    assert row3[1].value == "=深圳华联" and row3[1].data_type == "s"  # never a formula
    assert row3[8].data_type == "s"
    assert ws[4][0].value == "00123"  # leading zeros kept
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    assert widths["B"] >= display_width("北京华夏科技有限公司") + 1  # wide characters count two
    assert widths["A"] < widths["B"]
    assert widths["H"] >= len("统一社会信用代码") * 2


def test_export_read_back_with_calamine(export):
    rows = calamine_rows(export)
    assert rows[0] == [s.header for s in SPECS]
    assert rows[1][:3] == ["C0001", "北京华夏科技有限公司", "13800138000"]
    assert rows[1][5] == 1234567.8 and rows[1][6] == dt.date(2026, 11, 3)
    assert rows[2][1] == "=深圳华联"
    assert rows[3][5] == 1234567890123.45


def test_decimal_written_exactly(export, tmp_path):
    import zipfile

    xml = zipfile.ZipFile(export).read("xl/worksheets/sheet1.xml").decode()
    big = write_workbook(
        tmp_path / "big.xlsx", [Sheet("s", [Column("金额", "money")], [[Decimal("99999999999999.99")]])]
    )
    assert (
        "<v>99999999999999.99</v>" in zipfile.ZipFile(big).read("xl/worksheets/sheet1.xml").decode()
    )  # float: .98
    assert "<v>1234567890123.45</v>" in xml and "<v>1234567.80</v>" in xml and "<v>0.10</v>" in xml


def test_export_reimports_to_the_same_values(export):
    result = read_and_validate(export, SPECS)
    assert result.ok, result.error_lines()
    keys = [s.key for s in SPECS]
    assert [[r.values[k] for k in keys] for r in result.rows] == CUSTOMERS
    assert [r.row for r in result.rows] == [2, 3, 4]


def test_several_sheets_and_plain_headers(tmp_path):
    path = write_workbook(
        tmp_path / "x.xlsx",
        [
            Sheet(
                "一",
                ["名称", Column("金额", "money"), Column("税率", "rate"), Column("时间", "datetime")],
                [["甲", 12, Decimal("0.13"), dt.datetime(2026, 11, 3, 9, 15)]],
            ),
            Sheet("a/b:c*?[d]" + "x" * 40, ["名称"], iter([["乙"]] * 3)),
        ],
    )
    from openpyxl import load_workbook

    book = load_workbook(path)
    assert book.sheetnames == ["一", ("a_b_c___d_" + "x" * 40)[:31]]
    row = book["一"][2]
    assert row[1].number_format == "#,##0.00" and row[2].number_format == "0.00%"
    assert row[3].value == dt.datetime(2026, 11, 3, 9, 15) and row[3].number_format == "yyyy-mm-dd hh:mm"
    assert calamine_rows(path, 1) == [["名称"], ["乙"], ["乙"], ["乙"]]


def test_failed_write_leaves_no_file(tmp_path):
    def rows():
        yield ["甲"]
        raise RuntimeError("boom")

    target = tmp_path / "x.xlsx"
    with pytest.raises(RuntimeError):
        write_workbook(target, [Sheet("s", ["名称"], rows())])
    assert list(tmp_path.iterdir()) == []


def test_error_workbook_from_import(tmp_path, messy_xlsx):
    result = read_and_validate(messy_xlsx, SPECS)
    out = result.write_error_workbook(tmp_path / "errors.xlsx")
    rows = calamine_rows(out, "客户")
    assert rows[0][:3] == ["序号", "客户名称", "手机号码"] and rows[0][-1] == "Error reason"
    assert [r[0] for r in rows[1:]] == [3.0, 4.0]  # the original 序号 of rows 7 and 8
    assert rows[1][2] == "1380013800"
    reason = rows[1][-1]
    assert reason.splitlines()[0] == "客户名称: a value is required"
    assert "统一社会信用代码: a long number that Excel has already rounded" in reason
    assert rows[2][-1] == "客户名称: repeats row 4 of this file"
    # fixed and re-imported: the reason column is ignored, not reported
    again = read_and_validate(out, SPECS)
    assert again.unknown_columns == ["微信"]
    assert [e.row for e in again.errors] == [2, 2, 2, 2, 2, 2]


def test_error_workbook_direct(tmp_path):
    out = write_error_workbook(
        tmp_path / "e.xlsx",
        ["名称", None, "手机"],
        [("甲", None, 138.0), ("乙",)],
        ["手机: bad", "名称: bad"],
    )
    assert calamine_rows(out) == [
        ["名称", "", "手机", "Error reason"],
        ["甲", "", 138.0, "手机: bad"],
        ["乙", "", "", "名称: bad"],
    ]
    with pytest.raises(ValueError):
        write_error_workbook(tmp_path / "f.xlsx", ["a"], [("x",)], [])


def test_export_records_and_template(tmp_path):
    keys = [s.key for s in SPECS]
    records = ({k: v for k, v in zip(keys, row, strict=True) if v is not None} for row in CUSTOMERS)
    path = export_records(tmp_path / "c.xlsx", SPECS, records, sheet="客户")
    result = read_and_validate(path, SPECS)
    assert [[r.values[k] for k in keys] for r in result.rows] == CUSTOMERS
    template = export_records(tmp_path / "t.xlsx", SPECS, [], sheet="客户")
    assert calamine_rows(template) == [[s.header for s in SPECS]]
    assert read_and_validate(template, SPECS).rows == []
