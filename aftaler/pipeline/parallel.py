"""Worker processes for a batch: started afresh ("spawn"), and leaving Ctrl+C to this one.

Workers are never forked: a child forked from a process that has compiled with Typst hangs
when it compiles (aftaler/render/typesetting.py).

Ctrl+C reaches every process of the terminal. The workers ignore it; this process only
notes it while the workers run, and stops at the next finished job: a KeyboardInterrupt
raised anywhere inside the executor's own machinery (its locks, its queues' feeder
threads) could leave the idle workers waiting for a sentinel that is never sent, and the
command hanging on them for ever (seen: about one Ctrl+C in three after the last file).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any


def ignore_interrupts() -> None:
    """How a worker process starts: Ctrl+C reaches every process of the terminal, and is
    the parent's to answer (it stops, and says `Aborted.`); a worker goes on with its job
    instead of printing a traceback of its own. Works with any start method."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Workers:
    """The pool, and whether Ctrl+C was pressed while it ran."""

    def __init__(self, executor: ProcessPoolExecutor):
        self.executor = executor
        self.interrupted = False

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """fn(item) for each item, in the workers, results in order; after a Ctrl+C no
        further result is given (the jobs running finish; the others are dropped)."""
        futures = [self.executor.submit(fn, item) for item in items]
        for future in futures:
            if self.interrupted:
                return
            yield future.result()  # meanwhile a Ctrl+C only sets the flag


@contextmanager
def pool(workers: int, initializer: Callable[[], None] = ignore_interrupts
         ) -> Iterator[Workers]:
    """Worker processes, started afresh, that leave Ctrl+C to this one (`initializer`
    must call ignore_interrupts). On leaving, the jobs not yet started are dropped and
    those running are let finish (their files are written whole, or not at all); after a
    Ctrl+C, KeyboardInterrupt is raised then, once the workers are gone."""
    import multiprocessing

    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=initializer)
    running = Workers(executor)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT,
                                 lambda signum, frame: setattr(running, "interrupted", True))
    try:
        yield running
    finally:
        try:
            executor.shutdown(wait=True, cancel_futures=True)
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
    if running.interrupted:
        raise KeyboardInterrupt
