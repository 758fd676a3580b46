"""Helpers for Pilot tests: wait for workers, type into inputs, read what the screen shows."""

from __future__ import annotations

# Workers that run as long as their widget lives (a DirectoryTree's loader waits on its queue for good).
LIFELONG_WORKERS = {"_loader"}


async def settle(pilot, rounds: int = 3, timeout: float = 20.0) -> None:
    """Let workers finish and their results reach the screen: ``rounds`` quiet checks in a row."""
    import time

    from textual.worker import WorkerState

    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < rounds and time.monotonic() < deadline:
        await pilot.pause(0.02)
        busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) and w.name not in LIFELONG_WORKERS
                   for w in pilot.app.workers)
        quiet = 0 if busy else quiet + 1


async def fill(pilot, selector: str, text: str) -> None:
    """Put ``text`` into an Input: ASCII is typed key by key, Chinese is set as an input method would commit it."""
    from textual.widgets import Input

    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()
    if text.isascii():
        await pilot.press(*list(text))
    else:
        widget.insert_text_at_cursor(text)
    await pilot.pause()


def screen_text(app) -> str:
    """The current screen as plain text, line by line, as a person would read it."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


async def wait_for_text(pilot, text: str, timeout: float = 30.0) -> bool:
    """Wait until ``text`` shows on the current screen (a worker may still be loading it)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in screen_text(pilot.app):
            return True
        await pilot.pause(0.05)
    return False


async def wait_for_file(pilot, path, timeout: float = 30.0) -> bool:
    """Wait until a worker has written ``path`` (non-empty): a PDF or workbook saved from a screen."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size > 0:
            await pilot.pause(0.1)  # let the writer finish and close the file
            return True
        await pilot.pause(0.05)
    return False


async def paste(pilot, selector: str, text: str) -> None:
    """Put ``text`` into an Input at once, as a paste would: for long file paths, where typing adds nothing."""
    from textual.widgets import Input

    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = text
    await pilot.pause()
