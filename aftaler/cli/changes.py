"""`changes`: what a returned Word draft changed, and writing it into the definition."""

from __future__ import annotations

from pathlib import Path

import click

from .app import Context, cli, command_line, pass_context


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--apply", "apply_", is_flag=True,
              help="Write the changes into agreements/NAME.yaml (checked first; nothing is "
                   "written if the result would not pass `check`).")
@click.option("--accept-tracked", is_flag=True,
              help="With --apply: write the pending tracked changes too, as if accepted.")
@pass_context
def changes(ctx: Context, file: Path, apply_: bool, accept_tracked: bool) -> None:
    """What a returned Word draft changed, field by field.

    \b
    FILE is a draft as the partner sent it back (aftale-NAME.docx, edited in Word or
    LibreOffice, under any name). It is read against what was sent, which the draft
    carries, and reports for each field of the definition: changed (a word-level
    difference), removed, pending tracked changes (with author and date), comments;
    and text added or removed outside every field. Exit status 0 with changes or without.
    With --apply the changes are written into the agreement's definition, keeping its
    comments and layout; pending tracked changes only with --accept-tracked.
    """
    from ..negotiation import compare, report

    if accept_tracked and not apply_:
        raise click.UsageError("--accept-tracked goes with --apply")
    project = ctx.project
    negotiated = compare.read(project, file)
    for line in report.lines(negotiated):
        click.echo(line)
    name = negotiated.returned.sent.agreement
    display = project.definitions.display(project.definitions.path_of(name))
    if not apply_:
        if any(c.to_write() or c.to_write(accept_tracked=True) for c in negotiated.fields):
            click.echo(f"to write them into {display}: "
                       f"{command_line('changes', str(file), '--apply')}")
        return
    from ..negotiation.apply import NotApplied, apply

    try:
        applied = apply(project, negotiated, accept_tracked=accept_tracked)
    except NotApplied as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise
    for line in report.applied_lines(applied, display):
        click.echo(line)
    if applied.written:
        click.echo(f"to build the negotiated agreement: {command_line('agreement', name)}")
