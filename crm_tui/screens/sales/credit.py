"""The credit area (信用账期): the dunning list (催款), receivables by due date, price levels and couriers.

Enter on a customer opens their credit and terms; F9 on the dunning list writes the customer's reminder (催款函);
F2 adds a price or a courier, F8 removes the price or takes the courier off the list.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Select, TabbedContent, TabPane

from crm_tui.core import clock
from crm_tui.core.money import format_money
from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.screens.main import AreaPane
from crm_tui.widgets.forms import Field, FormDialog
from crm_tui.widgets.picker import CustomerPicker, ProductPicker
from crm_tui.widgets.tables import SizedTable

TABS = ("dunning", "due", "prices", "couriers")


def _money(value) -> str:
    return "" if value is None else format_money(value)


class CreditPane(AreaPane):
    BINDINGS = [
        Binding("f2", "new", "New", id="credit.new"),
        Binding("f8", "remove", "Remove", id="credit.remove"),
        Binding("f9", "print", "Print reminder", id="credit.print"),
    ]

    def compose(self) -> ComposeResult:
        with TabbedContent(id="credit-tabs"):
            with TabPane(_("Dunning"), id="tab-dunning"):
                table = SizedTable(id="dunning", cursor_type="row", zebra_stripes=True, fixed_columns=2)
                table.add_columns(_("Level"), _("Code"), _("Customer"), _("Salesperson"), _("Overdue"),
                                  _("Oldest due"), _("Items"))
                yield table
            with TabPane(_("By due date"), id="tab-due"):
                table = SizedTable(id="due", cursor_type="row", zebra_stripes=True, fixed_columns=2)
                table.add_columns(_("Code"), _("Customer"), _("Balance"), _("Not yet due"), _("1-30 days late"),
                                  _("31-60 days late"), _("61-90 days late"), _("Over 90 days late"))
                yield table
            with TabPane(_("Price levels"), id="tab-prices"):
                table = SizedTable(id="prices", cursor_type="row", zebra_stripes=True)
                table.add_columns(_("Price of"), _("Customer"), _("Code"), _("Product"), _("Basis"), _("Price"),
                                  _("List price"))
                yield table
            with TabPane(_("Couriers"), id="tab-couriers"):
                table = SizedTable(id="couriers", cursor_type="row", zebra_stripes=True)
                table.add_columns(_("Courier"), _("Phone"), _("Active"))
                yield table

    def on_mount(self) -> None:
        super().on_mount()
        self.reminders, self.due_rows, self.prices, self.couriers = [], [], [], []

    def refresh_data(self) -> None:
        from crm_tui.services.sales import couriers, price_levels, terms

        actor, today = self.app.actor, clock.today()

        def load(session):
            return (terms.reminders(session, actor, today), terms.receivables_by_due_date(session, actor, today),
                    price_levels.list_prices(session, actor), couriers.list_couriers(session, active_only=False))

        run_service(self, load, self._show, group="credit-load")

    def _show(self, data) -> None:
        if not self.query("#dunning"):
            self.call_after_refresh(self._show, data)
            return
        self.reminders, self.due_rows, self.prices, self.couriers = data
        table = self.query_one("#dunning", DataTable)
        table.clear()
        for r in self.reminders:
            table.add_row(str(r.level), r.customer_code, r.customer_name, r.salesperson or "", _money(r.overdue),
                          r.oldest_due.isoformat(), str(len(r.items)), key=str(r.customer_id))
        table = self.query_one("#due", DataTable)
        table.clear()
        for d in self.due_rows:
            table.add_row(d.customer_code, d.customer_name, _money(d.balance), *map(_money, d.buckets),
                          key=str(d.customer_id))
        table = self.query_one("#prices", DataTable)
        table.clear()
        for i, p in enumerate(self.prices):
            table.add_row(_("customer") if p.source == "customer" else _(p.source), p.customer_name or "",
                          p.product_code, p.product_name, _("incl. tax") if p.basis == "gross" else _("net"),
                          _money(p.price), _money(p.list_price), key=str(i))
        table = self.query_one("#couriers", DataTable)
        table.clear()
        for c in self.couriers:
            table.add_row(c.name, c.phone or "", _("yes") if c.active else _("no"), key=c.name)

    @property
    def tab(self) -> str:
        return self.query_one("#credit-tabs", TabbedContent).active.removeprefix("tab-")

    def _row_key(self, table_id: str) -> str | None:
        table = self.query_one(f"#{table_id}", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_dunning(self) -> None:
        self.query_one("#credit-tabs", TabbedContent).active = "tab-dunning"

    def action_prices(self) -> None:
        self.query_one("#credit-tabs", TabbedContent).active = "tab-prices"

    def action_new(self) -> None:
        if self.tab == "couriers":
            self.app.push_screen(CourierForm(), lambda ok: ok and self.refresh_data())
        else:
            self.action_new_price()

    def action_new_price(self) -> None:
        self.query_one("#credit-tabs", TabbedContent).active = "tab-prices"
        self.app.push_screen(PriceForm(), lambda ok: ok and self.refresh_data())

    def action_remove(self) -> None:
        from crm_tui.services.sales import couriers, price_levels

        actor = self.app.actor
        if self.tab == "couriers" and (name := self._row_key("couriers")):
            active = next((c.active for c in self.couriers if c.name == name), False)
            run_service(self, lambda s: couriers.set_active(s, actor, name, not active),
                        lambda _r: self.refresh_data(), write=True)
        elif self.tab == "prices" and (key := self._row_key("prices")) is not None:
            p = self.prices[int(key)]

            def work(s):
                if p.source == "customer":
                    from crm_tui.services.customers.records import find_customer

                    cid = find_customer(s, actor, p.customer_code).id
                    price_levels.set_customer_price(s, actor, cid, p.product_id, None)
                else:
                    price_levels.set_class_price(s, actor, p.source, p.product_id, None)

            run_service(self, work, lambda _r: self.refresh_data(), write=True)

    def action_print(self) -> None:
        if self.tab != "dunning" or (key := self._row_key("dunning")) is None:
            return
        from crm_tui.services.printing import documents as printing
        from crm_tui.services.sales.dunning_print import default_path, reminder_for_print

        actor, customer_id, today = self.app.actor, int(key), clock.today()

        def work(session):
            doc = reminder_for_print(session, actor, customer_id, today)
            fmt = printing.default_format()
            return printing.write_document(doc, fmt, default_path(doc, fmt, today))

        def done(path) -> None:
            self.app.notify(_("Written: {path}").format(path=path))
            printing.open_if_wanted(path)

        run_service(self, work, done, group="credit-print")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id in ("dunning", "due") and event.row_key is not None:
            self.app.push_screen(TermsForm(int(event.row_key.value)), lambda ok: ok and self.refresh_data())


CLASS_CHOICES = (("Wholesale price", "wholesale"), ("Retail price", "retail"), ("VIP price", "vip"))


class TermsForm(FormDialog):
    """A customer's credit limit, payment terms and price class, with what is used of the credit."""

    def __init__(self, customer_id: int):
        super().__init__()
        self.customer_id = customer_id
        self.title_text = _("Credit and payment terms")

    def fields(self) -> ComposeResult:
        yield Field(_("Customer"), Input(id="customer", disabled=True))
        yield Field(_("Credit limit"), Input(id="credit_limit", placeholder=_("empty: none")))
        yield Field(_("Credit left"), Input(id="left", disabled=True))
        yield Field(_("Payment terms"), Input(id="terms", placeholder=_("30, M30 (月结30天), 0")))
        yield Field(_("Price class"), Select([(_(label), code) for label, code in CLASS_CHOICES], id="price_class"))

    def on_mount(self) -> None:
        super().on_mount()
        from crm_tui.services.sales import credit, terms

        actor, cid = self.app.actor, self.customer_id
        run_service(self, lambda s: (terms.get_terms(s, actor, cid), credit.customer_credit(s, actor, cid)),
                    self._show)

    def _show(self, data) -> None:
        view, got = data
        for widget_id, value in (("customer", f"{view.customer_code} {view.customer_name}"),
                                 ("credit_limit", "" if view.credit_limit is None else f"{view.credit_limit:.2f}"),
                                 ("left", _money(got.headroom)), ("terms", view.terms or "")):
            widget = self.query_one(f"#{widget_id}", Input)
            with widget.prevent(Input.Changed):
                widget.value = value
        if view.price_class:
            select = self.query_one("#price_class", Select)
            with select.prevent(Select.Changed):
                select.value = view.price_class
        self.call_after_refresh(self.mark_clean)

    def collect(self) -> dict:
        from crm_tui.core.errors import ValidationError
        from crm_tui.services.sales.terms import parse_terms

        try:
            parse_terms(self.value("terms"))
        except ValidationError as exc:
            raise ValueError(exc.message) from None
        return {"credit_limit": self.value("credit_limit"), "terms": self.value("terms"),
                "price_class": self.choice("price_class") or ""}

    def save(self, values: dict) -> None:
        from crm_tui.services.sales import terms

        actor, cid = self.app.actor, self.customer_id
        run_service(self, lambda s: terms.set_terms(s, actor, cid, **values), lambda _r: self.finish(True),
                    write=True)


class PriceForm(FormDialog):
    """A class price (批发价 / 零售价 / VIP) or a customer's own price for a product."""

    def __init__(self):
        super().__init__()
        self.title_text = _("New price")

    def fields(self) -> ComposeResult:
        yield Field(_("Product"), ProductPicker(id="product"), required=True)
        yield Field(_("Price class"), Select([(_(label), code) for label, code in CLASS_CHOICES], id="price_class"))
        yield Field(_("Customer"), CustomerPicker(id="customer"))
        yield Field(_("Price"), Input(id="price"), required=True)
        yield Field(_("Basis"), Select([(_("incl. tax"), "gross"), (_("net"), "net")], value="gross", id="basis",
                                       allow_blank=False))

    def on_picker_chosen(self, event) -> None:
        event.stop()

    def collect(self) -> dict:
        product = self.query_one("#product", ProductPicker).value
        customer = self.query_one("#customer", CustomerPicker).value
        cls = self.choice("price_class")
        if product is None:
            raise ValueError(_("{field} is required.").format(field=_("Product")))
        if (customer is None) == (cls is None):
            raise ValueError(_("Choose either a price class or a customer."))
        if not self.value("price"):
            raise ValueError(_("{field} is required.").format(field=_("Price")))
        return {"product": product, "customer": customer, "price_class": cls, "price": self.value("price"),
                "basis": self.choice("basis")}

    def save(self, values: dict) -> None:
        from crm_tui.services.sales import price_levels

        actor = self.app.actor

        def work(s):
            if values["customer"] is not None:
                price_levels.set_customer_price(s, actor, values["customer"], values["product"], values["price"],
                                                values["basis"])
            else:
                price_levels.set_class_price(s, actor, values["price_class"], values["product"], values["price"],
                                             values["basis"])

        run_service(self, work, lambda _r: self.finish(True), write=True)


class CourierForm(FormDialog):
    def __init__(self):
        super().__init__()
        self.title_text = _("New courier")

    def fields(self) -> ComposeResult:
        yield Field(_("Courier"), Input(id="name"), required=True)
        yield Field(_("Phone"), Input(id="phone"))

    def collect(self) -> dict:
        if not self.value("name"):
            raise ValueError(_("{field} is required.").format(field=_("Courier")))
        return {"name": self.value("name"), "phone": self.value("phone") or None}

    def save(self, values: dict) -> None:
        from crm_tui.services.sales import couriers

        actor = self.app.actor
        run_service(self, lambda s: couriers.add_courier(s, actor, values["name"], values["phone"]),
                    lambda _r: self.finish(True), write=True)
