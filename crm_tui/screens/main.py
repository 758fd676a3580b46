"""The main screen: areas on the left, the current area on the right, a status line, the footer."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.i18n import _
from crm_tui.screens.areas import areas_for
from crm_tui.screens.base import CrmScreen, Translated


def nav_width(titles: list[str]) -> int:
    """The areas column is as wide as its longest title (Chinese counts two) plus its padding and border, so a
    laptop's 80 columns go to the lists rather than to blank space beside 客户."""
    return max((cell_len(t) for t in titles), default=8) + NAV_PADDING


NAV_PADDING = 4  # the option's padding (1 each side), the border on the right and one spare cell


class AreaPane(Translated, Vertical):
    """Base of an area's pane. ``refresh_data`` runs when the area is shown and on F5."""

    BINDINGS = [Binding("f5", "refresh_data", "Refresh", id="area.refresh", show=False)]  # in F1; footers are full

    focus_when_mounted = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mounted_ready = False  # mounted and its first load asked for: actions may run
        self.pending_actions: list[str] = []

    def on_mount(self) -> None:
        self.call_after_refresh(self.refresh_data)  # first load once the pane's widgets exist
        if self.focus_when_mounted:
            self.call_after_refresh(self.focus_first)
        self.call_after_refresh(self._ready)

    def _ready(self) -> None:
        """Actions asked for before the pane was mounted (a palette command naming a closed area) run now."""
        self.mounted_ready = True
        pending, self.pending_actions = self.pending_actions, []
        for action in pending:
            self.run_action_now(action)

    def action_refresh_data(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Reload what the pane shows (in a worker)."""

    def focus_first(self) -> None:
        for widget in self.query("*"):
            if widget.focusable and widget.display:
                widget.focus()
                return

    def run_action(self, action: str) -> None:
        if self.mounted_ready:
            self.run_action_now(action)
        else:
            self.pending_actions.append(action)

    def run_action_now(self, action: str) -> None:
        method = getattr(self, f"action_{action}", None)
        if method is None:
            self.app.notify(_("Not available here: {action}").format(action=action), severity="warning")
        else:
            method()


class MainScreen(CrmScreen):
    BINDINGS = [
        Binding("escape", "focus_nav", "Areas", id="main.areas", show=False),
        Binding("ctrl+l", "switch_language", "中文/English", id="main.language", show=False),  # in F1
        Binding("ctrl+b", "toggle_nav", "Hide/show areas", id="main.nav", show=False),  # in F1
    ]

    def compose(self) -> ComposeResult:
        self.areas = areas_for(self.app.actor)
        yield Header()
        with Horizontal():
            nav = OptionList(*[Option(_(a.title), id=a.id) for a in self.areas], id="nav")
            nav.styles.width = nav_width([_(a.title) for a in self.areas])
            yield nav
            yield ContentSwitcher(id="content")
        yield Static(self.status_text(), id="status")
        yield Footer()

    def status_text(self) -> str:
        actor = self.app.actor
        return "  ".join([
            _("User: {name} ({login})").format(name=actor.display_name, login=actor.login),
            _("Role: {role}").format(role=_(actor.role)),
            _("Database: {db}").format(db=self.app.database_label),
        ])

    def __init__(self, area: str | None = None):
        super().__init__()
        self.first_area = area  # the area to open with (the one shown before a language switch)

    @property
    def current_area(self) -> str | None:
        current = self.query_one("#content", ContentSwitcher).current
        return current.removeprefix("area-") if current else None

    def on_mount(self) -> None:
        if self.areas:
            ids = [a.id for a in self.areas]
            first = self.first_area if self.first_area in ids else ids[0]
            self.show_area(first)
            self.query_one("#nav", OptionList).highlighted = ids.index(first)
        else:
            self.query_one("#content").mount(Static(_("There is nothing for your role here yet."), classes="empty"))
        self.refresh_status()
        self.call_after_refresh(self._translate_header)

    def _translate_header(self) -> None:
        for icon in self.query("HeaderIcon"):  # Textual's header names its palette icon in English
            icon.tooltip = _("Open the command palette")

    def refresh_status(self) -> None:
        """Add the areas' status pieces (e.g. the stock alarm count) to the status line, from a worker."""
        from crm_tui.screens.base import run_service

        sources = [a.load_status() for a in self.areas if a.status]
        if not sources:
            return
        actor = self.app.actor

        def work(session):
            return [text for fn in sources if (text := fn(session, actor))]

        run_service(self, work, lambda parts: self.query_one("#status", Static).update(
            "  ".join([*parts, self.status_text()])), group="status")  # first: the path may be cut

    def show_waiting(self, text: str) -> None:
        """The status line says what a job waits for; it goes back to normal when the wait is over."""
        status = self.query_one("#status", Static)
        if text:
            self._status_before_wait = getattr(self, "_status_before_wait", None) or status.content
            status.update(text)
        elif getattr(self, "_status_before_wait", None) is not None:
            status.update(self._status_before_wait)
            self._status_before_wait = None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # The nav's highlight now, not the event's: a late event (arrows held down, or the highlight set by
        # show_area after it) must not bring back an area already left.
        nav = event.option_list
        option = nav.highlighted_option if nav.highlighted is not None else None
        if option is not None and option.id:
            self.show_area(option.id, focus=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.show_area(event.option.id, focus=True)

    def pane(self, area_id: str) -> tuple[AreaPane, bool]:
        """The area's pane and whether it was just created (a new pane loads its data when mounted)."""
        switcher = self.query_one("#content", ContentSwitcher)
        found = switcher.query(f"#area-{area_id}")
        if found:
            return found.first(), False
        area = next(a for a in self.areas if a.id == area_id)
        pane = area.load_pane()(id=f"area-{area_id}")
        switcher.mount(pane)
        return pane, True

    def show_area(self, area_id: str, focus: bool = True) -> AreaPane | None:
        if not any(a.id == area_id for a in self.areas):
            return None
        pane, new = self.pane(area_id)
        nav = self.query_one("#nav", OptionList)
        index = next(i for i, a in enumerate(self.areas) if a.id == area_id)
        if nav.highlighted != index:
            nav.highlighted = index
        switcher = self.query_one("#content", ContentSwitcher)
        if switcher.current != pane.id:
            switcher.current = pane.id
            if not new:
                pane.refresh_data()
        if focus and new:
            pane.focus_when_mounted = True
        elif focus:
            self.call_after_refresh(pane.focus_first)
        return pane

    def run_area_action(self, area_id: str, action: str) -> None:
        pane = self.show_area(area_id)
        if pane is not None:
            self.call_after_refresh(pane.run_action, action)

    def action_focus_nav(self) -> None:
        nav = self.query_one("#nav", OptionList)
        nav.display = True
        nav.focus()

    def action_toggle_nav(self) -> None:
        """The areas column goes away (the lists get its width) and comes back; Esc also brings it back."""
        nav = self.query_one("#nav", OptionList)
        nav.display = not nav.display
        if nav.display:
            nav.focus()
        elif nav.has_focus:
            pane, _new = self.pane(self.current_area) if self.current_area else (None, False)
            if pane is not None:
                pane.focus_first()

    def action_switch_language(self) -> None:
        self.app.action_switch_language()
