"""Two things at once: one job in a forked child process while this one does another.

A report's Word file and its PDF are made at the same time on two cores. The child is
forked, so it starts with everything this process has imported and computed, and the
job's arguments need not be sent to it. Where there is no fork (or only one core), the job
runs in this process when its result is asked for.
"""

from __future__ import annotations

import os
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


@contextmanager
def beside() -> Iterator[ProcessPoolExecutor | _Here]:
    """An executor for one job beside this process."""
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        yield _Here()
        return
    with ProcessPoolExecutor(1, mp_context=get_context("fork")) as pool:
        yield pool
