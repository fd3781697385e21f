"""Worker processes for a batch: started afresh ("spawn"), and leaving Ctrl+C to this one.

Workers are never forked: a child forked from a process that has compiled with Typst hangs
when it compiles (aftaler/render/typesetting.py).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


def ignore_interrupts() -> None:
    """How a worker process starts: Ctrl+C reaches every process of the terminal, and is
    the parent's to answer (it stops, and says `Aborted.`); a worker goes on with its job
    instead of printing a traceback of its own. Works with any start method."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def pool(workers: int, initializer: Callable[[], None] = ignore_interrupts
         ) -> Iterator[ProcessPoolExecutor]:
    """Worker processes, started afresh, that leave Ctrl+C to this one (`initializer`
    must call ignore_interrupts); on leaving early (Ctrl+C, an error) the jobs not yet
    started are dropped, and those running are let finish (their files are written
    whole, or not at all)."""
    import multiprocessing

    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=initializer)
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
