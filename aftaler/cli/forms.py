"""The evaluation forms: `form export` writes the spreadsheets the partners fill in,
`form import` turns the filled ones into yearly records."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from ..errors import BadInput, DefinitionError
from .app import Context, Year, cli, command_line, pass_context, relative

log = logging.getLogger(__name__)


@cli.group()
def form() -> None:
    """Evaluation forms (.xlsx) for the partners: export them, import them filled in.

    \b
      form export hospital 2017            output/skemaer/evaluering-2017-hospital.xlsx
      form export --all 2017               a form for every agreement in force in 2017
      form export --programme alliance 2019   the programme's own results of 2019
      form import FILE.xlsx [FILE...]      the filled forms -> agreements/NAME/YEAR.yaml
    """


def _year_last(words: tuple[str, ...]) -> tuple[list[str], int]:
    if not words:
        raise click.UsageError("give the year last, e.g. `form export hospital 2017`")
    ctx = click.get_current_context()
    return list(words[:-1]), Year().convert(words[-1], None, ctx)


@form.command("export")
@click.argument("words", nargs=-1, metavar="[NAME...] YEAR")
@click.option("--all", "all_", is_flag=True,
              help="A form for every agreement in force in YEAR (of every programme).")
@click.option("--programme", "programme_ids", multiple=True, metavar="ID",
              help="The form of programme ID's results of YEAR: its period's goals and the "
                   "marks awarded (may be given more than once).")
@pass_context
def export(ctx: Context, words: tuple[str, ...], all_: bool,
           programme_ids: tuple[str, ...]) -> None:
    """Write the evaluation form of agreement NAME for YEAR, for the partner to fill in.

    \b
    The forms go to output/skemaer/ and their paths are printed:
      evaluering-YEAR-NAME.xlsx     an agreement's evaluation (every effort of it)
      resultater-YEAR-ID.xlsx       a programme's results (--programme ID)
    --all covers the agreements in force in YEAR, not the programmes' own forms. A
    form's indicators are filled in from last year's evaluation where there is one.
    Send the forms as they are; `form import` reads them back.
    """
    from ..forms.export import agreement_form, programme_form
    from ..output import write_together

    names, year = _year_last(words)
    definitions = ctx.project.definitions
    if all_ and names:
        raise click.UsageError("give agreement names or --all, not both")
    if not (names or all_ or programme_ids):
        raise click.UsageError(
            f"which agreement? known: {', '.join(definitions.names()) or 'none'} (or --all, "
            "or --programme ID)")
    for name in names:
        definitions.path_of(name)  # unknown names fail before any work starts
    if all_:
        names = [n for n in definitions.names()
                 if definitions.agreement(n).model.term.covers_year(year)]
        if not names and not programme_ids:
            raise BadInput(f"no agreement is in force in {year}: there is no form to make")
    forms = []
    for name in names:
        agreement = definitions.agreement(name).model
        if not agreement.term.covers_year(year):
            raise BadInput(f"{name} is in force {agreement.term.start.isoformat()} to "
                           f"{agreement.term.end.isoformat()}: there is nothing to evaluate "
                           f"in {year}")
        programme = definitions.programme(agreement.programme).model
        forms.append(agreement_form(name, agreement, programme, year,
                                    _previous(definitions, name, agreement, year - 1)))
    for programme_id in programme_ids:
        programme = definitions.programme(programme_id).model
        try:
            forms.append(programme_form(programme_id, programme, year))
        except ValueError as exc:
            raise BadInput(str(exc)) from None
    # every form is made before the first is written, and all are written or none
    for path in write_together([(ctx.project.forms_output / made.file_name, made.data)
                                for made in forms]):
        click.echo(relative(path))


def _previous(definitions, name: str, agreement, year: int):
    """Last year's evaluation, for the indicators; a broken one is skipped with a warning."""
    if not agreement.term.covers_year(year):
        return None
    try:
        return definitions.records.evaluation(name, agreement, year)
    except DefinitionError as exc:
        path = definitions.display(definitions.records.evaluation_path(name, year))
        log.warning("%s has %d problem(s) (run `%s`): the form's indicators are left empty",
                    path, len(exc.problems), command_line("check"))
        return None


@form.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE.xlsx...",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="Overwrite an existing record, and list what changed, field by field.")
@click.option("--year", type=Year(), default=None,
              help="Only forms for this year: a form for another year is refused.")
@pass_context
def import_(ctx: Context, files: tuple[Path, ...], replace: bool, year: int | None) -> None:
    """Check filled-in forms and write each as its yearly record.

    \b
    An agreement's form becomes agreements/NAME/YEAR.yaml, a programme's form
    programmes/ID/YEAR.yaml; the paths are printed. Each form is checked exactly as the
    record would be by `check`; every problem is listed, one line each, with its cell:
      evaluering-2017-hospital.xlsx: Skema!F9: Vurdering: 'fint' is not one of ...
    and then nothing is written (exit status 2). An existing record is kept unless
    --replace is given. A form made before its agreement changed is imported with a
    warning, if its answers still fit the agreement.
    """
    from ..forms import importing
    from ..output import write_atomic

    definitions = ctx.project.definitions
    plans = [importing.plan(definitions, path, relative(path), replace=replace, year=year)
             for path in files]
    targets: dict[Path, str] = {}
    for p in plans:
        if p.target is not None and p.target in targets:
            p.problems.append(f"{p.source}: is for the same record as {targets[p.target]} "
                              f"({p.target_shown}): import one of them")
        elif p.target is not None:
            targets[p.target] = p.source
    for p in plans:
        for warning in p.warnings:
            log.warning("%s", warning)
    problems = [line for p in plans for line in p.problems]
    if problems:
        for line in problems:
            click.echo(line, err=True)
        bad = sum(1 for p in plans if p.problems)
        raise BadInput(f"{len(problems)} problem(s) in {bad} form(s): nothing was written")
    for p in plans:
        if p.changes == []:  # --replace with the same answers: the file is left as it is
            click.echo(relative(p.target))
            click.echo("  no changes: left as it was")
            continue
        click.echo(relative(write_atomic(p.target, p.text.encode())))
        for change in p.changes or []:
            click.echo(f"  {change}")
