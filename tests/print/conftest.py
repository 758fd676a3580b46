"""Fixtures of the print tests; the sample documents live in ``print_samples.py``."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def wqy_font() -> str:
    from crm_tui.io.pdf import fonts
    from crm_tui.io.pdf.fonts import system_candidates

    for path, _index in system_candidates():
        if path.endswith("wqy-microhei.ttc") and os.path.isfile(path):
            return path
    return str(fonts.bundled_font_path())  # no system copy: the one the package ships is the same font
