"""Building several agreements: in parallel processes, with a progress bar."""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click

from ..project import Project
from .pipeline import write_agreement

# Below this many agreements, starting worker processes costs more than it saves.
PARALLEL_FROM = 4


def _progress_stream(shown: bool):
    # Progress goes to stderr, so stdout carries only the paths written.
    return sys.stderr if shown else io.StringIO()


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
    jobs = jobs or os.cpu_count() or 1
    jobs = min(jobs, len(names))
    label = "Building agreements"
    if jobs > 1 and len(names) >= PARALLEL_FROM:
        import docxtpl  # noqa: F401  imported once here, inherited by every forked worker
        import pikepdf  # noqa: F401

        from ..render.pdf import import_weasyprint

        import_weasyprint()

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            results = pool.map(_build_one, [(project, n, a, programmes[a.programme])
                                            for n, a in agreements.items()])
            with click.progressbar(results, length=len(names), label=label,
                                   file=_progress_stream(progress)) as bar:
                for paths in bar:
                    yield from paths
        return
    with click.progressbar(names, label=label, file=_progress_stream(progress)) as bar:
        for name in bar:
            agreement = agreements[name]
            yield from write_agreement(project, name, agreement, programmes[agreement.programme])
