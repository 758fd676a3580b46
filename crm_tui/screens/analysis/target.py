"""The dialog that sets a salesperson's sales target for a month (managers: their people)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from crm_tui.core import clock
from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.widgets.forms import Field, FieldError, FormDialog


class TargetDialog(FormDialog):
    def __init__(self):
        super().__init__()
        self.title_text = _("Sales target")

    def fields(self) -> ComposeResult:
        yield Field(_("Salesperson"), Input(id="staff", placeholder=_("login, staff number or name")), required=True)
        yield Field(_("Month"), Input(f"{clock.today():%Y-%m}", id="month", placeholder="YYYY-MM"), required=True)
        yield Field(_("Amount"), Input(id="amount", placeholder="100,000.00"), required=True)

    def collect(self) -> dict:
        for key in ("staff", "month", "amount"):
            if not self.value(key):
                raise FieldError(key, _("Fill in the salesperson, the month and the amount."))
        return {k: self.value(k) for k in ("staff", "month", "amount")}

    def save(self, values: dict) -> None:
        from crm_tui.services.analysis.targets import set_target

        actor = self.app.actor

        def work(session):
            set_target(session, actor, values["staff"], values["month"], values["amount"])
            return True

        run_service(self, work, self.finish, write=True)
