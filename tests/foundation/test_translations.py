"""Every interface string has its Chinese, and two catalogs never translate the same text differently."""

import ast
import tomllib
from pathlib import Path

import crm_tui

ROOT = Path(crm_tui.__file__).parent
LANGUAGE_NEUTRAL = {"中文/English"}
# Same English text with different Chinese in two areas: a real difference of meaning needs its own msgid
# ("Opening balance" of a customer, "Opening payable" of a supplier). None are allowed.
KNOWN_CONFLICTS: set[str] = set()


def _msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None)
            index = {"_": 0, "n_": 0, "Binding": 2}.get(name)  # n_: the singular is the msgid
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip():
                found.setdefault(arg.value, str(path.relative_to(ROOT)))
    return found


def _catalogs() -> dict[str, dict[str, str]]:
    return {f.name: tomllib.loads(f.read_text(encoding="utf-8")) for f in sorted((ROOT / "i18n" / "zh_CN").glob("*.toml"))}


def test_every_interface_string_has_chinese():
    merged: dict[str, str] = {}
    for catalog in _catalogs().values():
        merged.update(catalog)
    missing = {m: where for m, where in _msgids().items() if m not in merged and m not in LANGUAGE_NEUTRAL}
    assert not missing, f"{len(missing)} strings without Chinese, e.g. {list(missing.items())[:10]}"


def test_no_new_conflicting_translations():
    seen: dict[str, set[str]] = {}
    for catalog in _catalogs().values():
        for key, value in catalog.items():
            seen.setdefault(key, set()).add(value)
    conflicts = {k for k, values in seen.items() if len(values) > 1}
    assert conflicts <= KNOWN_CONFLICTS, sorted(conflicts - KNOWN_CONFLICTS)


def test_placeholders_survive_translation():
    import re

    field = re.compile(r"\{[^}]*\}")
    for name, catalog in _catalogs().items():
        for key, value in catalog.items():
            assert sorted(field.findall(key)) == sorted(field.findall(value)), (name, key, value)


def test_stored_codes_read_as_words_in_english():
    from crm_tui.i18n import gettext_in

    assert gettext_in("en", "pending_approval") == "pending approval"
    assert gettext_in("en", "stock_out") == "stock-out"
    assert gettext_in("zh_CN", "pending_approval") == "待审批"
    assert gettext_in("en", "Log in") == "Log in"  # English message ids stay as they are
