"""One picker for every "which record?" field: customer, product, staff, warehouse, supplier.

Type a code, a name, its pinyin or initials; the suggestions open below the field with the first one
highlighted. Enter takes the highlighted one, Up/Down move, Esc closes the list (a second Esc reaches the form).
After a choice the field shows ``code name``, cut at the end with … when it does not fit, and selected, so
typing starts a new search; ``value`` is the chosen record's id and ``chosen`` the record. Each choice posts ``Picker.Chosen`` (Enter on a chosen field
posts it again, so a form can move on).

The search is a service lookup passed in: ``search(session, actor, text, limit) -> rows`` where every row has
``id``, ``code`` and ``name``. It runs in a worker; only the answer to the latest text is shown.

The list floats over the screen (``overlay: screen``) with a width of its own, so a narrow or squeezed field
never gives it zero columns, and its height is cut to the room left below the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.cells import cell_len, set_cell_size
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from crm_tui.i18n import _
from crm_tui.widgets.work import run_use_case

SUGGESTIONS = 8
LIST_WIDTH = 60  # the list's width when the screen allows it; at least the field's own width
MIN_LIST_WIDTH = 20

Search = Callable[[Any, Any, str, int], list]


def fit(text: str, width: int) -> str:
    """``text`` cut at the end to ``width`` cells with …, Chinese characters counting two."""
    if width <= 0 or cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"


def label_of(row: Any) -> str:
    return f"{row.code} {row.name}"


class Suggestions(OptionList, can_focus=False):
    """The list under the field: never focused, the field keeps the keys."""


class Picker(Vertical):
    DEFAULT_CSS = """
    Picker { height: auto; min-width: 16; }
    Picker > Suggestions {
        display: none; overlay: screen; constrain: inside none; height: auto; max-height: 10;
        border: round $accent; background: $surface; padding: 0;
    }
    Picker > Suggestions.open { display: block; }
    """
    BINDINGS = [
        Binding("down", "move(1)", "Next suggestion", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Previous suggestion", show=False, id="picker.up"),
        Binding("escape", "close", "Close the suggestions", show=False, id="picker.close"),
    ]

    class Chosen(Message):
        def __init__(self, picker: Picker, row: Any):
            super().__init__()
            self.picker = picker
            self.row = row

        @property
        def control(self) -> Picker:
            return self.picker

    def __init__(self, search: Search, *, placeholder: str = "", detail: Callable[[Any], str] | None = None,
                 value: Any = None, id: str | None = None, classes: str | None = None,
                 input_id: str | None = None):
        super().__init__(id=id, classes=classes)
        self.input_id = input_id
        self.search = search
        self.placeholder = placeholder
        self.detail = detail
        self.chosen: Any = value
        self.matches: list[Any] = []
        self.compact = True
        self._shown = ""  # what the field shows for the chosen row (the label, perhaps cut)
        self._asked = ""  # the text of the latest search
        self._matched = ""  # the text the suggestions shown answer
        self._enter_waiting = False  # Enter came before the answer: take its first match

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self.placeholder, compact=self.compact, classes="picker-input", id=self.input_id)
        yield Suggestions(classes="picker-options")

    def on_mount(self) -> None:
        if self.chosen is not None:
            self.call_after_refresh(self._show_chosen)

    # --- what a form reads -------------------------------------------------------------------------

    @property
    def input(self) -> Input:
        return self.query_one(".picker-input", Input)

    @property
    def options(self) -> Suggestions:
        return self.query_one(Suggestions)

    @property
    def value(self) -> int | None:
        """The chosen record's id (None while nothing is chosen)."""
        return None if self.chosen is None else self.chosen.id

    @property
    def is_open(self) -> bool:
        return self.options.has_class("open")

    def focus(self, scroll_visible: bool = True):
        self.input.focus(scroll_visible)
        return self

    def set_choice(self, row: Any) -> None:
        """Show ``row`` as chosen without a search and without posting ``Chosen`` (a loaded draft)."""
        self.chosen = row
        self._close()
        self._show_chosen()

    def reset(self) -> None:
        self.chosen = None
        self._shown = ""
        self._asked = ""
        with self.input.prevent(Input.Changed):
            self.input.value = ""
        self._close()

    # --- typing and searching ----------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.chosen is not None and event.value == self._shown:
            return
        self.chosen = None
        text = event.value.strip()
        self._asked = text
        self._enter_waiting = False
        if not text:
            self._close()
            return
        search, actor = self.search, getattr(self.app, "actor", None)
        run_use_case(self, lambda s: search(s, actor, text, SUGGESTIONS), lambda rows: self._answer(text, rows),
                     group=f"picker-{id(self)}", exclusive=False, name="picker search")

    def _answer(self, text: str, rows: list[Any]) -> None:
        # searches run in threads and may finish out of order: only the latest text's answer counts
        if text != self._asked or self.chosen is not None:
            return
        self.matches = list(rows)
        self._matched = text
        if self._enter_waiting:
            self._enter_waiting = False
            if self.matches:
                self.choose(self.matches[0])
                return
        self._open()

    def _open(self) -> None:
        options = self.options
        if self.matches:
            options.set_options([Option(self._suggestion(r), id=str(i)) for i, r in enumerate(self.matches)])
        else:  # say so: an Enter that takes nothing should not look like a dead key
            options.set_options([Option(_("No match: try a code, the name, its pinyin or initials"), disabled=True)])
        self._size_list()
        options.add_class("open")
        if self.matches:
            options.highlighted = 0

    def _close(self) -> None:
        self.matches = []
        self.options.remove_class("open")
        self.options.clear_options()

    def _suggestion(self, row: Any) -> str:
        extra = self.detail(row) if self.detail else ""
        return f"{label_of(row)}  {extra}".rstrip()

    def _size_list(self) -> None:
        """As wide as the field, at least LIST_WIDTH when the screen has room; as high as the room below."""
        screen = self.screen.size
        field = self.input.region
        width = max(field.width, min(LIST_WIDTH, screen.width - 2), MIN_LIST_WIDTH)
        self.options.styles.width = min(width, max(screen.width, MIN_LIST_WIDTH))
        room = screen.height - field.bottom
        self.options.styles.max_height = max(3, min(SUGGESTIONS + 2, room))

    # --- keys ---------------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if not (self.is_open and self.matches):
            raise SkipAction()
        options = self.options
        options.highlighted = ((options.highlighted or 0) + step) % len(self.matches)

    def action_close(self) -> None:
        if not self.is_open:
            raise SkipAction()  # the list is closed already: Esc belongs to the form
        self._close()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.chosen is not None:
            self.post_message(self.Chosen(self, self.chosen))
        elif self.is_open and self._matched == self._asked:
            if self.matches:
                self.choose(self.matches[self.options.highlighted or 0])
        elif event.value.strip() and event.value.strip() == self._asked:
            # typed faster than the search (a scanner, a quick hand): take the first match of the latest text
            self._enter_waiting = True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(self.matches[int(event.option.id)])

    def on_descendant_blur(self, _event) -> None:
        self._close()

    def on_resize(self, _event) -> None:
        if self.chosen is not None:
            self._show_chosen()

    # --- choosing -------------------------------------------------------------------------------------

    def choose(self, row: Any) -> None:
        self.chosen = row
        self._close()
        self._show_chosen()
        self.post_message(self.Chosen(self, row))

    def _show_chosen(self) -> None:
        if self.chosen is None:
            return
        width = self.input.content_region.width
        self._shown = fit(label_of(self.chosen), width - 1 if width > 1 else 0)  # a cell for the cursor
        with self.input.prevent(Input.Changed):
            self.input.value = self._shown
        self.input.select_all()  # the label fits, so all of it shows; typing replaces the choice


# --- the five kinds: each is the picker with its service lookup -------------------------------------------------

def _customer_detail(row) -> str:
    return " ".join(x for x in (row.contact, row.mobile or row.landline, row.area) if x)


def _product_detail(row) -> str:
    return " ".join(x for x in (row.spec, row.unit) if x)


class CustomerPicker(Picker):
    """Visible active customers (a salesperson sees their own): code, name, contact, phone, pinyin, initials.
    ``search`` may widen it (``partial(lookup_customers, handled_by=...)`` for the warehouse)."""

    def __init__(self, search: Search | None = None, **kw):
        from crm_tui.services.customers.search import lookup_customers

        kw.setdefault("placeholder", _("Customer: code, name, phone or pinyin (lydjd)"))
        super().__init__(search or lookup_customers, detail=_customer_detail, **kw)


class ProductPicker(Picker):
    """Active products: code, name, spec, barcode, pinyin, initials."""

    def __init__(self, **kw):
        from crm_tui.services.stock.products import lookup_products

        kw.setdefault("placeholder", _("Product: code, name, spec, barcode or pinyin (qdpj)"))
        super().__init__(lookup_products, detail=_product_detail, **kw)


class StaffPicker(Picker):
    """Active users: staff number, login, name, pinyin, initials."""

    def __init__(self, **kw):
        from crm_tui.services.admin.users import lookup_staff

        kw.setdefault("placeholder", _("Staff: number, login, name or pinyin"))
        super().__init__(lookup_staff, detail=lambda r: r.department or "", **kw)


class WarehousePicker(Picker):
    """Active warehouses: code, name, keeper, pinyin, initials."""

    def __init__(self, **kw):
        from crm_tui.services.stock.warehouses import lookup_warehouses

        kw.setdefault("placeholder", _("Warehouse: code, name or pinyin"))
        super().__init__(lookup_warehouses, detail=lambda r: r.keeper or "", **kw)


class SupplierPicker(Picker):
    """Active suppliers: code, name, short name, contact, pinyin, initials."""

    def __init__(self, **kw):
        from crm_tui.services.purchasing.suppliers import lookup_suppliers

        kw.setdefault("placeholder", _("Supplier: code, name, contact or pinyin"))
        super().__init__(lookup_suppliers, detail=lambda r: r.primary_contact or "", **kw)
