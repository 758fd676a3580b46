"""Caps on imported workbooks: a zip bomb, an oversized or over-long sheet is refused before it is parsed,
quickly and in little memory; bytes that are no workbook are called that."""

from __future__ import annotations

import os
import time
import tracemalloc
import zipfile

import pytest
from io_builders import write_raw_xlsx

from crm_tui.config import update_settings
from crm_tui.io.tabular import TableError, read_table, sheet_names


def _with_sheet_xml(path, rows_xml: bytes):
    """A workbook whose one sheet holds ``rows_xml``, deflated (as Excel writes it)."""
    write_raw_xlsx(path, [("客户", [["名称"]], "visible")])
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/worksheets/sheet1.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">'
                                         "<sheetData>").encode() + rows_xml + b"</sheetData></worksheet>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _refused(path) -> tuple[str, float, int]:
    """The refusal's message, the seconds it took and the peak of Python memory meanwhile."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(TableError) as err:
            read_table(path)
        return str(err.value), time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_zip_bomb_is_refused_at_once(tmp_path):
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    bomb = _with_sheet_xml(tmp_path / "bomb.xlsx", row * 600_000)  # 30 MB of XML in ~30 KB
    assert os.path.getsize(bomb) < 200_000
    message, seconds, peak = _refused(bomb)
    assert "bomb.xlsx" in message and "zip bomb" in message
    assert seconds < 5 and peak < 20 * 1024 * 1024


def test_a_workbook_that_unpacks_beyond_the_setting_is_refused(tmp_path):
    update_settings("import", max_unzipped_mb=1)
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i * 7919) for i in range(1, 60_000))
    big = _with_sheet_xml(tmp_path / "big.xlsx", rows)  # ~2.5 MB of XML, packed as a real sheet packs
    message, _seconds, _peak = _refused(big)
    assert message == "big.xlsx unpacks to more than 1 MB; the limit is the setting import.max_unzipped_mb"
    with pytest.raises(TableError, match="import.max_unzipped_mb"):
        sheet_names(big)


def test_rows_beyond_the_setting_are_refused_and_fewer_read(tmp_path):
    update_settings("import", max_rows=1000)
    long = write_raw_xlsx(tmp_path / "long.xlsx", [("客户", [[f"客户{i}"] for i in range(1200)], "visible")])
    message, _seconds, _peak = _refused(long)
    assert message == "long.xlsx: a sheet has more than 1,000 rows; the limit is the setting import.max_rows"
    short = write_raw_xlsx(tmp_path / "short.xlsx", [("客户", [[f"客户{i}"] for i in range(999)], "visible")])
    assert len(read_table(short).rows) == 999


def test_a_row_numbered_past_the_limit_counts_as_that_many_rows(tmp_path):
    far = _with_sheet_xml(tmp_path / "far.xlsx", b'<row r="2000000"><c r="A2000000"><v>1</v></c></row>')
    message, _seconds, _peak = _refused(far)
    assert "more than 1,000,000 rows" in message


def test_random_bytes_named_xlsx_are_not_a_workbook(tmp_path):
    junk = tmp_path / "报价.xlsx"
    junk.write_bytes(os.urandom(4096))
    with pytest.raises(TableError) as err:
        read_table(junk)
    assert str(err.value) == "报价.xlsx is not an Excel workbook (.xlsx)"


def test_text_saved_under_a_workbook_name_still_reads(tmp_path):
    text = tmp_path / "export.xls"
    text.write_text("名称\t电话\n甲公司\t13800138000\n", encoding="gbk")
    assert [r.cells for r in read_table(text).rows] == [("名称", "电话"), ("甲公司", "13800138000")]
