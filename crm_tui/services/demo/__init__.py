"""``crm demo``: a deterministic Chinese demo company. The composition root (``crm_tui/bootstrap.py``) lists
the areas' step modules, in dependency order, with ``register_steps``.

A step is ``run(session, ctx)`` where ``ctx`` is a ``DemoContext`` shared between steps (the seeded random
generator, the admin actor, and what earlier steps created, by name).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType
from typing import Any

from sqlalchemy import Engine, func, select

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.people import User
from crm_tui.db.session import transaction
from crm_tui.i18n import _
from crm_tui.services.common.plugins import resolve

SEED = 20261127
DEMO_PASSWORD = "demo1234"
TODAY = date(2026, 11, 27)  # the demo's "today": fixed so the data is the same on every machine

# Step modules (or their names), in dependency order; each exposes ``TITLE`` and ``run(session, ctx)``.
STEPS: list[ModuleType | str] = []


def register_steps(*modules: ModuleType | str) -> None:
    STEPS[:] = modules


@dataclass
class DemoContext:
    actor: Actor
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    today: date = TODAY
    made: dict[str, Any] = field(default_factory=dict)


def run_demo(engine: Engine, actor: Actor, progress: Callable[[str, int, int], None] | None = None) -> dict:
    """Fill an empty database (only administrators may exist) with the demo company, in one transaction."""
    if not STEPS:
        raise RuntimeError("no demo steps registered: the composition root (crm_tui.bootstrap) was not run")
    with transaction(engine, actor) as session:
        others = session.scalar(select(func.count()).select_from(User).where(User.role != "administrator"))
        if others:
            raise ValidationError(_("The demo company can only be added to an empty database."))
        ctx = DemoContext(actor)
        for i, module in enumerate(map(resolve, STEPS)):
            if progress:
                progress(_(module.TITLE), i, len(STEPS))
            module.run(session, ctx)
        if progress:
            progress(_("Done"), len(STEPS), len(STEPS))
    return {k: len(v) if hasattr(v, "__len__") else v for k, v in ctx.made.items()}


def counts_text(counts: dict[str, int]) -> str:
    """``departments 7, users 16, …`` in the interface language (the keys are msgids: i18n/zh_CN/demo.toml)."""
    return ", ".join(f"{_(k)} {v}" for k, v in counts.items())
