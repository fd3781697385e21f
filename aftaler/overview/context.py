"""What every part of computing the status shares: the day, how paths are given, how
commands are written, and how things to do are made and ranked."""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Callable
from pathlib import Path

from . import model
from .facts import Facts

SOON = 30  # days: a due date this close is "soon"
PROGRAM = "python build.py"


class Context:
    """What every part of the computation shares: the day, paths, the commands."""

    def __init__(self, facts: Facts, today: dt.date, program: str,
                 command_path: Callable[[str], str] | None):
        self.root = facts.root
        self.archive = facts.archive
        self.today = today
        self.program = program
        self.command_path = command_path or (lambda path: path)

    def path(self, path: Path | None) -> str | None:
        """A path as the status gives it: relative to the project, or absolute."""
        if path is None:
            return None
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def command(self, *words: str) -> str:
        return " ".join([self.program, *(shlex.quote(w) for w in words)])

    def file(self, path: str) -> str:
        """A file as a command takes it (relative to the project folder, by default)."""
        return self.command_path(path)

    def item(self, severity: model.Severity, kind: str, message: str, *,
             date: dt.date | None = None, command: str | None = None, **about) -> model.Attention:
        days = (date - self.today).days if date is not None else None
        about.setdefault("agreement", None)
        about.setdefault("programme", None)
        about.setdefault("year", None)
        about.setdefault("path", None)
        return model.Attention(severity=severity, kind=kind, date=date, days=days,
                               message=message, command=command, **about)


def ranked(items: list[model.Attention]) -> list[model.Attention]:
    """Most urgent first: by severity, then the earliest date."""
    return sorted(items, key=lambda i: (model.SEVERITIES.index(i.severity),
                                        i.date or dt.date.max, i.agreement or "",
                                        i.programme or "", i.year or 0))
