"""Every user-facing string of crm_tui.io has Chinese; importing crm_tui.io is light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import crm_tui.io
from crm_tui.i18n import catalog

IO_DIR = Path(crm_tui.io.__file__).parent


def translated_literals() -> set[str]:
    found = set()
    for path in IO_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                arg = node.args[0]
                assert isinstance(arg, ast.Constant), f"{path.name}:{node.lineno}: _() needs a literal"
                found.add(arg.value)
    return found


def test_every_io_message_has_chinese():
    literals = translated_literals()
    assert len(literals) > 30
    missing = sorted(m for m in literals if m not in catalog("zh_CN"))
    assert missing == []


def test_chinese_placeholders_match():
    import re

    zh = catalog("zh_CN")
    for message in translated_literals():
        assert sorted(re.findall(r"{\w+}", message)) == sorted(re.findall(r"{\w+}", zh[message])), message


def test_importing_io_loads_no_heavy_library():
    code = (
        "import sys, crm_tui.io.tabular, crm_tui.io.cells, crm_tui.io.headers, crm_tui.io.importing, "
        "crm_tui.io.workbook\n"
        "print(sorted(m for m in ('textual', 'openpyxl', 'python_calamine', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
