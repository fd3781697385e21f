"""Commands that read the definitions and build documents: agreement, report, check,
list, schema."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import DefinitionError
from ..sources.definitions import Definitions, Misnamed
from .app import Context, Year, cli, command_line, pass_context, relative
from .overview import Daily, refreshes


@cli.command()
@click.argument("names", nargs=-1, metavar="NAME...")
@click.option("--all", "all_", is_flag=True, help="Build every agreement in agreements/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Parallel processes for --all (default: one per core).")
@click.option("--force", is_flag=True, help="Build even what is up to date.")
@click.option("--for", "for_", type=click.Choice(["nemlogin"]), multiple=True,
              help="Also build the edition for this signing service: nemlogin writes "
                   "aftale-NAME-nemlogin.pdf (no form fields, no attachment), as an "
                   "agreement or programme with `signing: nemlogin` always does.")
@pass_context
@refreshes
def agreement(ctx: Context, names: tuple[str, ...], all_: bool, jobs: int | None,
              force: bool, for_: tuple[str, ...]) -> None:
    """Build the Word draft and the signing-ready PDF/A of agreement NAME.

    NAME is the file name in agreements/ without .yaml, e.g. `hospital`. The files
    go to output/aftaler/aftale-NAME.docx and .pdf (and aftale-NAME-nemlogin.pdf, the
    edition for NemLog-in, with --for nemlogin or `signing: nemlogin`); the paths are
    printed. Files whose inputs have not changed since they were built are not built
    again ("up to date", on stderr); --force builds them anyway.
    """
    from ..pipeline import uptodate

    project = ctx.project
    definitions = project.definitions
    if all_ and names:
        raise click.UsageError("give agreement names or --all, not both")
    if not all_ and not names:
        raise click.UsageError(
            f"which agreement? known: {', '.join(definitions.names()) or 'none'} (or --all)")
    targets = definitions.names() if all_ else list(names)
    for name in targets:
        definitions.path_of(name)  # unknown names fail before any work starts
    editions = tuple(dict.fromkeys(for_))
    current = set() if force else {n for n in targets
                                   if uptodate.agreement_current(project, n, editions)}
    for name in sorted(current):
        _up_to_date(uptodate.recorded_outputs(project.agreement_files(name)))
    stale = [n for n in targets if n not in current]
    if stale:
        from ..pipeline import batch

        for path in batch.build_agreements(project, stale, jobs=jobs,
                                           progress=all_ and len(stale) > 1,
                                           editions=editions):
            click.echo(relative(path))
    wrong = definitions.misnamed(definitions.agreements_folder) if all_ else []
    if wrong:  # every other agreement is built; these are named, with what to do
        folder = definitions.display(definitions.agreements_folder)
        raise DefinitionError([definitions.misnamed_problem(m) for m in wrong],
                              f"{len(wrong)} file(s) in {folder}/ not built: rename them, "
                              "then build again")


def _up_to_date(paths) -> None:
    """Files not built again: their paths on stdout as ever, and a word on stderr."""
    for path in paths:
        click.echo(relative(path))
        click.echo(f"up to date: {relative(path)}", err=True)


@cli.command()
@click.argument("year", type=Year())
@click.option("--programme", "programme_id", metavar="ID",
              help="The programme whose report it is (default: alliance, HORSENS ALLIANCEN).")
@click.option("--agreement", "only", metavar="NAME",
              help="Build the evaluation of this one agreement alone.")
@click.option("--strict", is_flag=True,
              help="Fail if an agreement in force that year has no evaluation (builds the "
                   "report even when it is up to date, to check).")
@click.option("--force", is_flag=True, help="Build even if up to date.")
@pass_context
@refreshes
def report(ctx: Context, year: int, programme_id: str | None, only: str | None,
           strict: bool, force: bool) -> None:
    """Build the evaluation report of YEAR, in Word and PDF/A.

    \b
    It measures the year against the goals of the programme's period that covers it,
    from what the secretariat records beside the definitions:
      programmes/ID/YEAR.yaml     the programme's results: its goals, marks awarded
      agreements/NAME/YEAR.yaml   each agreement's evaluation of the year
    Every agreement of the programme in force in YEAR is in the report; one without an
    evaluation is shown as "mangler evaluering" with a warning (an error with --strict).
    The files go to output/rapporter/evaluering-YEAR.docx and .pdf (for another
    programme: evaluering-YEAR-ID.*). A report whose inputs have not changed since it
    was built is not built again; --force builds it anyway.
    """
    from ..pipeline import uptodate

    project = ctx.project
    definitions = project.definitions
    if only:
        definitions.path_of(only)
    if programme_id and not definitions.programme_path(programme_id).is_file():
        definitions.programme(programme_id)  # says that there is no such programme
    if not (force or strict) and uptodate.report_current(project, year, programme_id, only):
        _up_to_date(project.report_files(year, programme_id, only))
        return
    from ..pipeline.steps import write_report

    for path in write_report(project, year, programme_id=programme_id, only=only,
                             strict=strict):
        click.echo(relative(path))


@cli.command()
@click.option("--poll", is_flag=True,
              help="Look at the files every 300 ms instead of being told of changes: "
                   "needed on a network drive.")
@pass_context
def watch(ctx: Context, poll: bool) -> None:
    """Keep the agreements and reports up to date while you edit: stays running.

    When a file in agreements/, programmes/ or templates/ is saved, every agreement,
    and every report built before, that is no longer up to date is built again and its
    paths printed. A definition with mistakes is reported, and built once it is saved
    without them. A PDF viewer that reloads a changed file shows the agreement as it is
    being written. Ctrl+C stops.
    """
    from ..pipeline import watch as watching

    project = ctx.project
    overview = Daily(ctx)  # the overview's files, if made, kept current too

    def report(done: watching.Round) -> None:
        for path in done.written + overview():
            click.echo(relative(path))
        for message in done.errors:
            click.echo(f"Error: {message}", err=True)

    def idle() -> None:
        for path in overview.idle():
            click.echo(relative(path))

    click.echo("watching agreements/, programmes/ and templates/ (Ctrl+C stops)", err=True)
    watching.watch(project.root, report, poll=poll, idle=idle)


@cli.command()
@pass_context
def check(ctx: Context) -> None:
    """Validate every programme, agreement and yearly record; list every problem.

    Once there are none, warn (never fail) about what a reader of the documents would
    trip over: one organisation spelt two ways, titles in mixed case, internal notes in
    printed text.
    """
    checked = ctx.project.definitions.check_all()
    if checked.problems:
        raise DefinitionError(checked.problems)
    for warning in checked.warnings:
        click.echo(f"Warning: {warning}", err=True)
    programmes, agreements = checked.programmes, checked.agreements
    click.echo(f"ok: {len(programmes)} programme(s) ({', '.join(programmes) or 'none'}) and "
               f"{len(agreements)} agreement(s): {', '.join(agreements) or 'none'}")


def _parties(names: list[str]) -> str:
    if len(names) <= 4:
        return ", ".join(names)
    return f"{len(names)} parter: {', '.join(names[:3])}, …"


@cli.command("list")
@pass_context
def list_(ctx: Context) -> None:
    """List the agreements with their programme, parties and term."""
    definitions = ctx.project.definitions
    names = definitions.names()
    wrong = definitions.misnamed(definitions.agreements_folder)
    if not names and not wrong:
        click.echo(f"no agreements in {relative(definitions.agreements_folder)}/ "
                   "(--project DIR points at another project folder)")
        return
    width = max(len(n) for n in [*names, *(m.path.name for m in wrong)])
    rows = sorted([*((m.stem, m) for m in wrong), *((n, n) for n in names)],
                  key=lambda row: row[0])
    for _, row in rows:
        click.echo(_misnamed_row(row, width) if isinstance(row, Misnamed) else
                   _agreement_row(definitions, row, width))


def _misnamed_row(wrong: Misnamed, width: int) -> str:
    rename = f"rename it to {wrong.suggestion}.yaml" if wrong.suggestion else "rename it"
    return (f"{wrong.path.name:<{width}}  not read: the file name is not an agreement name "
            f"({rename}; `{command_line('check')}` says why)")


def _agreement_row(definitions: Definitions, name: str, width: int) -> str:
    from ..formatting import date_long

    try:
        a = definitions.agreement(name).model
        programme = definitions.programme(a.programme).model.name
    except DefinitionError as exc:
        return (f"{name:<{width}}  invalid: {len(exc.problems)} problem(s), "
                f"run `{command_line('check')}`")
    parties = _parties([p.name for p in a.parties.values()])
    term = f"{date_long(a.term.start)} – {date_long(a.term.end)}"
    return f"{name:<{width}}  {programme}  {parties}  ({term})"


@cli.command()
@click.option("--output", "-o", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write to (default: schema/ in the project).")
@pass_context
def schema(ctx: Context, folder: Path | None) -> None:
    """Write the JSON Schema of the definition formats, for editors' autocompletion.

    The definitions in programmes/ and agreements/ point to it on their first line, so
    editors with YAML support (e.g. VS Code's YAML extension) complete keys and flag
    mistakes.
    """
    import json

    from ..output import write_together
    from ..overview.model import json_schema as status_schema
    from ..sources.schema import json_schemas

    folder = folder or ctx.project.root / "schema"
    schemas = {**json_schemas(), "status.schema.json": status_schema()}
    files = [(folder / name, (json.dumps(content, ensure_ascii=False, indent=2) + "\n").encode())
             for name, content in schemas.items()]
    for path in write_together(files):
        click.echo(relative(path))
