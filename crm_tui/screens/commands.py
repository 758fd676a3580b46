"""The command palette (ctrl+p): "Area: verb" commands of the areas the user may see, and system commands."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from crm_tui.i18n import _


class CrmCommands(Provider):
    def _commands(self) -> list[tuple[str, object]]:
        app = self.app
        out: list[tuple[str, object]] = []
        if app.actor is None:
            return out
        from crm_tui.screens.areas import areas_for

        for area in areas_for(app.actor):
            out.append((_("Go to: {area}").format(area=_(area.title)), partial(app.open_area, area.id)))
            for title, action in area.commands:
                out.append((_(title), partial(app.run_area_action, area.id, action)))
        out += [
            (_("System: switch language (中文/English)"), app.action_switch_language),
            (_("System: light/dark theme"), app.action_toggle_dark),
            (_("System: keys of this screen (F1)"), app.action_toggle_help),
            (_("System: log out / switch user"), app.action_logout),
            *([(_("System: fill the demo company (empty database)"), app.action_fill_demo)] if app.actor.is_admin
              else []),
            (_("System: quit"), app.action_quit),
        ]
        return out

    async def discover(self) -> Hits:
        for title, callback in self._commands():
            yield DiscoveryHit(title, callback)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback)
