"""Command palette (ctrl+p): type part of a customer's name, code, phone or pinyin to open it.

Only customers the user may see are offered (``quick_find`` goes through the visibility rule).
"""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import Hit, Hits, Provider

from crm_tui.i18n import _

MIN_LENGTH = 1
LIMIT = 8


class CustomerFinder(Provider):
    async def search(self, query: str) -> Hits:
        app = self.app
        query = query.strip()
        if getattr(app, "actor", None) is None or getattr(app, "engine", None) is None or len(query) < MIN_LENGTH:
            return
        rows = await asyncio.to_thread(self._find, app, query)
        matcher = self.matcher(query)
        for rank, row in enumerate(rows):
            title = _("Customer: {code} {name}").format(code=row.code, name=row.name)
            yield Hit(max(matcher.match(title), 0.5 - rank / 100), matcher.highlight(title),
                      partial(self._open, row.id), help=" · ".join(x for x in (row.owner, row.area, row.mobile) if x))

    @staticmethod
    def _find(app, query: str):
        from crm_tui.services.customers.search import quick_find
        from crm_tui.services.runner import read

        try:
            return read(app.engine, app.actor, lambda session: quick_find(session, app.actor, query, LIMIT))
        except Exception:  # noqa: BLE001 - a palette search must never break the palette
            return []

    def _open(self, customer_id: int) -> None:
        from crm_tui.screens.customers.detail import CustomerScreen

        self.app.push_screen(CustomerScreen(customer_id))
