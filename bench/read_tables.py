"""Benchmark: reading a 100,000-row, 17-column customer workbook.

Prints the wall and CPU time of: writing it with ``crm_tui.io.workbook`` (the export path), a raw python-calamine read,
``tabular.read_table``, ``importing.read_and_validate`` with the customer headers and parsers, and
openpyxl read-only iteration for comparison.

    PYTHONPATH=$PWD python bench/read_tables.py [ROWS] [--no-openpyxl]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from crm_tui.io import cells
from crm_tui.io.importing import FieldSpec, read_and_validate
from crm_tui.io.tabular import read_table
from crm_tui.io.workbook import Column, Sheet, columns_for, write_workbook

SPECS = (
    FieldSpec("code", "客户编号", ("编号", "code"), cells.code_text, unique=True),
    FieldSpec("name", "客户名称", ("名称", "客户", "公司名称", "name"), required=True, unique=True),
    FieldSpec("short_name", "简称", ("short name",)),
    FieldSpec("contact", "联系人", ("contact",)),
    FieldSpec("mobile", "手机", ("手机号码", "手机号", "移动电话", "mobile"), cells.mobile),
    FieldSpec("phone", "电话", ("固定电话", "座机", "联系电话", "phone"), cells.landline),
    FieldSpec("email", "邮箱", ("email",), cells.email),
    FieldSpec("address", "地址", ("address",)),
    FieldSpec("area", "片区", ("所属片区", "区域", "area")),
    FieldSpec("industry", "行业", ("industry",)),
    FieldSpec("classification", "客户分类", ("分类", "classification")),
    FieldSpec("owner", "业务员", ("owner",)),
    FieldSpec("credit_limit", "信用额度", ("credit limit",), cells.nonnegative(cells.money)),
    FieldSpec("opening_balance", "期初余额", ("opening balance",), cells.money),
    FieldSpec("created", "建档日期", ("created",), cells.date),
    FieldSpec("credit_code", "统一社会信用代码", ("credit code",), cells.credit_code, unique=True),
    FieldSpec("remarks", "备注", ("remarks",), cells.multiline_text),
)

AREAS = ["010", "021", "0755", "020", "0571", "028", "027", "029", "025", "0371"]
CITIES = ["北京", "上海", "深圳", "广州", "杭州", "成都", "武汉", "西安", "南京", "郑州"]
TRADES = ["科技", "贸易", "商贸", "食品", "酒业", "超市", "物流", "建材"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
ALPHABET = cells.CREDIT_ALPHABET


def credit_code(rng: random.Random) -> str:
    body = (
        "91"
        + "".join(rng.choice("0123456789") for _ in range(6))
        + "".join(rng.choice(ALPHABET) for _ in range(9))
    )
    return body + cells.credit_check_character(body)


def make_rows(n: int):
    rng = random.Random(7)
    day0 = dt.date(2015, 1, 1)
    for i in range(n):
        city = CITIES[i % len(CITIES)]
        name = f"{city}{SURNAMES[i % 20]}{TRADES[i % 8]}有限公司{i}"
        mobile = 13800000000 + i
        yield [
            f"C{i:06d}",
            name,
            name[:4],
            SURNAMES[rng.randrange(20)] + "先生",
            float(mobile) if i % 2 else str(mobile),  # half typed as numbers, as in real files
            f"{AREAS[i % len(AREAS)]}-{rng.randrange(2 * 10**7, 10**8)}",
            f"user{i}@example.com",
            f"{city}市某区某路{i % 500}号",
            city + "片区",
            TRADES[i % 8],
            "A类" if i % 3 == 0 else "重点",
            f"员工{i % 50}",
            Decimal(rng.randrange(0, 10_000_000)) / 100,
            Decimal(rng.randrange(-100_000, 1_000_000)) / 100,
            day0 + dt.timedelta(days=i % 4000),
            credit_code(rng),
            "老客户" if i % 7 == 0 else None,
        ]


def timed(label: str, fn):
    # CPU time is printed beside wall time: on a shared 2-core machine the wall clock mostly measures
    # the neighbours (python-calamine decompresses on a second thread, so its CPU can exceed its wall).
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    print(f"{label:<52} {time.perf_counter() - start:7.2f} s wall {time.process_time() - cpu:7.2f} s cpu")
    return value


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 100_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "customers.xlsx"
        columns: list[Column] = columns_for(SPECS)
        print(f"{n:,} rows x {len(SPECS)} columns")
        timed(
            "write with crm_tui.io.workbook (export path)",
            lambda: write_workbook(path, [Sheet("客户", columns, make_rows(n))]),
        )
        print(f"{'file size':<52} {path.stat().st_size / 1e6:7.1f} MB")

        def calamine_raw():
            import python_calamine

            book = python_calamine.CalamineWorkbook.from_path(str(path))
            return book.get_sheet_by_index(0).to_python(skip_empty_area=False)

        raw = timed("python-calamine raw read (to_python)", calamine_raw)
        assert len(raw) == n + 1
        table = timed("tabular.read_table", lambda: read_table(path))
        assert len(table.rows) == n + 1
        result = timed(
            "importing.read_and_validate (read + parse + check)", lambda: read_and_validate(path, SPECS)
        )
        assert result.ok and len(result.rows) == n, result.error_lines()[:5]
        if "--no-openpyxl" not in sys.argv:

            def openpyxl_read():
                from openpyxl import load_workbook

                book = load_workbook(path, read_only=True)
                count = sum(1 for _ in book.active.iter_rows(values_only=True))
                book.close()
                return count

            timed("openpyxl read-only iteration (comparison)", openpyxl_read)


if __name__ == "__main__":
    main()
