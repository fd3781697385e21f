"""The command line: parse, call the library, turn its errors into one-line messages.

Each command module registers its commands on the group in `app`; importing them here
makes the whole command line, and nothing imports back from here."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import archive, build, forms, new, receivers, signing  # noqa: F401  (registers them)
from .app import cli

__all__ = ["cli", "main"]


def main(default_root: Path | None = None) -> None:
    """Run the CLI; unexpected failures become one line unless --debug is given."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(obj={"default_root": default_root}, prog_name=program_name(),
                 standalone_mode=False)
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


def program_name() -> str:
    """The command as the user typed it, for usage lines and messages: `aftaler`, or
    `python build.py` (with the path given, when build.py was run from elsewhere)."""
    argv0 = sys.argv[0] if sys.argv and sys.argv[0] else "aftaler"
    if argv0.endswith(".py"):
        return f"python {argv0}"
    return os.path.basename(argv0)
