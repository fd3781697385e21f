"""Following up the agreements: status, overview, calendar; and keeping the overview's
files current after the commands that change what they show."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import shlex
from collections.abc import Callable
from pathlib import Path

import click

from ..errors import AftalerError, BadInput
from .app import Context, cli, command_line, pass_context, relative

TODAY_ENV = "AFTALER_TODAY"
DATE_EXAMPLES = "2026-01-31, 31.1.2026 or 31. januar 2026"
log = logging.getLogger(__name__)


def _date(text: str) -> dt.date | None:
    """A date as the definitions take one (2026-01-15, 15.1.2026, 15. januar 2026)."""
    from ..formatting import parse_date

    try:
        return parse_date(text)
    except ValueError:  # NotADate, or a day that does not exist
        return None


class Day(click.ParamType):
    """A date, as in the definitions: 2026-01-15, 15.1.2026 or 15. januar 2026."""

    name = "date"

    def convert(self, value, param, ctx) -> dt.date:
        if isinstance(value, dt.date):
            return value
        found = _date(str(value))
        if found is None:
            self.fail(f"{value!r} is not a date: give it as {DATE_EXAMPLES}", param, ctx)
        return found


def today(given: dt.date | None = None) -> dt.date:
    """The day the status is of: --today, else AFTALER_TODAY, else today."""
    if given is not None:
        return given
    value = os.environ.get(TODAY_ENV, "").strip()
    if not value:
        return dt.date.today()
    found = _date(value)
    if found is None:
        raise BadInput(f"{TODAY_ENV}={value!r} is not a date: give it as {DATE_EXAMPLES}")
    return found


def _options(command: Callable) -> Callable:
    """--today and --archive, shared by status, overview and calendar."""
    command = click.option(
        "--archive", "archive", type=click.Path(file_okay=False, path_type=Path),
        help="The archive folder (default: archive/ in the project).")(command)
    return click.option(
        "--today", "day", type=Day(), metavar="DATE",
        help=f"Compute the status as of this day (default: today, or {TODAY_ENV}).")(command)


def _program(ctx: Context) -> str:
    """How the commands the status names are run: as this one was, in this project."""
    words = command_line()
    if ctx.given:
        words += f" --project {shlex.quote(str(ctx.project.root))}"
    return words


def _archive(archive: Path | None) -> Path | None:
    return archive.resolve() if archive is not None else None


@cli.command()
@click.option("--programme", "programme_id", metavar="ID",
              help="Only the agreements and years of this programme.")
@click.option("--json", "as_json", is_flag=True,
              help="The status as JSON, for scripts (its shape: schema/status.schema.json).")
@_options
@pass_context
def status(ctx: Context, programme_id: str | None, as_json: bool, day: dt.date | None,
           archive: Path | None) -> None:
    """Show where every agreement stands and what needs doing, most urgent first.

    \b
    Computed from the files, never typed in: each agreement's term (not begun, in
    force, ending, ended), its documents, its signature fields (signed, by whom,
    intact), whether it is archived (and validated), each year's evaluation
    (recorded, form exported, missing, overdue, pending), and each programme's
    results and reports. Dates: a programme's `evaluations_due` (default 31 January
    of the year after), an agreement's `notice` (e.g. 3 måneder before its end).
    Exit status 0 whatever it shows; 2 for bad input.
    """
    from ..overview import files, table

    project = ctx.project
    if programme_id and not project.definitions.programme_path(programme_id).is_file():
        project.definitions.programme(programme_id)  # says that there is no such programme
    # Its commands run here: the files they name, relative to the current folder.
    found = files.status(project, today(day), _archive(archive), _program(ctx),
                         lambda path: relative(project.root / path))
    if programme_id:
        found = only_programme(found, programme_id)
    if as_json:
        click.echo(found.model_dump_json(indent=2))
    else:
        click.echo(table.text(found), nl=False)


def only_programme(found, programme_id: str):
    """The status of one programme's agreements and years (a definition that cannot be
    read stays: its programme is not known)."""
    names = {a.name for a in found.agreements if a.programme == programme_id}
    return found.model_copy(update={
        "agreements": [a for a in found.agreements if a.name in names],
        "programmes": [p for p in found.programmes if p.id == programme_id],
        "attention": [i for i in found.attention
                      if i.programme == programme_id or i.agreement in names
                      or (i.agreement is None and i.programme is None)],
        "invalid": [i for i in found.invalid
                    if i.kind == "agreement" or i.name == programme_id]})


@cli.command()
@_options
@pass_context
def overview(ctx: Context, day: dt.date | None, archive: Path | None) -> None:
    """Write output/oversigt.html: where every agreement stands, what needs doing now.

    One self-contained page in Danish (no scripts, nothing fetched: it opens from a
    shared drive and prints on A4), with links to each agreement's files. Once made,
    it is kept current: by `watch`, and by agreement, report, form, sign and archive
    add when they change what it shows.
    """
    from ..overview import files

    click.echo(relative(files.write(ctx.project, files.PAGE, today(day), _archive(archive),
                                    _program(ctx))))


@cli.command()
@_options
@pass_context
def calendar(ctx: Context, day: dt.date | None, archive: Path | None) -> None:
    """Write output/kalender.ics: the dates that matter, for a calendar application.

    An event per evaluation due date, report due date, notice date and term end, each
    with a reminder ahead of it and a description of what to do and with which
    command. Its events keep their UIDs from one build to the next, so a calendar that
    subscribes to the file updates them. Kept current like the overview page.
    """
    from ..overview import files

    click.echo(relative(files.write(ctx.project, files.CALENDAR, today(day),
                                    _archive(archive), _program(ctx))))


def refresh(ctx: Context | None = None) -> list[Path]:
    """Bring the overview page and calendar up to date, if they were made: quietly, and
    never failing the command that changed something."""
    ctx = ctx or click.get_current_context().find_object(Context)
    try:
        project = ctx.project
        day = today()
    except AftalerError as exc:  # not a project (sign works anywhere), or a bad date
        log.debug("overview not refreshed: %s", exc.format_message())
        return []
    from ..overview import CALENDAR, PAGE

    if not any((project.output / name).is_file() for name in (PAGE, CALENDAR)):
        return []  # never made: nothing to keep current (and the overview not imported)
    from ..overview import files

    return files.refresh(project, day)


def refreshes(command: Callable) -> Callable:
    """After `command`, done or stopped by bad input (which may come after it changed
    something, as `archive add` does), refresh the overview's files."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
        except AftalerError:
            refresh()
            raise
        refresh()
        return result

    return run


class Daily:
    """For `watch`: refresh after each round, and once when the day changes."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.day = dt.date.today()

    def __call__(self) -> list[Path]:
        self.day = dt.date.today()
        return refresh(self.ctx)

    def idle(self) -> list[Path]:
        return self() if dt.date.today() != self.day else []
