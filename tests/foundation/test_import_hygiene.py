"""Below the screens nothing needs the terminal UI: importing every module of core, db, io and services in a
fresh interpreter leaves Textual unloaded (the command line and the tests import them without it)."""

from __future__ import annotations

import json
import subprocess
import sys

# Alembic runs the migration scripts itself (env.py reads alembic's context at import).
WALK = r"""
import importlib, importlib.util, json, pathlib, sys

names = []
for package in ("crm_tui.core", "crm_tui.db", "crm_tui.io", "crm_tui.services"):
    folder = pathlib.Path(importlib.util.find_spec(package).origin).parent
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(folder).with_suffix("").parts
        name = ".".join((package, *parts))
        if parts[-1] == "__init__":
            name = name[: -len(".__init__")]
        if not name.startswith("crm_tui.db.migrations"):
            names.append(name)
textual_after = None
for name in names:
    importlib.import_module(name)
    if textual_after is None and "textual" in sys.modules:
        textual_after = name
print(json.dumps({"loaded": names, "textual_after": textual_after,
                  "ui": sorted(m for m in sys.modules if m.split(".")[0] == "textual"
                               or m.startswith(("crm_tui.screens", "crm_tui.widgets", "crm_tui.app")))}))
"""


def test_core_db_io_and_services_import_without_textual():
    out = subprocess.run([sys.executable, "-c", WALK], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert len(result["loaded"]) > 100  # every module was walked, not just the packages
    assert {"crm_tui.core.clock", "crm_tui.db.session", "crm_tui.io.cells",
            "crm_tui.services.sales.orders"} <= set(result["loaded"])
    assert result["textual_after"] is None
    assert result["ui"] == []
