"""The opportunity form (new and edit: customer, contact, salesperson, source, amount, close date, next step
and up to ``LINES`` product lines) and the small dialogs of the detail: move to a stage, lose with a reason."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Select

from crm_tui.core.errors import CrmError
from crm_tui.i18n import _
from crm_tui.widgets.forms import Field, FieldError, FormDialog
from crm_tui.widgets.picker import CustomerPicker, Picker, ProductPicker
from crm_tui.widgets.work import run_use_case

LINES = 3  # product lines the form offers; more are rare for an opportunity


def parse_day(text: str, field_id: str, label: str) -> date | None:
    from crm_tui.io.cells import CellError
    from crm_tui.io.cells import date as cell_date

    text = text.strip()
    if not text:
        return None
    try:
        return cell_date(text)
    except CellError:
        raise FieldError(field_id, _("{field}: type a date such as 2026-11-03.").format(field=label)) from None


class _ServiceForm(FormDialog):
    """A form whose refusals from the service stay in its message line, so the user can correct them."""

    def call(self, work, done=None) -> None:
        run_use_case(self, work, done or self.finish, write=True, on_error=self._refused)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, CrmError):
            self.show_error(exc.message)
        else:
            self.app.report_error(exc)


class OpportunityForm(_ServiceForm):
    """F2 on the list (a new opportunity) or F4 on the detail (``view``: the opportunity to change)."""

    DEFAULT_CSS = """
    OpportunityForm .dialog { width: 100; max-width: 100%; }
    """

    def __init__(self, owners: list[tuple[int, str]], view=None):
        super().__init__()
        self.owners, self.view = owners, view
        self.title_text = _("Opportunity {number}").format(number=view.number) if view else _("New opportunity")
        self.contacts: list[tuple[str, int]] = []

    def fields(self) -> ComposeResult:
        v = self.view
        if v is None:
            yield Field(_("Customer"), CustomerPicker(id="opp-customer", input_id="customer"), required=True)
        yield Field(_("Title"), Input(v.title if v else "", id="title", placeholder=_("what the customer may buy")),
                    required=True)
        yield Field(_("Contact"), Select([], id="contact", compact=True))
        owner = v.owner_id if v and v.owner_id in {uid for uid, _n in self.owners} else Select.NULL
        yield Field(_("Salesperson"), Select([(name, uid) for uid, name in self.owners], value=owner, id="owner",
                                             prompt=_("the customer's")))
        yield Field(_("Source"), Input(v.source or "" if v else "", id="source",
                                       placeholder=_("展会, 老客户介绍, 电话 …")))
        yield Field(_("Expected amount"), Input(f"{v.expected_amount:.2f}" if v else "", id="amount",
                                                placeholder=_("empty with lines: their sum")))
        yield Field(_("Expected close"), Input(str(v.expected_close or "") if v else "", id="close",
                                               placeholder="YYYY-MM-DD"))
        yield Field(_("Next step"), Input(v.next_step or "" if v else "", id="next_step"))
        yield Field(_("Next step date"), Input(str(v.next_step_date or "") if v else "", id="next_date",
                                               placeholder="YYYY-MM-DD"))
        lines = list(v.lines) if v else []
        for i in range(1, LINES + 1):
            ln = lines[i - 1] if i <= len(lines) else None
            chosen = SimpleNamespace(id=ln.product_id, code=ln.product_code, name=ln.product_name) if ln else None
            yield Field(_("Product {n}").format(n=i), _LineRow(i, chosen, ln))

    def on_mount(self) -> None:
        if self.view is not None:
            self._load_contacts(self.view.customer_id, self.view.contact_id)

    def on_picker_chosen(self, event: Picker.Chosen) -> None:
        if event.picker.id == "opp-customer" and event.row is not None:
            self._load_contacts(event.row.id, None)

    def _load_contacts(self, customer_id: int, current: int | None) -> None:
        from crm_tui.services.customers import contacts

        actor = self.app.actor

        def done(rows) -> None:
            select = self.query_one("#contact", Select)
            select.set_options([(r.name, r.id) for r in rows])
            if current is not None and current in {r.id for r in rows}:
                select.value = current
            elif rows and self.view is None:
                select.value = next((r.id for r in rows if r.is_primary), rows[0].id)
            if self.view is not None:
                self.call_after_refresh(self.mark_clean)

        run_use_case(self, lambda s: contacts.list_contacts(s, actor, customer_id), done, group="opp-contacts")

    def collect(self) -> dict:
        from crm_tui.services.opportunities.records import LineIn

        values: dict = {}
        if self.view is None:
            customer = self.query_one("#opp-customer", CustomerPicker).value
            if customer is None:
                raise FieldError("opp-customer", _("{field} is required.").format(field=_("Customer")))
            values["customer_id"] = customer
        title = self.value("title")
        if not title:
            raise FieldError("title", _("{field} is required.").format(field=_("Title")))
        lines = []
        for i in range(1, LINES + 1):
            product = self.query_one(f"#line-product-{i}", ProductPicker).value
            qty, price = self.value(f"line-qty-{i}"), self.value(f"line-price-{i}")
            if product is None:
                if qty or price:
                    raise FieldError(f"line-product-{i}", _("Line {n}: choose the product.").format(n=i))
                continue
            if not qty:
                raise FieldError(f"line-qty-{i}", _("Line {n}: give the quantity.").format(n=i))
            lines.append(LineIn(product, qty, price or None))
        values.update(title=title, contact_id=self.choice("contact"), owner_id=self.choice("owner"),
                      source=self.value("source") or None, expected_amount=self.value("amount") or None,
                      expected_close=parse_day(self.value("close"), "close", _("Expected close")),
                      next_step=self.value("next_step") or None,
                      next_step_date=parse_day(self.value("next_date"), "next_date", _("Next step date")),
                      lines=lines)
        return values

    def save(self, values: dict) -> None:
        from crm_tui.services.opportunities import records

        actor, view = self.app.actor, self.view
        if view is None:
            customer = values.pop("customer_id")
            title = values.pop("title")
            self.call(lambda s: records.add_opportunity(s, actor, customer, title, **values))
            return
        lines = values.pop("lines")
        if values["owner_id"] is None:
            values.pop("owner_id")
        if lines and values.get("expected_amount") is None:
            values.pop("expected_amount")

        def work(session):
            records.update_opportunity(session, actor, view.id, view.version, lines=lines or None, **values)
            return view.id

        self.call(work)


class _LineRow(Horizontal):
    """One product line: product picker, quantity, expected tax-inclusive price."""

    DEFAULT_CSS = """
    _LineRow { height: auto; width: 1fr; }
    _LineRow Picker { width: 2fr; }
    _LineRow Input { width: 1fr; }
    """

    def __init__(self, n: int, chosen, line):
        super().__init__(id=f"line-{n}")
        self.n, self.chosen, self.line = n, chosen, line

    def compose(self) -> ComposeResult:
        ln = self.line
        yield ProductPicker(id=f"line-product-{self.n}", input_id=f"line-product-input-{self.n}", value=self.chosen)
        yield Input(format(ln.quantity.normalize(), "f") if ln else "", id=f"line-qty-{self.n}", compact=True,
                    placeholder=_("quantity"))
        yield Input(f"{ln.expected_price:.2f}" if ln else "", id=f"line-price-{self.n}", compact=True,
                    placeholder=_("price (list)"))


class MoveDialog(_ServiceForm):
    """F6 on the detail: the next open stage (the ones before and after the current one are offered)."""

    save_label = "Move"

    def __init__(self, opp_id: int, number: str, stages, current_id: int):
        super().__init__()
        self.opp_id = opp_id
        self.title_text = _("Move {number} to a stage").format(number=number)
        self.choices = [(f"{s.name} ({s.probability:.0%})", s.id) for s in stages
                        if s.is_open and s.id != current_id]
        following = [s for s in stages if s.is_open and s.position > next(
            (x.position for x in stages if x.id == current_id), 0)]
        self.default = following[0].id if following else (self.choices[0][1] if self.choices else Select.NULL)

    def fields(self) -> ComposeResult:
        yield Field(_("Stage"), Select(self.choices, value=self.default, allow_blank=False, id="stage"), required=True)
        yield Field(_("Note"), Input(id="note", placeholder=_("why, what happened")))

    def collect(self) -> dict:
        stage = self.choice("stage")
        if stage is None:
            raise FieldError("stage", _("{field} is required.").format(field=_("Stage")))
        return {"stage": stage, "note": self.value("note") or None}

    def save(self, values: dict) -> None:
        from crm_tui.services.opportunities import records

        actor, opp_id = self.app.actor, self.opp_id
        self.call(lambda s: records.move(s, actor, opp_id, values["stage"], note=values["note"]).name)


class LoseDialog(_ServiceForm):
    """F8 on the detail: lost, for a reason from the settings' list."""

    save_label = "Mark lost"

    def __init__(self, opp_id: int, number: str, reasons: list[str]):
        super().__init__()
        self.opp_id, self.reasons = opp_id, reasons
        self.title_text = _("Opportunity {number} lost").format(number=number)

    def fields(self) -> ComposeResult:
        yield Field(_("Lost reason"), Select([(r, r) for r in self.reasons], id="reason"), required=True)
        yield Field(_("Note"), Input(id="note", placeholder=_("what the customer said")))

    def collect(self) -> dict:
        reason = self.choice("reason")
        if reason is None:
            raise FieldError("reason", _("{field} is required.").format(field=_("Lost reason")))
        return {"reason": reason, "note": self.value("note") or None}

    def save(self, values: dict) -> None:
        from crm_tui.services.opportunities import records

        actor, opp_id = self.app.actor, self.opp_id
        self.call(lambda s: records.lose(s, actor, opp_id, values["reason"], note=values["note"]) or True)
