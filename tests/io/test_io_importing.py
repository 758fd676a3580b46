"""read_and_validate over real files: header mapping, every error with Excel row numbers, checks, progress."""

from __future__ import annotations

import codecs
import datetime as dt
from decimal import Decimal

import pytest
from io_builders import GOOD_CODE, SPECS, write_xls, write_xlsx

from crm_tui.i18n import set_language
from crm_tui.io import cells
from crm_tui.io.headers import HeaderError
from crm_tui.io.importing import FieldSpec, format_error, read_and_validate
from crm_tui.io.tabular import TableError

EXPECTED_ERRORS = [
    (7, "客户名称", None, "a value is required"),
    (7, "手机号码", "1380013800", "expected an 11-digit mobile number starting with 1"),
    (
        7,
        "固定电话",
        "12345678",
        "expected a landline number with area code, such as 010-12345678 or 400-123-4567",
    ),
    (7, "信用额度（元）", "-5", "expected a number that is not negative"),
    (7, "建档日期", "someday", "expected a date such as 2026-11-03, 2026/11/3 or 2026年11月3日"),
    (7, "统一社会信用代码", 9.1110108e17, None),
    (8, "客户名称", "北京华夏科技有限公司 ", "repeats row 4 of this file"),
]


def check_messy(result, file="customers.xlsx", sheet="客户"):
    assert result.file == file and result.sheet == sheet
    assert result.header.row == 3
    assert result.columns == {
        "name": "客户名称",
        "mobile": "手机号码",
        "phone": "固定电话",
        "credit_limit": "信用额度（元）",
        "created": "建档日期",
        "credit_code": "统一社会信用代码",
        "remarks": "备注",
    }
    assert result.unknown_columns == ["微信"]  # 序号 is ignored silently
    assert [r.row for r in result.rows] == [4, 6, 7, 8, 10]  # blank rows and the 序号-only row 9 skipped
    got = [(e.file, e.sheet, e.row, e.column, e.value, e.message) for e in result.errors]
    assert len(got) == len(EXPECTED_ERRORS)
    for (f, s, row, column, value, message), (erow, ecolumn, evalue, emessage) in zip(
        got, EXPECTED_ERRORS, strict=True
    ):
        assert (f, s, row, column) == (file, sheet, erow, ecolumn)
        assert value == evalue or (isinstance(value, str) and str(evalue) in value)
        if emessage:
            assert message == emessage
    assert "format the column as text" in result.errors[5].message
    assert not result.ok
    assert [r.row for r in result.good_rows] == [4, 6, 10]
    assert [r.row for r in result.bad_rows] == [7, 8]
    first, second, last = (r.values for r in result.good_rows)
    assert first == {
        "name": "北京华夏科技有限公司",
        "mobile": "13800138000",
        "phone": "010-12345678",
        "credit_limit": Decimal("1000.50"),
        "created": dt.date(2026, 11, 3),
        "credit_code": GOOD_CODE,
        "remarks": "老客户",
    }
    assert second["name"] == "ABC贸易 有限公司"
    assert second["mobile"] == "13800138001" and second["phone"] == "0755-88881234"
    assert second["credit_limit"] == Decimal("2000.00") and second["created"] == dt.date(2026, 11, 3)
    assert second["credit_code"] is None and second["remarks"] is None
    assert last["credit_limit"] == Decimal("0.30") and last["credit_code"] == "91440300708461136T"
    assert last["phone"] == "400-123-4567" and last["mobile"] == "13900000000"
    assert "code" not in first  # a column absent from the file has no entry at all


def test_xlsx_every_error_with_excel_row_numbers(messy_xlsx):
    check_messy(read_and_validate(messy_xlsx, SPECS))


def test_xls_same_as_xlsx(tmp_path, messy_rows):
    rows = [["客户资料表"], *messy_rows]
    rows[3][5] = ("date", 46329)  # a serial with a date format, as Excel stores dates
    rows[7][5] = ("date", 46329.3958333)
    path = write_xls(tmp_path / "customers.xls", rows, merged=[(0, 0, 0, 8)])
    check_messy(read_and_validate(path, SPECS), file="customers.xls")


def test_error_format(messy_xlsx):
    lines = read_and_validate(messy_xlsx, SPECS).error_lines()
    assert lines[1] == (
        'customers.xlsx, sheet 客户, row 7, column 手机号码: "1380013800" — '
        "expected an 11-digit mobile number starting with 1"
    )
    assert lines[0] == 'customers.xlsx, sheet 客户, row 7, column 客户名称: "" — a value is required'
    assert lines[5].startswith(
        'customers.xlsx, sheet 客户, row 7, column 统一社会信用代码: "9.1110108e+17" — '
    )


def test_error_format_in_chinese(messy_xlsx):
    set_language("zh_CN")
    try:
        lines = read_and_validate(messy_xlsx, SPECS).error_lines()
    finally:
        set_language("en")
    assert (
        lines[1]
        == "customers.xlsx，工作表 客户，第 7 行，手机号码 列：“1380013800” — 应为以 1 开头的 11 位手机号码"
    )
    assert lines[6].endswith("与本文件第 4 行重复")


def _csv_bytes(rows, encoding: str, delimiter=",") -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else (repr(v) if isinstance(v, float) else v) for v in (row or [])])
    return out.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings(tmp_path, messy_rows, encoding):
    rows = [["客户资料表"], *messy_rows]
    rows[3][5] = "2026-11-03"  # a CSV holds text: the serial date becomes what Excel would save
    rows[3][2] = "13800138000"
    rows[7][5] = "2026-11-03 09:30"
    rows[9][4] = "0.3"
    rows[6][6] = "9.1110108E+17"  # how Excel saves a rounded 18-digit number to CSV
    path = tmp_path / "customers.csv"
    path.write_bytes(_csv_bytes(rows, encoding, "\t" if encoding == "utf-16" else ","))
    if encoding == "utf-8-sig":
        assert path.read_bytes().startswith(codecs.BOM_UTF8)
    result = read_and_validate(path, SPECS)
    assert result.sheet == "customers"
    errors = [(e.row, e.column) for e in result.errors]
    assert errors == [(r, c) for r, c, _v, _m in EXPECTED_ERRORS]
    assert "format the column as text" in result.errors[5].message
    assert result.good_rows[0].values["created"] == dt.date(2026, 11, 3)
    assert result.good_rows[1].values["name"] == "ABC贸易 有限公司"


def test_csv_not_decodable(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe\xfd\x81\x30" * 3 + b"\x80")
    path.write_bytes(b"name\n\x81\x30\x81")  # a truncated four-byte GB18030 sequence
    with pytest.raises(TableError, match="neither UTF-8 nor GBK"):
        read_and_validate(path, SPECS)


def test_missing_required_column(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["编号", "手机"], ["C1", "13800138000"]])
    with pytest.raises(HeaderError) as info:
        read_and_validate(path, SPECS)
    message = str(info.value)
    assert message.startswith(
        "x.xlsx, sheet 客户, row 1: missing required columns 客户名称; expected headers: "
    )
    assert "客户编号, 客户名称*, 手机, 电话" in message


def test_no_header_row(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["a", "b"], ["c", "d"]])
    with pytest.raises(HeaderError, match=r"x.xlsx, sheet 客户: no header row found in the first 10 rows"):
        read_and_validate(path, SPECS)


def test_duplicate_columns(tmp_path):
    path = write_xlsx(
        tmp_path / "x.xlsx", [["客户名称", "手机", "移动电话"], ["甲", "13800138000", "13800138001"]]
    )
    with pytest.raises(HeaderError, match="columns 手机 and 移动电话 both mean 手机"):
        read_and_validate(path, SPECS)


def test_header_below_ten_rows_is_not_found(tmp_path):
    rows = [[f"说明 {i}"] for i in range(10)] + [["客户名称"], ["甲"]]
    path = write_xlsx(tmp_path / "x.xlsx", rows)
    with pytest.raises(HeaderError, match="no header row"):
        read_and_validate(path, SPECS)


def test_english_headers_case_and_width_insensitive(tmp_path):
    path = write_xlsx(
        tmp_path / "x.xlsx",
        [
            ["Customer Name", "MOBILE", "Ｃｒｅｄｉｔ　Ｌｉｍｉｔ", "credit_code"],
            ["Acme", 13800138000.0, "12", GOOD_CODE],
        ],
    )
    result = read_and_validate(path, SPECS)
    assert result.ok
    assert result.rows[0].values == {
        "name": "Acme",
        "mobile": "13800138000",
        "credit_limit": Decimal("12.00"),
        "credit_code": GOOD_CODE,
    }


def test_sheet_choice(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "说明"
    book.active.append(["请按模板填写"])
    hidden = book.create_sheet("隐藏")
    hidden.append(["客户名称"])
    hidden.append(["不应读到"])
    hidden.sheet_state = "hidden"
    data = book.create_sheet("客户")
    data.append(["客户名称"])
    data.append(["甲"])
    other = book.create_sheet("二月")
    other.append(["客户名称"])
    other.append(["乙"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    result = read_and_validate(path, SPECS)  # the first visible sheet whose header matches
    assert (result.sheet, result.rows[0].values["name"], result.rows[0].row) == ("客户", "甲", 2)
    assert read_and_validate(path, SPECS, sheet="二月").rows[0].values["name"] == "乙"
    with pytest.raises(HeaderError, match="sheet 说明"):
        read_and_validate(path, SPECS, sheet="说明")
    with pytest.raises(TableError, match="no sheet 三月"):
        read_and_validate(path, SPECS, sheet="三月")


def test_row_checks_and_reject(tmp_path):
    specs = (
        FieldSpec("name", "名称", required=True),
        FieldSpec("start", "开始", parse=cells.date),
        FieldSpec("end", "结束", parse=cells.date),
        FieldSpec("owner", "业务员"),
    )

    def dates_in_order(values):
        if values["start"] and values["end"] and values["end"] < values["start"]:
            yield "end", "must not be before 开始"

    def whole_row(values):
        return [(None, "row-level problem")] if values["name"] == "坏" else None

    path = write_xlsx(
        tmp_path / "x.xlsx",
        [
            ["名称", "开始", "结束", "业务员"],
            ["甲", "2026-01-02", "2026-01-01", "张三"],
            ["坏", "2026-01-01", "2026-01-02", "李四"],
            ["丙", "bad", "2026-01-01", "王五"],  # cell error: checks do not run
            ["丁", None, None, "无此人"],
        ],
    )
    result = read_and_validate(path, specs, checks=[dates_in_order, whole_row])
    assert [str(e) for e in result.errors] == [
        'x.xlsx, sheet 客户, row 2, column 结束: "2026-01-01" — must not be before 开始',
        "x.xlsx, sheet 客户, row 3: row-level problem",
        'x.xlsx, sheet 客户, row 4, column 开始: "bad" — expected a date such as 2026-11-03, 2026/11/3 or 2026年11月3日',
    ]
    # an importer rejects a row after its own look-ups
    row = result.good_rows[0]
    error = result.reject(row, "no such salesperson", "owner")
    assert format_error(error) == 'x.xlsx, sheet 客户, row 5, column 业务员: "无此人" — no such salesperson'
    assert result.good_rows == [] and len(result.bad_rows) == 4


def test_unique_with_key_function(tmp_path):
    specs = (FieldSpec("code", "编号", parse=cells.code_text, unique=str.upper), FieldSpec("name", "名称"))
    path = write_xlsx(
        tmp_path / "x.xlsx", [["编号", "名称"], ["a1", "x"], [None, "y"], [None, "z"], ["A1", "w"]]
    )
    result = read_and_validate(path, specs)
    assert [(e.row, e.message) for e in result.errors] == [(5, "repeats row 2 of this file")]


def test_progress(tmp_path):
    rows = [["客户名称"]] + [[f"客户{i}"] for i in range(2500)]
    path = write_xlsx(tmp_path / "x.xlsx", rows)
    calls = []
    result = read_and_validate(path, SPECS, progress=lambda done, total: calls.append((done, total)))
    assert len(result.rows) == 2500 and result.ok
    assert calls == [(0, 2500), (1000, 2500), (2000, 2500), (2500, 2500)]


def test_unsupported_and_missing_file(tmp_path):
    with pytest.raises(TableError, match="unsupported file type"):
        read_and_validate(tmp_path / "x.docx", SPECS)
    with pytest.raises(TableError, match="file not found"):
        read_and_validate(tmp_path / "none.xlsx", SPECS)
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(TableError, match="damaged.xlsx: cannot read the workbook"):
        read_and_validate(damaged, SPECS)


def test_spec_alias_clash_is_a_programming_error(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["名称"], ["甲"]])
    with pytest.raises(ValueError, match="used by both"):
        read_and_validate(path, (FieldSpec("a", "名称"), FieldSpec("b", "全称", ("名称",))))
