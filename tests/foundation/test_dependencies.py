"""pyproject.toml declares what crm_tui imports, and nothing it does not."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import crm_tui

ROOT = Path(crm_tui.__file__).parent
# Loaded by another library rather than imported: the PostgreSQL driver (by SQLAlchemy) and reportlab's C
# speed-ups (by reportlab).
LOADED_INDIRECTLY = {"psycopg", "rl-accel", "lxml"}  # lxml: openpyxl writes through it when present


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normal(re.split(r"[\[<>=!~; ]", dep, maxsplit=1)[0]) for dep in project["dependencies"]}


def _imported_distributions() -> set[str]:
    top: set[str] = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                top.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                top.add(node.module.split(".")[0])
    third_party = top - set(sys.stdlib_module_names) - {"crm_tui"}
    owners = packages_distributions()
    missing = {name for name in third_party if name not in owners}
    assert not missing, f"imported but not installed: {missing}"
    return {_normal(owners[name][0]) for name in third_party}


def test_every_imported_library_is_declared_and_every_declared_one_imported():
    declared, imported = _declared(), _imported_distributions()
    assert imported - declared == set(), "imported but not declared"
    assert declared - imported - LOADED_INDIRECTLY == set(), "declared but never imported"
    assert "xlrd" not in declared and "rich" in declared
