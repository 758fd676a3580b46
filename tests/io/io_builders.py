"""Builders for real spreadsheet files, and the customer-like field specs the io tests import with.

(A plain module, not a package: a ``tests/io/__init__.py`` would shadow the standard ``io`` module.)
"""

from __future__ import annotations

from pathlib import Path

from crm_tui.io import cells
from crm_tui.io.importing import FieldSpec

SPECS = (
    FieldSpec("code", "客户编号", ("编号", "code"), cells.code_text, unique=True),
    FieldSpec("name", "客户名称", ("名称", "客户", "公司名称", "customer name"), required=True, unique=True),
    FieldSpec("mobile", "手机", ("手机号码", "手机号", "移动电话", "mobile"), cells.mobile),
    FieldSpec("phone", "电话", ("固定电话", "座机", "联系电话", "phone"), cells.landline),
    FieldSpec("email", "邮箱", ("电子邮箱", "email"), cells.email),
    FieldSpec("credit_limit", "信用额度", ("credit limit",), cells.nonnegative(cells.money)),
    FieldSpec("created", "建档日期", ("created",), cells.date),
    FieldSpec("credit_code", "统一社会信用代码", ("信用代码", "credit code"), cells.credit_code, unique=True),
    FieldSpec("remarks", "备注", ("remarks",), cells.multiline_text),
)

GOOD_CODE = "91350100M000100Y43"


def write_xlsx(
    path: Path, rows: list[list], *, title: str | None = None, sheet: str = "客户", formats=None
) -> Path:
    """A workbook as people make them: optional merged title row, then the given rows (None = blank row)."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    if title:
        ws.append([title])
        width = max(len(r) for r in rows if r)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for row in rows:
        ws.append(row or [])
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    book.save(path)
    return path


# --- a minimal .xls (BIFF8 in a compound file) ---------------------------------------------------
# No library in the environment writes .xls, so the tests build the few records a reader needs: a
# workbook globals substream (BOF, date mode, XF formats, SST, BOUNDSHEET, EOF) and one worksheet
# substream (BOF, DIMENSIONS, LABELSST/NUMBER/BOOLERR cells, MERGECELLS, EOF), in a one-stream CFB.


def _record(kind: int, data: bytes = b"") -> bytes:
    import struct

    return struct.pack("<HH", kind, len(data)) + data


def _biff_sheet(rows: list[list], strings: dict[str, int], merged) -> bytes:
    import struct

    width = max((len(r) for r in rows if r), default=0)
    out = [_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))]
    out.append(_record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0)))
    for r, row in enumerate(rows):
        for c, value in enumerate(row or []):
            if value is None:
                continue
            if isinstance(value, bool):
                out.append(_record(0x0205, struct.pack("<HHHBB", r, c, 0, int(value), 0)))
            elif isinstance(value, int | float):
                out.append(_record(0x0203, struct.pack("<HHHd", r, c, 0, float(value))))
            elif (
                isinstance(value, tuple) and value[0] == "date"
            ):  # ("date", serial): a number with a date format
                out.append(_record(0x0203, struct.pack("<HHHd", r, c, 1, float(value[1]))))
            else:
                out.append(_record(0x00FD, struct.pack("<HHHI", r, c, 0, strings[value])))
    if merged:
        out.append(
            _record(
                0x00E5, struct.pack("<H", len(merged)) + b"".join(struct.pack("<HHHH", *m) for m in merged)
            )
        )
    out.append(_record(0x000A))
    return b"".join(out)


def _biff_workbook(sheet_name: str, rows: list[list], merged=()) -> bytes:
    import struct

    strings: dict[str, int] = {}
    for row in rows:
        for value in row or []:
            if isinstance(value, str):
                strings.setdefault(value, len(strings))
    sst = struct.pack("<II", len(strings), len(strings)) + b"".join(
        struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings
    )
    xf_general = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    xf_date = struct.pack(
        "<HHHBBBBIIH", 0, 14, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0
    )  # built-in format 14: a date
    name = sheet_name.encode("utf-16-le")

    def globals_(sheet_offset: int) -> bytes:
        return b"".join(
            [
                _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6)),
                _record(0x0042, struct.pack("<H", 1200)),
                _record(0x0022, struct.pack("<H", 0)),
                _record(0x00E0, xf_general),
                _record(0x00E0, xf_date),
                _record(0x0085, struct.pack("<IBBBB", sheet_offset, 0, 0, len(sheet_name), 1) + name),
                _record(0x00FC, sst),
                _record(0x000A),
            ]
        )

    head = globals_(0)
    return globals_(len(head)) + _biff_sheet(rows, strings, merged)


def _compound_file(stream: bytes, name: str = "Workbook") -> bytes:
    import struct

    sector = 512
    stream = stream + b"\0" * (max(4096, -(-len(stream) // sector) * sector) - len(stream))  # no mini stream
    n = len(stream) // sector
    assert n <= 126, "test workbooks must stay small"
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    fat = [fat_sect, end] + [3 + i for i in range(n - 1)] + [end]
    fat += [free] * (128 - len(fat))
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    assert len(header) == 512

    def entry(title: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = title.encode("utf-16-le") + b"\0\0" if title else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", free, free, child)
            + b"\0" * 16
            + struct.pack("<I", 0)
            + b"\0" * 16
            + struct.pack("<II", start, size)
            + struct.pack("<I", 0)
        )

    directory = (
        entry("Root Entry", 5, 1, end, 0)
        + entry(name, 2, free, 2, len(stream))
        + entry("", 0, free, 0, 0) * 2
    )
    return header + struct.pack("<128I", *fat) + directory + stream


def write_xls(path: Path, rows: list[list], *, sheet: str = "客户", merged=()) -> Path:
    """A real BIFF8 .xls file; ``("date", serial)`` makes a date cell, ``merged`` holds (r1, r2, c1, c2)."""
    path.write_bytes(_compound_file(_biff_workbook(sheet, rows, merged)))
    return path


# --- an .xlsx written by hand, as other programs write them -------------------------------------
# openpyxl always writes shared strings and never the cached value of a formula; Excel, WPS and
# exporters of web systems write inline strings and formulas with their last value.


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _raw_cell(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple) and value[0] == "formula":  # ("formula", "SUM(D2:D4)", cached value)
        _kind, formula, cached = value
        kind = ' t="str"' if isinstance(cached, str) else ""
        return f'<c r="{ref}"{kind}><f>{_xml_escape(formula)}</f><v>{_xml_escape(str(cached))}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_xml_escape(value)}</t></is></c>'


def write_raw_xlsx(path: Path, sheets: list[tuple[str, list[list], str]]) -> Path:
    """A minimal .xlsx with inline strings; ``sheets`` are (name, rows, state), state "visible" or "hidden";
    a cell ``("formula", "A1*2", 42.0)`` is a formula with its cached value."""
    import zipfile

    from crm_tui.io.headers import column_letter

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            f'sheet.main+xml"/>{types}</Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name="{_xml_escape(name)}" sheetId="{i}" r:id="rId{i}"'
            + (' state="hidden"' if state != "visible" else "")
            + "/>"
            for i, (name, _rows, state) in enumerate(sheets, 1)
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>{entries}'
            "</sheets></workbook>",
        )
        links = "".join(
            f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{links}</Relationships>',
        )
        for i, (_name, rows, _state) in enumerate(sheets, 1):
            data = "".join(
                f'<row r="{r}">'
                + "".join(_raw_cell(f"{column_letter(c)}{r}", v) for c, v in enumerate(row or []))
                + "</row>"
                for r, row in enumerate(rows, 1)
                if row
            )
            z.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{data}'
                "</sheetData></worksheet>",
            )
    return path
