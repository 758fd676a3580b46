"""员工中心 on screen: my week (plan, planned visits and whether they happened, summary and suggestions),
my outings (外出登记) with their contact logs, and for managers their people's weeks and plans to review."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Static, TabbedContent, TabPane, TextArea

from crm_tui.core import clock
from crm_tui.i18n import _
from crm_tui.screens.base import ConfirmDialog, run_service
from crm_tui.screens.conflicts import conflict_in_form
from crm_tui.screens.main import AreaPane
from crm_tui.services.admin.permissions import can
from crm_tui.widgets.forms import Field, FormDialog
from crm_tui.widgets.picker import CustomerPicker
from crm_tui.widgets.tables import SizedTable
from crm_tui.widgets.work import run_use_case


def current_week(today: date | None = None) -> str:
    from crm_tui.services.visits.calendar import monday_of, week_key

    return week_key(monday_of(today or clock.today()))


def _yes(flag: bool) -> str:
    return _("yes") if flag else ""


class WeekPane(AreaPane):
    DEFAULT_CSS = """
    WeekPane #week-bar { height: 1; margin: 0 0 1 0; }
    WeekPane #week-bar Label { width: auto; padding: 0 1 0 0; }
    WeekPane #week-week { width: 12; }
    WeekPane #week-status { width: 1fr; padding: 0 0 0 2; color: $text-muted; }
    WeekPane #week-text { height: auto; max-height: 8; margin: 0 0 1 0; }
    """
    BINDINGS = [
        Binding("f2", "add_item", "Plan a visit", id="week.add"),
        Binding("f4", "write", "Write", id="week.write"),
        Binding("f6", "submit", "Submit", id="week.submit"),
        Binding("f7", "new_outing", "Outing", id="week.outing"),
        Binding("f8", "remove_item", "Remove", id="week.remove"),
        Binding("f9", "review", "Review", id="week.review"),
        Binding("pageup", "week(-1)", "Previous week", id="week.prev"),
        Binding("pagedown", "week(1)", "Next week", id="week.next"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="week-bar"):
            yield Label(_("Week"))
            week = Input(current_week(), id="week-week", placeholder="YYYY-Www")
            week.compact = True
            yield week
            yield Static("", id="week-status")
        yield Static("", id="week-text")
        with TabbedContent(id="week-tabs"):
            with TabPane(_("Planned visits"), id="tab-plan"):
                yield SizedTable(id="week-items", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Outings"), id="tab-outings"):
                yield SizedTable(id="week-outings", cursor_type="row", zebra_stripes=True)
            if can(self.app.actor, "records.review"):
                with TabPane(_("My people"), id="tab-team"):
                    yield SizedTable(id="week-team", cursor_type="row", zebra_stripes=True)
                    yield Label(_("Plans waiting for your review"), classes="card-title")
                    yield SizedTable(id="week-unreviewed", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.view = None
        self.team_rows = []
        self.viewing = self.app.actor.id   # whose week is shown (a manager may open a subordinate's)
        super().on_mount()

    @property
    def week(self) -> str:
        return self.query_one("#week-week", Input).value.strip()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "week-week":
            event.stop()
            self.refresh_data()

    def action_week(self, delta: int) -> None:
        from crm_tui.services.visits.calendar import parse_week, week_key

        try:
            monday = parse_week(self.week) + timedelta(days=7 * delta)
        except Exception as exc:  # noqa: BLE001
            self.app.report_error(exc)
            return
        self.query_one("#week-week", Input).value = week_key(monday)
        self.refresh_data()

    def refresh_data(self) -> None:
        from crm_tui.services.visits import outings, plans

        actor, week, viewing = self.app.actor, self.week, self.viewing
        manager = can(actor, "records.review")

        def load(session):
            view = plans.plan_view(session, actor, viewing, week)
            first = view.monday
            outs = outings.list_outings(session, actor, user_id=viewing, first=first, last=first + timedelta(days=6))
            team = (plans.team_week(session, actor, week), plans.unreviewed(session, actor)) if manager else ([], [])
            return view, outs, team

        run_service(self, load, self._show, group="week-load")

    def _show(self, result) -> None:
        if not self.query("#week-items"):
            self.call_after_refresh(self._show, result)
            return
        self.view, outs, (self.team_rows, waiting) = result
        v = self.view
        self.query_one("#week-status", Static).update(
            _("{staff}, week {week}: {status}; {done} of {planned} planned visits made.").format(
                staff=v.staff, week=v.week, status=_(v.status), done=v.done, planned=v.planned))
        text = [f"{label}: {value}" for label, value in ((_("Goals"), v.goals), (_("Week summary"), v.summary),
                                                         (_("Suggestions"), v.suggestions),
                                                         (_("Review"), v.review_comment)) if value]
        self.query_one("#week-text", Static).update("\n".join(text))
        items = self.query_one("#week-items", DataTable)
        items.clear(columns=True)
        items.add_columns(_("Day"), _("Customer code"), _("Customer"), _("Purpose"), _("Uploads"), _("Contact logs"),
                          _("Outings"), _("Done"))
        for i in v.items:
            items.add_row(i.day.isoformat(), i.customer_code, i.customer_name, i.purpose or "", i.uploads,
                          i.contact_logs, i.outings, _yes(i.happened), key=str(i.id))
        table = self.query_one("#week-outings", DataTable)
        table.clear(columns=True)
        table.add_columns(_("Out at"), _("Back at"), _("Purpose"), _("Customers"), _("Logged"), _("Uploads"))
        for o in outs:
            table.add_row(o.out_at.strftime("%m-%d %H:%M"), o.back_at.strftime("%H:%M") if o.back_at else "",
                          o.purpose, " ".join(c.code for c in o.customers), f"{o.logged}/{len(o.customers)}",
                          sum(c.uploads for c in o.customers), key=str(o.id))
        if self.query("#week-team"):
            team = self.query_one("#week-team", DataTable)
            team.clear(columns=True)
            team.add_columns(_("Staff"), _("Status"), _("Planned"), _("Submitted at"))
            for r in self.team_rows:
                team.add_row(r.staff, _(r.status), r.planned, r.submitted_at or "", key=f"{r.user_id}|{r.week}")
            table = self.query_one("#week-unreviewed", DataTable)
            table.clear(columns=True)
            table.add_columns(_("Staff"), _("Week"), _("Planned"), _("Submitted at"))
            for r in waiting:
                table.add_row(r.staff, r.week, r.planned, r.submitted_at or "", key=f"{r.user_id}|{r.week}")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id in ("week-team", "week-unreviewed"):   # open that person's week
            event.stop()
            uid, week = event.row_key.value.split("|")
            self.viewing = int(uid)
            self.query_one("#week-week", Input).value = week
            self.query_one("#week-tabs", TabbedContent).active = "tab-plan"
            self.refresh_data()

    def _mine(self) -> bool:
        if self.viewing != self.app.actor.id:
            self.app.notify(_("That is {staff}'s week; here is yours again.").format(
                staff=self.view.staff if self.view else ""), severity="warning")
            self.viewing = self.app.actor.id
            self.refresh_data()
            return False
        return True

    # --- actions ---------------------------------------------------------------------------------

    def action_add_item(self) -> None:
        if self._mine():
            self.app.push_screen(PlanItemForm(self.week), lambda saved: saved and self.refresh_data())

    def action_write(self) -> None:
        """F4: on the outings tab, the contact log of a visit on the selected outing; else the week's texts."""
        if not self._mine():
            return
        if self.query_one("#week-tabs", TabbedContent).active == "tab-outings":
            table = self.query_one("#week-outings", DataTable)
            if table.row_count:
                outing_id = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
                self.app.push_screen(OutingLogForm(outing_id), lambda saved: saved and self.refresh_data())
            return
        self.app.push_screen(PlanTextForm(self.week, self.view), lambda saved: saved and self.refresh_data())

    def action_remove_item(self) -> None:
        from crm_tui.services.visits.plans import remove_item

        table = self.query_one("#week-items", DataTable)
        if not self._mine() or table.row_count == 0:
            return
        item_id = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        actor = self.app.actor

        def answered(yes: bool) -> None:
            if yes:
                run_service(self, lambda s: remove_item(s, actor, item_id), lambda _r: self.refresh_data(),
                            write=True)

        self.app.push_screen(ConfirmDialog(_("Remove this planned visit?")), answered)

    def action_submit(self) -> None:
        from crm_tui.services.visits.plans import submit

        if not self._mine():
            return
        actor, week = self.app.actor, self.week

        def done(_r) -> None:
            self.app.notify(_("Plan of {week} submitted.").format(week=week))
            self.refresh_data()

        run_service(self, lambda s: submit(s, actor, week), done, write=True)

    def action_new_outing(self) -> None:
        if self._mine():
            self.app.push_screen(OutingForm(), lambda saved: saved and self.refresh_data())

    def action_review(self) -> None:
        if self.view is None or self.viewing == self.app.actor.id:
            self.app.notify(_("Open one of your people's weeks first (tab My people, Enter)."), severity="warning")
            return
        self.app.push_screen(ReviewForm(self.viewing, self.week, self.view.staff),
                             lambda saved: saved and self.refresh_data())


class PlanItemForm(FormDialog):
    def __init__(self, week: str):
        super().__init__()
        self.week = week
        self.title_text = _("Plan a visit in week {week}").format(week=week)

    def fields(self) -> ComposeResult:
        yield Field(_("Day"), Input(id="day", placeholder="YYYY-MM-DD"), required=True)
        yield Field(_("Customer"), CustomerPicker(id="customer-picker", input_id="customer"), required=True)
        yield Field(_("Purpose"), Input(id="purpose"))

    def collect(self) -> dict:
        try:
            day = date.fromisoformat(self.value("day"))
        except ValueError:
            raise ValueError(_("Day: expected a date such as 2027-03-08.")) from None
        chosen = self.query_one("#customer-picker", CustomerPicker).chosen
        customer = chosen.code if chosen is not None else self.value("customer")  # or a code typed in full
        if not customer:
            raise ValueError(_("Which customer?"))
        return {"day": day, "customer": customer, "purpose": self.value("purpose") or None}

    def save(self, values: dict) -> None:
        from crm_tui.services.visits.plans import add_item

        actor, week = self.app.actor, self.week
        run_service(self, lambda s: add_item(s, actor, week, values["day"], values["customer"], values["purpose"]),
                    lambda _r: self.finish(True), write=True)


class PlanTextForm(FormDialog):
    """周计划 / 总结 / 建议: multi-line texts (TextArea keeps every line of a paste)."""

    DEFAULT_CSS = """
    PlanTextForm TextArea { height: 4; width: 1fr; }
    PlanTextForm .field { height: 4; }
    """

    def __init__(self, week: str, view):
        super().__init__()
        self.week, self.view = week, view
        self.title_text = _("Week {week}: goals, summary and suggestions").format(week=week)

    def fields(self) -> ComposeResult:
        v = self.view
        yield Field(_("Goals"), TextArea(v.goals or "" if v else "", id="goals"))
        yield Field(_("Week summary"), TextArea(v.summary or "" if v else "", id="summary"))
        yield Field(_("Suggestions"), TextArea(v.suggestions or "" if v else "", id="suggestions"))

    def collect(self) -> dict:
        return {k: self.query_one(f"#{k}", TextArea).text for k in ("goals", "summary", "suggestions")}

    def save(self, values: dict) -> None:
        from crm_tui.services.visits.plans import set_plan_text

        actor, week = self.app.actor, self.week
        version = self.view.version if self.view and self.view.id else None  # the plan as this form loaded it
        run_use_case(self, lambda s: set_plan_text(s, actor, week, expected_version=version, **values),
                     lambda _r: self.finish(True), write=True, on_error=conflict_in_form(self, self.show_error))


class OutingForm(FormDialog):
    def __init__(self):
        super().__init__()
        self.title_text = _("Register an outing (外出登记)")

    def fields(self) -> ComposeResult:
        now = clock.now().replace(second=0, microsecond=0)
        yield Field(_("Out at"), Input(now.strftime("%Y-%m-%d %H:%M"), id="out"), required=True)
        yield Field(_("Back at"), Input(id="back", placeholder="YYYY-MM-DD HH:MM"))
        yield Field(_("Purpose"), Input(id="purpose"), required=True)
        yield Field(_("Customers"), Input(id="customers", placeholder=_("codes or names, separated by spaces")))
        yield Field(_("Destination"), Input(id="destination"))

    def collect(self) -> dict:
        def moment(text: str, label: str):
            try:
                return datetime.fromisoformat(text.replace("/", "-")) if text else None
            except ValueError:
                raise ValueError(_("{field}: expected a date and time such as 2027-03-08 09:00.").format(
                    field=label)) from None

        out_at = moment(self.value("out"), _("Out at"))
        if out_at is None:
            raise ValueError(_("When do you go out?"))
        if not self.value("purpose"):
            raise ValueError(_("Say what the outing is for."))
        return {"out_at": out_at, "back_at": moment(self.value("back"), _("Back at")), "purpose": self.value("purpose"),
                "customers": self.value("customers").replace("，", " ").replace(",", " ").split(),
                "destination": self.value("destination") or None}

    def save(self, values: dict) -> None:
        from crm_tui.services.visits.outings import register

        actor = self.app.actor
        run_service(self, lambda s: register(s, actor, values["out_at"], values["purpose"], values["customers"],
                                             destination=values["destination"], back_at=values["back_at"]),
                    lambda _r: self.finish(True), write=True)


class OutingLogForm(FormDialog):
    """The contact log (联系记录) of a visit made on an outing; the return time can be filled in too."""

    def __init__(self, outing_id: int):
        super().__init__()
        self.outing_id = outing_id
        self.title_text = _("Contact log of a visit on outing {id}").format(id=outing_id)

    def fields(self) -> ComposeResult:
        yield Field(_("Customer"), CustomerPicker(id="customer-picker", input_id="customer"), required=True)
        yield Field(_("Summary"), Input(id="summary"), required=True)
        yield Field(_("Result"), Input(id="result"))
        yield Field(_("Back at"), Input(id="back", placeholder="YYYY-MM-DD HH:MM"))

    def collect(self) -> dict:
        chosen = self.query_one("#customer-picker", CustomerPicker).chosen
        customer = chosen.code if chosen is not None else self.value("customer")  # or a code typed in full
        if not customer or not self.value("summary"):
            raise ValueError(_("Say which customer and what happened."))
        back = None
        if self.value("back"):
            try:
                back = datetime.fromisoformat(self.value("back").replace("/", "-"))
            except ValueError:
                raise ValueError(_("{field}: expected a date and time such as 2027-03-08 09:00.").format(
                    field=_("Back at"))) from None
        return {"customer": customer, "summary": self.value("summary"),
                "result": self.value("result") or None, "back": back}

    def save(self, values: dict) -> None:
        from crm_tui.services.visits.outings import log_visit, record_return

        actor, oid = self.app.actor, self.outing_id

        def work(session):
            log_visit(session, actor, oid, values["customer"], values["summary"], result=values["result"])
            if values["back"] is not None:
                record_return(session, actor, oid, values["back"])

        run_service(self, work, lambda _r: self.finish(True), write=True)


class ReviewForm(FormDialog):
    def __init__(self, user_id: int, week: str, staff: str):
        super().__init__()
        self.user_id, self.week = user_id, week
        self.title_text = _("Review {staff}'s plan of {week} (批复)").format(staff=staff, week=week)

    def fields(self) -> ComposeResult:
        yield Field(_("Comment"), Input(id="comment"), required=True)

    def collect(self) -> dict:
        if not self.value("comment"):
            raise ValueError(_("Write a comment for the review."))
        return {"comment": self.value("comment")}

    def save(self, values: dict) -> None:
        from crm_tui.services.visits.plans import review

        actor, uid, week = self.app.actor, self.user_id, self.week
        run_service(self, lambda s: review(s, actor, uid, week, values["comment"]), lambda _r: self.finish(True),
                    write=True)
