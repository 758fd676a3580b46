"""Quote and order entry, made for a fast clerk at the keyboard.

Customer picker (pinyin) → Enter → product picker → Enter → quantity → Enter → price (the last price this
customer paid is filled in and shown, else the list price) → Enter adds the line and goes back to the product
picker. The line being typed and the totals update on every keystroke (the money rules of
``services/sales/pricing.py``, computed here without a database round trip). ctrl+s saves the draft, F10
confirms (a discount beyond your limit goes to the approval queue), F9 prints, F8 deletes the highlighted line,
Enter on a line takes it back into the entry fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from crm_tui.core import clock
from crm_tui.core.errors import CrmError
from crm_tui.core.money import amount_in_words
from crm_tui.i18n import _
from crm_tui.screens.base import CrmScreen, MessageLine, run_service
from crm_tui.screens.conflicts import conflict_in_form
from crm_tui.services.sales.pricing import (
    LineAmounts,
    LineInput,
    convert_price,
    parse_discount,
    parse_price,
    parse_quantity,
    parse_tax_rate,
    price_line,
    shown_discount,
)
from crm_tui.widgets.forms import FieldError, FormBase
from crm_tui.widgets.picker import CustomerPicker, ProductPicker
from crm_tui.widgets.work import run_use_case

ZERO = Decimal(0)


@dataclass
class DraftLine:
    """A line on the form: what was typed, and its amounts by the money rules."""

    product_id: int
    code: str
    name: str
    unit: str
    quantity: Decimal
    price: Decimal
    basis: str
    rate: Decimal
    discount: Decimal
    amounts: LineAmounts
    list_net: Decimal | None = None  # the product's list prices, for the discount a lower price gives
    list_gross: Decimal | None = None
    line_unit: str | None = None  # the unit the line is in (services/stock/units.py); None: the base unit
    factor: Decimal = Decimal(1)  # base units per line unit; the price is per line unit

    def as_input(self) -> LineInput:
        return LineInput(self.product_id, self.quantity, self.price, self.basis, self.rate, self.discount,
                         unit=self.line_unit)

    @classmethod
    def of(cls, product_id, code, name, unit, quantity, price, basis, rate, discount, *, list_net=None,
           list_gross=None, line_unit=None, factor=Decimal(1)) -> DraftLine:
        return cls(product_id, code, name, unit or "", quantity, price, basis, rate, discount,
                   price_line(quantity, price, basis, rate, discount), list_net, list_gross, line_unit,
                   Decimal(factor))

    @property
    def list_prices(self) -> dict:
        """The list prices per the line's unit (the discount a lower price gives is measured against them)."""
        return {k: None if v is None else v * self.factor for k, v in (("list_net", self.list_net),
                                                                       ("list_gross", self.list_gross))}

    @property
    def shown_discount(self) -> Decimal:
        """The 折扣 column: the discount typed, or how far the price is under the list price."""
        listed = self.list_prices["list_net" if self.basis == "net" else "list_gross"]
        return shown_discount(self.price, self.discount, listed)


# The line list's columns (msgid, right-aligned). Each is as wide as its content; when the screen is narrow
# the product name gives way first, then the optional columns go (net price, tax rate, net, tax).
LINE_HEADS = (("#", True), ("Code", False), ("Product", False), ("Qty", True), ("Net price", True),
              ("Gross price", True), ("Disc.", True), ("Tax rate", True), ("Net", True), ("Tax", True),
              ("Gross", True))
NAME_COLUMN, NAME_MIN = 2, 8
OPTIONAL_COLUMNS = (4, 7, 8, 9)
NARROW_WIDTH = 110  # below this the line fields stack under the product (the entry row needs ~110 cells)


def fit_columns(rows: list[list[str]], available: int) -> list[tuple[int, int, bool]]:
    """(column, width, right-aligned) of the columns shown for ``rows`` (the header first) in ``available``
    cells: sized to content, the name cut first, then optional columns dropped."""
    from rich.cells import cell_len

    widths = [max(cell_len(r[i]) for r in rows) for i in range(len(LINE_HEADS))]
    shown = list(range(len(LINE_HEADS)))

    def total() -> int:
        return sum(widths[i] for i in shown) + len(shown) - 1

    if total() > available:
        widths[NAME_COLUMN] = max(NAME_MIN, widths[NAME_COLUMN] - (total() - available))
    for column in OPTIONAL_COLUMNS:
        if total() <= available:
            break
        shown.remove(column)
    if total() > available:
        widths[NAME_COLUMN] = max(NAME_MIN, widths[NAME_COLUMN] - (total() - available))
    return [(i, widths[i], LINE_HEADS[i][1]) for i in shown]


def line_text(cells: list[str], columns: list[tuple[int, int, bool]]) -> str:
    """One line of the list, padded by display width (Chinese characters take two cells)."""
    from rich.cells import cell_len, set_cell_size

    out = []
    for index, width, right in columns:
        text = cells[index]
        if cell_len(text) > width:
            text = set_cell_size(text, width - 1) + "…"
        pad = " " * (width - cell_len(text))
        out.append(pad + text if right else text + pad)
    return " ".join(out)


def sum_lines(lines: list[DraftLine], extra: DraftLine | None = None) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, gross) of the lines, and of the line being typed."""
    all_lines = [*lines, extra] if extra is not None else lines
    return (sum((ln.amounts.net for ln in all_lines), ZERO), sum((ln.amounts.tax for ln in all_lines), ZERO),
            sum((ln.amounts.gross for ln in all_lines), ZERO))


def fmt(value: Decimal) -> str:
    return f"{value:,.2f}"


def percent(rate: Decimal) -> str:
    """0.13 -> 13%, 0.035 -> 3.5%."""
    return format((rate * 100).normalize(), "f") + "%"


def price_text(value: Decimal) -> str:
    places = max(2, min(4, -value.normalize().as_tuple().exponent))
    return f"{value:,.{places}f}"


def _fits(cells: list[str], columns: list[tuple[int, int, bool]]) -> bool:
    """Whether a new row fits the columns as they are (else they are sized again)."""
    from rich.cells import cell_len

    return bool(columns) and all(cell_len(cells[i]) <= width for i, width, _right in columns)


def _list_prices(listed: Decimal | None, basis: str, rate: Decimal, factor: Decimal = Decimal(1)) -> dict:
    """A stored line's list price (on its basis, per its unit) as both list prices (per base unit) of DraftLine."""
    if listed is None:
        return {}
    listed = listed / factor if factor != 1 else listed
    other = convert_price(listed, rate, basis, "gross" if basis == "net" else "net")
    return {"list_net": listed, "list_gross": other} if basis == "net" else {"list_net": other, "list_gross": listed}


class _FixedLine(Static):
    """A status line of fixed size: updating it needs no layout pass (it changes on every keystroke)."""

    def update(self, content="", *, layout: bool = False) -> None:
        super().update(content, layout=layout)


KEY_HINTS = (("Enter", "next field / add the line"), ("ctrl+s", "Save draft"), ("F10", "Confirm"), ("F9", "Print"),
             ("F8", "Delete line"), ("ctrl+b", "Incl. tax / net"), ("Esc", "Close"), ("F1", "Keys"))


class DocumentEntry(FormBase, CrmScreen):
    """New or draft quote (``kind="quote"``) or sales order (``kind="order"``); dismisses with the id.

    A full screen, not a modal: nothing underneath is composed again on every keystroke."""

    DEFAULT_CSS = """
    DocumentEntry > Vertical { padding: 0 1; }
    DocumentEntry .entry-title { text-style: bold; color: $accent; }
    DocumentEntry .entry-row { height: auto; }
    DocumentEntry .entry-row Label { width: auto; padding: 0 1 0 1; }
    DocumentEntry .entry-row Input { width: 14; }
    DocumentEntry .entry-row Picker Input { width: 1fr; }
    DocumentEntry #customer { width: 1fr; }
    DocumentEntry #product { width: 1fr; }
    DocumentEntry #ref, DocumentEntry #terms { width: 20; }
    DocumentEntry #basis { width: 16; }
    DocumentEntry #hint { color: $text-muted; height: 1; }
    DocumentEntry #preview { height: 1; }
    DocumentEntry #line-fields { width: auto; }
    DocumentEntry.narrow #line-row { layout: vertical; }
    DocumentEntry.narrow #line-fields { width: 1fr; }
    DocumentEntry.narrow #line-fields Input { width: 1fr; }
    DocumentEntry.narrow #basis { width: 12; }
    DocumentEntry.narrow #ref, DocumentEntry.narrow #terms, DocumentEntry.narrow #second_date { width: 1fr; }
    DocumentEntry #lines-head { height: 1; text-style: bold; padding: 0 1; background: $boost; text-wrap: nowrap; }
    DocumentEntry #lines { height: 1fr; }
    DocumentEntry #totals { height: 2; text-style: bold; }
    DocumentEntry #entry-keys { height: 1; background: $panel; color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save draft", id="sales_entry.save"),
        Binding("f10", "confirm", "Confirm", id="sales_entry.confirm"),
        Binding("f9", "print", "Print", id="sales_entry.print"),
        Binding("f8", "delete_line", "Delete line", id="sales_entry.delete_line"),
        Binding("ctrl+b", "switch_basis", "Incl. tax / net", id="sales_entry.switch_basis"),
        Binding("f7", "next_unit", "Next unit", id="sales_entry.next_unit"),
        Binding("escape", "cancel", "Close", id="sales_entry.cancel"),
    ]
    message_id = "entry-message"

    def __init__(self, kind: str = "order", doc_id: int | None = None):
        super().__init__()
        self.kind = kind
        self.doc_id = doc_id
        self.version: int | None = None  # of the draft as loaded or last saved: a stale save is refused
        self.customer = None  # CustomerRow-like: id, code, name
        self.credit = None  # the customer's credit (services/sales/credit.py), read once when they are chosen
        self.product = None  # ProductRow of the line being typed
        self.lines: list[DraftLine] = []
        self.pending: DraftLine | None = None
        self.saved = False
        self.recovery_kind = f"sales-{kind}" if doc_id is None else None  # a new one survives a crash
        self.basis = "gross"  # the basis the price field holds: a change of the Select converts the price
        self.columns: list[tuple[int, int, bool]] = []  # the line list's columns as last laid out
        self.units: list = []  # (unit, factor) of the product being typed, the base unit first (F7 cycles)
        self.unit_index = 0

    # --- layout -------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        title = _("New quote") if self.kind == "quote" else _("New sales order")
        with Vertical():
            yield Static(title, classes="entry-title", id="entry-title")
            with Horizontal(classes="entry-row"):
                yield Label(_("Customer"))
                yield CustomerPicker(id="customer")
                yield Label(_("Date"))
                yield Input(clock.today().isoformat(), id="doc_date", compact=True)
            with Horizontal(classes="entry-row"):
                if self.kind == "order":
                    yield Label(_("Order ref."))
                    yield Input(id="ref", compact=True, placeholder=_("customer's 订单号"))
                    yield Label(_("Delivery"))
                    yield Input(id="second_date", compact=True, placeholder="YYYY-MM-DD")
                    yield Label(_("Payment"))
                    yield Input(id="terms", compact=True, placeholder=_("e.g. 月结30天"))
                else:
                    yield Label(_("Valid until"))
                    yield Input(id="second_date", compact=True, placeholder="YYYY-MM-DD")
                    yield Label(_("Contact"))
                    yield Input(id="terms", compact=True)
            # One row when wide; when narrow the fields stack under a full-width product picker (.narrow).
            with Horizontal(classes="entry-row", id="line-row"):
                yield ProductPicker(id="product")
                with Horizontal(classes="entry-row", id="line-fields"):
                    yield Label(_("Qty"))
                    yield Input(id="qty", compact=True)
                    yield Select([(_("incl. tax"), "gross"), (_("net"), "net")], value="gross", id="basis",
                                 allow_blank=False, compact=True)
                    yield Input(id="price", compact=True, placeholder=_("price"))
                    yield Label(_("Tax rate"))
                    yield Input(id="rate", compact=True)
                    yield Label(_("Disc."))
                    yield Input(id="discount", compact=True, placeholder="0%")
            yield _FixedLine("", id="hint")
            yield _FixedLine("", id="preview")
            yield Static("", id="lines-head")
            yield OptionList(id="lines")
            yield _FixedLine("", id="totals")
            yield MessageLine("", id="entry-message")
        # The keys as one fixed line, not a Footer: a Footer rebuilds itself on every focus change, and this
        # screen moves the focus on every Enter (≈ 40 ms each time).
        yield Static("  ".join(f"[b]{key}[/b] {_(what)}" for key, what in KEY_HINTS), id="entry-keys")

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")
        self._show_lines()

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW_WIDTH, "narrow")
        if self.doc_id is not None:
            self._load()
        else:
            self.query_one("#customer", CustomerPicker).focus()
        self._refresh_totals()

    # --- loading a draft ----------------------------------------------------------------------------------

    def _load(self) -> None:
        from crm_tui.services.sales import orders, quotes

        def work(session):
            if self.kind == "quote":
                return quotes.get_quote(session, self.app.actor, self.doc_id)
            return orders.get_order(session, self.app.actor, self.doc_id)

        run_service(self, work, self._show_loaded)

    def _show_loaded(self, view) -> None:
        from types import SimpleNamespace

        self.version = view.version
        self.customer = SimpleNamespace(id=view.customer_id, code=view.customer_code, name=view.customer_name)
        self.query_one("#customer", CustomerPicker).set_choice(self.customer)
        self._load_credit()
        label = _("Quote") if self.kind == "quote" else _("Sales order")
        self.query_one("#entry-title", Static).update(f"{label} {view.number or '#' + str(view.id)} · {_(view.status)}")
        if self.kind == "quote":
            self._set("#doc_date", view.quote_date.isoformat())
            self._set("#second_date", view.valid_until.isoformat() if view.valid_until else "")
            self._set("#terms", view.contact_name or "")
        else:
            self._set("#doc_date", view.order_date.isoformat())
            self._set("#second_date", view.delivery_date.isoformat() if view.delivery_date else "")
            self._set("#ref", view.external_ref or "")
            self._set("#terms", view.payment_terms or "")
        self.lines = [DraftLine.of(ln.product_id, ln.product_code, ln.product_name, ln.unit, ln.quantity,
                                   ln.entered_price, ln.price_basis, ln.tax_rate, ln.discount,
                                   **_list_prices(ln.list_price, ln.price_basis, ln.tax_rate, ln.unit_factor),
                                   line_unit=ln.unit, factor=ln.unit_factor) for ln in view.lines]
        self._show_lines()
        self.query_one("#product", ProductPicker).focus()
        self.call_after_refresh(self.mark_clean)  # the draft as loaded is the unchanged state

    def _load_credit(self) -> None:
        """The customer's exposure, once: the headroom shown is its limit less that and the running total."""
        from crm_tui.services.sales.credit import customer_credit

        self.credit = None
        if self.kind != "order" or self.customer is None:
            return
        actor, customer_id = self.app.actor, self.customer.id

        def show(found) -> None:
            if self.customer is not None and found.customer_id == self.customer.id:
                self.credit = found
                self._refresh_totals()

        run_service(self, lambda s: customer_credit(s, actor, customer_id), show)

    def _credit_text(self, gross: Decimal) -> str:
        if self.credit is None or self.credit.headroom is None:
            return ""
        left = self.credit.headroom - gross
        if left < 0:
            return "   " + _("Over the credit limit by {amount}").format(amount=fmt(-left))
        return "   " + _("Credit left {amount}").format(amount=fmt(left))

    def _set(self, selector: str, value: str) -> None:
        widget = self.query_one(selector, Input)
        with widget.prevent(Input.Changed):
            widget.value = value

    # --- the keyboard flow --------------------------------------------------------------------------------

    def on_picker_chosen(self, event: CustomerPicker.Chosen) -> None:
        event.stop()
        if isinstance(event.picker, CustomerPicker):
            self.customer = event.row
            self._load_credit()
            self.query_one("#product", ProductPicker).focus()
            self.state_changed()
            return
        self.product = event.row
        self._set_units([(getattr(event.row, "unit", None), Decimal(1))])
        self._load_units(event.row.id)
        self._offer_price(event.row)
        qty = self.query_one("#qty", Input)
        if not qty.value.strip():
            self._set("#qty", "1")
        qty.focus()
        self._refresh_totals()

    def _offer_price(self, product) -> None:
        """The list price on the basis chosen (不含税: the net list price) at once; the last price this customer
        paid as soon as it is known (the default)."""
        basis = self.basis
        listed = product.sale_price if basis == "net" else product.sale_price_gross
        self._set("#price", price_text(listed) if listed is not None else "")
        self._set("#rate", percent(product.tax_rate))
        self._set("#discount", "")
        hint = _("List price: {gross} incl. tax, {net} net").format(
            gross=price_text(product.sale_price_gross) if product.sale_price_gross is not None else "—",
            net=price_text(product.sale_price) if product.sale_price is not None else "—")
        self._line("hint").update(hint)
        if self.customer is None:
            return
        from crm_tui.services.sales.agreed_prices import agreed_price
        from crm_tui.services.sales.pricing import last_price

        customer_id, product_id = self.customer.id, product.id

        def work(s):
            return last_price(s, customer_id, product_id) or agreed_price(s, customer_id, product_id)

        run_service(self, work, lambda last: self._show_last_price(product_id, last, hint), group="last-price")

    def _show_agreed_price(self, agreed, hint: str) -> None:
        """No last price: the customer's own price or their class's (price_levels.py)."""
        rate = self.product.tax_rate
        self._set("#price", price_text(convert_price(agreed.price, rate, agreed.basis, self.basis) * self._unit_factor()))
        self._line("hint").update(f"{agreed.label}: {price_text(agreed.price)} "
                                  f"{_('incl. tax') if agreed.basis == 'gross' else _('net')}  ·  {hint}")
        self._refresh_totals()

    def _show_last_price(self, product_id: int, last, hint: str) -> None:
        if last is None or self.product is None or self.product.id != product_id:
            return
        if not hasattr(last, "order_number"):
            self._show_agreed_price(last, hint)
            return
        # on the basis the clerk chose: the last price converted when it was entered on the other one
        price = convert_price(last.price, last.tax_rate, last.basis, self.basis)
        if self._unit_factor() != last.unit_factor:  # the last price was per another unit
            price = (price * self._unit_factor() / last.unit_factor).quantize(Decimal("0.0001"))
        self._set("#price", price_text(price))
        self._set("#rate", percent(last.tax_rate))
        self._set("#discount", percent(last.discount) if last.discount else "")
        self._line("hint").update(_("Last price paid: {price} {basis} (order {number}, {day})").format(
            price=price_text(last.gross_price if last.basis == "gross" else last.net_price),
            basis=_("incl. tax") if last.basis == "gross" else _("net"), number=last.order_number or "",
            day=last.order_date) + "  ·  " + hint)
        self._refresh_totals()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("qty", "price", "rate", "discount"):
            self._refresh_totals()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "basis":
            self._switch_basis(event.value)
            self._refresh_totals()

    def _switch_basis(self, basis: str) -> None:
        """含税 ⇄ 不含税: the typed price becomes the same price on the new basis (19.90 at 13% -> 17.6106),
        an empty one the list price on the new basis."""
        old, self.basis = self.basis, basis
        if old == basis:
            return
        text = self.query_one("#price", Input).value
        try:
            rate = parse_tax_rate(self.query_one("#rate", Input).value, "")
            price = parse_price(text, "") if text.strip() else None
        except CrmError:
            return  # nothing sensible to convert: the error line already says what is wrong
        if price is not None:
            self._set("#price", price_text(convert_price(price, rate, old, basis)))
        elif self.product is not None:
            listed = getattr(self.product, "sale_price" if basis == "net" else "sale_price_gross", None)
            if listed is not None:
                self._set("#price", price_text(listed))

    def action_switch_basis(self) -> None:
        """ctrl+b: the whole document to the other basis — every line's price converted, totals kept to the fen
        as far as the four-place price allows."""
        basis = "net" if self.basis == "gross" else "gross"
        self.lines = [DraftLine.of(ln.product_id, ln.code, ln.name, ln.unit, ln.quantity,
                                   convert_price(ln.price, ln.rate, ln.basis, basis), basis, ln.rate, ln.discount,
                                   list_net=ln.list_net, list_gross=ln.list_gross, line_unit=ln.line_unit,
                                   factor=ln.factor) for ln in self.lines]
        self.query_one("#basis", Select).value = basis  # Select.Changed converts the line being typed
        self._show_lines()

    def _set_basis(self, basis: str) -> None:
        """Set the basis with the price already on it (no conversion)."""
        self.basis = basis
        self.query_one("#basis", Select).value = basis

    def on_input_submitted(self, event: Input.Submitted) -> None:
        order = ["qty", "price", "rate", "discount"]
        if event.input.id == "qty":
            event.stop()
            self.query_one("#price", Input).focus()
        elif event.input.id in order[1:]:
            event.stop()
            self.add_line()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a line: take it back into the entry fields to change it."""
        if event.option_list.id != "lines":
            return
        event.stop()
        index = event.option_index
        if not (0 <= index < len(self.lines)):
            return
        line = self.lines.pop(index)
        from types import SimpleNamespace

        self._set_units([(line.line_unit or line.unit, line.factor)])
        self._load_units(line.product_id)
        self.product = SimpleNamespace(id=line.product_id, code=line.code, name=line.name, unit=line.unit, spec="",
                                       barcode=None, sale_price=line.list_net, sale_price_gross=line.list_gross)
        self.query_one("#product", ProductPicker).set_choice(self.product)
        self._set("#qty", format(line.quantity.normalize(), "f"))
        self._set_basis(line.basis)
        self._set("#price", price_text(line.price))
        self._set("#rate", percent(line.rate))
        self._set("#discount", percent(line.discount) if line.discount else "")
        self._show_lines()
        self.query_one("#qty", Input).focus()
        self.state_changed()

    # --- the unit of the line being typed (F7) ------------------------------------------------------

    def _load_units(self, product_id: int) -> None:
        from crm_tui.services.stock.units import list_units

        def show(rows) -> None:
            if self.product is None or self.product.id != product_id:
                return
            current = self.units[self.unit_index][0] if self.units else None
            self._set_units([(r.unit, r.factor) for r in rows] or self.units, current)

        run_service(self, lambda s: list_units(s, product_id), show, group="units")

    def _set_units(self, choices: list, current: str | None = None) -> None:
        self.units = choices
        self.unit_index = next((i for i, (u, _f) in enumerate(choices) if u == current), 0)
        self._show_unit()

    def _show_unit(self) -> None:
        if self.is_mounted:  # the preview line shows the unit
            self._refresh_totals()

    def _unit_text(self) -> str:
        """``单位 箱 = 12瓶 (F7) · `` before the line's amounts when the product has more than one unit."""
        if len(self.units) < 2:
            return ""
        unit, factor = self.units[self.unit_index]
        base = self.units[0][0] or ""
        return _("Unit {unit}").format(unit=unit) + (f" = {format(factor.normalize(), 'f')}{base}" if factor != 1
                                                      else "") + " (F7) · "

    def _unit_factor(self) -> Decimal:
        return self.units[self.unit_index][1] if self.units else Decimal(1)

    def action_next_unit(self) -> None:
        """F7: the line being typed in the product's next unit; the price follows (per the new unit)."""
        if self.product is None or len(self.units) < 2:
            return
        old = self.units[self.unit_index][1]
        self.unit_index = (self.unit_index + 1) % len(self.units)
        new = self.units[self.unit_index][1]
        text = self.query_one("#price", Input).value
        try:
            price = parse_price(text, "") if text.strip() else None
        except CrmError:
            price = None
        if price is not None:
            self._set("#price", price_text((price * new / old).quantize(Decimal("0.0001"))))
        self._show_unit()
        self._refresh_totals()

    # --- the line being typed -----------------------------------------------------------------------------

    def typed_line(self) -> DraftLine:
        """The entry fields as a line; ValueError (in words) when something is not right yet."""
        if self.product is None:
            raise ValueError(_("Choose a product first."))
        try:
            where = self.product.code
            qty = parse_quantity(self.query_one("#qty", Input).value, where)
            price = parse_price(self.query_one("#price", Input).value, where)
            rate = parse_tax_rate(self.query_one("#rate", Input).value, where)
            discount = parse_discount(self.query_one("#discount", Input).value)
        except CrmError as exc:
            raise ValueError(exc.message) from None
        unit, factor = self.units[self.unit_index] if self.units else (None, Decimal(1))
        return DraftLine.of(self.product.id, self.product.code, self.product.name, getattr(self.product, "unit", ""),
                            qty, price, self.basis, rate, discount,
                            list_net=getattr(self.product, "sale_price", None),
                            list_gross=getattr(self.product, "sale_price_gross", None),
                            line_unit=unit, factor=factor)

    def _refresh_totals(self) -> None:
        try:
            self.pending = self.typed_line()
            a = self.pending.amounts
            self._line("preview").update(self._unit_text() + _(
                "This line: net price {np}, gross price {gp}; net {net} + tax {tax} = {gross}").format(
                np=price_text(a.net_price), gp=price_text(a.gross_price), net=fmt(a.net), tax=fmt(a.tax),
                gross=fmt(a.gross)))
            self.show_error("")
        except ValueError as exc:
            self.pending = None
            self._line("preview").update("")
            if self.product is not None:
                self.show_error(str(exc))
        net, tax, gross = sum_lines(self.lines, self.pending)
        self._line("totals").update(
            _("Net {net}   Tax {tax}   Gross {gross}").format(net=fmt(net), tax=fmt(tax), gross=fmt(gross))
            + self._credit_text(gross) + f"\n{_('In words')}: 人民币{amount_in_words(gross)}")

    def add_line(self) -> None:
        try:
            line = self.typed_line()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.lines.append(line)
        self.product = None
        self.pending = None
        self.units, self.unit_index = [], 0
        self.query_one("#product", ProductPicker).reset()
        for widget_id in ("qty", "price", "discount"):
            self._set(f"#{widget_id}", "")
        self._line("hint").update("")
        cells = self._cells(len(self.lines), line)
        if _fits(cells, self.columns):
            # Append one row to a light list (re-rendering every row costs time on a long document).
            self.query_one("#lines", OptionList).add_option(Option(line_text(cells, self.columns)))
            self._refresh_totals()
        else:
            self._show_lines()  # a longer name or amount widens the columns: all rows again
        self.query_one("#product", ProductPicker).focus()
        self.state_changed()

    @staticmethod
    def _cells(n: int, ln: DraftLine) -> list[str]:
        a, off = ln.amounts, ln.shown_discount
        qty = format(ln.quantity.normalize(), "f") + ((ln.line_unit or "") if ln.factor != 1 else "")
        return [str(n), ln.code, ln.name, qty, price_text(a.net_price),
                price_text(a.gross_price), percent(off) if off else "", percent(ln.rate), fmt(a.net), fmt(a.tax),
                fmt(a.gross)]

    def _show_lines(self) -> None:
        """The header and the lines, their columns sized to content and to the screen's width."""
        head = [_(label) for label, _right in LINE_HEADS]
        rows = [self._cells(n, ln) for n, ln in enumerate(self.lines, 1)]
        self.columns = columns = fit_columns([head, *rows], max(self.size.width - 6, 30))
        self.query_one("#lines-head", Static).update(line_text(head, columns))
        self.query_one("#lines", OptionList).set_options([Option(line_text(r, columns)) for r in rows])
        self._refresh_totals()

    def action_delete_line(self) -> None:
        index = self.query_one("#lines", OptionList).highlighted
        if self.lines and index is not None and 0 <= index < len(self.lines):
            self.lines.pop(index)
            self._show_lines()
            self.state_changed()

    # --- what was entered (dirty check, recovery file) ----------------------------------------------------

    LINE_FIELDS = ("product_id", "code", "name", "unit", "quantity", "price", "basis", "rate", "discount",
                   "line_unit", "factor")

    def form_state(self) -> dict:
        c = self.customer
        return {**super().form_state(),
                "customer": None if c is None else {"id": c.id, "code": c.code, "name": c.name},
                "lines": [{k: getattr(ln, k) for k in self.LINE_FIELDS} for ln in self.lines]}

    def restore_state(self, state: dict) -> None:
        from types import SimpleNamespace

        super().restore_state(state)
        if state.get("customer"):
            self.customer = SimpleNamespace(**state["customer"])
            self.query_one("#customer", CustomerPicker).set_choice(self.customer)
            self._load_credit()
        decimals = ("quantity", "price", "rate", "discount", "factor")
        self.lines = [DraftLine.of(**{k: Decimal(v) if k in decimals else v for k, v in ln.items()})
                      for ln in state.get("lines", [])]
        self._show_lines()
        self.query_one("#product", ProductPicker).focus()

    def _line(self, name: str) -> _FixedLine:
        return self.query_one(f"#{name}", _FixedLine)

    def show_error(self, text: str) -> None:
        if text != getattr(self, "_shown_error", ""):  # a class change restyles the screen: only on a change
            self._shown_error = text
            self.query_one("#entry-message", MessageLine).show_error(text)

    # --- saving -------------------------------------------------------------------------------------------

    def _header(self) -> dict:
        from crm_tui.io.cells import CellError
        from crm_tui.io.cells import date as parse_date

        def day(widget_id: str, label: str) -> date | None:
            text = self.query_one(f"#{widget_id}", Input).value.strip()
            if not text:
                return None
            try:
                return parse_date(text)
            except CellError:
                raise FieldError(widget_id, _("{field}: type a date such as 2026-11-03.").format(field=label)) from None

        terms = self.query_one("#terms", Input).value.strip() or None
        if self.kind == "quote":
            return {"quote_date": day("doc_date", _("Date")) or clock.today(),
                    "valid_until": day("second_date", _("Valid until")), "contact_name": terms}
        return {"order_date": day("doc_date", _("Date")) or clock.today(),
                "delivery_date": day("second_date", _("Delivery")), "payment_terms": terms,
                "external_ref": self.query_one("#ref", Input).value.strip() or None}

    def _save(self, then=None) -> None:
        if self.customer is None:
            self.show_error(_("Choose the customer first."))
            return
        if self.pending is not None:  # a complete line still in the entry fields goes in too
            self.add_line()
        if not self.lines:
            self.show_error(_("Add at least one line."))
            return
        try:
            header = self._header()
        except ValueError as exc:
            self.show_problem(exc)
            return
        from crm_tui.services.sales.actions import draft_version, save_draft

        actor, kind, customer_id, doc_id = self.app.actor, self.kind, self.customer.id, self.doc_id
        version = self.version
        inputs = [ln.as_input() for ln in self.lines]

        def work(session):
            saved = save_draft(session, actor, kind, doc_id, customer_id, inputs, header, version=version)
            return saved, draft_version(session, kind, saved)

        def done(result: tuple[int, int]) -> None:
            new_id, self.version = result
            self.doc_id = new_id
            self.saved = True
            self.drop_recovery()  # in the database now: a draft to reopen, not a file to recover
            self.recovery_kind = None
            self.mark_clean()
            label = _("Quote") if self.kind == "quote" else _("Sales order")
            self.query_one("#entry-title", Static).update(f"{label} #{new_id} · {_('draft')}")
            if then is not None:
                then(new_id)
            else:
                self.app.notify(_("Draft saved."))

        run_use_case(self, work, done, write=True, on_error=conflict_in_form(self, self.show_error))

    def action_save(self) -> None:
        self._save()

    def action_confirm(self) -> None:
        from crm_tui.services.sales.actions import confirm_document

        def confirm(doc_id: int) -> None:
            actor, kind = self.app.actor, self.kind

            def work(session):
                return confirm_document(session, actor, kind, doc_id)

            def done(result) -> None:
                status, number = result.status, result.number
                if status == "pending_approval":
                    self.app.notify(_("The discount is beyond your limit: the order waits for a manager's approval."),
                                    severity="warning", timeout=8)
                else:
                    self.app.notify(_("Confirmed: {number}").format(number=number))
                self.dismiss(doc_id)

            run_service(self, work, done, write=True)

        self._save(confirm)

    def action_print(self) -> None:
        from crm_tui.screens.sales.dialogs import PrintDialog

        self._save(lambda doc_id: self.app.push_screen(PrintDialog(self.kind, f"#{doc_id}")))

    def save_and_close(self) -> None:
        self._save(self.dismiss)

    def close_form(self) -> None:
        self.dismiss(self.doc_id if self.saved else None)
