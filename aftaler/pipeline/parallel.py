"""Two things at once: one job in a forked child process while this one does another.

A report's Word file and its PDF are made at the same time on two cores. The child is
forked, so it starts with everything this process has imported and computed, and the
job's arguments need not be sent to it. Where there is no fork (or only one core), the job
runs in this process when its result is asked for.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Any


class _Here:
    """An executor that runs each job in this process, on demand."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001  re-raised by result(), as a pool does
            future.set_exception(exc)
        return future


def ignore_interrupts() -> None:
    """How a worker process starts: Ctrl+C reaches every process of the terminal, and is
    the parent's to answer (it stops, and says `Aborted.`); a worker goes on with its job
    instead of printing a traceback of its own. Works with any start method."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def pool(workers: int, context) -> Iterator[ProcessPoolExecutor]:
    """Worker processes that leave Ctrl+C to this one; on leaving early (Ctrl+C, an
    error) the jobs not yet started are dropped, and those running are let finish (their
    files are written whole, or not at all)."""
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=ignore_interrupts)
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


@contextmanager
def beside() -> Iterator[ProcessPoolExecutor | _Here]:
    """An executor for one job beside this process."""
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        yield _Here()
        return
    with pool(1, get_context("fork")) as executor:
        yield executor
