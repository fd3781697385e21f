"""The errors a user can act on: each prints as one line and exits non-zero."""

from __future__ import annotations

from dataclasses import dataclass

import click

from .shown import shown


class AftalerError(click.ClickException):
    """A failure the user can fix; the CLI prints it without a traceback.

    Each line of its message is shown as data: what it quotes from a file (a name, a
    cell, a title) cannot send the terminal escapes. Where it quotes a file's text it
    does so through `shown` (or repr), so that a line break in the text cannot make a
    line of its own; the message's own lines are the program's."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__("\n".join(shown(line) for line in str(message).split("\n")))


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
        """One line, whatever the file's name, the field or the message quote."""
        where = f"{shown(self.file)}:{self.line}" if self.line else shown(self.file)
        field = f"{shown(self.field)}: " if self.field else ""
        return f"{where}: {field}{shown(self.message)}"


class DefinitionError(BadInput):
    """A definition has one or more problems; every one is kept.

    Shown as `check` shows them: a line per problem, then `Error: N problem(s) found`
    (or `summary`)."""

    def __init__(self, problems: list[Problem], summary: str | None = None):
        self.problems = problems
        self.summary = summary or f"{len(problems)} problem(s) found"
        # one line per problem, each shown as data (a file's text cannot break it)
        click.ClickException.__init__(self, "\n".join(str(p) for p in problems))

    def show(self, file=None) -> None:
        for problem in self.problems:
            click.echo(str(problem), file=file, err=file is None)
        click.echo(f"Error: {shown(self.summary)}", file=file, err=file is None)
