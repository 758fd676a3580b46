"""The layers point down and nothing imports in a circle: the import-linter contracts in pyproject.toml, a
cycle check over every module (function-local imports included), and proof that each contract fails when a
forbidden import is added."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest
from importlinter import api  # noqa: F401 - configures import-linter (readers, graph builder)
from importlinter.application import use_cases
from importlinter.application.app_config import settings

PYPROJECT = str(Path(__file__).resolve().parents[2] / "pyproject.toml")


def _options():
    return use_cases.read_user_options(PYPROJECT)


def test_the_import_contracts_are_kept(capsys):
    kept = use_cases.lint_imports(PYPROJECT, cache_dir=None, no_logo=True, is_debug_mode=True)
    assert kept == use_cases.SUCCESS, capsys.readouterr().out


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _acyclic_ignores() -> list[tuple[str, str]]:
    """The imports the acyclic contract ignores while other branches remove them (no wildcards there)."""
    [contract] = [c for c in _options().contracts_options if c.get("id") == "acyclic"]
    pairs = []
    for line in contract.get("ignore_imports", []):
        importer, imported = (part.strip() for part in line.split("->"))
        pairs.append((importer, imported))
    return pairs


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph("crm_tui", cache_dir=None)  # function-local imports are edges too
    for importer, imported in _acyclic_ignores():
        targets = [m for m in graph.modules if m == imported
                   or (imported.endswith(".*") and m.rsplit(".", 1)[0] == imported[:-2])]
        for target in targets:
            if graph.direct_import_exists(importer=importer, imported=target):
                graph.remove_import(importer=importer, imported=target)
    assert _cycles(graph) == []


def test_the_cycle_check_sees_function_local_imports_and_finds_a_circle():
    graph = grimp.build_graph("crm_tui", cache_dir=None)
    # import_customers imports the runner inside the function: an edge all the same
    assert graph.direct_import_exists(importer="crm_tui.services.customers.imports", imported="crm_tui.services.runner")
    graph.add_import(importer="crm_tui.core.money", imported="crm_tui.core.clock")
    graph.add_import(importer="crm_tui.core.clock", imported="crm_tui.core.money")
    assert ["crm_tui.core.clock", "crm_tui.core.money"] in _cycles(graph)


class _GraphWith:
    """import-linter's graph builder, plus the imports a test adds."""

    def __init__(self, imports: list[tuple[str, str]]):
        self.imports = imports

    def build(self, root_package_names, cache_dir=None, include_external_packages=False,
              exclude_type_checking_imports=False):
        graph = grimp.build_graph(*root_package_names, include_external_packages=include_external_packages,
                                  exclude_type_checking_imports=exclude_type_checking_imports, cache_dir=None)
        for importer, imported in self.imports:
            graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="added by a test")
        return graph


@pytest.mark.parametrize(("importer", "imported", "contract"), [
    ("crm_tui.core.money", "crm_tui.i18n", "core"),
    ("crm_tui.db.engine", "crm_tui.services.admin.database", "layers"),
    ("crm_tui.io.cells", "crm_tui.db.session", "layers"),
    ("crm_tui.services.sales.orders", "textual", "no-ui-below-screens"),
    ("crm_tui.services.customers.records", "crm_tui.screens.base", "layers"),
    ("crm_tui.widgets.forms", "crm_tui.screens.base", "layers"),
    ("crm_tui.screens.stock.count", "sqlalchemy", "screens-no-db"),
    ("crm_tui.screens.stock.count", "crm_tui.db.models.stock", "screens-no-db"),
    ("crm_tui.cli.stock", "crm_tui.db.models.stock", "cli-through-services"),
    ("crm_tui.cli.stock", "crm_tui.screens.stock.listing", "cli-through-services"),
    ("crm_tui.services.sales.order_state", "crm_tui.services.sales.orders", "acyclic"),
    ("crm_tui.services.customers.records", "crm_tui.services.sales.documents", "acyclic"),
])
def test_a_forbidden_import_breaks_its_contract(importer, imported, contract, capsys):
    builder = settings.GRAPH_BUILDER
    settings.configure(GRAPH_BUILDER=_GraphWith([(importer, imported)]))
    try:
        kept = use_cases.lint_imports(PYPROJECT, limit_to_contracts=(contract,), cache_dir=None, no_logo=True,
                                      is_debug_mode=True)
    finally:
        settings.configure(GRAPH_BUILDER=builder)
    assert kept == use_cases.FAILURE
    assert f"{importer} -> {imported}" in capsys.readouterr().out.replace("\n", " ") or contract == "acyclic"
