"""A product picker for document lines: type a code, name, spec, barcode or pinyin (``qdpj`` finds 青岛啤酒),
pick with the arrow keys and Enter. Posts ``ProductPicker.Chosen`` with a ``ProductRow``."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.services.stock import products

SUGGESTIONS = 8


def product_label(p: products.ProductRow) -> str:
    return "  ".join(x for x in (p.code, p.name, p.spec or "", p.unit or "") if x)


class ProductPicker(Vertical):
    DEFAULT_CSS = """
    ProductPicker { height: auto; }
    ProductPicker OptionList { height: auto; max-height: 8; display: none; }
    ProductPicker OptionList.open { display: block; }
    """

    class Chosen(Message):
        def __init__(self, picker: ProductPicker, product: products.ProductRow):
            super().__init__()
            self.picker = picker
            self.product = product

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.matches: list[products.ProductRow] = []
        self.chosen: products.ProductRow | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder=_("Product: code, name, spec, barcode or pinyin (qdpj)"), id="product-search",
                    compact=True)
        yield OptionList(id="product-options")

    @property
    def input(self) -> Input:
        return self.query_one("#product-search", Input)

    def reset(self) -> None:
        self.chosen = None
        self.matches = []
        self.input.value = ""
        self._show([])

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "product-search":
            return
        event.stop()
        text = event.value.strip()
        if self.chosen is not None and text == product_label(self.chosen):
            return
        self.chosen = None
        if not text:
            self._show([])
            return
        def show_if_current(rows):
            # searches run in threads and may finish out of order: only the latest text's answer counts
            if self.chosen is None and self.input.value.strip() == text:
                self._show(rows)

        run_service(self, lambda s: products.search_products(s, text, limit=SUGGESTIONS), show_if_current,
                    group="product-picker", exclusive=False)

    def _show(self, rows: list[products.ProductRow]) -> None:
        self.matches = rows
        options = self.query_one("#product-options", OptionList)
        options.set_options([Option(product_label(p), id=str(p.id)) for p in rows])
        options.set_class(bool(rows), "open")
        if rows:
            options.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "product-search":
            return
        event.stop()
        text = event.value.strip()
        exact = [p for p in self.matches if text in (p.code, p.barcode)]
        if exact or len(self.matches) == 1:
            self.choose((exact or self.matches)[0])
        elif self.matches:
            self.query_one("#product-options", OptionList).focus()

    def on_key(self, event) -> None:
        if event.key == "down" and self.input.has_focus and self.matches:
            event.stop()
            self.query_one("#product-options", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        product = next((p for p in self.matches if str(p.id) == event.option.id), None)
        if product is not None:
            self.choose(product)

    def choose(self, product: products.ProductRow) -> None:
        self.chosen = product
        self.input.value = product_label(product)
        self._show([])
        self.post_message(self.Chosen(self, product))
