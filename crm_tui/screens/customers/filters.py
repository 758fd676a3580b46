"""More filters for the customer list (ctrl+f): industry, owner, created and last-contact dates, overdue
follow-ups, and the direction of the sort. The bar above the list keeps the everyday ones (scope, area,
classification, status, sort column)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Checkbox, Input, Select

from crm_tui.core import clock
from crm_tui.i18n import _
from crm_tui.services.customers import search as cs
from crm_tui.widgets.forms import Field, FormDialog
from crm_tui.widgets.tickbox import TickBox


@dataclass(frozen=True)
class MoreFilters:
    industry: str | None = None
    owner_id: int | None = None
    created_from: date | None = None
    created_to: date | None = None
    contact_from: date | None = None
    contact_to: date | None = None
    follow_up_overdue: bool = False
    descending: bool = False

    def applied_to(self, f: cs.CustomerFilter) -> cs.CustomerFilter:
        return replace(f, **{k.name: getattr(self, k.name) for k in fields(self) if k.name != "descending"})

    def summary(self, owners: dict[int, str]) -> str:
        """The filters in force, for the status line: 行业 商超 · 业务员 孙伟 · 建档 2026-01-01～ …"""
        parts = []
        if self.industry:
            parts.append(f"{_('Industry')} {self.industry}")
        if self.owner_id is not None:
            parts.append(f"{_('Owner')} {owners.get(self.owner_id, self.owner_id)}")
        for label, start, end in ((_("Created"), self.created_from, self.created_to),
                                  (_("Contacted"), self.contact_from, self.contact_to)):
            if start or end:
                parts.append(f"{label} {start or ''}～{end or ''}")
        if self.follow_up_overdue:
            parts.append(_("follow-up overdue"))
        if self.descending:
            parts.append(_("descending"))
        return " · ".join(parts)


DATE_FIELDS = (("created_from", "Created from"), ("created_to", "Created to"),
               ("contact_from", "Last contact from"), ("contact_to", "Last contact to"))


class MoreFiltersDialog(FormDialog):
    """Returns a ``MoreFilters`` (Apply) or None (Esc). ctrl+r clears every field."""

    AUTO_FOCUS = "#industry"
    save_label = "Apply"
    BINDINGS = [Binding("ctrl+r", "clear", "Clear all", id="filters.clear")]

    def __init__(self, current: MoreFilters, industries: list[str], owners: list[tuple[int, str]]):
        super().__init__()
        self.current, self.industries, self.owners = current, industries, owners
        self.title_text = _("More filters")

    def fields(self) -> ComposeResult:
        c = self.current
        yield Field(_("Industry"), Select([(i, i) for i in self.industries], prompt=_("Any industry"),
                                          value=c.industry if c.industry in self.industries else Select.NULL,
                                          id="industry"))
        owner_ids = {uid for uid, _n in self.owners}
        yield Field(_("Owner"), Select([(name, uid) for uid, name in self.owners], prompt=_("Anyone"),
                                       value=c.owner_id if c.owner_id in owner_ids else Select.NULL, id="owner"))
        for key, label in DATE_FIELDS:
            value = getattr(c, key)
            yield Field(_(label), Input(value.isoformat() if value else "", id=key,
                                        placeholder=_("e.g. {date}").format(date=clock.today().isoformat())))
        yield Field("", TickBox(_("Only customers with an overdue follow-up"), c.follow_up_overdue, id="overdue"))
        yield Field("", TickBox(_("Descending order"), c.descending, id="descending"))

    def on_mount(self) -> None:
        from crm_tui.screens.base import translate_select_menus

        translate_select_menus(self)

    def on_input_changed(self, event: Input.Changed) -> None:
        problem = _date_problem(event.value) if event.value.strip() else None
        label = dict(DATE_FIELDS).get(event.input.id or "", "")
        self.show_error(f"{_(label)}: {problem}" if problem else "")

    def collect(self) -> dict:
        dates = {}
        for key, label in DATE_FIELDS:
            text = self.value(key)
            problem = _date_problem(text) if text else None
            if problem:
                raise ValueError(f"{_(label)}: {problem}")
            dates[key] = _parse(text) if text else None
        for start, end, label in (("created_from", "created_to", "Created"),
                                  ("contact_from", "contact_to", "Last contact")):
            if dates[start] and dates[end] and dates[end] < dates[start]:
                raise ValueError(_("{what}: the end date is before the start date").format(what=_(label)))
        return {"filters": MoreFilters(
            industry=self.choice("industry"), owner_id=self.choice("owner"), **dates,
            follow_up_overdue=self.query_one("#overdue", Checkbox).value,
            descending=self.query_one("#descending", Checkbox).value)}

    def save(self, values: dict) -> None:
        self.finish(values["filters"])

    def action_clear(self) -> None:
        for widget_id in ("industry", "owner"):
            self.query_one(f"#{widget_id}", Select).clear()
        for key, _label in DATE_FIELDS:
            self.query_one(f"#{key}", Input).value = ""
        for widget_id in ("overdue", "descending"):
            self.query_one(f"#{widget_id}", Checkbox).value = False
        self.show_error("")


def _parse(text: str) -> date:
    from crm_tui.io import cells

    return cells.date(text.strip())


def _date_problem(text: str) -> str | None:
    from crm_tui.io.cells import CellError

    try:
        _parse(text)
    except CellError as exc:
        return str(exc)
    return None
