"""Reading rows: Excel row numbers, blank rows, trailing columns, cell types, CSV encodings and delimiters."""

from __future__ import annotations

import datetime as dt

import pytest
from io_builders import write_xls, write_xlsx

from crm_tui.io.tabular import (
    TableError,
    decode_csv,
    is_blank,
    iter_rows,
    read_table,
    read_tables,
    sheet_names,
)


def test_xlsx_rows_numbered_as_excel_shows_them(tmp_path):
    path = write_xlsx(
        tmp_path / "t.xlsx",
        [
            None,
            [None, "名称", "手机", "日期", "时间", "是否", None, ""],
            [None, "甲", 13800138000, dt.datetime(2026, 11, 3), dt.time(9, 15), True],
            [None, "　", "  ", None],  # whitespace only: blank
            [None, "乙", 13800138000.0, dt.datetime(2026, 11, 3, 9, 15), "", False, "", None],
        ],
        title="标题",
    )
    table = read_table(path)
    assert (table.file, table.sheet) == ("t.xlsx", "客户")
    assert [r.number for r in table.rows] == [1, 3, 4, 6]
    assert table.rows[0].cells == ("标题",)
    assert table.rows[1].cells == (None, "名称", "手机", "日期", "时间", "是否")  # trailing empties dropped
    assert table.rows[2].cells == (None, "甲", 13800138000.0, dt.date(2026, 11, 3), dt.time(9, 15), True)
    assert table.rows[3].cells == (None, "乙", 13800138000.0, dt.datetime(2026, 11, 3, 9, 15), None, False)
    assert isinstance(table.rows[2].cells[2], float)
    assert [r.number for r in iter_rows(path, "客户")] == [1, 3, 4, 6]


def test_xls_rows(tmp_path):
    path = write_xls(
        tmp_path / "t.xls",
        [
            ["标题"],
            None,
            ["名称", "手机", "日期", "是否"],
            ["甲", 13800138000, ("date", 46329), True],
            None,
            ["乙"],
        ],
        sheet="客户表",
        merged=[(0, 0, 0, 3)],
    )
    table = read_table(path)
    assert (table.file, table.sheet) == ("t.xls", "客户表")
    assert [(r.number, r.cells) for r in table.rows] == [
        (1, ("标题",)),
        (3, ("名称", "手机", "日期", "是否")),
        (4, ("甲", 13800138000.0, dt.date(2026, 11, 3), True)),
        (6, ("乙",)),
    ]
    assert sheet_names(path) == ["客户表"]


def test_data_starting_below_and_right(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws["D5"] = "名称"
    ws["D7"] = "甲"
    ws["F7"] = 1.5
    path = tmp_path / "t.xlsx"
    book.save(path)
    rows = read_table(path).rows
    assert [(r.number, r.cells) for r in rows] == [
        (5, (None, None, None, "名称")),
        (7, (None, None, None, "甲", None, 1.5)),
    ]


def test_sheets(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "一"
    book.active["A1"] = "a"
    book.create_sheet("二")["A2"] = "b"
    book.create_sheet("藏").sheet_state = "hidden"
    path = tmp_path / "t.xlsx"
    book.save(path)
    assert sheet_names(path) == ["一", "二"]
    assert read_table(path).sheet == "一"
    assert read_table(path, 1).rows[0].number == 2
    assert read_table(path, "藏").rows == []  # a hidden sheet is readable by name
    assert [t.sheet for t in read_tables(path)] == ["一", "二"]
    with pytest.raises(TableError, match="no sheet 5; the sheets are 一, 二"):
        read_table(path, 5)


def test_csv_rows(tmp_path):
    path = tmp_path / "客户.csv"
    path.write_text('标题,,\n\n名称,备注,\n甲,"第一行\n第二行",\n , ,\n乙,x,y\n', encoding="utf-8")
    table = read_table(path)
    assert table.sheet == "客户"
    assert [(r.number, r.cells) for r in table.rows] == [
        (1, ("标题",)),
        (3, ("名称", "备注")),
        (4, ("甲", "第一行\n第二行")),  # one record, one row, as Excel shows it
        (6, ("乙", "x", "y")),
    ]
    assert read_table(path, "客户").sheet == "客户"
    with pytest.raises(TableError, match="has no sheet 其他"):
        read_table(path, "其他")


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_delimiters(tmp_path, delimiter):
    path = tmp_path / "x.csv"
    path.write_text(delimiter.join(["名称", "手机"]) + "\n" + delimiter.join(["甲", "13800138000"]) + "\n")
    assert read_table(path).rows[1].cells == ("甲", "13800138000")


def test_decode_csv():
    text = "名称,金额\n华夏,1"
    assert decode_csv(text.encode("utf-8")) == text
    assert decode_csv(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_csv(text.encode("gbk")) == text
    assert decode_csv("名称,䶮".encode("gb18030")) == "名称,䶮"
    assert decode_csv(text.encode("utf-16")) == text


def test_is_blank():
    assert is_blank(None) and is_blank("") and is_blank(" \u3000\t")
    assert not is_blank(0.0) and not is_blank(False) and not is_blank("x")


def test_text_saved_as_xls_is_read_as_csv(tmp_path):
    path = tmp_path / "导出.xls"  # many systems export tab-separated text with an .xls name
    path.write_bytes("名称\t手机\n华夏\t13800138000\n".encode("gbk"))
    table = read_table(path)
    assert table.sheet == "导出"
    assert [r.cells for r in table.rows] == [("名称", "手机"), ("华夏", "13800138000")]


def test_html_saved_as_xls_is_refused(tmp_path):
    path = tmp_path / "report.xls"
    path.write_text("<html><body><table><tr><td>名称</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(TableError, match="web page or XML"):
        read_table(path)
