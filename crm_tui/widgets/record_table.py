"""A virtual table over a query: 1,000,000 rows scroll and filter as fast as 100.

Textual's ``DataTable`` measures every cell of every row (31 s to show 100,000 rows here), so lists that can
grow large use this instead. It never holds more than a few pages: a ``RecordSource`` says how many rows the
query has and fetches one page (offset, limit) of *preformatted strings*; the table asks for the pages the
screen shows, in thread workers, and draws rows that have not arrived yet as "…". Columns have fixed widths
(one may take the rest); a value too wide for its column is cut with an ellipsis, counting wide (Chinese)
characters as two cells so the columns line up.

Keys: ↑ ↓ PgUp PgDn Home End move the cursor, Enter activates the row (``RowActivated``), Space marks it for
a batch action and ctrl+a marks every row of the query (``marked_all``; the screen then acts on the whole
filter, not on loaded rows).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from crm_tui.widgets.base import Translated
from crm_tui.widgets.tables import ELLIPSIS, cut
from crm_tui.widgets.work import WorkHost, start_work


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 10  # cells; 0 takes what the other columns leave
    align: str = "left"  # left | right


Record = tuple[Hashable, Sequence[str]]  # (key, one preformatted string per column)


class RecordSource(Protocol):
    """Where the rows come from. Both methods run in a worker thread (they may open a read session)."""

    def count(self) -> int: ...

    def fetch(self, offset: int, limit: int) -> list[Record]: ...

    # Optional: ``fetch_after(key, offset, limit)``, the same page as ``fetch(offset, limit)`` found as the
    # ``limit`` rows after the row with ``key`` (the last of the page above, which the table holds).


class ListSource:
    """A source over rows already in memory (import errors, small lists, tests)."""

    def __init__(self, records: Sequence[Record]):
        self.records = records

    def count(self) -> int:
        return len(self.records)

    def fetch(self, offset: int, limit: int) -> list[Record]:
        return list(self.records[offset:offset + limit])


def fit(text: str, width: int, align: str = "left") -> str:
    """``text`` in exactly ``width`` cells: padded, or cut with an ellipsis (wide characters count two)."""
    if width <= 0:
        return ""
    text = cut(text, width)
    pad = " " * (width - cell_len(text))
    return pad + text if align == "right" else text + pad


class RecordTable(WorkHost, Translated, ScrollView, can_focus=True):
    """See the module doc. ``set_source`` shows a new query; ``reload`` refetches the current one."""

    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
    }
    RecordTable > .record-table--header { text-style: bold; background: $primary-background; }
    RecordTable > .record-table--cursor { background: $accent 40%; }
    RecordTable:focus > .record-table--cursor { background: $accent; color: $text; }
    RecordTable > .record-table--marked { color: $warning; }
    RecordTable > .record-table--loading { color: $text-muted; }
    RecordTable > .record-table--stripe { background: $boost; }
    """
    COMPONENT_CLASSES = {"record-table--header", "record-table--cursor", "record-table--marked",
                         "record-table--loading", "record-table--stripe"}
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.pageup"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.pagedown"),
        Binding("home", "first", "First", show=False, id="table.home"),
        Binding("end", "last", "Last", show=False, id="table.end"),
        Binding("enter", "activate", "Open", id="table.open", show=False),  # the footer is short of room; F1 lists it
        Binding("space", "mark", "Mark", id="table.mark"),
        Binding("ctrl+a", "mark_all", "Mark all", id="table.mark_all", show=False),
    ]

    class RowActivated(Message):
        def __init__(self, table: RecordTable, key: Hashable, index: int):
            super().__init__()
            self.table, self.key, self.index = table, key, index

    class CursorMoved(Message):
        def __init__(self, table: RecordTable, key: Hashable | None, index: int):
            super().__init__()
            self.table, self.key, self.index = table, key, index

    class Counted(Message):
        """The source's row count arrived (a new query was shown)."""

        def __init__(self, table: RecordTable, total: int):
            super().__init__()
            self.table, self.total = table, total

    class MarksChanged(Message):
        def __init__(self, table: RecordTable):
            super().__init__()
            self.table = table

    def __init__(self, columns: Sequence[Column], source: RecordSource | None = None, *, page_size: int = 100,
                 cache_pages: int = 40, on_error: Callable[[BaseException], None] | None = None,
                 name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.page_size = page_size
        self.cache_pages = cache_pages
        self.on_error = on_error
        self.source: RecordSource | None = None
        self.total: int | None = None
        self.cursor = 0
        self.marked: set[Hashable] = set()
        self.marked_all = False
        self._pages: OrderedDict[int, list[Record]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self.fetches = 0  # pages fetched from the source since the last set_source (tests, benchmarks)
        self._initial = source

    def on_mount(self) -> None:
        super().on_mount()
        if self._initial is not None:
            self.set_source(self._initial)

    # --- data ---------------------------------------------------------------------------------------------

    def set_source(self, source: RecordSource, keep_cursor: bool = False) -> None:
        """Show another query (a new filter or search): counts it and fetches the page the cursor is on."""
        self.source = source
        self._generation += 1
        self._pages.clear()
        self._pending.clear()
        self.fetches = 0
        if not keep_cursor:
            self.cursor = 0
            self.marked.clear()
            self.marked_all = False
            self.scroll_to(y=0, animate=False)
        self._count()
        self._ensure_pages()
        self.refresh()

    def reload(self) -> None:
        """Fetch the current query again (after an edit), keeping the cursor and the marks."""
        if self.source is not None:
            self.set_source(self.source, keep_cursor=True)

    def _count(self) -> None:
        generation, source = self._generation, self.source
        start_work(self, lambda _job: source.count(), done=lambda total: self._counted(generation, total),
                   on_error=self._failed, group=f"record-table-count-{id(self)}", name="count")

    def _counted(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self.total = total
        self.cursor = min(self.cursor, max(total - 1, 0))
        self.virtual_size = Size(self._content_width(), total + 1)  # +1: the header line
        self._ensure_pages()
        self.refresh()
        self.post_message(self.Counted(self, total))
        self._cursor_moved()

    def _fetch(self, page: int) -> None:
        if page in self._pages or page in self._pending or self.source is None:
            return
        self._pending.add(page)
        generation, source, size = self._generation, self.source, self.page_size

        self.fetches += 1
        above = self._pages.get(page - 1)
        fetch_after = getattr(source, "fetch_after", None)
        # the page under a full one holds the rows after its last: a source able to start there (keyset paging)
        # need not skip page * size rows
        keyset = fetch_after is not None and above is not None and len(above) == size
        last = above[-1][0] if keyset else None

        def work(_job):
            return fetch_after(last, page * size, size) if keyset else source.fetch(page * size, size)

        start_work(self, work,
                   done=lambda rows: self._fetched(generation, page, rows), on_error=self._failed,
                   group=f"record-table-page-{id(self)}", exclusive=False, name="fetch")

    def _fetched(self, generation: int, page: int, rows: list[Record]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.cache_pages:
            self._pages.popitem(last=False)
        self.refresh()
        if page == self.cursor // self.page_size:
            self._cursor_moved()

    def _failed(self, exc: BaseException) -> None:
        self._pending.clear()
        if self.on_error:
            self.on_error(exc)
        elif hasattr(self.app, "report_error"):
            self.app.report_error(exc)
        else:
            raise exc

    def _ensure_pages(self) -> None:
        if self.total is None:
            self._fetch(self.cursor // self.page_size)
            return
        first = int(self.scroll_y)
        last = min(first + max(self.size.height, 1), max(self.total - 1, 0))
        for page in {first // self.page_size, last // self.page_size, self.cursor // self.page_size}:
            if page * self.page_size < max(self.total, 1):
                self._fetch(page)

    def record(self, index: int) -> Record | None:
        rows = self._pages.get(index // self.page_size)
        if rows is None:
            return None
        offset = index % self.page_size
        return rows[offset] if offset < len(rows) else None

    @property
    def cursor_key(self) -> Hashable | None:
        rec = self.record(self.cursor)
        return rec[0] if rec else None

    @property
    def cursor_record(self) -> Record | None:
        return self.record(self.cursor)

    def marked_keys(self) -> list[Hashable]:
        return list(self.marked)

    # --- drawing ------------------------------------------------------------------------------------------

    def _content_width(self) -> int:
        return 1  # no horizontal scrolling: the columns fit the width (a flexible column takes the rest)

    @property
    def _width(self) -> int:
        return self.scrollable_content_region.width

    def _widths(self) -> list[int]:
        fixed = sum(c.width for c in self.columns if c.width) + len(self.columns) + 2
        rest = max(self._width - fixed, 8)
        return [c.width or rest for c in self.columns]

    def _line(self, cells: Sequence[str], mark: str) -> str:
        widths = self._widths()
        parts = [fit(cells[i] if i < len(cells) else "", w, c.align)
                 for i, (c, w) in enumerate(zip(self.columns, widths, strict=True))]
        return mark + " " + " ".join(parts) + " "

    def render_line(self, y: int) -> Strip:
        width = self._width
        if y == 0:
            style = self.get_component_rich_style("record-table--header")
            return Strip([Segment(fit(self._line([c.title for c in self.columns], " "), width), style)])
        index = int(self.scroll_y) + y - 1
        base = self.rich_style
        if self.total is not None and index >= self.total:
            return Strip([Segment(" " * width, base)])
        rec = self.record(index)
        if rec is None:
            text = fit(("  " + ELLIPSIS) if self.total is None or index < self.total else "", width)
            return Strip([Segment(text, self.get_component_rich_style("record-table--loading"))])
        key, cells = rec
        marked = self.marked_all or key in self.marked
        style = base
        if index % 2:
            style = style + self.get_component_rich_style("record-table--stripe")
        if marked:
            style = style + self.get_component_rich_style("record-table--marked")
        if index == self.cursor:
            style = style + self.get_component_rich_style("record-table--cursor")
        return Strip([Segment(fit(self._line(cells, "✓" if marked else " "), width), style)])

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.is_mounted and round(old_value) != round(new_value):
            self._ensure_pages()

    def on_resize(self, event: events.Resize) -> None:
        if self.total is not None:
            self.virtual_size = Size(self._content_width(), self.total + 1)
        self._ensure_pages()

    # --- moving -------------------------------------------------------------------------------------------

    @property
    def _rows_visible(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def move_cursor(self, index: int) -> None:
        if not self.total:
            return
        index = max(0, min(index, self.total - 1))
        if index == self.cursor:
            return
        self.cursor = index
        top = int(self.scroll_y)
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + self._rows_visible:
            self.scroll_to(y=index - self._rows_visible + 1, animate=False)
        self._ensure_pages()
        self.refresh()
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        self.post_message(self.CursorMoved(self, self.cursor_key, self.cursor))

    def action_cursor(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor + direction * self._rows_visible)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        if self.total:
            self.move_cursor(self.total - 1)

    def action_activate(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.RowActivated(self, key, self.cursor))

    def action_mark(self) -> None:
        key = self.cursor_key
        if key is None:
            return
        if self.marked_all:
            self.marked_all = False
        elif key in self.marked:
            self.marked.discard(key)
        else:
            self.marked.add(key)
        self.refresh()
        self.post_message(self.MarksChanged(self))
        self.action_cursor(1)

    def action_mark_all(self) -> None:
        self.marked_all = not self.marked_all
        self.marked.clear()
        self.refresh()
        self.post_message(self.MarksChanged(self))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            index = int(self.scroll_y) + event.y - 1
            if self.total and index < self.total:
                if index == self.cursor and event.chain >= 2:
                    self.action_activate()
                self.move_cursor(index)
