"""Filling the demo company from the palette: a dialog with a bar and the step being written (it takes ~10 s)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from crm_tui.i18n import _
from crm_tui.screens.base import MessageLine, Translated
from crm_tui.widgets.work import report_unexpected, start_work


def demo_work(job) -> dict:
    """In a worker: the demo company, each step reported as it starts (``job.progress(i, n, title)``)."""
    from crm_tui.services.demo import run_demo

    return run_demo(job.engine, job.actor, lambda title, i, n: job.progress(i, n, title))


class DemoDialog(Translated, ModalScreen[bool]):
    """Writes the demo company; closes by itself when done (True), or shows why it could not (Esc closes)."""

    BINDINGS = [Binding("escape", "close", "Close", id="demo.close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Filling the demo company…"), classes="dialog-title")
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("", id="step", classes="dialog-text")
            yield MessageLine("", id="message")

    def on_mount(self) -> None:
        self.steps: list[str] = []  # the steps reported so far, in order
        self.running = True
        start_work(self, demo_work, done=self._done, on_error=self._failed, on_progress=self._progress,
                   group="demo")

    def _progress(self, done: int, total: int | None, title: str) -> None:
        self.steps.append(title)
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#step", Static).update(f"[{done}/{total}] {title}")

    def _done(self, counts: dict) -> None:
        self.running = False
        from crm_tui.services.demo import counts_text

        self.app.notify(_("Demo company ready: {counts}").format(counts=counts_text(counts)))
        self.dismiss(True)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        if not report_unexpected(self.app, exc):
            self.query_one("#message", MessageLine).show_error(str(exc))

    def action_close(self) -> None:
        if not self.running:  # the demo is one transaction: it is not left half-written
            self.dismiss(False)
