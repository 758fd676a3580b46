"""The derived columns of an import's new customers (pinyin, search document and grams), built in worker
processes.

That per-row Python is the largest share of a large import's CPU and needs nothing but the row, so a pool
builds it in chunks, in order, while the main process writes the chunks before. Workers are
started with ``spawn``: the TUI imports on a worker thread, and ``fork`` would copy other threads' held locks
into the child. They start as soon as the row count is known, so their start-up overlaps the matching.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain

from crm_tui.core import pinyin
from crm_tui.core.search_text import build_document

POOL_FROM = 20_000  # new rows: below this, starting the workers (a few tenths of a second) saves nothing
CHUNK = 2_000  # rows per task: small enough to keep both workers busy, large enough to pickle cheaply
MAX_WORKERS = 2

# (code, name, short_name, address, credit_code, people as ((name, mobile, landline), …))
Source = tuple
# (name_pinyin, name_initials, doc, grams)
Built = tuple[str, str, str, str]


def build(rows: list[Source]) -> list[Built]:
    name_fields, document = pinyin.name_fields, build_document
    out = []
    for code, name, short_name, address, credit_code, people in rows:
        py, initials = name_fields(name)
        out.append((py, initials, *document(code, name, short_name, address, credit_code, py, initials, people)))
    return out


def _start_worker(cache_dir) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle: it ends the pool
    pinyin.set_cache_dir(cache_dir)
    pinyin.char_readings("中")  # load the tables now, while the main process is still matching


class RowBuilder:
    """``built(sources)``: an iterator of ``Built`` in the order of ``sources``, from the pool when there is one."""

    def __init__(self, pool=None):
        self.pool = pool

    def built(self, sources: list[Source]) -> Iterator[Built]:
        chunks = (sources[i:i + CHUNK] for i in range(0, len(sources), CHUNK))
        if self.pool is None or len(sources) < POOL_FROM:
            return chain.from_iterable(map(build, chunks))
        return chain.from_iterable(self.pool.imap(build, chunks))


def _workers() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return min(MAX_WORKERS, cpus)


@contextmanager
def _main_left_out() -> Iterator[None]:
    """Spawned workers run the parent's main script again unless it is hidden while they start (the Pool starts
    them before it returns); the ``crm`` script would import the whole CLI in each, for nothing."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


@contextmanager
def row_builder(expected: int) -> Iterator[RowBuilder]:
    """A ``RowBuilder`` for an import of about ``expected`` rows; the pool ends with the block (a cancel
    or an error stops the workers at once)."""
    workers = _workers()
    if expected < POOL_FROM or workers < 2:
        yield RowBuilder()
        return
    try:
        with _main_left_out():
            pool = multiprocessing.get_context("spawn").Pool(workers, _start_worker, (pinyin.cache_dir(),))
    except OSError:  # no processes to be had (a sandbox, a limit): build in this process
        yield RowBuilder()
        return
    try:
        yield RowBuilder(pool)
    finally:
        pool.terminate()
        pool.join()
