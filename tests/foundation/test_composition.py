"""Permissions are one static table and plug-ins are registered at the composition root, never by an import."""

import json
import subprocess
import sys

from crm_tui.core.actor import Actor
from crm_tui.db.models.people import ROLES
from crm_tui.services.admin import permissions

ACTIONS = sorted({
    "records.read_all", "records.create", "records.assign", "records.review", "records.approve", "reports.team",
    "documents.manage", "visits.manage", "customers.create", "customers.edit_all", "customers.delete",
    "customers.import", "customers.export", "sales.edit", "sales.ship", "sales.money", "sales.approve",
    "sales.reports", "expenses.claim", "products.manage", "stock.manage", "purchase.manage", "purchase.approve",
})

_ANSWERS = (
    "import json, sys\n"
    "{imports}\n"
    "from crm_tui.core.actor import Actor\n"
    "from crm_tui.services.admin.permissions import can\n"
    "roles, actions = json.loads(sys.argv[1])\n"
    "print(json.dumps({{r: [a for a in actions if can(Actor(1, 'x', 'x', r), a)] for r in roles}}))\n"
)


def _answers_in_subprocess(imports: str) -> dict[str, list[str]]:
    code = _ANSWERS.format(imports=imports)
    r = subprocess.run([sys.executable, "-c", code, json.dumps([list(ROLES), ACTIONS])],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_can_answers_the_same_whatever_was_imported():
    alone = _answers_in_subprocess("")
    everything = _answers_in_subprocess(
        "import importlib, pkgutil, crm_tui.services as S\n"
        "for m in pkgutil.walk_packages(S.__path__, 'crm_tui.services.'): importlib.import_module(m.name)\n"
        "import crm_tui.bootstrap as b; b.install_plugins()")
    here = {r: [a for a in ACTIONS if permissions.can(Actor(1, "x", "x", r), a)] for r in ROLES}
    assert alone == everything == here
    assert "sales.ship" in alone["warehouse"] and "customers.import" in alone["clerk"]
    assert "purchase.approve" in alone["manager"] and alone["salesperson"] == [
        "customers.create", "expenses.claim", "records.create", "sales.edit"]
    assert alone["administrator"] == ACTIONS


def test_permission_table_cannot_be_changed_at_run_time():
    assert all(isinstance(held, frozenset) for held in permissions.PERMISSIONS.values())
    assert not hasattr(permissions, "grant")


_REGISTRIES = (
    "from crm_tui.services.common import checks\n"
    "from crm_tui.services.customers import search\n"
    "from crm_tui.services.printing import documents\n"
    "from crm_tui.services import demo\n"
    "areas = sorted(m for m in sys.modules if m.startswith(('crm_tui.services.sales', 'crm_tui.services.stock')))\n"
    "print(json.dumps({'kinds': documents.registered_kinds(), 'sources': len(search.SALES_AMOUNT_SOURCES),\n"
    "                  'steps': [getattr(m, '__name__', m) for m in demo.STEPS], 'areas_imported': areas,\n"
    "                  'invariants': len(checks.invariants())}))\n"
)


def _registries_in_subprocess(prelude: str) -> dict:
    r = subprocess.run([sys.executable, "-c", "import json, sys\n" + prelude + "\n" + _REGISTRIES],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_importing_every_service_registers_no_plugin():
    found = _registries_in_subprocess(
        "import importlib, pkgutil, crm_tui.services as S\n"
        "for m in pkgutil.walk_packages(S.__path__, 'crm_tui.services.'): importlib.import_module(m.name)")
    assert {k: v for k, v in found.items() if k != "areas_imported"} == {
        "kinds": [], "invariants": 0, "sources": 0, "steps": []}


def test_the_composition_root_registers_every_plugin_once():
    found = _registries_in_subprocess(
        "import crm_tui.bootstrap as b; b.install_plugins(); b.install_plugins()\n"
        "import sys; before = sorted(m for m in sys.modules if m.startswith('crm_tui.services.sales'))\n"
        "assert before == [], before  # registered by name: no area is imported until a plug-in is used")
    assert found["kinds"] == ["delivery", "invoice", "order", "purchase_order", "purchase_return", "quote",
                              "sales_return", "statement"]
    assert found["invariants"] == 21 and found["sources"] == 1
    assert found["steps"] == [f"crm_tui.services.demo.{n}" for n in (
        "people", "customers", "stock", "sales", "visits", "opps", "service", "docs", "today", "messaging",
        "analysis", "credit", "lists", "units", "returns", "purchase_returns")]


def test_every_registered_plugin_resolves():
    from crm_tui import bootstrap
    from crm_tui.services.common.checks import invariants
    from crm_tui.services.common.plugins import resolve
    from crm_tui.services.demo import STEPS
    from crm_tui.services.printing import documents

    for ref in [*bootstrap.PRINT_ADAPTERS.values(), bootstrap.STATEMENT_ADAPTER, *bootstrap.SALES_AMOUNT_SOURCES]:
        assert callable(resolve(ref)), ref
    assert all(callable(resolve(documents._adapters[kind])) for kind in bootstrap.PRINT_ADAPTERS)
    assert all(callable(resolve(step).run) and resolve(step).TITLE for step in STEPS)
    assert len(invariants()) == 21 and all(callable(fn) for fn in invariants().values())


def test_cli_and_app_install_the_plugins(monkeypatch):
    import crm_tui.bootstrap as bootstrap
    from crm_tui.app import create_app

    assert create_app().install_plugins is bootstrap.install_plugins
    code = ("import json, sys\nfrom click.testing import CliRunner\nfrom crm_tui.cli import cli\n"
            "CliRunner().invoke(cli, ['print', 'quote'])\n" + _REGISTRIES)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["kinds"] == ["delivery", "invoice", "order", "purchase_order", "purchase_return", "quote",
                                                   "sales_return", "statement"]
