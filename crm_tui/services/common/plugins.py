"""Plug-in references: a registry holds either the object itself or where it lives, ``"package.module:name"``
(or ``"package.module"`` for a module), imported only when first used. The composition root
(``crm_tui/bootstrap.py``) registers references, so starting a command does not import every area."""

from __future__ import annotations

import importlib
from typing import Any


def resolve(ref: Any) -> Any:
    """The object ``ref`` names; anything but a string is returned as it is."""
    if not isinstance(ref, str):
        return ref
    module, _, name = ref.partition(":")
    found = importlib.import_module(module)
    return getattr(found, name) if name else found
