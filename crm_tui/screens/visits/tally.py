"""拜访巡店考核 on screen: the month's summary per department, a person's days and void uploads, customers not
visited, publications; import with progress, absences, publish/reopen, export to Excel.

Every action calls the services of crm_tui/services/visits in a worker; the pane only shows the report dict
those services return (the same data as ``crm visits tally --format json``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from crm_tui.core import clock
from crm_tui.i18n import _, n_
from crm_tui.screens.base import ConfirmDialog, CrmScreen, MessageLine, Translated, run_service
from crm_tui.screens.main import AreaPane
from crm_tui.widgets.forms import Field, FieldError, FormDialog
from crm_tui.widgets.tables import SizedTable, rebuild_table
from crm_tui.widgets.work import start_work

MAX_ROWS = 2000   # a DataTable measures every cell: longer lists are cut here and exported whole
WEEKDAYS = "一二三四五六日"


def default_month(today: date | None = None) -> str:
    """The month a statistician assesses: the one before today's."""
    today = today or clock.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def shift_month(text: str, delta: int) -> str:
    from crm_tui.services.visits.calendar import add_months, parse_month

    y, m = add_months(*parse_month(text), delta)
    return f"{y:04d}-{m:02d}"


def _yes(flag: bool) -> str:
    return _("yes") if flag else ""


def photo_note() -> str:
    """The export has only a photo count: what a photo shows is beyond the app (issue 19, the photo rules)."""
    return _("Photos are counted from the export's photo count; the app cannot check what a photo shows "
             "(the first at the customer, with the salesperson and the shop sign).")


def _half(d: dict, half: str) -> str:
    """A half-day's uploads, "3/3" against its minimum when the role has one (reports before the split: "")."""
    if half not in d:
        return ""
    quota = d.get(f"{half}_quota") or 0
    return f"{d[half]}/{quota}" if quota else str(d[half])


def _flex(value) -> str:
    return "" if value is None else str(value)


class VisitsPane(AreaPane):
    """The statistician's month: summary per department and person, customers not visited, publications."""

    DEFAULT_CSS = """
    VisitsPane #visits-bar { height: 1; margin: 0 0 1 0; }
    VisitsPane #visits-bar Label { width: auto; padding: 0 1 0 0; }
    VisitsPane #visits-month { width: 12; }
    VisitsPane #visits-status { width: 1fr; padding: 0 0 0 2; color: $text-muted; }
    """
    BINDINGS = [
        Binding("f2", "new_absence", "Absence", id="visits.absence"),
        Binding("f6", "import_file", "Import", id="visits.import"),
        Binding("f7", "publish", "Publish", id="visits.publish"),
        Binding("f8", "reopen", "Reopen", id="visits.reopen"),
        Binding("f9", "export", "Export", id="visits.export"),
        Binding("pageup", "month(-1)", "Previous month", id="visits.prev_month"),
        Binding("pagedown", "month(1)", "Next month", id="visits.next_month"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="visits-bar"):
            yield Label(_("Month"))
            month = Input(default_month(), id="visits-month", placeholder="YYYY-MM")
            month.compact = True
            yield month
            yield Static("", id="visits-status")
        with TabbedContent(id="visits-tabs"):
            with TabPane(_("Monthly summary"), id="tab-summary"):
                yield SizedTable(id="visits-summary", cursor_type="row", zebra_stripes=True, fixed_columns=2)
            with TabPane(_("Not visited"), id="tab-not-visited"):
                yield SizedTable(id="visits-not-visited", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Publications"), id="tab-publications"):
                yield SizedTable(id="visits-publications", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.report: dict[str, Any] | None = None
        self.row_people: dict[str, dict] = {}
        super().on_mount()

    @property
    def month(self) -> str:
        return self.query_one("#visits-month", Input).value.strip()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "visits-month":
            event.stop()
            self.refresh_data()

    def action_month(self, delta: int) -> None:
        try:
            self.query_one("#visits-month", Input).value = shift_month(self.month, delta)
        except Exception as exc:  # noqa: BLE001 - a bad month typed in: say so
            self.app.report_error(exc)
            return
        self.refresh_data()

    def refresh_data(self) -> None:
        from crm_tui.services.visits.publish import list_publications, month_tally

        actor, month = self.app.actor, self.month
        self.query_one("#visits-status", Static).update(_("Tallying {month}…").format(month=month))

        def load(session):
            return month_tally(session, actor, month), list_publications(session)

        run_service(self, load, self._show, group="visits-load")

    def _show(self, result) -> None:
        if not self.query("#visits-summary"):   # TabbedContent mounts its panes a moment after the pane
            self.call_after_refresh(self._show, result)
            return
        self.report, publications = result
        self._status()
        self._summary()
        self._not_visited()
        self._publications(publications)

    def _status(self) -> None:
        r = self.report
        t = r["totals"]
        parts = [n_("{n} person", "{n} people", t["people"]).format(n=t["people"]), _("uploads {n}").format(n=t["uploads"]),
                 _("void {n}").format(n=t["void_uploads"]), _("fines {n} 元").format(n=t["total_fine"])]
        if r.get("as_of"):
            parts.insert(0, _("as of {day}").format(day=r["as_of"]))
        if r.get("days_left"):
            parts.insert(1, _("{days} days left: customer minimums so far, not fined yet").format(days=r["days_left"]))
        if r.get("published"):
            parts.insert(0, _("published {at}").format(at=r.get("published_at", "")))
        if r.get("warnings"):
            parts.append(n_("{n} warning", "{n} warnings", len(r["warnings"])).format(n=len(r["warnings"])))
        self.query_one("#visits-status", Static).update(" · ".join(parts))

    def _summary(self) -> None:
        table = self.query_one("#visits-summary", DataTable)
        keep = table.cursor_row
        headers = [_("Department"), _("Staff"), _("Position"), _("Working days"), _("Uploads"), _("Visits"), _("Void"),
                   _("Customers in charge"), _("Not visited"), _("Under minimum"), _("Daily fines"), _("Customer fines"),
                   _("Flex shortfall"), _("Total fine")]
        rows, keys = [], []

        def add_row(*cells, key):
            rows.append(cells)
            keys.append(key)

        self.row_people = {}
        by_dept: dict[str, list[dict]] = {}
        for p in self.report["people"]:
            by_dept.setdefault(p["department"] or "", []).append(p)
        depts = {d["department"]: d for d in self.report["departments"]}
        for name in sorted(by_dept):
            d = depts.get(name, {})
            add_row(f"▸ {name}", n_("{n} person", "{n} people", d.get("people", 0)).format(n=d.get("people", 0)), "", "", d.get("uploads"),
                    d.get("visits"), d.get("void_uploads"), d.get("customers_in_charge"),
                    d.get("customers_not_visited"), d.get("customers_under_minimum"), d.get("daily_fines"),
                    d.get("customer_fines"), _flex(d.get("flex_shortfall") or None), d.get("total_fine"),
                    key=f"dept:{name}")
            for i, p in enumerate(by_dept[name]):
                key = f"person:{name}:{i}"
                self.row_people[key] = p
                add_row("", p["staff"], p["role"], p["working_days"], p["uploads"], p["visits"],
                        p["void_uploads"], p["customers_in_charge"], len(p["customers_not_visited"]),
                        len(p["customers_under_minimum"]), p["daily_fines"], p["customer_fines"],
                        _flex(p["flex_shortfall"]), p["total_fine"], key=key)
        t = self.report["totals"]
        add_row(_("Total"), n_("{n} person", "{n} people", t["people"]).format(n=t["people"]), "", t["working_days"], t["uploads"],
                t["visits"], t["void_uploads"], t["customers_in_charge"], t["customers_not_visited"],
                t["customers_under_minimum"], t["daily_fines"], t["customer_fines"], t["flex_shortfall"] or "",
                t["total_fine"], key="total")
        # who, then the fines (what the month is judged by), then how they came about: the fines stay in view
        order = (0, 1, 13, 10, 11, 12, 2, 3, 4, 5, 6, 7, 8, 9)
        rebuild_table(table, [headers[i] for i in order], ([row[i] for i in order] for row in rows), keys)
        if table.row_count:
            table.move_cursor(row=min(max(keep, 0), table.row_count - 1))

    def _not_visited(self) -> None:
        table = self.query_one("#visits-not-visited", DataTable)
        names = self.report.get("customer_names", {})
        rows = []
        for p in self.report["people"]:
            for code in p["customers_not_visited"]:
                if len(rows) >= MAX_ROWS:
                    break
                rows.append((p["staff"], p["department"], code, names.get(code, ""),
                             _yes(code in p["customers_under_minimum"])))
        total = self.report["totals"]["customers_not_visited"]
        if total > len(rows):
            rows.append(("…", _("{n} more: export the workbook for all").format(n=total - len(rows)), "", "", ""))
        rebuild_table(table, [_("Staff"), _("Department"), _("Customer code"), _("Customer"), _("Under minimum")],
                      rows)

    def _publications(self, rows: list[dict]) -> None:
        table = self.query_one("#visits-publications", DataTable)
        rebuild_table(table, [_("Period"), _("Status"), _("From"), _("To"), _("Published at"), _("Times"), _("Reason")],
                      [(r["period"], _(r["status"]), r["first_day"], r["last_day"], r["published_at"],
                        r["times_published"], r["reason"] or "") for r in rows])

    # --- drill-down ------------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "visits-summary":
            return
        event.stop()
        person = self.row_people.get(event.row_key.value)
        if person is not None and self.report is not None:
            self.app.push_screen(PersonMonthScreen(person, self.report["month"],
                                                   self.report.get("customer_names", {}), self.report.get("as_of")))

    def selected_person(self) -> dict | None:
        table = self.query_one("#visits-summary", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.row_people.get(key)

    # --- actions ---------------------------------------------------------------------------------

    def action_import_file(self) -> None:
        self.app.push_screen(ImportDialog(), lambda changed: changed and self.refresh_data())

    def action_new_absence(self) -> None:
        person = self.selected_person()
        self.app.push_screen(AbsenceForm(person["staff_number"] or person["staff"] if person else ""),
                             lambda saved: saved and self.refresh_data())

    def action_publish(self) -> None:
        self.app.push_screen(PeriodDialog(_("Publish a week or a month"), self.month, ask_reason=False),
                             self._publish)

    def _publish(self, answer) -> None:
        if not answer:
            return
        from crm_tui.services.visits.publish import publish

        period, _reason = answer
        actor = self.app.actor

        def done(_report) -> None:
            self.app.notify(_("{period} published.").format(period=period.label))
            self.refresh_data()

        run_service(self, lambda s: publish(s, actor, period), done, write=True, group="visits-publish")

    def action_reopen(self) -> None:
        self.app.push_screen(PeriodDialog(_("Reopen a published week or month"), self.month, ask_reason=True),
                             self._reopen)

    def _reopen(self, answer) -> None:
        if not answer:
            return
        from crm_tui.services.visits.publish import reopen

        period, reason = answer
        actor = self.app.actor

        def confirmed(yes: bool) -> None:
            if not yes:
                return

            def done(_r) -> None:
                self.app.notify(_("{period} reopened.").format(period=period.label))
                self.refresh_data()

            run_service(self, lambda s: reopen(s, actor, period, reason), done, write=True, group="visits-publish")

        self.app.push_screen(ConfirmDialog(_("Reopen {period}? Its frozen figures can then change; the audit log "
                                             "keeps who reopened it and why.").format(period=period.label),
                                           _("Reopen")), confirmed)

    def action_export(self) -> None:
        if self.report is None:
            return
        report = self.report
        default = str(_export_folder() / f"拜访巡店统计-{report['month']}.xlsx")
        self.app.push_screen(PathDialog(_("Export the month to Excel"), default, _("Export")),
                             lambda path: path and self._export(report, path))

    def _export(self, report: dict, path: str) -> None:
        from crm_tui.services.visits.report_xlsx import write_month_workbook

        run_service(self, lambda _s: write_month_workbook(report, path),
                    lambda written: self.app.notify(_("Workbook written to {path}").format(path=written)),
                    group="visits-export")


def _export_folder():
    from pathlib import Path

    return Path.cwd()   # where the statistician started crm, like the CLI


class PersonMonthScreen(CrmScreen):
    """One person's month: the days, the weeks, the void uploads with reasons, customers not visited."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="visits.back")]

    def __init__(self, person: dict, month: str, names: dict[str, str], as_of: str | None = None):
        super().__init__()
        self.person, self.month, self.names, self.as_of = person, month, names, as_of

    def compose(self) -> ComposeResult:
        p = self.person
        yield Header()
        head = _("{staff} ({department}, {role}) — {month}: {uploads} uploads, {visits} visits, {void} void, "
                 "fines {fine} 元").format(staff=p["staff"], department=p["department"], role=p["role"],
                                          month=self.month, uploads=p["uploads"], visits=p["visits"],
                                          void=p["void_uploads"], fine=p["total_fine"])
        if p.get("flex"):
            head += " · " + _("flex month, shortfall {n}").format(n=p["flex_shortfall"])
        if self.as_of:
            head += " · " + _("as of {day}").format(day=self.as_of)
        yield Static(head, id="person-head")
        with TabbedContent(id="person-tabs"):
            with TabPane(_("Days"), id="tab-days"):
                yield SizedTable(id="person-days", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Weeks"), id="tab-weeks"):
                yield SizedTable(id="person-weeks", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Void uploads"), id="tab-void"):
                yield Static(photo_note(), id="person-photo-note", classes="hint")
                yield SizedTable(id="person-void", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Customers not visited"), id="tab-customers"):
                yield SizedTable(id="person-customers", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        from crm_tui.services.visits.report import reason_label
        from crm_tui.services.visits.report_xlsx import period_label

        if not self.query("#person-days"):
            self.call_after_refresh(self._fill)
            return
        p = self.person
        days = self.query_one("#person-days", DataTable)
        days.add_columns(_("Date"), _("Weekday"), _("Working day"), _("Leave"), _("Uploads"), _("Morning"),
                         _("Afternoon"), _("Visits"), _("Quota"), _("Shortfall"), _("Void"), _("Fine"))
        for d in p["days"]:
            day = date.fromisoformat(d["date"])
            days.add_row(d["date"], "周" + WEEKDAYS[day.weekday()], _yes(d["working"]), _yes(d["leave"]),
                         d["uploads"], _half(d, "am"), _half(d, "pm"), d["visits"], d["quota"], d["shortfall"],
                         d["void"], d["fine"])
        weeks = self.query_one("#person-weeks", DataTable)
        weeks.add_columns(_("Week"), _("From"), _("To"), _("Working days"), _("Uploads"), _("Visits"), _("Quota"),
                          _("Shortfall"), _("Void"), _("Fines"))
        for w in p["weeks"]:
            weeks.add_row(w["week"], w["start"], w["end"], w["working_days"], w["uploads"], w["visits"], w["quota"],
                          w["shortfall"], w["void"], w["fines"])
        void = self.query_one("#person-void", DataTable)
        void.add_columns(_("Time"), _("Customer code"), _("Customer"), _("Kind"), _("Photos"), _("Reason"))
        for v in p["void"][:MAX_ROWS]:
            void.add_row(v["time"], v.get("customer_code") or "", v.get("customer_name") or "", v["kind"],
                         "" if v.get("photos") is None else v["photos"],
                         "；".join(reason_label(r) for r in v["reasons"]))
        customers = self.query_one("#person-customers", DataTable)
        customers.add_columns(_("Customer code"), _("Customer"), _("Not visited"), _("Under minimum"), _("Visits"),
                              _("Required"), _("Period"))
        short = {s["customer"]: s for s in p["under_minimum"]}
        for code in sorted(set(p["customers_not_visited"]) | set(short)):
            s = short.get(code)
            customers.add_row(code, self.names.get(code, ""), _yes(code in p["customers_not_visited"]),
                              _yes(s is not None), s["visits"] if s else "", s["required"] if s else "",
                              period_label(s["period"]) if s else "")
        days.focus()


# --- dialogs ---------------------------------------------------------------------------------------------

class ImportDialog(Translated, ModalScreen[bool]):
    """Import the app's export: a path, a progress bar, then the result (or every bad row)."""

    DEFAULT_CSS = """
    ImportDialog #import-result { height: auto; max-height: 16; margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "start", "Import", id="visits.import.start"),
        Binding("escape", "close", "Close", id="visits.import.close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(_("Import the visit log (the mobile app's export)"), classes="dialog-title")
            yield Field(_("File"), Input(id="import-path", placeholder=_("path of the .xlsx, .xls or .csv file")),
                        required=True)
            yield Field(_("Published days"), Select([(_("refuse the file"), "refuse"), (_("skip those rows"), "skip")],
                                                    value="refuse", allow_blank=False, id="import-frozen"))
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static("", id="import-stage")
            yield MessageLine("", id="import-result")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Import") + " (ctrl+s)", variant="primary", id="start")
                yield Button(_("Close") + " (Esc)", id="close")
        yield Footer()

    def on_mount(self) -> None:
        self.changed = False
        self.job = None
        self.query_one("#import-path", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start() if event.button.id == "start" else self.action_close()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        from pathlib import Path

        if self.job is not None and self.job.worker.is_running:
            return
        text = self.query_one("#import-path", Input).value.strip()
        path = Path(text).expanduser()
        message = self.query_one("#import-result", MessageLine)
        if not text:  # Path("") is ".", which read "No such file: ."
            message.show_error(_("Type the path of the file to import."))
            return
        if not path.is_file():
            message.show_error(_("No such file: {path}").format(path=path))
            return
        message.show_error("")
        skip = self.query_one("#import-frozen", Select).value == "skip"
        self.job = start_work(self, lambda job: self._work(job, path, skip), done=self._done, on_error=self._failed,
                              on_progress=lambda done, total, stage: self._progress(stage, done, total or 0),
                              group="visits-import")

    @staticmethod
    def _work(job, path, skip: bool):
        from crm_tui.core.errors import CrmError
        from crm_tui.services.visits.upload_import import import_uploads

        def progress(stage: str, done: int, total: int) -> None:
            if job.cancelled:
                raise CrmError(_("Import cancelled; nothing was written."))
            job.progress(done, total, stage)

        return job.run(lambda session: import_uploads(session, job.actor, path, skip_frozen=skip, progress=progress),
                       write=True)

    def _progress(self, stage: str, done: int, total: int) -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self.query_one("#import-stage", Static).update(f"{stage}: {done}/{total}")

    def _failed(self, exc: Exception) -> None:
        from crm_tui.core.errors import CrmError

        if isinstance(exc, CrmError):
            self.query_one("#import-result", MessageLine).show_error(exc.message)
        else:
            self.app.report_error(exc)

    def _done(self, s) -> None:
        self.changed = True
        lines = [_("{file}: {rows} rows; {uploads} uploads and {events} events added, {repeated} already known.")
                 .format(file=s.file, rows=s.rows_read, uploads=s.uploads_added, events=s.events_added,
                         repeated=s.repeated)]
        if s.unknown_customers:
            lines.append(n_("{n} row names a customer not in the CRM: it is void (unknown customer).",
                            "{n} rows name a customer not in the CRM: they are void (unknown customer).",
                            s.unknown_customers).format(n=s.unknown_customers))
        if s.skipped_frozen:
            lines.append(n_("{n} new row on a published day skipped.", "{n} new rows on published days skipped.",
                            s.skipped_frozen).format(n=s.skipped_frozen))
        result = self.query_one("#import-result", MessageLine)
        result.show_error("")
        result.update("\n".join(lines))

    def action_close(self) -> None:
        if self.job is not None and self.job.worker.is_running:
            self.job.cancel()      # the import stops at its next progress step and writes nothing
            self.query_one("#import-stage", Static).update(_("Cancelling…"))
            return
        self.dismiss(self.changed)


class PeriodDialog(FormDialog):
    """A week (YYYY-Www) or a month (YYYY-MM), and for a reopen the reason."""

    save_label = "OK"

    def __init__(self, title: str, month: str, ask_reason: bool):
        super().__init__()
        self.title_text, self.month, self.ask_reason = title, month, ask_reason

    def fields(self) -> ComposeResult:
        yield Field(_("Week or month"), Input(self.month, id="period", placeholder="2027-W09 / 2027-03"),
                    required=True)
        if self.ask_reason:
            yield Field(_("Reason"), Input(id="reason"))

    def collect(self) -> dict:
        from crm_tui.core.errors import CrmError
        from crm_tui.services.visits.publish import month_period, week_period

        text = self.value("period")
        try:
            period = week_period(text) if "w" in text.lower() else month_period(text)
        except CrmError as exc:
            raise FieldError("period", exc.message) from exc
        return {"period": period, "reason": (self.value("reason") or None) if self.ask_reason else None}

    def save(self, values: dict) -> None:
        self.finish((values["period"], values["reason"]))


class PathDialog(FormDialog):
    """Where to write a file."""

    def __init__(self, title: str, default: str, ok_label: str):
        super().__init__()
        self.title_text, self.default, self.save_label = title, default, ok_label

    def fields(self) -> ComposeResult:
        yield Field(_("File"), Input(self.default, id="path"), required=True)

    def collect(self) -> dict:
        path = self.value("path")
        if not path:
            raise FieldError("path", _("Say where to write the file."))
        return {"path": path}

    def save(self, values: dict) -> None:
        self.finish(values["path"])


class AbsenceForm(FormDialog):
    """报备: leave days or a flex month for a staff member."""

    def __init__(self, staff: str = ""):
        super().__init__()
        self.staff = staff
        self.title_text = _("Absence reported in advance (报备)")

    def fields(self) -> ComposeResult:
        yield Field(_("Staff"), Input(self.staff, id="staff", placeholder=_("name, 工号 or login")), required=True)
        yield Field(_("Kind"), Select([(_("leave"), "leave"), (_("flex"), "flex")], value="leave",
                                      allow_blank=False, id="kind"))
        yield Field(_("From"), Input(id="from", placeholder="YYYY-MM-DD"), required=True)
        yield Field(_("To"), Input(id="to", placeholder="YYYY-MM-DD"), required=True)
        yield Field(_("Note"), Input(id="note"))

    def collect(self) -> dict:
        from crm_tui.core.errors import CrmError
        from crm_tui.services.visits.absences import parse_day

        staff = self.value("staff")
        if not staff:
            raise ValueError(_("Say whose absence it is."))
        try:
            start = parse_day(self.value("from"), _("From"))
            end = parse_day(self.value("to") or self.value("from"), _("To"), end=True)
        except CrmError as exc:
            raise ValueError(exc.message) from exc
        return {"staff": staff, "kind": self.choice("kind"), "start": start, "end": end,
                "note": self.value("note") or None}

    def save(self, values: dict) -> None:
        from crm_tui.services.visits.absences import add_absence

        actor = self.app.actor
        run_service(self, lambda s: add_absence(s, actor, values["staff"], values["start"], values["end"],
                                                values["kind"], values["note"]),
                    lambda _r: self.finish(True), write=True)
