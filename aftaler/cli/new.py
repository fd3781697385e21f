"""`new`: begin a definition to fill in: an agreement, or a programme's next period."""

from __future__ import annotations

import datetime as dt

import click

from ..errors import BadInput
from .app import Context, Year, cli, command_line, pass_context, relative


@cli.group()
def new() -> None:
    """Begin a definition to fill in: an agreement, or a programme's next strategy period.

    \b
      new agreement velux          agreements/velux.yaml, every value to fill in empty
      new period alliance          the next strategy period of programmes/alliance.yaml

    Each value to fill in has a comment beside it saying what goes there; `check` names
    every one still empty, with what goes in it, until all are filled in.
    """


@new.command("agreement")
@click.argument("name")
@click.option("--programme", "programme_id", metavar="ID", default=None,
              help="The programme it belongs to (default: alliance, HORSENS ALLIANCEN).")
@pass_context
def new_agreement(ctx: Context, name: str, programme_id: str | None) -> None:
    """Write agreements/NAME.yaml: a new agreement to fill in, in the current format.

    NAME becomes its file name and the name to build it by (`agreement NAME`): lower-case
    letters a-z, digits, '-' and '_'. The file lists the goals its efforts may serve;
    `check` names every value still to fill in.
    """
    from ..names import DEFAULT_PROGRAMME, breach, is_name, valid_form
    from ..output import write_together
    from ..sources import skeletons

    definitions = ctx.project.definitions
    if not is_name(name):
        valid = valid_form(name)
        instead = (f": give {valid!r} (`{command_line('new', 'agreement', valid)}`)"
                   if valid else "")
        raise BadInput(f"{name!r} cannot be an agreement's name: {breach(name)}{instead}")
    path = definitions.agreements_folder / f"{name}.yaml"
    if path.exists():
        raise BadInput(f"{definitions.display(path)} exists already: edit it, or give the new "
                       "agreement another name")
    if name in definitions.programme_ids():
        raise BadInput(f"{name!r} is the programme defined in "
                       f"{definitions.display(definitions.programme_path(name))}: give the "
                       "agreement another name")
    programme_id = programme_id or DEFAULT_PROGRAMME
    programme = definitions.programme(programme_id).model
    text = skeletons.agreement(name, programme_id, programme, dt.date.today().year,
                               _in_the_project())
    [written] = write_together([(path, text.encode())])
    click.echo(relative(written))
    click.echo(f"fill in its empty values: `{command_line('check')}` names each one still "
               "empty", err=True)


def _in_the_project() -> str:
    """This program as it is run in the project folder, for a file's comments: `python
    build.py` (wherever build.py was run from) or `aftaler`."""
    return "python build.py" if command_line().startswith("python ") else "aftaler"


@new.command("period")
@click.argument("programme_id", metavar="ID")
@click.option("--start", type=Year(), default=None,
              help="Its first year (default: the year after the last period ends).")
@click.option("--end", type=Year(), default=None,
              help="Its last year (default: as long as the last period).")
@pass_context
def new_period(ctx: Context, programme_id: str, start: int | None, end: int | None) -> None:
    """Add the next strategy period to programmes/ID.yaml, to fill in.

    The period follows the last one: from the year after it ends, as long as it (or from
    --start to --end). An open-ended last period is given an end, the year before the new
    one starts. The rest of the file, its comments too, stays as it was.
    """
    from ..output import write_together
    from ..sources import skeletons

    definitions = ctx.project.definitions
    programme = definitions.programme(programme_id).model
    path = definitions.programme_path(programme_id)
    try:
        new = skeletons.next_period(programme, definitions.files.text_as_parsed(path),
                                    start=start, end=end, year=dt.date.today().year)
    except skeletons.NoRoom as exc:
        raise BadInput(f"{definitions.display(path)}: {exc}") from None
    [written] = write_together([(path, new.text.encode())])
    click.echo(relative(written))
    click.echo(f"{skeletons.described(new, programme)}: `{command_line('check')}` names each "
               "value still empty", err=True)
