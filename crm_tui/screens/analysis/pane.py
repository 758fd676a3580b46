"""The Analysis area: the analyses on the left; on the right the period, the rule behind the list, the table
and its chart under it. F5 reloads, F9 writes the analysis with its chart to Excel, F7 writes the ABC grades into
the customers' classification, F6 sets a salesperson's monthly target, F8 shows the table and chart, the table
alone or the chart alone. Where the columns do not all fit (80 columns) the table keeps those that do and the
highlighted row's others are written under it. Work runs in workers through the services, so everything shows
only what the user may see."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from crm_tui.core import clock
from crm_tui.i18n import _
from crm_tui.screens.analysis.chart import draw, legend
from crm_tui.screens.analysis.fit import fitting, rest_of_row
from crm_tui.screens.base import run_service
from crm_tui.screens.main import AreaPane
from crm_tui.services.analysis.registry import ANALYSES, BY_NAME
from crm_tui.widgets.tables import SizedTable, rebuild_table


def cell(kind: str, value) -> str:
    if value is None:
        return ""
    if kind == "money":
        return f"{value:,.2f}"
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "decimal":
        return format(value.normalize(), "f")
    return str(value)


def dashboard_lines(summary: dict) -> str:
    def money(key):
        return cell("money", summary.get(key)) or "—"

    funnel = summary.get("funnel")
    funnel_text = _("not available yet") if funnel is None else " → ".join(
        f"{r.get('stage')} {r.get('count')}" for r in funnel)
    return "\n".join([
        _("Sales {now} · same period last year {before} · year on year {yoy}").format(
            now=money("sales"), before=money("sales_last_year"), yoy=cell("rate", summary.get("yoy")) or "—"),
        _("Receivables {total} · overdue {overdue} · churned customers {churn} · stock value {stock}").format(
            total=money("receivables"), overdue=money("overdue"), churn=summary.get("churn_count", 0),
            stock=money("stock_value")),
        _("Funnel: {funnel}").format(funnel=funnel_text),
    ])


class AnalysisPane(AreaPane):
    DEFAULT_CSS = """
    AnalysisPane #analysis-list { width: 22; height: 1fr; }
    AnalysisPane #analysis-body { width: 1fr; height: 1fr; }
    AnalysisPane .period-bar { height: 1; }
    AnalysisPane .period-bar Input { width: 12; }
    AnalysisPane .period-bar Label { padding: 0 1; }
    AnalysisPane #analysis-summary { height: auto; max-height: 4; }
    AnalysisPane #analysis-rule { height: auto; max-height: 3; color: $text-muted; }
    AnalysisPane.-short #analysis-rule { max-height: 2; }
    AnalysisPane #analysis-table { height: 1fr; min-height: 4; }
    AnalysisPane #analysis-chart { height: 1fr; min-height: 6; }
    AnalysisPane #analysis-legend { height: 1; color: $text-muted; }
    AnalysisPane #analysis-rest { height: auto; max-height: 3; color: $text-muted; }
    """
    BINDINGS = [
        Binding("f9", "export", "Excel", id="analysis.export"),
        Binding("f7", "write_grades", "ABC grades", id="analysis.write_grades"),
        Binding("f6", "set_target", "Target", id="analysis.set_target"),
        Binding("f8", "switch_view", "Table/chart", id="analysis.switch_view"),
    ]
    VIEWS = ("both", "table", "chart")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = "dashboard"
        self.report = None
        self.view = "both"
        self._drawn = False
        self._cells: tuple[list[str], list[list[str]], int] = ([], [], 0)  # headers, rows, columns shown

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield OptionList(*[Option(_(a.title), id=a.name) for a in ANALYSES], id="analysis-list")
            with Vertical(id="analysis-body"):
                with Horizontal(classes="period-bar"):
                    yield Label(_("From"))
                    yield Input("", placeholder="YYYY-MM-DD", id="analysis-from", compact=True)
                    yield Label(_("To"))
                    yield Input("", placeholder="YYYY-MM-DD", id="analysis-to", compact=True)
                yield Static("", id="analysis-summary")
                yield Static("", id="analysis-rule")
                yield SizedTable(id="analysis-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="analysis-rest")
                yield PlotextPlot(id="analysis-chart")
                yield Label("", id="analysis-legend")

    def on_resize(self) -> None:
        self.set_class(self.size.height < 30, "-short")  # at 24 rows the rule keeps two lines for the table
        if self.report is not None:
            self.call_after_refresh(self._show, self.report)  # the columns that fit, the chart's x labels

    # --- loading ------------------------------------------------------------------------------------------

    def _period(self):
        from crm_tui.io.cells import CellError
        from crm_tui.io.cells import date as parse_date

        out = []
        for widget_id in ("analysis-from", "analysis-to"):
            text = self.query_one(f"#{widget_id}", Input).value.strip()
            try:
                out.append(parse_date(text) if text else None)
            except CellError:
                raise ValueError(_("Type the dates as 2026-11-03.")) from None
        return out

    def refresh_data(self) -> None:
        try:
            start, end = self._period()
        except ValueError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        actor, analysis = self.app.actor, BY_NAME[self.current]
        run_service(self, lambda s: analysis.run(s, actor, start, end), self._show, group="analysis-load")

    def _show(self, report) -> None:
        self.report = report
        headers = [_(c.label) for c in report.columns]
        rows = [[cell(c.kind, row.get(c.key)) for c in report.columns] for row in report.rows]
        body_width = self.query_one("#analysis-body").size.width
        shown = fitting(headers, rows, body_width - 2) if body_width else len(headers)  # 2: the scroll bar
        self._cells = (headers, rows, shown)
        rebuild_table(self.query_one("#analysis-table", DataTable), headers[:shown], (r[:shown] for r in rows))
        self._show_rest(0)
        summary = dashboard_lines(report.summary) if report.name == "dashboard" else ""
        notes = "\n".join(report.notes)
        self.query_one("#analysis-summary", Static).update(summary or notes)
        self.query_one("#analysis-rule", Static).update(report.rule)
        plot = self.query_one("#analysis-chart", PlotextPlot)
        self._drawn = draw(plot.plt, report, body_width)
        self.query_one("#analysis-legend", Label).update(legend(report) if self._drawn else "")
        self._apply_view()
        plot.refresh()

    def _show_rest(self, index: int) -> None:
        headers, rows, shown = self._cells
        rest = self.query_one("#analysis-rest", Static)
        rest.display = shown < len(headers) and bool(rows) and self.view != "chart"
        rest.update(rest_of_row(headers, rows[index], shown) if rest.display and index < len(rows) else "")

    def _apply_view(self) -> None:
        self.query_one("#analysis-table").display = self.view != "chart"
        self.query_one("#analysis-chart").display = self._drawn and self.view != "table"
        self.query_one("#analysis-legend").display = self.view != "table"
        self._show_rest(self.query_one("#analysis-table", DataTable).cursor_row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "analysis-table":
            self._show_rest(event.cursor_row)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.current:
            self.current = event.option.id
            self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("analysis-from", "analysis-to"):
            self.refresh_data()

    # --- actions ------------------------------------------------------------------------------------------

    def action_switch_view(self) -> None:
        """Table and chart → the table alone → the chart alone (at 24 rows either gets the whole height)."""
        self.view = self.VIEWS[(self.VIEWS.index(self.view) + 1) % len(self.VIEWS)]
        if self.report is not None:
            self._apply_view()

    def action_dashboard(self) -> None:
        self._select("dashboard")

    def _select(self, name: str) -> None:
        options = self.query_one("#analysis-list", OptionList)
        options.highlighted = next(i for i, a in enumerate(ANALYSES) if a.name == name)
        options.focus()

    def action_export(self) -> None:
        from pathlib import Path

        from crm_tui.config import get_settings
        from crm_tui.io.analysis_xlsx import write_report
        from crm_tui.paths import ensure_dir, get_paths

        report = self.report
        if report is None:
            return
        # the print folder when one is set, else an exports folder beside the data (never the working folder)
        folder = str(get_settings().get("print", {}).get("folder", "") or "")
        where = Path(folder).expanduser() if folder else ensure_dir(get_paths().data / "exports")
        target = where / f"analysis-{report.name}-{clock.today():%Y%m%d}.xlsx"

        def done(path) -> None:
            self.app.notify(_("Written: {path}").format(path=path))

        run_service(self, lambda _s: write_report(report, target), done, group="analysis-export")

    def action_write_grades(self) -> None:
        from crm_tui.services.admin.permissions import can
        from crm_tui.widgets.base import ConfirmDialog

        if not can(self.app.actor, "records.assign"):
            self.app.notify(_("You are not allowed to do this: {action}").format(action="records.assign"),
                            severity="warning")
            return
        try:
            start, end = self._period()
        except ValueError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        actor = self.app.actor

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from crm_tui.services.analysis.abc import write_grades

            def done(changed: int) -> None:
                self.app.notify(_("Grades written to {n} customers' classification.").format(n=changed))
                if self.current == "abc":
                    self.refresh_data()

            run_service(self, lambda s: write_grades(s, actor, start, end), done, write=True,
                        group="analysis-write")

        self.app.push_screen(ConfirmDialog(
            _("Write each customer's ABC grade (A类, B类, C类) into its classification? The change is audited."),
            _("Write grades")), answered)

    def action_set_target(self) -> None:
        from crm_tui.screens.analysis.target import TargetDialog

        def saved(result) -> None:
            if result and self.current == "targets":
                self.refresh_data()

        self.app.push_screen(TargetDialog(), saved)
