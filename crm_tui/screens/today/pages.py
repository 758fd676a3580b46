"""What the customer page and the employee page share: a tab per registered table, with its count in the tab."""

from __future__ import annotations

from textual.containers import Vertical
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from crm_tui.i18n import _
from crm_tui.widgets.tables import SizedTable, cut, numbers_right

CELL_WIDTH = 40  # a long summary is cut; the record shows it whole


async def fill_tabs(tabbed: TabbedContent, tabs, links: dict[str, list[str | None]]) -> None:
    """Replace the tabs of ``tabbed`` with one per (id, title, Table); ``links`` gets each table's row links."""
    active = tabbed.active
    await tabbed.clear_panes()
    links.clear()
    for tab_id, title, t in tabs:
        table = SizedTable(id=f"rows-{tab_id}", cursor_type="row", zebra_stripes=True)
        table.add_columns(*[_(c) for c in t.columns])
        for row in t.rows:
            table.add_row(*[numbers_right(cut(v, CELL_WIDTH)) for v in row])
        box = Vertical(Static(t.summary, classes="page-summary"), table) if t.summary else Vertical(table)
        await tabbed.add_pane(TabPane(f"{title} {t.total}", box, id=f"tab-{tab_id}"))
        links[tab_id] = list(t.links)
    if active and tabbed.query(f"#{active}"):
        tabbed.active = active


def row_link(tabbed: TabbedContent, links: dict[str, list[str | None]], table: DataTable) -> str | None:
    tab_id = (table.id or "").removeprefix("rows-")
    rows = links.get(tab_id, [])
    return rows[table.cursor_row] if 0 <= table.cursor_row < len(rows) else None
