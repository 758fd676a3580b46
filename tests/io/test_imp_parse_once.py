"""Each distinct cell of a column is parsed once (large sheets repeat areas, salespeople, amounts): every row
still gets its own value and its own error, and cells that are equal in Python but not alike stay apart."""

from __future__ import annotations

from decimal import Decimal

from crm_tui.io import cells, columns, importing
from crm_tui.io.importing import FieldSpec, validate_table
from crm_tui.io.tabular import Table, rows_from_grid

SPECS = (
    FieldSpec("name", "名称", parse=cells.text, required=True),
    FieldSpec("amount", "金额", parse=cells.money, kind="money"),
    FieldSpec("label", "标签"),
)


def _validate(grid):
    table = Table("t.xlsx", "表", list(rows_from_grid("表", grid)))
    return validate_table(table, SPECS)


def test_repeated_cells_parsed_once_each_row_judged(monkeypatch):
    calls = []

    def money(raw):
        calls.append(raw)
        return cells.money(raw)

    monkeypatch.setattr(importing, "_column_parser", lambda spec, header: money if spec.key == "amount"
                        else spec.parse)
    grid = [["名称", "金额", "标签"]] + [[f"客户{i}", "abc" if i % 3 == 0 else "1,000", True if i == 4 else 1]
                                         for i in range(1, 10)]
    result = _validate(grid)
    assert sorted(calls) == ["1,000", "abc"]  # nine rows, two distinct cells
    bad = [r.row for r in result.bad_rows]
    assert bad == [4, 7, 10]  # rows with "abc", each with its own error naming its own row
    assert all(r.errors[0].message == result.bad_rows[0].errors[0].message for r in result.bad_rows)
    assert {r.values["amount"] for r in result.good_rows} == {Decimal("1000.00")}
    labels = {r.row: r.values["label"] for r in result.rows}
    assert labels[5] == cells.text(True) and labels[2] == "1"  # True and 1 are equal keys, not the same cell


def test_large_columns_stop_being_remembered(monkeypatch):
    calls = []

    def text(raw):
        calls.append(raw)
        return cells.text(raw)

    monkeypatch.setattr(columns, "MEMO_MAX", 3)
    monkeypatch.setattr(importing, "_column_parser", lambda spec, header: text if spec.key == "name" else spec.parse)
    grid = [["名称"]] + [[f"客户{i % 5}"] for i in range(20)]
    result = _validate(grid)
    assert [r.values["name"] for r in result.rows] == [f"客户{i % 5}" for i in range(20)]
    assert len(calls) == 3 + 2 * 4  # the first three kept; the other two parsed at each of their four rows


def _outcome(result):
    rows = [(r.row, r.values, [(e.column, e.value, e.message) for e in r.errors]) for r in result.rows]
    return rows, result.passed_over


def test_block_fast_paths_judge_every_cell_as_the_careful_loop(monkeypatch):
    """Blocks looked up with one map, columns parsed straight through once the memory is full: every value,
    error and passed-over row is what the plain cell-by-cell loop gives."""
    specs = (
        FieldSpec("name", "名称", parse=cells.text_max(10), required=True, unique=cells.normalize_key),
        FieldSpec("amount", "金额", parse=cells.money, kind="money"),
        FieldSpec("label", "标签"),
        FieldSpec("mobile", "手机", parse=cells.mobile),
    )
    odd_names = {397: "无", 401: "\u200b", 409: "十二个字的客户名称太长了", 601: None}
    grid = [["名称", "金额", "标签", "手机"]]
    for i in range(1, 3500):
        name = odd_names.get(i % 1000 if i > 1000 else i, f"客户{i}" if i % 503 else f"客户{i - 1}")
        amount = "abc" if i % 311 == 0 else "-" if i % 313 == 0 else float(i) * 1.5 if i > 2000 else 1000.0
        label = [True, 1, 1.0, "x", None][i % 5] if i < 1500 else "x"
        mobile = "无" if i % 257 == 0 else "12345" if i % 263 == 0 else 13800000000.0 + i
        grid.append([name, amount, label, mobile])
    grid[1200] = ["合计", 12345.0]
    grid[2500] = ["名称", "金额", "标签", "手机"]
    grid[2600] = [None, None, None, None, "序号"]
    monkeypatch.setattr(columns, "MEMO_MAX", 50)
    table = Table("t.xlsx", "表", list(rows_from_grid("表", grid)))
    fast = validate_table(table, specs)
    monkeypatch.setattr(columns.Column, "parse_cells", lambda self, column, problems, filled:
                        self._careful(column, problems, filled))
    careful = validate_table(table, specs)
    assert _outcome(fast) == _outcome(careful)
    assert len(fast.bad_rows) > 40 and fast.passed_over == [(1201, "total"), (2501, "header")]


def test_a_pasted_grid_with_unhashable_and_mixed_cells():
    grid = [["名称", "金额", "标签"], ["甲", ["1", "000"], 1], ["乙", Decimal("2.5"), ["x"]], ["丙", 3.0, True]]
    result = _validate(grid)
    assert [(r.row, r.values["amount"]) for r in result.rows] == [(2, None), (3, Decimal("2.50")), (4, Decimal("3.00"))]
    assert [e.row for e in result.errors] == [2]
    assert [r.values["label"] for r in result.rows] == ["1", cells.text(["x"]), cells.text(True)]
