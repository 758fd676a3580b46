"""Parts other areas supply: the funnel and opportunities (CRM) and campaign results (messaging).

Each hook is looked up by name when asked; while its area is missing it answers None and the analysis shows the
part as "not available yet". The integrator points a hook at the real function by setting its reference (or
by calling ``register``); the function is called as ``fn(session, actor, period)`` and returns a list of dicts:

- ``funnel``: ``{"stage", "count", "amount"}`` per stage, in order;
- ``opportunities_by_source``: ``{"source", "count", "amount"}``;
- ``campaigns``: ``{"campaign", "sent", "responses", "orders", "amount"}``.
"""

from __future__ import annotations

import importlib
from typing import Any

HOOKS: dict[str, str | Any] = {
    "funnel": "crm_tui.services.analysis.area_parts:funnel",
    "opportunities_by_source": "crm_tui.services.analysis.area_parts:opportunities_by_source",
    "campaigns": "crm_tui.services.analysis.area_parts:campaign_results",
}


def register(name: str, ref: str | Any) -> None:
    HOOKS[name] = ref


def lookup(name: str):
    """The function behind hook ``name``, or None while its module (or function) is not there."""
    ref = HOOKS.get(name)
    if ref is None or not isinstance(ref, str):
        return ref
    module, _sep, attr = ref.partition(":")
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None  # the area is not there (yet); an error inside a present module still shows
        raise
    return getattr(found, attr, None)


def call(name: str, session, actor, period) -> list[dict] | None:
    fn = lookup(name)
    return None if fn is None else list(fn(session, actor, period))
