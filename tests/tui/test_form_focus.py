"""Every form and dialog opens with the focus in its first editable field, so the first typed keys land there."""

from __future__ import annotations

import importlib
import pkgutil
from decimal import Decimal as D
from types import SimpleNamespace

from textual.widgets import Checkbox, Input, Select, TextArea

import crm_tui.screens
from crm_tui.app import CrmApp
from crm_tui.widgets.forms import FormDialog
from tests.tui.helpers import settle


def _all_form_dialogs() -> set[type]:
    for info in pkgutil.walk_packages(crm_tui.screens.__path__, "crm_tui.screens."):
        importlib.import_module(info.name)
    found, todo = set(), [FormDialog]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("crm_tui.") and "fields" in {
                    n for c in sub.__mro__ if c is not FormDialog for n in vars(c)}:
                found.add(sub)
    return found


def _factories(world) -> dict[str, object]:
    from crm_tui.screens.admin.company import CompanyForm
    from crm_tui.screens.admin.users import DepartmentForm, UserForm
    from crm_tui.screens.customers.export import ExportDialog
    from crm_tui.screens.customers.filters import MoreFilters, MoreFiltersDialog
    from crm_tui.screens.customers.forms import ContactForm, CustomerForm, LogForm, ReviewForm, TransferForm
    from crm_tui.screens.purchasing.inquiry import QuoteForm
    from crm_tui.screens.purchasing.listing import SupplierForm
    from crm_tui.screens.purchasing.order import InvoiceForm, PaymentForm
    from crm_tui.screens.sales import dialogs
    from crm_tui.screens.stock.listing import WarehouseForm
    from crm_tui.screens.stock.products import ProductForm
    from crm_tui.screens.visits import tally, week
    from crm_tui.services.customers.search import CustomerFilter

    warehouses = [("W1 总仓", 1)]
    order_view = SimpleNamespace(id=1, supplier_id=1, supplier_name="青岛啤酒", number="PO1", status="confirmed")
    log = SimpleNamespace(id=1, customer_name="临沂大酒店", author="孙伟", at=world, kind="visit", summary="拜访",
                          result=None, next_step=None, next_follow_up=None, review_comment=None)
    return {
        "PrintDialog": lambda: dialogs.PrintDialog("sales_order", "SO1"),
        "NoticeDialog": lambda: dialogs.NoticeDialog(1, warehouses, []),
        "ShipDialog": lambda: dialogs.ShipDialog(1, warehouses),
        "ReceiptDialog": lambda: dialogs.ReceiptDialog(1, 1, D("100"), [("基本户", 1)]),
        "InvoiceDialog": lambda: dialogs.InvoiceDialog(1, D("100")),
        "ExpenseDialog": dialogs.ExpenseDialog,
        "CommentDialog": lambda: dialogs.CommentDialog("Cancel", "Reason"),
        "UserForm": lambda: UserForm(None, [], []),
        "DepartmentForm": lambda: DepartmentForm(None, [], []),
        "MoreFiltersDialog": lambda: MoreFiltersDialog(MoreFilters(), ["餐饮"], [(1, "孙伟")]),
        "ExportDialog": lambda: ExportDialog(CustomerFilter(), 3),
        "CustomerForm": CustomerForm,
        "ContactForm": lambda: ContactForm(1),
        "LogForm": lambda: LogForm(1, "临沂大酒店"),
        "ReviewForm": lambda: ReviewForm(log),
        "TransferForm": lambda: TransferForm(lambda s: [1], 1, []),
        "ProductForm": lambda: ProductForm(None),
        "WarehouseForm": WarehouseForm,
        "PlanItemForm": lambda: week.PlanItemForm("2026-W49"),
        "PlanTextForm": lambda: week.PlanTextForm("2026-W49", None),
        "OutingForm": week.OutingForm,
        "OutingLogForm": lambda: week.OutingLogForm(1),
        "week.ReviewForm": lambda: week.ReviewForm(1, "2026-W49", "孙伟"),
        "AbsenceForm": tally.AbsenceForm,
        "QuoteForm": lambda: QuoteForm(SimpleNamespace(id=1, number="XJ1", suppliers=[(1, "S1", "青岛")],
                                                       lines=[(1, "P1", "啤酒", D(1))])),
        "SupplierForm": SupplierForm,
        "PaymentForm": lambda: PaymentForm(order_view),
        "InvoiceForm": lambda: InvoiceForm(order_view),
        "TrackingDialog": lambda: dialogs.TrackingDialog(1, "CK1"),
        "CompanyForm": lambda: CompanyForm({"name": "临沂华夏商贸有限公司"}),
        **_new_area_factories(),
    }


def _new_area_factories() -> dict[str, object]:
    """The forms of opportunities, service, documents, the today view, messaging, analysis, credit and lists."""
    from crm_tui.screens.analysis.target import TargetDialog
    from crm_tui.screens.customers.quotas import QuotaForm
    from crm_tui.screens.docs.kb import ArticleForm
    from crm_tui.screens.exports.dialog import ListExportDialog
    from crm_tui.screens.messaging.listing import TemplateForm
    from crm_tui.screens.opportunities.forms import LoseDialog, MoveDialog, OpportunityForm
    from crm_tui.screens.sales.credit import CourierForm, PriceForm, TermsForm
    from crm_tui.screens.sales.returns import RedInvoiceDialog, ReturnDialog
    from crm_tui.screens.service import forms as service
    from crm_tui.screens.today.forms import AnnouncementForm, ReminderForm
    from crm_tui.screens.visits.tally import PathDialog, PeriodDialog

    back = SimpleNamespace(stock_out_line_id=1, product_code="P1", product_name="青岛啤酒", quantity=D(10),
                           left=D(10))
    ticket = SimpleNamespace(id=1, number="TK1", subject="冰柜不制冷", version=1, assignee_id=None, assignee=None,
                             status="in_progress", customer_id=1, priority="normal", kind="repair")
    stages = [SimpleNamespace(id=i, name=n, probability=D(p) / 100, is_open=i < 5, position=i)
              for i, (n, p) in enumerate((("初步接洽", 10), ("需求确认", 30), ("方案报价", 50), ("商务谈判", 70),
                                          ("赢单", 100), ("输单", 0)), start=1)]
    return {
        "AnnouncementForm": AnnouncementForm, "ReminderForm": ReminderForm, "ArticleForm": lambda: ArticleForm(None),
        "TicketForm": service.TicketForm, "AssignForm": lambda: service.AssignForm(ticket),
        "ResolveForm": lambda: service.ResolveForm(ticket), "CloseForm": lambda: service.CloseForm(ticket),
        "ReopenForm": lambda: service.ReopenForm(ticket), "CourierForm": CourierForm, "PriceForm": PriceForm,
        "TermsForm": lambda: TermsForm(1), "ListExportDialog": lambda: ListExportDialog("orders"),
        "OpportunityForm": lambda: OpportunityForm([(1, "孙伟")]),
        "MoveDialog": lambda: MoveDialog(1, "OP1", stages, 1), "LoseDialog": lambda: LoseDialog(1, "OP1", ["价格太高"]),
        "QuotaForm": QuotaForm, "TargetDialog": TargetDialog, "TemplateForm": TemplateForm,
        "PeriodDialog": lambda: PeriodDialog("Publish", "2026-12", True),
        "PathDialog": lambda: PathDialog("Export", "visits.xlsx", "Export"),
        "ReturnDialog": lambda: ReturnDialog(1, "CK1", [back]),
        "RedInvoiceDialog": lambda: RedInvoiceDialog(1, "FP1", D("100.00")),
    }


def _key(cls: type) -> str:
    return "week.ReviewForm" if cls.__module__.endswith("visits.week") and cls.__name__ == "ReviewForm" \
        else cls.__name__


async def test_every_form_dialog_opens_with_its_first_field_focused(engine, admin):
    from datetime import datetime

    factories = _factories(datetime(2026, 12, 7, 10, 0))
    missing = {_key(c) for c in _all_form_dialogs()} - set(factories)
    assert not missing, f"add these forms to the test: {sorted(missing)}"
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        wrong = []
        for name, make in factories.items():
            form = make()
            app.push_screen(form)
            await settle(pilot)
            focused = app.focused
            inside = focused is not None and focused.screen is form and any(
                form.query_one(".form-fields") is a for a in focused.ancestors)
            if not (isinstance(focused, (Input, Select, TextArea, Checkbox)) and inside):
                wrong.append(f"{name}: {type(focused).__name__}")
            form.dismiss(None)
            await settle(pilot)
        assert wrong == []


async def test_the_first_keys_typed_into_a_new_product_form_land_in_its_first_field(engine, admin):
    from crm_tui.screens.stock.products import ProductForm

    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        form = ProductForm(None)
        app.push_screen(form)
        await settle(pilot)
        await pilot.press("P", "9")
        first = form.query(".form-fields Input").first()
        assert first.value == "P9"



def _dialog_factories() -> dict[str, object]:
    from crm_tui.screens.purchasing.inquiry import InquiryForm
    from crm_tui.screens.purchasing.order import OrderForm, ReceiveDialog
    from crm_tui.screens.sales.dialogs import BatchPrintDialog
    from crm_tui.screens.sales.entry import DocumentEntry
    from crm_tui.screens.stock.document import StockDocumentForm
    from crm_tui.screens.visits.tally import ImportDialog

    warehouses = [SimpleNamespace(id=1, code="W1", name="总仓", active=True)]
    suppliers = [SimpleNamespace(id=1, code="S1", name="青岛啤酒", active=True)]
    line = SimpleNamespace(id=7, remaining=D(5), product_code="P1", product_name="啤酒", spec="", quantity=D(5),
                           received_quantity=D(0), received=D(0), unit="瓶", unit_factor=D(1))
    order = SimpleNamespace(id=1, number="PO1", supplier_name="青岛啤酒", warehouse_id=1, lines=[line])
    return {
        "StockDocumentForm": lambda: StockDocumentForm(warehouses, "stock_in"),
        "OrderForm": lambda: OrderForm(suppliers, warehouses),
        "InquiryForm": lambda: InquiryForm(suppliers),
        "ReceiveDialog": lambda: ReceiveDialog(order, warehouses),
        "DocumentEntry": lambda: DocumentEntry("order"),
        "BatchPrintDialog": lambda: BatchPrintDialog("delivery"),
        "ImportDialog": ImportDialog,
    }


async def test_the_other_forms_and_dialogs_open_with_an_editable_field_focused(engine, admin):
    from textual.widgets import SelectionList

    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        wrong = []
        for name, make in _dialog_factories().items():
            form = make()
            app.push_screen(form)
            await settle(pilot)
            focused = app.focused
            if not (isinstance(focused, (Input, Select, TextArea, Checkbox, SelectionList))
                    and focused.screen is form):
                wrong.append(f"{name}: {type(focused).__name__}")
            form.dismiss(None)
            await settle(pilot)
        assert wrong == []
