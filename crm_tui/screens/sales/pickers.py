"""Type-ahead pickers for the sales forms: customers (code, name, contact, phone or pinyin: ``lydjd`` finds
临沂大酒店) and products (code, name, spec, barcode or pinyin). Type, move with ↓, pick with Enter; an exact
code or a single match is picked by Enter straight from the box. Each posts ``Chosen`` with the row."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from crm_tui.i18n import _
from crm_tui.screens.base import run_service

SUGGESTIONS = 8


class SearchPicker(Vertical):
    DEFAULT_CSS = """
    SearchPicker { height: auto; }
    SearchPicker OptionList { height: auto; max-height: 8; display: none; }
    SearchPicker OptionList.open { display: block; }
    """
    placeholder = ""

    class Chosen(Message):
        def __init__(self, picker: SearchPicker, row: Any):
            super().__init__()
            self.picker = picker
            self.row = row

    def __init__(self, *, id: str | None = None, value: Any = None):
        super().__init__(id=id)
        self.matches: list[Any] = []
        self.chosen: Any = value

    def compose(self) -> ComposeResult:
        yield Input(self.label(self.chosen) if self.chosen is not None else "", placeholder=_(self.placeholder),
                    compact=True, classes="picker-input")
        yield OptionList(classes="picker-options")

    # subclasses -------------------------------------------------------------------------------------

    def search(self, session, text: str) -> list[Any]:
        raise NotImplementedError

    def label(self, row: Any) -> str:
        raise NotImplementedError

    def exact(self, row: Any, text: str) -> bool:
        return False

    # behaviour ---------------------------------------------------------------------------------------

    @property
    def input(self) -> Input:
        return self.query_one(".picker-input", Input)

    @property
    def options(self) -> OptionList:
        return self.query_one(".picker-options", OptionList)

    def focus(self, scroll_visible: bool = True):
        self.input.focus(scroll_visible)
        return self

    def reset(self) -> None:
        self.chosen = None
        self.matches = []
        self.input.value = ""
        self._show([])

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value.strip()
        if self.chosen is not None and text == self.label(self.chosen):
            return
        self.chosen = None
        if not text:
            self._show([])
            return
        run_service(self, lambda s: self.search(s, text), self._show, group=f"picker-{id(self)}")

    def _show(self, rows: list[Any]) -> None:
        if not rows and not self.matches:
            return  # nothing shown, nothing to hide: no restyling
        self.matches = rows
        self.options.set_options([Option(self.label(r), id=str(i)) for i, r in enumerate(rows)])
        self.options.set_class(bool(rows) and self.chosen is None, "open")
        if rows:
            self.options.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if self.chosen is not None:
            self.post_message(self.Chosen(self, self.chosen))
            return
        exact = [r for r in self.matches if self.exact(r, text)]
        if exact or len(self.matches) == 1:
            self.choose((exact or self.matches)[0])
        elif self.matches:
            self.options.focus()

    def on_key(self, event) -> None:
        if event.key == "down" and self.input.has_focus and self.matches:
            event.stop()
            self.options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(self.matches[int(event.option.id)])

    def choose(self, row: Any) -> None:
        self.chosen = row
        with self.input.prevent(Input.Changed):
            self.input.value = self.label(row)
        self.input.cursor_position = 0  # show the start (code and name), not the scrolled end
        self._show([])
        self.post_message(self.Chosen(self, row))


class CustomerPicker(SearchPicker):
    placeholder = "Customer: code, name, phone or pinyin (lydjd)"

    def search(self, session, text: str):
        from crm_tui.services.customers.search import quick_find

        return quick_find(session, self.app.actor, text, limit=SUGGESTIONS)

    def label(self, row) -> str:
        return f"{row.code}  {row.name}"

    def exact(self, row, text: str) -> bool:
        return text.upper() == row.code.upper() or text == row.name


class ProductPicker(SearchPicker):
    placeholder = "Product: code, name, spec, barcode or pinyin (qdpj)"

    def search(self, session, text: str):
        from crm_tui.services.stock.products import search_products

        return search_products(session, text, limit=SUGGESTIONS)

    def label(self, row) -> str:
        return "  ".join(x for x in (row.code, row.name, row.spec or "", row.unit or "") if x)

    def exact(self, row, text: str) -> bool:
        return text.upper() == row.code.upper() or text == (row.barcode or "")
