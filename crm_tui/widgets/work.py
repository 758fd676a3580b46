"""The one worker runner of the interface: work runs in a thread, results come back as messages.

    start_work(self, lambda job: job.run(lambda s: customers.create(s, actor, data)), done=self.saved)

The thread posts ``WorkProgress``, ``WorkWaiting``, ``WorkDone`` or ``WorkFailed`` to the node that asked
("messages up"); they bubble to the first ``WorkHost`` (the app, or a widget that is one), which hands them
to the job's callbacks on the UI thread. A failure the caller does not handle goes to ``app.report_error``,
the one place that turns errors into a message (``report_unexpected`` for handlers that show domain errors
themselves).
Database work goes through the services runner (``Job.run``): one transaction, retried while the database is
busy, and the waiting is said in the status line.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from textual.message import Message

from crm_tui.core.errors import CrmError


class WorkMessage(Message):
    def __init__(self, job: Job):
        super().__init__()
        self.job = job


class WorkDone(WorkMessage):
    def __init__(self, job: Job, result: Any):
        super().__init__(job)
        self.result = result


class WorkFailed(WorkMessage):
    def __init__(self, job: Job, error: BaseException):
        super().__init__(job)
        self.error = error


class WorkProgress(WorkMessage):
    def __init__(self, job: Job, done: int, total: int | None, stage: str):
        super().__init__(job)
        self.done, self.total, self.stage = done, total, stage


class WorkWaiting(WorkMessage):
    """The job waits for the database (``text``), or has stopped waiting (``text`` empty)."""

    def __init__(self, job: Job, text: str):
        super().__init__(job)
        self.text = text


class Job:
    """One piece of work in a thread: what the work sees (progress, cancel, run) and what the UI gets back."""

    def __init__(self, node, name: str, done: Callable[[Any], Any] | None,
                 on_error: Callable[[BaseException], Any] | None,
                 on_progress: Callable[[int, int | None, str], Any] | None):
        self.node, self.app, self.name = node, node.app, name
        self.done, self.on_error, self.on_progress = done, on_error, on_progress
        self.engine, self.actor = getattr(self.app, "engine", None), getattr(self.app, "actor", None)
        self.cancel_event = threading.Event()
        self.worker = None
        self.waited = False

    # --- seen from the thread -----------------------------------------------------------------------

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set() or bool(self.worker is not None and self.worker.is_cancelled)

    def progress(self, done: int, total: int | None = None, stage: str = "") -> None:
        self.post(WorkProgress(self, done, total, stage))

    def waiting(self, text: str) -> None:
        self.waited = True
        self.post(WorkWaiting(self, text))

    def run(self, work: Callable[[Any], Any], *, write: bool = False) -> Any:
        """``work(session)`` through the services runner, as the logged-in user."""
        from crm_tui.services.runner import run

        return run(self.engine, self.actor, work, write=write, on_wait=self.waiting)

    def post(self, message: WorkMessage) -> None:
        # The asker may be gone (a closed dialog): the app still hears of it, as a callback used to.
        if not self.node.post_message(message):
            self.app.post_message(message)

    # --- seen from the UI thread ---------------------------------------------------------------------

    def cancel(self) -> None:
        self.cancel_event.set()

    def _finished(self) -> None:
        if self.waited:
            self.waited = False
            self.app.post_message(WorkWaiting(self, ""))


def report_unexpected(app, error: BaseException) -> bool:
    """For an ``on_error`` that shows domain errors itself: anything else goes to the app. True if it did."""
    if isinstance(error, CrmError):
        return False
    app.report_error(error)
    return True


def start_work(node, fn: Callable[[Job], Any], *, done: Callable[[Any], Any] | None = None,
               on_error: Callable[[BaseException], Any] | None = None,
               on_progress: Callable[[int, int | None, str], Any] | None = None,
               group: str = "work", exclusive: bool = True, name: str = "") -> Job:
    """Run ``fn(job)`` in a thread worker of ``node``; its result or error comes back as a message."""
    job = Job(node, name or getattr(fn, "__name__", "work"), done, on_error, on_progress)

    def thread() -> None:
        try:
            result = fn(job)
        except Exception as exc:  # noqa: BLE001 - handed to the UI thread as WorkFailed
            job.post(WorkFailed(job, exc))
            return
        job.post(WorkDone(job, result))

    job.worker = node.run_worker(thread, thread=True, exclusive=exclusive, group=group, exit_on_error=False,
                                 name=job.name)
    return job


def run_use_case(node, work: Callable[[Any], Any], done: Callable[[Any], Any] | None = None, *,
                 write: bool = False, on_error: Callable[[BaseException], Any] | None = None,
                 group: str = "service", exclusive: bool = True, name: str = "") -> Job:
    """Run ``work(session)`` in one transaction (retried while busy) in a thread; ``done(result)`` on the UI."""
    return start_work(node, lambda job: job.run(work, write=write), done=done, on_error=on_error,
                      group=group, exclusive=exclusive, name=name or getattr(work, "__name__", "service"))


class WorkHost:
    """Mixin for the app (and self-contained widgets): hands work messages to the job's callbacks."""

    def on_work_done(self, message: WorkDone) -> None:
        message.stop()
        job = message.job
        job._finished()
        if job.done is not None:
            try:
                job.done(message.result)
            except Exception as exc:  # noqa: BLE001 - a screen that failed to show the result
                if job.node.is_attached:
                    job.app.report_error(exc)
                # else the asker was closed meanwhile (its widgets are gone): the result has nowhere to go

    def on_work_failed(self, message: WorkFailed) -> None:
        message.stop()
        job, error = message.job, message.error
        job._finished()
        if job.on_error is not None:
            job.on_error(error)
        else:
            job.app.report_error(error)

    def on_work_progress(self, message: WorkProgress) -> None:
        message.stop()
        if message.job.on_progress is not None:
            message.job.on_progress(message.done, message.total, message.stage)

    def on_work_waiting(self, message: WorkWaiting) -> None:
        message.stop()
        show = getattr(message.job.app, "show_waiting", None)
        if show is not None:
            show(message.text)
