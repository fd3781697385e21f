"""The archive's commands: add, list, verify."""

from __future__ import annotations

import os
import re
from pathlib import Path

import click

from ..errors import AftalerError, BadInput
from .app import Context, cli, pass_context, relative

WAIT_ENV = "AFTALER_ARCHIVE_WAIT"
SIGNED = re.compile(r"^(?P<base>.+)-underskrevet-(?P<count>\d+)$")


@cli.group()
@click.option("--archive", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="The archive folder (default: archive/ in the project).")
@pass_context
def archive(ctx: Context, folder: Path | None) -> None:
    """Keep final and signed PDFs for good, with proof that nothing changed.

    \b
      python build.py archive add                 the final PDFs in output/ not yet archived
      python build.py archive add FILE|FOLDER...  e.g. the signed PDFs from the signing service
      python build.py archive list                what is there
      python build.py archive verify              re-check every checksum and signature

    The archive (default archive/, outside output/) is append-only: a file is never
    overwritten or deleted; the same bytes twice are archived once; other bytes under a
    taken name become a new version beside it. `sha256sum -c SHA256SUMS` in the
    archive folder checks it without this program.

    One archive command changes the archive at a time: another waits for it (up to 60
    seconds, or AFTALER_ARCHIVE_WAIT), saying so after a second.
    """
    from ..archive.store import WAIT, Archive

    root = (folder or ctx.project.root / "archive").resolve()
    try:
        wait = float(os.environ.get(WAIT_ENV, WAIT))
    except ValueError:
        raise BadInput(f"{WAIT_ENV} must be a number of seconds") from None

    def waiting() -> None:
        click.echo(f"waiting for another archive command to finish with {relative(root)}/ …",
                   err=True)

    ctx.archive = Archive(root, wait=wait, on_wait=waiting)


@archive.command("add")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path),
                metavar="[FILE|FOLDER]...")
@click.option("--strict", is_flag=True,
              help="Also refuse archival weaknesses (no PDF/A identification, a font not "
                   "embedded, Info and XMP disagreeing) instead of recording them.")
@click.option("--include-examples", is_flag=True,
              help="Archive documents built from example data (`example: true`) too; "
                   "without it they are left out, and listed as such.")
@click.option("--dry-run", is_flag=True,
              help="Say what would be archived, left out or refused, and archive nothing.")
@pass_context
def archive_add(ctx: Context, paths: tuple[Path, ...], strict: bool, include_examples: bool,
                dry_run: bool) -> None:
    """Archive PDFs: the files and folders given, or the final PDFs in output/.

    The archive keeps what it is given for good, so a document built from example data
    (an agreement or records marked `example: true`, such as the shipped ones) is left
    out unless --include-examples is given; the manifest says which are examples.

    Without arguments a partly signed NAME-underskrevet-N.pdf is skipped when a later
    NAME-underskrevet-M.pdf (M > N) is beside it. In a folder, every .pdf is taken
    (subfolders too); what else is there is listed as skipped.

    Refused, with the reason, and left where they are: files that are not PDFs or are
    unreadable, encrypted, contain JavaScript or launch actions, or carry a signature
    that is not intact. Unsigned signature fields are fine (a warning): an agreement may
    be archived before it is signed.
    """
    from ..archive.inspection import Refused, inspect
    from ..archive.store import ArchiveError

    if paths:
        files = []
        for path in paths:
            if not path.is_dir():
                files.append(path)
                continue
            found, skipped = _pdfs_in(path, ctx.archive.root)
            if skipped:
                click.echo(f"skipped: {relative(path)}/: {_some(skipped)} (not PDFs)")
            files += found
        if not files:
            raise BadInput(f"nothing archived: no PDFs in "
                           f"{', '.join(relative(p) + '/' for p in paths)}")
    else:
        files = ctx.project.final_pdfs()
        if not files:
            raise BadInput(f"no PDFs in {relative(ctx.project.output)}/: build some first, "
                           "or name the files to archive")
        files, superseded = _latest_signatures(files)
        for old, new in superseded:
            click.echo(f"skipped: {relative(old)}: superseded by {new.name}")
    if not dry_run:
        for message in ctx.archive.recover():
            click.echo(f"note: {message}")
    refused, left_out = 0, 0
    planned: list = []  # what a dry run would have archived so far
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            refused += 1
            click.echo(f"refused: {relative(path)}: cannot read ({exc.strerror})", err=True)
            continue
        try:
            info = inspect(data)
            if info.example and not include_examples:
                left_out += 1
                click.echo(f"left out: {relative(path)}: built from example data "
                           "(--include-examples archives it)")
                continue
            if dry_run:
                added = ctx.archive.preview(data, path.name, strict=strict, info=info,
                                            planned=planned)
                planned += [added.record] if added.new else []
            else:
                added = ctx.archive.add(data, path.name, strict=strict, info=info)
        except Refused as exc:
            refused += 1
            click.echo(f"refused: {relative(path)}: {exc}", err=True)
            continue
        except OSError as exc:
            raise ArchiveError(f"cannot write to {relative(ctx.archive.root)}/ "
                               f"({exc.strerror}): nothing more was archived") from None
        for message in added.recovered:
            click.echo(f"note: {message}")
        record = added.record
        if not added.new:
            click.echo(f"already archived: {relative(path)} is {record.path}")
            continue
        done = "would archive" if dry_run else "archived"
        example = " (an example)" if record.example else ""
        click.echo(f"{done}: {relative(path)} -> {record.path}{example}")
        for warning in record.warnings:
            click.echo(f"  warning: {warning}")
        for note in added.notes:
            click.echo(f"  warning: {note}")
    if dry_run:
        click.echo("dry run: nothing was archived")
    if refused:
        raise BadInput(f"{refused} file(s) {'would be ' if dry_run else ''}refused")


def _pdfs_in(folder: Path, archive: Path) -> tuple[list[Path], list[str]]:
    """The PDFs under `folder` (not hidden, not in the archive itself), and what else
    is there."""
    found, skipped = [], []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        inside = path.relative_to(folder)
        if path.resolve().is_relative_to(archive):
            continue  # the archive's own files: archived already
        if path.suffix.lower() == ".pdf" and not any(p.startswith(".") for p in inside.parts):
            found.append(path)
        else:
            skipped.append(str(inside))
    return found, skipped


def _some(names: list[str], shown: int = 5) -> str:
    listed = ", ".join(names[:shown])
    more = f", … ({len(names)} in all)" if len(names) > shown else ""
    return f"{len(names)} file(s): {listed}{more}"


def _latest_signatures(files: list[Path]) -> tuple[list[Path], list[tuple[Path, Path]]]:
    """Leave out partly signed intermediates: NAME-underskrevet-N.pdf is superseded by
    NAME-underskrevet-M.pdf beside it with M > N. (kept, [(superseded, by)])"""
    latest: dict[tuple[Path, str], tuple[int, Path]] = {}
    for path in files:
        match = SIGNED.match(path.stem)
        if match:
            key, count = (path.parent, match["base"]), int(match["count"])
            if count > latest.get(key, (-1, path))[0]:
                latest[key] = (count, path)
    kept, superseded = [], []
    for path in files:
        match = SIGNED.match(path.stem)
        newest = latest[(path.parent, match["base"])][1] if match else path
        if newest == path:
            kept.append(path)
        else:
            superseded.append((path, newest))
    return kept, superseded


@archive.command("list")
@click.option("--year", type=int, help="Only documents of this year.")
@click.option("--agreement", metavar="NAME", help="Only documents of this agreement.")
@pass_context
def archive_list(ctx: Context, year: int | None, agreement: str | None) -> None:
    """Show the archived documents: path, agreement, year, signatures, title."""
    everything = ctx.archive.records()
    if agreement is not None:
        _known_agreement(ctx, agreement, {r.agreement for r in everything})
    records = [r for r in everything
               if (year is None or r.year == year)
               and (agreement is None or r.agreement == agreement)]
    if not records:
        click.echo("no documents" + (" match" if year or agreement else " archived yet"))
        return
    width = max(len(r.path) for r in records)
    for r in records:
        if r.unsigned_fields:
            status = f"unsigned ({len(r.signatures)} of "
            status += f"{len(r.signatures) + len(r.unsigned_fields)} signed)"
        elif r.signatures:
            status = f"signed ({len(r.signatures)})"
        else:
            status = "no signature fields"
        flags = f", {len(r.warnings)} warning(s)" if r.warnings else ""
        flags += ", example" if r.example else ""
        click.echo(f"{r.path:<{width}}  {r.agreement}  {r.year or '?'}  {status}{flags}  "
                   f"{r.title}")


def _known_agreement(ctx: Context, name: str, archived: set[str]) -> None:
    """A name given to --agreement is one archived or one of the project's; else the
    nearest is suggested (a typo must not look like an empty archive)."""
    from ..names import closest

    try:
        defined = set(ctx.project.definitions.names())
    except BadInput:  # an archive given with --archive, outside any project
        defined = set()
    if name in archived | defined:
        return
    meant = closest(name, sorted(archived | defined))
    hint = f"; did you mean {meant!r}?" if meant else ""
    listed = ", ".join(sorted(archived)) or "none"
    raise BadInput(f"no agreement named {name!r} in the archive or the project{hint} "
                   f"(archived: {listed})")


@archive.command("verify")
@pass_context
def archive_verify(ctx: Context) -> None:
    """Prove the archive's integrity: re-hash every file, re-validate its signatures,
    and report files altered, missing, or present but not listed. Exit 1 on any problem."""
    if not ctx.archive.exists():
        raise BadInput(f"no archive in {relative(ctx.archive.root)}/: nothing to verify; give "
                       "the archive's folder with --archive DIR (python build.py archive "
                       "--archive DIR verify)")
    problems, notes = ctx.archive.verify()
    for note in notes:
        click.echo(f"note: {note}")
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise AftalerError(f"{len(problems)} problem(s) in {relative(ctx.archive.root)}/")
    count = len(ctx.archive.records())
    click.echo(f"ok: {count} document(s) verified (SHA-256 and signatures)")
