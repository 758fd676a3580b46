"""Recovery files: private, Decimals as text, one per kind and user, never outside the drafts folder."""

import os
from datetime import date
from decimal import Decimal as D

from crm_tui.paths import get_paths
from crm_tui.widgets import drafts


def test_a_draft_is_written_private_read_back_and_dropped():
    path = drafts.write_draft("sales-order", "li", {"qty": D("2.50"), "day": date(2026, 12, 7), "note": "冷藏"})
    assert path == get_paths().data / "drafts" / "sales-order-li.json"
    assert os.stat(path).st_mode & 0o777 == 0o600 and os.stat(path.parent).st_mode & 0o777 == 0o700
    assert drafts.read_draft("sales-order", "li") == {"qty": "2.50", "day": "2026-12-07", "note": "冷藏"}
    assert drafts.read_draft("sales-order", "wang") is None  # another user's is not offered
    drafts.drop_draft("sales-order", "li")
    assert not path.exists() and drafts.read_draft("sales-order", "li") is None


def test_a_login_cannot_reach_outside_the_drafts_folder_and_a_broken_file_is_not_offered():
    path = drafts.write_draft("stock-document", "../../x", {"a": 1})
    assert path.parent == get_paths().data / "drafts" and "/" not in path.name
    path.write_text("{not json", encoding="utf-8")
    assert drafts.read_draft("stock-document", "../../x") is None
