"""The form base (widgets/forms.py) as a clerk meets it at 80×24: Esc on a changed form asks, errors name their
field and go when it is fixed, a save that waits for the database says so as information, fast input keeps
its order, ctrl+s saves in every form."""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import func, select
from textual.widgets import Button, Input, Select

import crm_tui.screens
from crm_tui.app import CrmApp
from crm_tui.db.models.customers import Customer
from crm_tui.db.session import read_session
from crm_tui.widgets.base import MessageLine
from crm_tui.widgets.forms import Field, FormBase, FormDialog, SaveChangesDialog
from tests.tui.helpers import settle


def _customers(engine) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(Customer))


async def _open(pilot, form):
    await settle(pilot)
    await settle(pilot)
    pilot.app.push_screen(form)
    await settle(pilot)
    return form


async def _new_customer_form(pilot):
    from crm_tui.screens.customers.forms import CustomerForm

    return await _open(pilot, CustomerForm())


async def _type_customer(pilot, form) -> None:
    for field, text in (("name", "Linyi Hotel"), ("short_name", "LY"), ("industry", "food"), ("area", "east"),
                        ("address", "Lanshan 1"), ("credit_limit", "5000"), ("source", "fair")):
        form.query_one(f"#{field}", Input).focus()
        await pilot.press(*list(text))
    await settle(pilot)


async def test_esc_on_an_unchanged_form_closes_it_at_once(engine, admin):
    async with CrmApp(engine=engine, auto_login=("admin", "admin-pass")).run_test(size=(80, 24)) as pilot:
        form = await _new_customer_form(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is not form and not isinstance(pilot.app.screen, SaveChangesDialog)


async def test_esc_on_a_changed_customer_form_asks_and_keep_editing_keeps_the_values(engine, admin):
    async with CrmApp(engine=engine, auto_login=("admin", "admin-pass")).run_test(size=(80, 24)) as pilot:
        form = await _new_customer_form(pilot)
        await _type_customer(pilot, form)
        await pilot.press("escape")
        await settle(pilot)
        question = pilot.app.screen
        assert isinstance(question, SaveChangesDialog)
        assert [b.id for b in question.query(Button)] == ["save", "discard", "keep"]
        await pilot.press("escape")  # Esc in the question: keep editing
        await settle(pilot)
        assert pilot.app.screen is form
        assert form.query_one("#name", Input).value == "Linyi Hotel"
        assert form.query_one("#credit_limit", Input).value == "5000"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.click("#keep")
        await settle(pilot)
        assert pilot.app.screen is form and form.query_one("#source", Input).value == "fair"
    assert _customers(engine) == 0


async def test_discard_closes_without_writing(engine, admin):
    async with CrmApp(engine=engine, auto_login=("admin", "admin-pass")).run_test(size=(80, 24)) as pilot:
        form = await _new_customer_form(pilot)
        await _type_customer(pilot, form)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.click("#discard")
        await settle(pilot)
        assert pilot.app.screen is not form and not isinstance(pilot.app.screen, SaveChangesDialog)
    assert _customers(engine) == 0


async def test_save_in_the_question_saves_the_form(engine, admin):
    async with CrmApp(engine=engine, auto_login=("admin", "admin-pass")).run_test(size=(80, 24)) as pilot:
        form = await _new_customer_form(pilot)
        await _type_customer(pilot, form)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # the focus is on 保存
        await settle(pilot)
        assert pilot.app.screen is not form
    with read_session(engine) as s:
        assert s.scalars(select(Customer.name)).all() == ["Linyi Hotel"]


async def test_a_field_error_marks_and_focuses_its_field_and_goes_when_the_field_changes(engine, admin):
    async with CrmApp(engine=engine, auto_login=("admin", "admin-pass")).run_test(size=(80, 24)) as pilot:
        form = await _new_customer_form(pilot)
        await pilot.press(*list("Linyi Hotel"))
        credit = form.query_one("#credit_limit", Input)
        credit.value = "lots"
        form.query_one("#name", Input).focus()
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = form.query_one("#form-message", MessageLine)
        assert pilot.app.screen is form and pilot.app.focused is credit
        assert credit.has_class("-invalid") and message.text.startswith("Credit limit") and message.has_class("error")
        form.query_one("#address", Input).value = "Lanshan"  # another field: the mark stays
        await settle(pilot)
        assert credit.has_class("-invalid") and message.text
        await pilot.press("end", *["backspace"] * 4, "5", "0", "0")  # fixed
        await settle(pilot)
        assert not credit.has_class("-invalid") and message.text == ""
    assert _customers(engine) == 0


async def test_the_product_form_names_the_field_of_a_bad_price(engine, admin):
    from crm_tui.screens.stock.products import ProductForm

    async with CrmApp(engine=engine, auto_login=("admin", "admin-pass")).run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, ProductForm(None))
        form.query_one("#name", Input).value = "啤酒"
        form.query_one("#purchase_price", Input).value = "-3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        price = form.query_one("#purchase_price", Input)
        assert price.has_class("-invalid") and pilot.app.focused is price
        assert "cannot be negative" in form.query_one("#form-message", MessageLine).text
        await pilot.press("end", "backspace", "3")
        await settle(pilot)
        assert not price.has_class("-invalid") and form.query_one("#form-message", MessageLine).text == ""


class _Plain(FormDialog):
    """A form whose save refuses with a plain ValueError (no field named)."""

    def fields(self):
        yield Field("Kind", Select([("a", "a"), ("b", "b")], id="kind"))
        yield Field("Note", Input(id="note"))

    def collect(self):
        raise ValueError("Choose something else.")

    def save(self, values):
        self.finish(values)


async def test_a_plain_error_goes_when_any_field_changes(engine, admin):
    async with CrmApp(engine=engine, auto_login=("admin", "admin-pass")).run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, _Plain())
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = form.query_one("#form-message", MessageLine)
        assert message.text == "Choose something else."
        form.query_one("#kind", Select).value = "b"
        await settle(pilot)
        assert message.text == ""


async def test_a_save_waiting_for_the_database_is_shown_as_information_and_cleared(engine, admin):
    from crm_tui.widgets.work import Job

    async with CrmApp(engine=engine, auto_login=("admin", "admin-pass")).run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, _Plain())
        await pilot.press("ctrl+s")  # an error on the line before the wait
        await settle(pilot)
        job = Job(form, "save", None, None, None)
        job.waiting("Waiting for another user's write…")
        await settle(pilot)
        message = form.query_one("#form-message", MessageLine)
        assert message.text == "Waiting for another user's write…"
        assert message.has_class("waiting") and not message.has_class("error")
        job._finished()  # the wait is over: the line is as it was
        await settle(pilot)
        assert message.text == "Choose something else." and message.has_class("error")
        assert not message.has_class("waiting")


async def _burst(pilot, *keys: str) -> None:
    """Keys as a scanner sends them: all queued at once (``pilot.press`` waits for the app between keys)."""
    from textual import events

    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_a_tab_right_after_typed_text_comes_after_that_text(engine, admin):
    async with CrmApp(engine=engine, auto_login=("admin", "admin-pass")).run_test(size=(80, 24)) as pilot:
        form = await _new_customer_form(pilot)
        form.query_one("#short_name", Input).focus()  # three text fields in a row (the salesperson follows the name)
        await pilot.pause()
        await _burst(pilot, "a", "b", "c", "tab", "x", "y", "tab", "z")
        await settle(pilot)
        assert form.query_one("#short_name", Input).value == "abc"
        assert form.query_one("#code", Input).value == "xy"
        assert form.query_one("#classification", Input).value == "z"


def test_ctrl_s_saves_in_every_form():
    for info in pkgutil.walk_packages(crm_tui.screens.__path__, "crm_tui.screens."):
        importlib.import_module(info.name)
    forms, todo = [], [FormBase]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            forms.append(sub)
    assert {"CustomerForm", "StockDocumentForm", "OrderForm", "InquiryForm", "ReceiveDialog",
            "DocumentEntry"} <= {f.__name__ for f in forms}
    from crm_tui.screens.sales.dialogs import BatchPrintDialog
    from crm_tui.screens.visits.tally import ImportDialog

    forms += [BatchPrintDialog, ImportDialog]  # dialogs that take input, not forms
    for form in forms:
        bound = {b.key: b.action for cls in form.__mro__ for b in getattr(cls, "BINDINGS", [])
                 if hasattr(b, "key")}
        assert "ctrl+s" in bound, form.__name__
        assert callable(getattr(form, f"action_{bound['ctrl+s']}", None)), form.__name__


async def test_a_wait_on_the_main_screen_is_said_in_its_status_line_and_cleared_even_under_a_form(engine, admin):
    from crm_tui.widgets.work import Job
    from tests.tui.helpers import screen_text

    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        main = app.screen
        assert type(main).__name__ == "MainScreen"
        job = Job(main, "load", None, None, None)
        job.waiting("Waiting for another user's write…")
        await settle(pilot)
        assert "Waiting for another user's write…" in screen_text(app)
        assert not any(n.severity == "error" for n in app._notifications)
        form = await _open(pilot, _Plain())  # a form opened while the list waits
        job._finished()
        await settle(pilot)
        form.dismiss(None)
        await settle(pilot)
        assert app.screen is main and "Waiting for" not in screen_text(app)


async def test_inquiry_and_receiving_forms_ask_only_when_something_changed(engine, admin):
    from decimal import Decimal as D
    from types import SimpleNamespace

    from textual.widgets import SelectionList

    from crm_tui.screens.purchasing.inquiry import InquiryForm
    from crm_tui.screens.purchasing.order import ReceiveDialog

    warehouses = [SimpleNamespace(id=1, code="W1", name="总仓", active=True)]
    line = SimpleNamespace(id=7, remaining=D(5), product_code="P1", product_name="啤酒", spec="", quantity=D(5),
                           received_quantity=D(0), received=D(0), unit="瓶", unit_factor=D(1))
    order = SimpleNamespace(id=1, number="PO1", supplier_name="青岛啤酒", warehouse_id=1, lines=[line])
    async with CrmApp(engine=engine, auto_login=("admin", "admin-pass")).run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, InquiryForm([SimpleNamespace(id=1, code="S1", name="青岛啤酒", active=True)]))
        form.query_one(SelectionList).select(1)  # a supplier ticked
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaveChangesDialog)
        await pilot.click("#discard")
        await settle(pilot)
        assert pilot.app.screen is not form

        form = await _open(pilot, ReceiveDialog(order, warehouses))
        await pilot.press("escape")  # the quantities as offered: closes at once
        await settle(pilot)
        assert pilot.app.screen is not form
        form = await _open(pilot, ReceiveDialog(order, warehouses))
        form.query_one("#rc-7", Input).value = "3"
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaveChangesDialog)


class _Unknown(_Plain):
    """A form whose error names a field it does not have (a typo in a subclass): said, nothing marked."""

    def collect(self):
        from crm_tui.widgets.forms import FieldError

        raise FieldError("no-such-field", "Something is wrong.")


async def test_an_error_naming_a_missing_field_is_still_said(engine, admin):
    async with CrmApp(engine=engine, auto_login=("admin", "admin-pass")).run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, _Unknown())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.query_one("#form-message", MessageLine).text == "Something is wrong."
        form.query_one("#note", Input).value = "x"  # then any change clears it
        await settle(pilot)
        assert form.query_one("#form-message", MessageLine).text == ""
