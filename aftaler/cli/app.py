"""The command group and what every command shares: the project, relative paths, logging."""

from __future__ import annotations

import logging
from pathlib import Path

import click

log = logging.getLogger(__name__)


def relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Context:
    def __init__(self, root: Path, debug: bool):
        from ..project import Project

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
