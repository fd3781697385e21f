"""The errors a user can act on: each prints as one line and exits non-zero."""

from __future__ import annotations

from dataclasses import dataclass

import click


class AftalerError(click.ClickException):
    """A failure the user can fix; the CLI prints it without a traceback."""

    exit_code = 1


class BadInput(AftalerError):
    """The input (a definition, a name, a file) is wrong: exit status 2."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a definition, located by file, line and field."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {field}{self.message}"


class DefinitionError(BadInput):
    """A definition has one or more problems; every one is kept.

    Shown as `check` shows them: a line per problem, then `Error: N problem(s) found`
    (or `summary`)."""

    def __init__(self, problems: list[Problem], summary: str | None = None):
        self.problems = problems
        self.summary = summary or f"{len(problems)} problem(s) found"
        super().__init__("\n".join(str(p) for p in problems))

    def show(self, file=None) -> None:
        for problem in self.problems:
            click.echo(str(problem), file=file, err=file is None)
        click.echo(f"Error: {self.summary}", file=file, err=file is None)
