"""`preflight`: what a receiving service would refuse in a PDF, before it is sent."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ..errors import BadInput
from .app import cli, command_line, relative

ROUTES = ("nemlogin",)
# our agreement PDFs: aftale-NAME.pdf, signed copies aftale-NAME-underskrevet-N.pdf
AGREEMENT_PDF = re.compile(r"aftale-([a-z0-9-]+?)(?:-underskrevet-\d+)?\.pdf")


def _shown(text: str) -> str:
    """A name from the file, with anything unprintable escaped: it is data, not output."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@cli.command()
@click.argument("pdfs", metavar="FILE.pdf...", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--for", "route", type=click.Choice(ROUTES), default="nemlogin",
              show_default=True, help="The service the PDF is going to.")
def preflight(pdfs: tuple[Path, ...], route: str) -> None:
    """Check PDFs as NemLog-in's signing service will before anyone can sign: every PDF
    name on its whitelist, every font embedded (a port of the check in its signing SDK).

    Lists every name the service would refuse, one line each; exit status 2 if there
    are any. The agreement's edition for NemLog-in (`agreement NAME --for nemlogin`)
    passes; the PDF with signature fields and the attached definition does not.
    """
    from ..receivers import nemlogin

    refused_files = 0
    problems: list[str] = []
    for pdf in pdfs:
        shown = relative(pdf)
        try:
            refusals = nemlogin.refusals(pdf.read_bytes())
        except nemlogin.Unreadable as exc:
            problems.append(f"{shown}: NemLog-in would refuse it: {exc}")
            refused_files += 1
            continue
        except OSError as exc:
            problems.append(f"{shown}: cannot read: {exc.strerror}")
            refused_files += 1
            continue
        if not refusals:
            click.echo(f"{shown}: NemLog-in would accept it (every name on its whitelist, "
                       "every font embedded)")
            continue
        refused_files += 1
        problems += [f"{shown}: {_shown(str(r))}" for r in refusals]
    if problems:
        names = sorted({m.group(1) for pdf in pdfs if (m := AGREEMENT_PDF.fullmatch(pdf.name))})
        edition = command_line("agreement", names[0] if len(names) == 1 else "NAME",
                               "--for", "nemlogin")
        raise BadInput("\n".join(problems) + f"\n{refused_files} of {len(pdfs)} file(s) would "
                       f"be refused by NemLog-in (error SDK010); for an agreement, send its "
                       f"signing edition, made by `{edition}`")
