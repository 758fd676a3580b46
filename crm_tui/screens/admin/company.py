"""Administration: our company's details (name, address, phone, 税号, 开户行, 账号), printed on every document."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.services.admin import company
from crm_tui.widgets.forms import Field, FormDialog
from crm_tui.widgets.work import report_unexpected, run_use_case

PLACEHOLDERS = {"name": "e.g. 临沂华夏商贸有限公司", "tax_number": "e.g. 91371300MA3C8XXX1Q",
                "bank": "e.g. 中国工商银行临沂兰山支行", "phone": "e.g. 0539-8123456"}  # msgids


def open_company_form(node) -> None:
    """Load the details, then show the form (an administrator's; the service checks it again on save)."""
    def shown(details: dict[str, str]) -> None:
        node.app.push_screen(CompanyForm(details), lambda saved: saved and node.app.notify(
            _("Company details saved; every print uses them.")))

    run_service(node, company.get_details, shown, group="company-load")


class CompanyForm(FormDialog):
    title_text = ""

    def __init__(self, details: dict[str, str]):
        super().__init__()
        self.details = details
        self.title_text = _("Company details (printed at the head of every document)")

    def fields(self) -> ComposeResult:
        for key in company.FIELDS:
            placeholder = _(PLACEHOLDERS[key]) if key in PLACEHOLDERS else ""
            yield Field(_(company.LABELS[key]), Input(self.details.get(key, ""), id=key, placeholder=placeholder,
                                                      max_length=company.MAX_LENGTH[key]), required=key == "name")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Say what is wrong as it is typed; the message goes once it is right."""
        try:
            company.check({event.input.id: event.value})
        except ValidationError as exc:
            self.show_error(str(exc))
        else:
            self.show_error("")

    def collect(self) -> dict[str, str]:
        values = {key: self.value(key) for key in company.FIELDS}
        try:
            return company.check(values)
        except ValidationError as exc:
            self.query_one(f"#{exc.field}", Input).focus()
            raise ValueError(str(exc)) from exc

    def save(self, values: dict[str, str]) -> None:
        actor = self.app.actor

        def failed(exc: BaseException) -> None:
            if not report_unexpected(self.app, exc):
                self.show_error(str(exc))

        run_use_case(self, lambda s: company.update_details(s, actor, **values), lambda _r: self.finish(True),
                     write=True, on_error=failed)
