"""Customer import, read side, against files as clerks bring them: WPS and Excel reports with titles, merged
cells and totals; old .xls; CSV from web systems in UTF-8, UTF-8 with BOM and GBK; cells typed every way."""

import codecs
import datetime as dt
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from crm_tui.io.cells import CellError
from crm_tui.io.headers import HeaderError, find_header
from crm_tui.io.tabular import Row
from crm_tui.services.customers.imports import SPECS, import_customers, read_customer_file
from tests.io.io_builders import write_raw_xlsx, write_xls, write_xlsx

PARSE = {s.key: s.parse for s in SPECS}


def values(result):
    """Excel row -> the non-empty parsed values, for the good rows."""
    return {r.row: {k: v for k, v in r.values.items() if v is not None} for r in result.rows if r.ok}


def errors(result):
    return [str(e) for e in result.errors]


@pytest.fixture
def wps_report(tmp_path):
    """A report as WPS/Excel users make it: a title merged over two rows, the header on row 3 with spaces,
    line breaks and colons, 业务员 merged down over its customers, a 序号-only row, a 合计 row, Column1."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "客户资料"
    ws["A1"] = "临沂华夏商贸 2026年客户档案"
    ws.merge_cells("A1:I2")
    header = ["序号", "客户编号", "客户名称：", "手机 号码", "联系方式", "信用额度\n(元)", "建档日期", "业务员", "Column1"]
    rows = [
        [1, 1001.0, "临沂华夏商贸\n有限公司\u3000", "138-0013-8000", "(0539)8123456", "1,000.50元", "2026.11.3", "孙伟"],
        [2, 1002.0, "\u200b沂蒙超市\ufeff", 13900139000.0, "0539 8123456", "¥ 2,000", "2026-11-03 00:00:00", None],
        [3],
        ["合 计：", None, None, None, None, 3000.5],
    ]
    for c, text in enumerate(header, 1):
        ws.cell(3, c, text)
    for r, cells in enumerate(rows, 4):
        for c, value in enumerate(cells, 1):
            ws.cell(r, c, value)
    ws.merge_cells("H4:H5")
    path = tmp_path / "客户档案.xlsx"
    book.save(path)
    return path


def test_wps_report_reads_as_the_sheet_shows(wps_report):
    result = read_customer_file(wps_report)
    assert result.ok, errors(result)
    assert result.header.row == 3
    assert result.columns == {"code": "客户编号", "name": "客户名称：", "mobile": "手机 号码", "phone": "联系方式",
                              "credit_limit": "信用额度 (元)", "created_on": "建档日期", "owner": "业务员"}
    assert result.unknown_columns == []  # Column1 is Excel's name for a column nobody named
    assert values(result) == {
        4: {"code": "1001", "name": "临沂华夏商贸有限公司", "mobile": "13800138000", "phone": "0539-8123456",
            "credit_limit": Decimal("1000.50"), "created_on": dt.date(2026, 11, 3), "owner": "孙伟"},
        5: {"code": "1002", "name": "沂蒙超市", "mobile": "13900139000", "phone": "0539-8123456",
            "credit_limit": Decimal("2000.00"), "created_on": dt.date(2026, 11, 3), "owner": "孙伟"},
    }  # row 6 has only 序号, row 7 is the 合计 row


def test_wps_report_dry_run_and_cli(db_url, engine, org, wps_report):
    summary = import_customers(engine, org.clerk, wps_report, dry_run=True)
    assert (summary.created, summary.rejected, summary.written) == (2, 0, False), summary.errors

    from crm_tui.cli import cli

    env = {"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"}
    r = CliRunner().invoke(cli, ["--lang", "en", "--db", db_url, "import", "customers", str(wps_report),
                                 "--dry-run", "--format", "json"], env=env, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert (out["created"], out["rejected"], out["written"]) == (2, 0, False)


def test_two_row_header_merged_down(tmp_path):
    """客户名称 and 业务员 merged over both header rows, 联系方式 spanning 手机 and 电话 below it."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws["A1"] = "客户档案"
    ws.merge_cells("A1:D2")
    ws["A3"], ws["B3"], ws["D3"] = "客户名称", "联系方式", "业务员"
    ws["B4"], ws["C4"] = "手机", "电话"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:D4")
    ws["A5"], ws["B5"], ws["C5"], ws["D5"] = "甲商贸", "13800138000", "0539-8123456", "孙伟"
    ws["A6"], ws["C6"] = "乙商贸", "0539-8123457"
    ws.merge_cells("D5:D6")
    book.save(tmp_path / "two-rows.xlsx")
    result = read_customer_file(tmp_path / "two-rows.xlsx")
    assert result.header.row == 4 and set(result.columns) == {"name", "mobile", "phone", "owner"}
    assert values(result) == {
        5: {"name": "甲商贸", "mobile": "13800138000", "phone": "0539-8123456", "owner": "孙伟"},
        6: {"name": "乙商贸", "phone": "0539-8123457", "owner": "孙伟"},
    }


def test_merged_cells_fill_down_only_in_their_first_column(tmp_path):
    """A value merged across two columns must not land in the neighbouring field."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["客户名称", "地址", "片区"])
    ws.append(["甲商贸", "临沂市兰山区通达路8号", None])
    ws.merge_cells("B2:C2")
    book.save(tmp_path / "wide.xlsx")
    assert values(read_customer_file(tmp_path / "wide.xlsx")) == {2: {"name": "甲商贸", "address": "临沂市兰山区通达路8号"}}


def test_amounts_in_ten_thousand_yuan(tmp_path):
    path = write_xlsx(tmp_path / "wan.xlsx", [
        ["客户名称", "信用额度(万元)", "期初余额（单位：元）"],
        ["甲", 50, 1200],
        ["乙", "1.5", "¥300"],
        ["丙", "20万", None],
        ["丁", "0.0000001", None],
    ])
    result = read_customer_file(path)
    assert values(result) == {
        2: {"name": "甲", "credit_limit": Decimal("500000.00"), "opening_balance": Decimal("1200.00")},
        3: {"name": "乙", "credit_limit": Decimal("15000.00"), "opening_balance": Decimal("300.00")},
        4: {"name": "丙", "credit_limit": Decimal("200000.00")},  # the cell names its unit: not scaled twice
    }
    assert errors(result) == ['wan.xlsx, sheet 客户, row 5, column 信用额度(万元): "0.0000001" — '
                              'expected an amount with at most 2 decimal places']


def test_the_data_sheet_is_found_past_hidden_instruction_and_empty_sheets(tmp_path):
    """Inline strings and formulas with cached values, as Excel and exporters write them."""
    header = ["客户编号", "客户名称", "手机", "信用额度", "简称"]
    path = write_raw_xlsx(tmp_path / "book.xlsx", [
        ("下拉选项", [header, ["X1", "隐藏", "13800138000"]], "hidden"),
        ("填写说明", [["客户名称", "手机", "信用额度"], ["必填", "11位手机号", "元"]], "visible"),
        ("模板", [header], "visible"),
        ("客户", [header,
                  [1001, "甲商贸", 13800138000, ("formula", "1000*2", 2000.0), ("formula", 'LEFT(B2,2)', "甲商")],
                  [("formula", 'TEXT(1002,"0")', "1002"), "乙商贸", ("formula", "C2", 13800138000.0)]],
         "visible"),
    ])
    result = read_customer_file(path)
    assert result.sheet == "客户" and result.ok, errors(result)
    assert values(result) == {
        2: {"code": "1001", "name": "甲商贸", "mobile": "13800138000", "credit_limit": Decimal("2000.00"),
            "short_name": "甲商"},
        3: {"code": "1002", "name": "乙商贸", "mobile": "13800138000"},
    }


def test_an_empty_template_is_used_when_no_sheet_has_rows(tmp_path):
    path = write_raw_xlsx(tmp_path / "empty.xlsx", [("说明", [["请填写"]], "visible"),
                                                    ("客户", [["客户名称", "手机"]], "visible")])
    result = read_customer_file(path)
    assert result.sheet == "客户" and result.rows == []


def test_totals_and_repeated_headers_are_not_customers(tmp_path):
    header = ["序号", "客户名称", "信用额度"]
    path = write_xlsx(tmp_path / "report.xlsx", [
        header,
        [1, "甲商贸", 100],
        ["小计", None, 100],
        header,  # the next printed page
        [2, "合计商贸有限公司", 200],  # a real name that starts like a total
        [None, "合计", 300],
        ["Total:", None, 300],
        ["总　计", None, 300],
        [None, "汇总", 300],  # Excel's table total row
        [3, "（以下空白）"],  # a printed form's end
    ])
    result = read_customer_file(path)
    assert result.ok, errors(result)
    assert [(r.row, r.values["name"]) for r in result.rows] == [(2, "甲商贸"), (5, "合计商贸有限公司")]
    assert result.passed_over == [(3, "total"), (4, "header"), (6, "total"), (7, "total"), (8, "total"),
                                  (9, "total"), (10, "total")]  # said, not silently dropped
    assert result.passed_over_text(2) == "3 (totals), 4 (header again) …"


def test_rows_with_more_text_than_a_totals_label_are_records(tmp_path):
    """Only a label and numbers make a totals row: a customer whose code or name happens to read like one, with
    a phone or an address beside it, is still imported."""
    path = write_xlsx(tmp_path / "odd.xlsx", [
        ["客户编号", "客户名称", "手机", "地址"],
        ["SUM", "苏州苏姆贸易", "13900139001", "苏州"],
        [None, "TOTAL", "13900139000", "上海浦东"],
        [None, "合计", None, None],
    ])
    result = read_customer_file(path)
    assert result.ok, errors(result)
    assert [r.values["name"] for r in result.rows] == ["苏州苏姆贸易", "TOTAL"]


def test_two_contacts_on_two_lines_stay_two_names(tmp_path):
    path = write_xlsx(tmp_path / "people.xlsx", [["客户名称", "联系人"], ["临沂华夏商贸\n有限公司", "张三\n李四"]])
    assert values(read_customer_file(path)) == {2: {"name": "临沂华夏商贸有限公司", "contact": "张三、李四"}}


def test_a_renamed_workbook_is_read_by_its_content(tmp_path):
    """An .xls renamed to .xlsx (and the other way round) is still the workbook it was."""
    old = write_xls(tmp_path / "old.xls", [["客户名称", "手机"], ["甲商贸", 13800138000.0]])
    new = write_xlsx(tmp_path / "new.xlsx", [["客户名称", "手机"], ["乙商贸", 13900139000.0]])
    old_renamed, new_renamed = old.rename(tmp_path / "old.xlsx"), new.rename(tmp_path / "new.xls")
    assert values(read_customer_file(old_renamed)) == {2: {"name": "甲商贸", "mobile": "13800138000"}}
    assert values(read_customer_file(new_renamed)) == {2: {"name": "乙商贸", "mobile": "13900139000"}}


def test_an_old_xls_with_a_merged_title_and_a_total_row(tmp_path):
    path = write_xls(tmp_path / "u8.xls", [
        ["客户档案"], [],
        ["客户编码", "客户名称", "手机", "建档日期", "信用额度"],
        [1001.0, "甲商贸", 13800138000.0, ("date", 46329), 5000.0],
        ["合计", None, None, None, 5000.0],
    ], merged=[(0, 1, 0, 4)])
    result = read_customer_file(path)
    assert result.ok, errors(result)
    assert values(result) == {4: {"code": "1001", "name": "甲商贸", "mobile": "13800138000",
                                  "created_on": dt.date(2026, 11, 3), "credit_limit": Decimal("5000.00")}}


def test_the_same_header_twice_names_both_columns(tmp_path):
    path = write_xlsx(tmp_path / "dup.xlsx", [["客户名称", "手机", "手机"], ["甲", "13800138000", None]])
    with pytest.raises(HeaderError, match=r"columns 手机 \(B\) and 手机 \(C\) both mean 手机"):
        read_customer_file(path)


@pytest.mark.parametrize("cells, columns, unknown", [
    (("客户名称", "联系人手机"), {"name": 0, "mobile": 1}, []),
    (("客户名称", "手机", "联系人手机"), {"name": 0, "mobile": 1}, ["联系人手机"]),  # the plain 手机 wins
    (("客户名称", "联系方式", "电话"), {"name": 0, "phone": 2}, ["联系方式"]),
    (("客户名称", "客户分类", "客户等级"), {"name": 0, "classification": 1}, ["客户等级"]),
    (("\ufeff客户名称", "【必填】手机", "统一社会信用代码/税号"), {"name": 0, "mobile": 1, "credit_code": 2}, []),
    (("\u200b客户名称*", "信用额度/元", "Unnamed: 3", "列1"), {"name": 0, "credit_limit": 1}, []),
])
def test_header_variants(cells, columns, unknown):
    header = find_header([Row("客户", 1, cells)], SPECS, file="f.xlsx", sheet="客户")
    assert (header.columns, header.unknown) == (columns, unknown)


# --- CSV ------------------------------------------------------------------------------------------------------

CSV_TEXT = "客户名称,手机,电话,信用额度\r\n甲商贸,138-0013-8000,(0539)8123456,\"1,000.50\"\r\n乙商贸,,,￥2000\r\n"


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    lambda t: t.encode("gbk"),
    lambda t: codecs.BOM_UTF8 + t.encode("gbk"),  # a BOM in front of GBK text
    lambda t: t.split("\r\n", 1)[0].encode("utf-8") + b"\r\n" + t.split("\r\n", 1)[1].encode("gbk"),  # mixed
    lambda t: t.replace(",", ";").replace('"1;000.50"', "1000.50").encode("utf-8"),
    lambda t: codecs.BOM_UTF8 * 2 + t.encode("utf-8"),  # saved twice, each time with a BOM
], ids=["utf8", "bom", "gbk", "bom-gbk", "utf8-then-gbk", "semicolon", "two-boms"])
def test_csv_encodings(tmp_path, encode):
    path = tmp_path / "客户.csv"
    path.write_bytes(encode(CSV_TEXT))
    result = read_customer_file(path)
    assert values(result) == {
        2: {"name": "甲商贸", "mobile": "13800138000", "phone": "0539-8123456", "credit_limit": Decimal("1000.50")},
        3: {"name": "乙商贸", "credit_limit": Decimal("2000.00")},
    }


def test_csv_from_a_web_system(tmp_path):
    """="…" to keep zeros in Excel, NULL for empty fields, numbers that went through a float."""
    path = tmp_path / "export.csv"
    path.write_text(
        "客户编号,客户名称,手机,电话,邮箱,备注\n"
        '="001234",甲商贸,13800138000.0,NULL,NULL,NULL\n'
        "1001.0,乙商贸,\t13900139000,05398123456.0,ZS@Example.COM,\\N\n"
        "1002,丙商贸,,5398123456.0,,\n", encoding="utf-8")
    result = read_customer_file(path)
    assert values(result) == {
        2: {"code": "001234", "name": "甲商贸", "mobile": "13800138000"},
        3: {"code": "1001", "name": "乙商贸", "mobile": "13900139000", "phone": "0539-8123456",
            "email": "ZS@example.com"},
    }
    assert errors(result) == [
        'export.csv, sheet export, row 4, column 电话: "5398123456.0" — the area code has lost its leading 0 '
        "(the cell is a number); format the column as text and type it as 0539-8123456"]


# --- cells ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key, raw, expected", [
    ("name", "临沂华夏商贸\n有限公司", "临沂华夏商贸有限公司"),  # Alt+Enter inside a Chinese name
    ("name", "Huaxia\nTrading", "Huaxia Trading"),
    ("name", "华夏\u200e商贸\u00ad", "华夏商贸"),  # direction mark, soft hyphen
    ("name", "华夏商贸\u3000\u3000", "华夏商贸"),
    ("code", "1001.0", "1001"),
    ("code", 1001.0, "1001"),
    ("mobile", "138-0013-8000", "13800138000"),
    ("phone", "0539—8123456", "0539-8123456"),  # an em dash from a Chinese input method
    ("phone", "0539-8123456转801", "0539-8123456-801"),
    ("phone", "0539 8123456", "0539-8123456"),
    ("email", "zs@163。com", "zs@163.com"),
    ("email", "ZS@Example.COM。", "ZS@example.com"),
    ("created_on", "2026.11.3", dt.date(2026, 11, 3)),
    ("created_on", "2026-11-03 00:00:00", dt.date(2026, 11, 3)),
    ("created_on", "2026年11月3号", dt.date(2026, 11, 3)),
    ("created_on", "23/11/2026", dt.date(2026, 11, 23)),  # day first: only one reading
    ("created_on", "11/23/2026", dt.date(2026, 11, 23)),  # month first: only one reading
    ("credit_limit", "1,000.50元", Decimal("1000.50")),
    ("credit_limit", "¥ 2,000", Decimal("2000.00")),
    ("opening_balance", "(500)", Decimal("-500.00")),
    ("credit_code", "9144 0300 7152 6726 xg", "9144030071526726XG"),
    ("classification", "A类\n重点", "A类,重点"),
])
def test_cells_accepted(key, raw, expected):
    assert PARSE[key](raw) == expected


@pytest.mark.parametrize("key, raw, message", [
    ("mobile", "13800138000/13900139000", "several phone numbers in one cell"),
    ("mobile", "13800138000、13900139000", "several phone numbers in one cell"),
    ("phone", "0539-8123456 13800138000", "several phone numbers in one cell"),
    ("phone", 5398123456.0, "type it as 0539-8123456"),  # not guessed: the user fixes the sheet
    ("phone", 1012345678.0, r"expected a mobile number \(11 digits\) or a landline"),  # no hint: maybe a mobile
    ("email", "zs@example.com;ls@example.com", "several e-mail addresses"),
    ("created_on", "11/3/2026", "in 11/3/2026 the day and the month cannot be told apart"),
    ("credit_limit", "(500)", "not negative"),
    ("phone", 0.0, "expected a mobile number"),  # a 0 typed as "none" used to crash the whole import
    ("phone", "0/0", "expected a mobile number"),
    ("credit_limit", 1e30, "far too large"),  # so did an amount with more digits than a Decimal keeps
    ("opening_balance", "1" * 40, "far too large"),
])
def test_cells_refused_with_a_reason(key, raw, message):
    with pytest.raises(CellError, match=message):
        PARSE[key](raw)


def test_placeholders_and_invisible_cells_are_empty(tmp_path):
    path = write_xlsx(tmp_path / "blanks.xlsx", [
        ["序号", "客户名称", "手机", "邮箱", "建档日期", "信用额度", "业务员"],
        [1, "甲商贸", "无", "无", "/", "-", "无"],
        [2, "乙商贸", "N/A", "——", "暂无", "—", "-"],
        [3, None, "无", "-", "/", None, None],  # nothing but placeholders: a template row
        [4, "\u200b", "13800138000"],  # a name of only a zero-width space is no name
    ])
    result = read_customer_file(path)
    assert values(result) == {2: {"name": "甲商贸"}, 3: {"name": "乙商贸"}}
    assert errors(result) == ['blanks.xlsx, sheet 客户, row 5, column 客户名称: "\u200b" — a value is required']


def test_a_filter_line_above_the_header_is_not_the_header(tmp_path):
    """Reports print their filter above the table; it matches as many fields as a short header does."""
    path = write_xlsx(tmp_path / "filtered.xlsx", [
        ["片区：", "河东片区", "业务员：", "孙伟"],
        ["客户名称", "手机"],
        ["甲商贸", "13800138000"],
    ])
    result = read_customer_file(path)
    assert result.header.row == 2 and values(result) == {3: {"name": "甲商贸", "mobile": "13800138000"}}


def test_template_rows_of_zeros_under_the_data_are_blank(tmp_path):
    """期初余额 =0 filled down a template: rows with no name and only zeros are not bad customers."""
    rows = [["序号", "客户名称", "信用额度", "期初余额"], [1, "甲商贸", 1000, 0.0]]
    rows += [[n, None, 0.0, 0.0] for n in range(2, 6)]
    rows += [[6, None, 500.0, 0.0]]  # an amount without a name is a real mistake
    result = read_customer_file(write_xlsx(tmp_path / "template.xlsx", rows))
    assert [r.row for r in result.rows] == [2, 7]
    assert errors(result) == ['template.xlsx, sheet 客户, row 7, column 客户名称: "" — a value is required']


@pytest.mark.parametrize("owner", ["S003 孙伟", "孙伟(S003)", "孙伟（S003）", "S003-孙伟"])
def test_salesperson_written_with_staff_number_and_name(engine, org, tmp_path, owner):
    path = write_xlsx(tmp_path / "owners.xlsx", [["客户名称", "业务员"], ["甲商贸", owner]])
    summary = import_customers(engine, org.clerk, path, dry_run=True)
    assert (summary.created, summary.rejected) == (1, 0), [str(e) for e in summary.errors]


def test_salesperson_parts_naming_two_users_are_refused(engine, org, tmp_path):
    path = write_xlsx(tmp_path / "owners.xlsx", [["客户名称", "业务员"], ["甲商贸", "S003 李娜"]])
    summary = import_customers(engine, org.clerk, path, dry_run=True)
    assert summary.rejected == 1 and "no user has this staff number" in str(summary.errors[0])
