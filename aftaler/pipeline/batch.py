"""Building several agreements: in parallel processes, with a progress bar."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TextIO

from ..output import check_writable
from ..project import Project
from .steps import write_agreement

# Below this many agreements, starting worker processes costs more than it saves.
PARALLEL_FROM = 4


class ProgressBar:
    """A one-line progress bar on a terminal, kept apart from the lines a command prints.

    It is drawn on `stream` (stderr: stdout carries only the paths written) when that is
    a terminal, and on nothing otherwise. The caller clears it before printing a line
    and draws it again after, so a printed path never runs into it; when done it is
    cleared, leaving only the printed lines on the screen.
    """

    WIDTH = 30

    def __init__(self, label: str, total: int, stream: TextIO | None):
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None and stream.isatty() else None
        self._shown = 0  # characters of the bar now on the screen

    def draw(self) -> None:
        if self.stream is None:
            return
        filled = self.WIDTH * self.done // max(self.total, 1)
        text = (f"{self.label} [{'#' * filled}{'-' * (self.WIDTH - filled)}] "
                f"{self.done}/{self.total}")
        self.stream.write("\r" + text.ljust(self._shown))
        self.stream.flush()
        self._shown = len(text)

    def advance(self) -> None:
        self.done += 1
        self.draw()

    def clear(self) -> None:
        if self.stream is None or not self._shown:
            return
        # Overwritten with spaces rather than an escape code: every terminal does that.
        self.stream.write("\r" + " " * self._shown + "\r")
        self.stream.flush()
        self._shown = 0


def _with_progress(results: Iterable[list[Path]], bar: ProgressBar) -> Iterator[Path]:
    """Yield each result's paths with the bar cleared; draw it again in between."""
    bar.draw()
    try:
        for paths in results:
            bar.clear()
            yield from paths
            bar.advance()
    finally:
        bar.clear()


def _build_one(args: tuple) -> list[Path]:
    project, name, agreement, programme = args
    return write_agreement(project, name, agreement, programme)


def build_agreements(project: Project, names: list[str], *, jobs: int | None = None,
                     progress: bool = False) -> Iterator[Path]:
    """Build and write each named agreement; yield the paths written, in name order.

    Every definition is validated before the first file is written, so a bad one stops
    the batch before it starts rather than halfway through.
    """
    definitions = project.definitions
    agreements = {name: definitions.agreement(name).model for name in names}
    programmes = {a.programme: definitions.programme(a.programme).model
                  for a in agreements.values()}
    check_writable([path for name in names for path in project.agreement_files(name)])
    jobs = jobs or os.cpu_count() or 1
    jobs = min(jobs, len(names))
    bar = ProgressBar("Building agreements", len(names), sys.stderr if progress else None)
    if jobs > 1 and len(names) >= PARALLEL_FROM:
        import docxtpl  # noqa: F401  imported once here, inherited by every forked worker
        import pikepdf  # noqa: F401

        from ..render.pdf import import_weasyprint

        import_weasyprint()

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            results = pool.map(_build_one, [(project, n, a, programmes[a.programme])
                                            for n, a in agreements.items()])
            yield from _with_progress(results, bar)
        return
    # Too few to share out between processes: each agreement's Word file is made beside
    # its PDF instead.
    yield from _with_progress((write_agreement(project, name, agreements[name],
                                              programmes[agreements[name].programme],
                                              both_cores=True)
                               for name in names), bar)
