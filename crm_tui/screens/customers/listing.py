"""The customer list: one search box, filters, sorting, a virtual table over the query, batch actions.

Keys: F3 or / (also 、 from a Chinese input method) search · Enter open · F2 new · F4 edit · F5 refresh ·
F6 transfer/share the marked rows (Space marks, ctrl+a marks the whole filter) · F7 import · F8 archive ·
F9 export the current list (or the marked rows) · ctrl+f more filters (industry, owner, dates, overdue
follow-ups, descending order) · ctrl+r ranking by sales or contacts · ctrl+o claim from the public
pool.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from crm_tui.i18n import _, n_
from crm_tui.screens.base import ConfirmDialog, run_service, translate_select_menus
from crm_tui.screens.customers.filters import MoreFilters, MoreFiltersDialog
from crm_tui.screens.main import AreaPane
from crm_tui.services.customers import search as cs
from crm_tui.widgets.record_table import Column, RecordTable

SEARCH_DELAY = 0.12  # seconds of quiet typing before the list follows the search box
SORTS = ("code", "name", "area", "owner", "created_on", "last_contact_at", "credit_limit")
SORT_LABELS = {"code": "Sort: code", "name": "Sort: name", "area": "Sort: area", "owner": "Sort: owner",
               "created_on": "Sort: created", "last_contact_at": "Sort: contacted", "credit_limit": "Sort: credit"}

# The list's columns: (title, width in cells, drop order when the name would get too narrow; None: always shown).
# Titles are short so they fit their columns in both languages ("Customer code" would show as "Custome…").
COLUMNS = (("No.", 8, None), ("Customer name", 0, None), ("Area", 10, None), ("Class", 8, 3),
           ("Owner", 6, None), ("Contact", 7, 2), ("Phone", 12, None), ("Contacted", 10, 1))
MIN_NAME_WIDTH = 20  # cells the name column keeps before optional columns are dropped


def layout(width: int | None = None) -> tuple[int, ...]:
    """Indexes of the columns shown in a table ``width`` cells wide (None: all of them)."""
    shown = list(range(len(COLUMNS)))
    if width is None:
        return tuple(shown)
    for _order, index in sorted((c[2], i) for i, c in enumerate(COLUMNS) if c[2] is not None):
        fixed = sum(COLUMNS[i][1] for i in shown) + len(shown) + 2
        if width - fixed >= MIN_NAME_WIDTH:
            break
        shown.remove(index)
    return tuple(shown)


def columns(shown: tuple[int, ...] | None = None) -> list[Column]:
    return [Column(_(COLUMNS[i][0]), COLUMNS[i][1]) for i in (shown or layout())]


def cells(r: cs.CustomerRow, shown: tuple[int, ...] | None = None) -> tuple[str, ...]:
    """A row as the table shows it: preformatted strings only (no objects reach the widget)."""
    name = r.name + (f" ({_('archived')})" if r.status == "archived" else "")
    values = (r.code, name, r.area or "", r.classification or "", r.owner or _("(pool)"), r.contact or "",
              r.mobile or r.landline or "", r.last_contact_at.strftime("%Y-%m-%d") if r.last_contact_at else "")
    return values if shown is None else tuple(values[i] for i in shown)


class CustomerSource:
    """The list's query: counted and paged in worker threads, each call in its own read session."""

    def __init__(self, app, f: cs.CustomerFilter, sort: str, descending: bool = False,
                 shown: tuple[int, ...] | None = None):
        self.app, self.filter, self.sort, self.descending = app, f, sort, descending
        self.shown = shown or layout()

    def _read(self, work):
        from crm_tui.services.runner import read

        return read(self.app.engine, self.app.actor, work)

    def count(self) -> int:
        return self._read(lambda session: cs.count(session, self.app.actor, self.filter))

    def fetch(self, offset: int, limit: int, after: int | None = None):
        rows = self._read(lambda session: cs.list_page(session, self.app.actor, self.filter, sort=self.sort,
                                                       descending=self.descending, offset=offset, limit=limit,
                                                       after=after))
        return [(r.id, cells(r, self.shown)) for r in rows]

    def fetch_after(self, key: int, offset: int, limit: int):
        """The page after customer ``key``: scrolling down costs what the first page does (keyset)."""
        return self.fetch(offset, limit, after=key)


class CustomersPane(AreaPane):
    DEFAULT_CSS = """
    CustomersPane #customer-search { width: 1fr; }
    CustomersPane .filters { height: 1; }
    CustomersPane .filters Select { width: 1fr; }
    CustomersPane .filters #sort { width: 1.4fr; }
    CustomersPane #customer-status { height: 1; color: $text-muted; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f3,slash,ideographic_comma", "find", "Find", id="customers.find"),
        Binding("f2", "new", "New", id="customers.new"),
        Binding("f4", "edit", "Edit", id="customers.edit"),
        Binding("f6", "transfer", "Transfer/share", id="customers.transfer"),
        Binding("f7", "import_file", "Import", id="customers.import"),
        Binding("f8", "archive", "Archive", id="customers.archive"),
        Binding("f9", "export", "Export", id="customers.export"),
        Binding("ctrl+f", "more_filters", "More filters", id="customers.filters"),
        Binding("ctrl+r", "ranking", "Ranking", id="customers.ranking", show=False),
        Binding("ctrl+o", "claim", "Claim", id="customers.claim", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Input(placeholder=_("Search: name, code, contact, phone, address or pinyin (bjhx) — F3 or /"),
                    id="customer-search", compact=True)
        with Horizontal(classes="filters"):
            yield Select([(_("All visible"), "all"), (_("My customers"), "mine"), (_("Public pool"), "pool"),
                          (_("Shared with me"), "shared")], value="all", allow_blank=False, id="scope", compact=True)
            yield Select([], prompt=_("Any area"), id="area", compact=True)
            yield Select([], prompt=_("Any class"), id="classification", compact=True)
            yield Select([(_("Active only"), "active"), (_("Archived"), "archived"), (_("Any status"), "any")],
                         value="active", allow_blank=False, id="status", compact=True)
            yield Select([(_(SORT_LABELS[k]), k) for k in SORTS], value="code",
                         allow_blank=False, id="sort", compact=True)
        yield RecordTable(columns(), id="customer-table")
        yield Static("", id="customer-status")

    def on_mount(self) -> None:
        super().on_mount()
        translate_select_menus(self)

    def on_resize(self, event) -> None:
        self.call_after_refresh(self._fit_columns)

    def _fit_columns(self) -> None:
        """Drop the optional columns a narrow terminal has no room for, so the name stays readable."""
        table = self.query_one("#customer-table", RecordTable)
        width = table.scrollable_content_region.width
        shown = layout(width) if width > 0 else layout()
        if shown != self._shown:
            self._shown = shown
            table.columns = columns(shown)
            if table.source is not None:
                self._apply(keep_cursor=True)
            else:
                table.refresh()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._timer = None
        self._choices_loaded = False
        self._shown = layout()
        self._more = MoreFilters()
        self._owner_names: dict[int, str] = {}

    # --- the query ----------------------------------------------------------------------------------------

    def current_filter(self) -> cs.CustomerFilter:
        def pick(widget_id):
            value = self.query_one(f"#{widget_id}", Select).value
            return None if value is Select.NULL else value

        status = pick("status")
        return self._more.applied_to(cs.CustomerFilter(
            text=self.query_one("#customer-search", Input).value, scope=pick("scope") or "all", area=pick("area"),
            classification=pick("classification"), status=None if status == "any" else status))

    def _source(self) -> CustomerSource:
        return CustomerSource(self.app, self.current_filter(), self.query_one("#sort", Select).value,
                              descending=self._more.descending, shown=self._shown)

    def refresh_data(self) -> None:
        table = self.query_one("#customer-table", RecordTable)
        table.set_source(self._source(), keep_cursor=table.source is not None)
        if not self._choices_loaded:
            self._load_choices()

    def _load_choices(self) -> None:
        actor = self.app.actor

        def work(session):
            return cs.distinct_values(session, actor, "area"), cs.distinct_values(session, actor, "classification")

        def show(result):
            areas, labels = result
            self.query_one("#area", Select).set_options([(a, a) for a in areas])
            self.query_one("#classification", Select).set_options([(c, c) for c in labels])
            self._choices_loaded = True

        run_service(self, work, show, group="customer-choices")

    def _apply(self, keep_cursor: bool = False) -> None:
        self.query_one("#customer-table", RecordTable).set_source(self._source(), keep_cursor=keep_cursor)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "customer-search":
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, self._apply)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "customer-search":
            if self._timer is not None:
                self._timer.stop()
                self._apply()
            self.query_one("#customer-table", RecordTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if self.is_mounted and event.select.id in ("scope", "area", "classification", "status", "sort"):
            self._apply()

    def on_record_table_counted(self, event: RecordTable.Counted) -> None:
        self._status()

    def on_record_table_marks_changed(self, event: RecordTable.MarksChanged) -> None:
        self._status()

    def _status(self) -> None:
        table = self.query_one("#customer-table", RecordTable)
        text = n_("{n} customer", "{n} customers", table.total or 0).format(n=f"{table.total or 0:,}")
        marked = table.total if table.marked_all else len(table.marked)
        if marked:
            text += "  ·  " + _("{n} marked (F6 transfer/share)").format(n=f"{marked:,}")
        more = self._more.summary(self._owner_names)
        if more:
            text += "  ·  " + _("more filters (ctrl+f): {list}").format(list=more)
        self.query_one("#customer-status", Static).update(text)

    def on_record_table_row_activated(self, event: RecordTable.RowActivated) -> None:
        from crm_tui.screens.customers.detail import CustomerScreen

        self.app.push_screen(CustomerScreen(event.key), lambda _r: self.refresh_data())

    # --- actions ------------------------------------------------------------------------------------------

    def focus_first(self) -> None:
        self.query_one("#customer-search", Input).focus()

    def action_more_filters(self) -> None:
        actor = self.app.actor

        def work(session):
            return cs.distinct_values(session, actor, "industry"), cs.owner_choices(session, actor)

        def ask(result):
            industries, owners = result
            self._owner_names = dict(owners)
            self.app.push_screen(MoreFiltersDialog(self._more, industries, owners), self._filters_chosen)

        run_service(self, work, ask, group="customer-filters")

    def _filters_chosen(self, chosen: MoreFilters | None) -> None:
        if chosen is not None and chosen != self._more:
            self._more = chosen
            self._apply()
        self._status()
        self.query_one("#customer-table", RecordTable).focus()

    def action_ranking(self) -> None:
        from crm_tui.screens.customers.rank import RankingScreen

        self.app.push_screen(RankingScreen())

    def action_find(self) -> None:
        search = self.query_one("#customer-search", Input)
        search.focus()
        search.select_all()

    def _selected(self) -> int | None:
        key = self.query_one("#customer-table", RecordTable).cursor_key
        if key is None:
            self.app.notify(_("Choose a customer first."), severity="warning")
        return key

    def action_new(self) -> None:
        from crm_tui.screens.customers.forms import CustomerForm

        self.app.push_screen(CustomerForm(), self._saved)

    def _saved(self, result) -> None:
        from crm_tui.screens.customers.forms import OpenCustomer

        if isinstance(result, OpenCustomer):  # a same-named customer exists and the user chose to open it
            from crm_tui.screens.customers.detail import CustomerScreen

            self.app.push_screen(CustomerScreen(result.id), lambda _r: self.refresh_data())
            return
        if result:
            self.app.notify(_("Saved."))
            self.refresh_data()

    def action_edit(self) -> None:
        from crm_tui.screens.customers.forms import CustomerForm
        from crm_tui.services.customers import records as customers

        cid = self._selected()
        if cid is not None:
            actor = self.app.actor
            run_service(self, lambda s: customers.get_customer(s, actor, cid),
                        lambda detail: self.app.push_screen(CustomerForm(detail), self._saved))

    def action_archive(self) -> None:
        from crm_tui.services.customers import records as customers

        cid = self._selected()
        record = self.query_one("#customer-table", RecordTable).cursor_record
        if cid is None or record is None:
            return
        actor = self.app.actor

        code, name = record[1][0], record[1][1]

        def answered(yes: bool) -> None:
            if yes:
                run_service(self, lambda s: customers.set_status(s, actor, cid, "archived"),
                            lambda _r: self._told(_("Archived {code} {name}.").format(code=code, name=name)),
                            write=True)

        self.app.push_screen(ConfirmDialog(_("Archive customer {code} {name}? It keeps its history and can be "
                                             "restored.").format(code=record[1][0], name=record[1][1])), answered)

    def _marked_ids_work(self):
        """session -> ids of the marked rows, or of the whole current filter when everything is marked."""
        table = self.query_one("#customer-table", RecordTable)
        actor, f = self.app.actor, self.current_filter()
        if table.marked_all:
            return (lambda session: list(session.scalars(cs.customer_ids_query(session, actor, f)))), table.total
        keys = table.marked_keys() or ([table.cursor_key] if table.cursor_key is not None else [])
        return (lambda _session: list(keys)), len(keys)

    def action_transfer(self) -> None:
        from crm_tui.screens.customers.forms import TransferForm, load_users

        work, n = self._marked_ids_work()
        if not n:
            self.app.notify(_("Mark customers with Space first (ctrl+a: the whole list)."), severity="warning")
            return

        def done(result):
            if result:
                self.app.notify(str(result))
                self.refresh_data()

        load_users(self, lambda users: self.app.push_screen(TransferForm(work, n, users), done))

    def _told(self, text: str) -> None:
        """A write went through: say what it did and show the list as it is now."""
        self.app.notify(text)
        self.refresh_data()

    def action_claim(self) -> None:
        """Take the marked customers (or the one under the cursor) from the public pool, all or none."""
        from crm_tui.services.customers import transfer as customer_transfer

        table = self.query_one("#customer-table", RecordTable)
        ids = [] if table.marked_all else table.marked_keys()
        if not ids:
            cid = self._selected()
            ids = [] if cid is None else [cid]
        if not ids:
            return
        actor = self.app.actor

        def work(session) -> int:
            for cid in ids:
                customer_transfer.claim(session, actor, cid)
            return len(ids)

        run_service(self, work, lambda n: self._told(
            n_("Claimed {n} customer from the public pool.", "Claimed {n} customers from the public pool.", n)
            .format(n=n)), write=True)

    def action_import_file(self) -> None:
        from crm_tui.screens.customers.imports import ImportScreen

        self.app.push_screen(ImportScreen(), lambda _r: self.refresh_data())

    def action_export(self) -> None:
        from crm_tui.screens.customers.export import ExportDialog

        table = self.query_one("#customer-table", RecordTable)
        f, total = self.current_filter(), table.total or 0
        if table.marked and not table.marked_all:  # marked rows only
            f, total = replace(f, ids=tuple(table.marked)), len(table.marked)
        self.app.push_screen(ExportDialog(f, total))
