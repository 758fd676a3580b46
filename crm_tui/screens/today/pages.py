"""What the customer page and the employee page share: a tab per registered table, with its count in the tab."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from crm_tui.i18n import _
from crm_tui.screens.base import CrmScreen
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


def _underline_active(tabbed: TabbedContent) -> None:
    """Place the active tab's underline again once the new tabs are laid out: Textual places it one refresh after
    the tab becomes active, and on a busy machine the tab may still have no width then (a bar under nothing)."""
    from textual.widgets import Tabs

    for tabs in tabbed.query(Tabs):
        place = getattr(tabs, "_highlight_active", None)  # private in Textual; without it the bar may lag
        if place is not None:
            place(animate=False)


class TabbedPage(CrmScreen):
    """A head line over a tab per table, loaded on mount; ``action_reload`` asks its service and hands the
    result to ``show`` (the tabs are replaced on the UI loop, which awaits their removal)."""

    DEFAULT_CSS = """
    TabbedPage #page-head { height: auto; padding: 0 1; border: round $primary; }
    TabbedPage .page-summary { height: 1; padding: 0 1; color: $accent; }
    TabbedPage TabbedContent { height: 1fr; }
    """

    def __init__(self):
        super().__init__()
        self.links: dict[str, list[str | None]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(_("Loading…"), id="page-head")
            yield TabbedContent(id="page-tabs")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        raise NotImplementedError

    def show(self, page) -> None:
        self.call_later(self._fill, page)

    async def _fill(self, page) -> None:
        raise NotImplementedError

    async def fill_page(self, head: str, tabs) -> None:
        """The head line and the tabs; the first table takes the focus unless something else has it."""
        self.query_one("#page-head", Static).update(head)
        tabbed = self.query_one("#page-tabs", TabbedContent)
        await fill_tabs(tabbed, tabs, self.links)
        self.call_after_refresh(_underline_active, tabbed)
        tables = self.query("#page-tabs DataTable")
        if tables and (not self.focused or self.focused is self):
            tables.first().focus()

    def link_of(self, table: DataTable) -> str | None:
        return row_link(self.query_one("#page-tabs", TabbedContent), self.links, table)

    def action_back(self) -> None:
        self.dismiss(None)
