"""Fixtures of the io tests: messy customer files built with openpyxl."""

from __future__ import annotations

import datetime as dt

import pytest
from io_builders import GOOD_CODE, write_xlsx


@pytest.fixture
def messy_rows():
    """Header on row 3 (title on 1, blank on 2); data rows 4..10 with the usual trouble."""
    return [
        None,
        [
            "序号",
            "客户名称",
            "手机号码",
            "固定电话",
            "信用额度（元）",
            "建档日期",
            "统一社会信用代码",
            "微信",
            "备注",
        ],
        [1, "北京华夏科技有限公司", 13800138000, "(010)12345678", 1000.5, 46329, GOOD_CODE, "wx1", "老客户"],
        None,
        [
            2,
            "ＡＢＣ贸易　有限公司",
            "138 0013 8001",
            "0755 88881234",
            "￥2,000",
            "2026年11月3日",
            None,
            None,
            None,
        ],
        [3, None, "1380013800", "12345678", "-5", "someday", 9.1110108e17],
        [4, "北京华夏科技有限公司 ", None, None, None, dt.datetime(2026, 11, 3, 9, 30)],
        [5],
        [6, "深圳华联", "+86 139-0000-0000", "400-123-4567", 0.1 + 0.2, "20261103", "91440300708461136t"],
    ]


@pytest.fixture
def messy_xlsx(tmp_path, messy_rows):
    return write_xlsx(
        tmp_path / "customers.xlsx", messy_rows, title="客户资料表", formats={"F4": "yyyy-mm-dd"}
    )
