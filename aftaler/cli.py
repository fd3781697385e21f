"""The command line: parse, call the library, turn its errors into one-line messages."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from .errors import AftalerError, BadInput

log = logging.getLogger(__name__)


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Context:
    def __init__(self, root: Path, debug: bool):
        from .project import Project

        self.project = Project(root.resolve())
        self.debug = debug
        self.archive = None  # set by the `archive` group


pass_context = click.make_pass_decorator(Context)


class _Formatter(logging.Formatter):
    """'Warning: ...', like click's 'Error: ...'."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.capitalize()}: {record.getMessage()}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Project folder holding agreements/ and templates/ "
                   "(default: the folder of build.py, or the current folder).")
@click.option("--debug", is_flag=True, help="Show tracebacks and library log messages.")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path | None, debug: bool) -> None:
    """Build signing-ready HORSENS ALLIANCE AFTALER (Word and PDF/A) from their definitions.

    \b
    Typical use:
      python build.py list                  what agreements there are
      python build.py agreement hospital    Word + PDF of one agreement
      python build.py agreement --all       every agreement
      python build.py report 2016           the evaluation report of a year
      python build.py check                 validate every definition and record
      python build.py sign FILE.pdf ...     sign a signature field
      python build.py verify FILE.pdf       what is signed, and does it hold
      python build.py archive add|list|verify   keep final PDFs for good

    Each command has its own --help.
    """
    handler = logging.StreamHandler()
    handler.setFormatter(_Formatter())
    logging.basicConfig(handlers=[handler], level=logging.DEBUG if debug else logging.WARNING,
                        force=True)
    if not debug:
        # WeasyPrint reports layout details (and its choice of font subsetter) as warnings.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        # pyHanko logs each certificate it cannot chain; `verify` reports that as "trusted".
        logging.getLogger("pyhanko").setLevel(logging.ERROR)
        logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)
    root = project_dir or (ctx.obj or {}).get("default_root") or Path.cwd()
    ctx.obj = Context(root, debug)


@cli.command()
@click.argument("names", nargs=-1, metavar="NAME...")
@click.option("--all", "all_", is_flag=True, help="Build every agreement in agreements/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Parallel processes for --all (default: one per core).")
@pass_context
def agreement(ctx: Context, names: tuple[str, ...], all_: bool, jobs: int | None) -> None:
    """Build the Word draft and the signing-ready PDF/A of agreement NAME.

    NAME is the file name in agreements/ without .yaml, e.g. `hospital`. The files
    go to output/aftaler/aftale-NAME.docx and .pdf; the paths are printed.
    """
    from . import batch

    definitions = ctx.project.definitions
    if all_ and names:
        raise click.UsageError("give agreement names or --all, not both")
    if not all_ and not names:
        raise click.UsageError(
            f"which agreement? known: {', '.join(definitions.names()) or 'none'} (or --all)")
    targets = definitions.names() if all_ else list(names)
    for name in targets:
        definitions.path_of(name)  # unknown names fail before any work starts
    for path in batch.build_agreements(ctx.project, targets, jobs=jobs,
                                       progress=all_ and len(targets) > 1):
        click.echo(_relative(path))


@cli.command()
@click.argument("year", type=click.IntRange(1900, 2999))
@click.option("--agreement", "only", metavar="NAME",
              help="Build the evaluation of this one agreement alone.")
@click.option("--strict", is_flag=True,
              help="Fail if an agreement in force that year has no evaluation.")
@pass_context
def report(ctx: Context, year: int, only: str | None, strict: bool) -> None:
    """Build the evaluation report of YEAR, in Word and PDF/A.

    \b
    It reads what the secretariat records beside the definitions:
      agreements/NAME/YEAR.yaml       each agreement's evaluation of the year
      agreements/alliance/YEAR.yaml   citizens off public support, marks awarded
    Every agreement in force in YEAR is in the report; one without an evaluation is
    shown as "mangler evaluering" with a warning (an error with --strict). The files
    go to output/rapporter/evaluering-YEAR.docx and .pdf.
    """
    from .pipeline import write_report

    if only:
        ctx.project.definitions.path_of(only)
    for path in write_report(ctx.project, year, only=only, strict=strict):
        click.echo(_relative(path))


PASSPHRASE_ENV = "AFTALER_P12_PASSPHRASE"


@cli.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--field", required=True, metavar="NAME",
              help="The signature field to sign, e.g. Underskrift_Peter_Soerensen "
                   "(`build.py verify FILE` lists them).")
@click.option("--p12", "p12", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The organisation certificate with its private key (PKCS#12: .p12/.pfx).")
@click.option("--timestamp-url", metavar="URL",
              help="An RFC 3161 timestamp authority: the signature becomes PAdES B-T.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the signed PDF (default: next to PDF, "
                   "NAME-underskrevet-N.pdf, N the number of signatures).")
def sign(pdf: Path, field: str, p12: Path, timestamp_url: str | None,
         output: Path | None) -> None:
    """Sign one signature field of PDF with an organisation certificate (PAdES).

    The passphrase of the certificate is read from the environment variable
    AFTALER_P12_PASSPHRASE, or asked for (never a command-line argument). The signed
    PDF is a new file; PDF itself stays as it was. Without --timestamp-url the
    signature is PAdES B-B, with it B-T.
    """
    from .output import write_atomic
    from .signing import SigningError, load_signer
    from .signing import sign as sign_pdf

    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase is None:
        passphrase = click.prompt(f"Passphrase for {p12.name}", hide_input=True,
                                  default="", show_default=False, err=True)
    data = pdf.read_bytes()
    timestamper = None
    if timestamp_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(timestamp_url)
    try:
        signer = load_signer(p12.read_bytes(), passphrase.encode(), str(p12))
        signed = sign_pdf(data, field, signer, timestamper=timestamper)
    except SigningError as exc:
        raise BadInput(str(exc)) from None
    except Exception as exc:
        if timestamper is not None and "imestamp" in type(exc).__name__ + str(exc):
            raise AftalerError(f"the timestamp authority {timestamp_url} did not answer "
                               f"with a timestamp ({type(exc).__name__})") from None
        raise
    target = output or _signed_name(pdf, signed)
    if target.exists():
        raise BadInput(f"{_relative(target)} exists; give another --output")
    click.echo(_relative(write_atomic(target, signed)))


def _signed_name(pdf: Path, signed: bytes) -> Path:
    import re

    from .signing import field_names

    count = sum(field_names(signed).values())
    base = re.sub(r"-underskrevet-\d+$", "", pdf.stem)
    return pdf.with_name(f"{base}-underskrevet-{count}.pdf")


@cli.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--trust", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A certificate (PEM or DER) to trust as a root; may be repeated.")
def verify(pdf: Path, trust: tuple[Path, ...]) -> None:
    """List every signature field of PDF and check every signature in it.

    For each field: signed or not, the signer, the signing time, whether the signed
    bytes are intact, what was changed after signing (form filling such as a further
    signature is fine), and whether the certificate is trusted (against --trust).
    Exit status 1 if any signature is broken.
    """
    from . import verify as verification

    try:
        roots = verification.load_trust_roots([p.read_bytes() for p in trust])
    except ValueError as exc:
        raise BadInput(f"--trust: not a certificate ({exc})") from None
    try:
        reports = verification.verify(pdf.read_bytes(), roots)
    except Exception as exc:
        raise BadInput(f"{_relative(pdf)}: cannot read as a PDF ({type(exc).__name__})") \
            from None
    if not reports:
        click.echo(f"{_relative(pdf)}: no signature fields")
    for r in reports:
        if not r.signed:
            click.echo(f"{r.name}: not signed")
            continue
        click.echo(f"{r.name}: signed by {r.signer} at {r.signing_time}"
                   f"{' (timestamped)' if r.timestamped else ''}")
        trusted = "yes" if r.trusted else ("no" if trust else "no (no --trust given)")
        click.echo(f"  intact: {'yes' if r.intact else 'NO'}; changed after signing: "
                   f"{r.modification.replace('_', ' ')}; trusted: {trusted}")
    broken = [r.name for r in reports if r.broken]
    if broken:
        raise AftalerError(f"broken signature(s): {', '.join(broken)}")


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
    """
    from .archive import Archive

    ctx.archive = Archive((folder or ctx.project.root / "archive").resolve())


@archive.command("add")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path),
                metavar="[FILE|FOLDER]...")
@click.option("--strict", is_flag=True,
              help="Also refuse archival weaknesses (no PDF/A identification, a font not "
                   "embedded, Info and XMP disagreeing) instead of recording them.")
@pass_context
def archive_add(ctx: Context, paths: tuple[Path, ...], strict: bool) -> None:
    """Archive PDFs: the files and folders given, or the final PDFs in output/.

    Refused, with the reason, and left where they are: files that are not PDFs or are
    unreadable, encrypted, contain JavaScript or launch actions, or carry a signature
    that is not intact. Unsigned signature fields are fine (a warning): an agreement may
    be archived before it is signed.
    """
    from .inspection import Refused

    if paths:
        files = []
        for path in paths:
            files += sorted(path.rglob("*.pdf")) if path.is_dir() else [path]
    else:
        files = sorted((ctx.project.output / "aftaler").glob("*.pdf")) + \
            sorted((ctx.project.output / "rapporter").glob("*.pdf"))
        if not files:
            raise BadInput(f"no PDFs in {_relative(ctx.project.output)}/: build some first, "
                           "or name the files to archive")
    for message in ctx.archive.recover():
        click.echo(f"note: {message}")
    refused = 0
    for path in files:
        try:
            added = ctx.archive.add(path.read_bytes(), path.name, strict=strict)
        except Refused as exc:
            refused += 1
            click.echo(f"refused: {_relative(path)}: {exc}", err=True)
            continue
        except OSError as exc:
            refused += 1
            click.echo(f"refused: {_relative(path)}: cannot read ({exc.strerror})", err=True)
            continue
        record = added.record
        if not added.new:
            click.echo(f"already archived: {_relative(path)} is {record.path}")
            continue
        click.echo(f"archived: {_relative(path)} -> {record.path}")
        for warning in record.warnings:
            click.echo(f"  warning: {warning}")
        for note in added.notes:
            click.echo(f"  warning: {note} (archived before signing)")
    if refused:
        raise BadInput(f"{refused} file(s) refused")


@archive.command("list")
@click.option("--year", type=int, help="Only documents of this year.")
@click.option("--agreement", metavar="NAME", help="Only documents of this agreement.")
@pass_context
def archive_list(ctx: Context, year: int | None, agreement: str | None) -> None:
    """Show the archived documents: path, agreement, year, signatures, title."""
    records = [r for r in ctx.archive.records()
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
        click.echo(f"{r.path:<{width}}  {r.agreement}  {r.year or '?'}  {status}{flags}  "
                   f"{r.title}")


@archive.command("verify")
@pass_context
def archive_verify(ctx: Context) -> None:
    """Prove the archive's integrity: re-hash every file, re-validate its signatures,
    and report files altered, missing, or present but not listed. Exit 1 on any problem."""
    problems, notes = ctx.archive.verify()
    for note in notes:
        click.echo(f"note: {note}")
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise AftalerError(f"{len(problems)} problem(s) in {_relative(ctx.archive.root)}/")
    count = len(ctx.archive.records())
    click.echo(f"ok: {count} document(s) verified (SHA-256 and signatures)")


@cli.command()
@pass_context
def check(ctx: Context) -> None:
    """Validate every definition and yearly record in agreements/; list every problem."""
    from .evaluations import Records

    definitions = ctx.project.definitions
    loaded, problems = definitions.check_all()
    by_name = {item.name: item.model for item in loaded}
    if "alliance" in by_name:
        agreements = {n: m for n, m in by_name.items() if n != "alliance"}
        problems += Records(definitions).check_all(by_name["alliance"], agreements)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise BadInput(f"{len(problems)} problem(s) found")
    names = [item.name for item in loaded if item.name != "alliance"]
    click.echo(f"ok: alliance and {len(names)} agreement(s): {', '.join(names)}")


@cli.command("list")
@pass_context
def list_(ctx: Context) -> None:
    """List the agreements with their parties and term."""
    from .errors import DefinitionError
    from .formatting import date_long

    definitions = ctx.project.definitions
    names = definitions.names()
    if not names:
        click.echo(f"no agreements in {definitions.display(definitions.folder)}/")
        return
    width = max(len(n) for n in names)
    for name in names:
        try:
            a = definitions.agreement(name).model
        except DefinitionError as exc:
            click.echo(f"{name:<{width}}  invalid: {len(exc.problems)} problem(s), "
                       "run `build.py check`")
            continue
        parties = ", ".join(p.name for p in a.parties.values())
        term = f"{date_long(a.term.start)} – {date_long(a.term.end)}"
        click.echo(f"{name:<{width}}  {parties}  ({term})")


@cli.command()
@click.option("--output", "-o", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write to (default: schema/ in the project).")
@pass_context
def schema(ctx: Context, folder: Path | None) -> None:
    """Write the JSON Schema of the definition formats, for editors' autocompletion.

    The definitions in agreements/ point to it on their first line, so editors with
    YAML support (e.g. VS Code's YAML extension) complete keys and flag mistakes.
    """
    import json

    from .output import write_atomic
    from .schema import json_schemas

    folder = folder or ctx.project.root / "schema"
    for name, content in json_schemas().items():
        text = json.dumps(content, ensure_ascii=False, indent=2) + "\n"
        click.echo(_relative(write_atomic(folder / name, text.encode())))


def main(default_root: Path | None = None) -> None:
    """Run the CLI; unexpected failures become one line unless --debug is given."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(obj={"default_root": default_root}, standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        click.echo(f"Error: unexpected {type(exc).__name__}: {exc} "
                   "(run again with --debug for details)", err=True)
        sys.exit(1)
    sys.exit(0)


if __name__ == "__main__":
    main()
