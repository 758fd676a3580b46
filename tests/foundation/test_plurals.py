"""English counts take the singular for one ("1 customer", not "1 customers"); Chinese has one form."""

import ast

import pytest

from crm_tui.i18n import n_, ngettext_in, set_language
from tests.foundation.test_translations import ROOT


@pytest.fixture
def language():
    yield set_language
    set_language("en")


@pytest.mark.parametrize("n, english", [(0, "0 customers"), (1, "1 customer"), (2, "2 customers")])
def test_english_picks_the_form_by_the_count(language, n, english):
    language("en")
    assert n_("{n} customer", "{n} customers", n).format(n=n) == english


@pytest.mark.parametrize("n", [1, 3])
def test_chinese_has_one_form_stored_under_the_singular(language, n):
    language("zh_CN")
    assert n_("{n} customer", "{n} customers", n).format(n=n) == f"{n} 个客户"
    assert n_("Claimed {n} customer from the public pool.", "Claimed {n} customers from the public pool.",
              n).format(n=n) == f"已从公海领取 {n} 个客户。"


def test_a_message_without_chinese_falls_back_to_the_english_forms():
    assert ngettext_in("zh_CN", "{n} widget", "{n} widgets", 2) == "{n} widgets"
    assert ngettext_in("zh_CN", "{n} widget", "{n} widgets", 1) == "{n} widget"


def test_no_counted_customer_message_is_left_without_its_singular():
    """A plural count message given to ``_`` reads "1 customers" in English: they go through ``n_``."""
    counted = ("{n} customers", "{n} customers ", "{n} people", "{n} shares", "{n} products", "{n} suppliers",
               "{n} warnings", "{n} documents")
    found = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                    and node.args[0].value.startswith(counted)):
                found.append((str(path.relative_to(ROOT)), node.args[0].value))
    assert not found, found
