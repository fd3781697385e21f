"""The command group and what every command shares: the project, relative paths, logging,
the program's name in messages, and the year as an argument."""

from __future__ import annotations

import logging
import os
import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import __version__
from ..errors import BadInput

if TYPE_CHECKING:
    from ..project import Project

log = logging.getLogger(__name__)


def relative(path: Path) -> str:
    """A path as the user would type it here: relative to the current folder when it is
    under it, or, in a subfolder of the project, with `..` (`../../output/aftaler/…`)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        pass
    ctx = click.get_current_context(silent=True)
    context = ctx.find_object(Context) if ctx is not None else None
    if context is not None and context.found_above and path.is_relative_to(context.root):
        return os.path.relpath(path)
    return str(path)


def find_project(folder: Path) -> Path | None:
    """The project `folder` is in: it, or the nearest folder above it, that holds
    agreements/ (as git finds its repository from a subfolder)."""
    from ..sources.definitions import AGREEMENTS

    for candidate in (folder, *folder.parents):
        if (candidate / AGREEMENTS).is_dir():
            return candidate
    return None


def command_line(*words: str) -> str:
    """The command the user runs, followed by `words`: `aftaler check` or
    `python build.py check`, so that a message can say exactly what to run next."""
    ctx = click.get_current_context(silent=True)
    program = ctx.find_root().info_name if ctx is not None else None
    return " ".join([program or "aftaler", *words])


class Context:
    def __init__(self, root: Path, debug: bool, *, given: bool = True, search: bool = False):
        """`given`: the folder came from --project, not from where the program is;
        `search`: it is the current folder, and the project may be a folder above it."""
        self.given = given
        self.found_above = False
        if search:
            found = find_project(root.resolve())
            if found is not None:
                self.found_above = found != root.resolve()
                root = found
        self.root = root
        self.debug = debug
        self.archive = None  # set by the `archive` group

    @cached_property
    def project(self) -> Project:
        """The project folder; a command that needs one stops here, with a message that
        says how to point at one, when the folder is not a project."""
        from ..project import Project

        project = Project(self.root.resolve())
        folder = project.definitions.agreements_folder
        if folder.is_dir():
            return project
        shown = f"--project {self.root}" if self.given else (
            "the current folder" if project.root == Path.cwd().resolve() else str(project.root))
        if self.given and not self.root.exists():
            raise BadInput(f"{shown}: no such folder (give the folder that holds "
                           f"{folder.name}/)")
        if self.given:
            raise BadInput(f"{shown} is not a project folder (there is no {folder.name}/ "
                           "in it): give --project DIR with the folder that holds it")
        above = " or in any folder above it" if shown == "the current folder" else ""
        raise BadInput(f"{shown} is not a project folder (there is no {folder.name}/ "
                       f"in it{above}): run this in the project folder, or give "
                       "--project DIR")


pass_context = click.make_pass_decorator(Context)


class _Formatter(logging.Formatter):
    """'Warning: ...', like click's 'Error: ...'."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.capitalize()}: {record.getMessage()}"


class Group(click.Group):
    """A group whose own options may also be given after its subcommand, and its
    subcommands' options before it.

    `aftaler list --project DIR` means `aftaler --project DIR list`, and
    `archive verify --archive DIR` means `archive --archive DIR verify`: people put
    options after the command they are about. `aftaler --archive DIR archive list` means
    `aftaler archive --archive DIR list`: or before it. An option the subcommand defines
    itself stays with the subcommand. Groups made with `@group.group()` are of this class
    too.
    """

    group_class = type

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._hoist(ctx, args))

    def _hoist(self, ctx: click.Context, args: list[str]) -> list[str]:
        own = _options(self)
        position = 0  # of the subcommand, after the options before it
        lowered: list[int] = []  # where a subcommand's option stands before it
        while position < len(args) and args[position].startswith("-"):
            name = args[position].split("=", 1)[0]
            option = own.get(name)
            if option is None:
                option = _option_below(self, ctx, name)
                if option is None:  # --help, `--`, or a mistake: click says what it is
                    return args
                lowered += range(position, position + _length(option, args[position]))
            position += _length(option, args[position])
        if position >= len(args):
            return args
        subcommand = self.get_command(ctx, args[position])
        if subcommand is None or not all(
                _defines(subcommand, ctx, args[i].split("=", 1)[0])
                for i in lowered if args[i].startswith("-")):
            return args
        moved: list[str] = []
        kept: list[str] = [args[i] for i in lowered]
        rest = args[position + 1:]
        i = 0
        while i < len(rest):
            if rest[i] == "--":
                kept += rest[i:]
                break
            name = rest[i].split("=", 1)[0]
            option = own.get(name)
            if option is not None and not _defines(subcommand, ctx, name):
                count = _length(option, rest[i])
                moved += rest[i:i + count]
                i += count
                continue
            kept.append(rest[i])
            i += 1
        head = [word for i, word in enumerate(args[:position]) if i not in lowered]
        return [*head, *moved, args[position], *kept]


def _options(command: click.Command) -> dict[str, click.Option]:
    """A command's options by every name they go by."""
    return {name: opt for opt in command.params if isinstance(opt, click.Option)
            for name in (*opt.opts, *opt.secondary_opts)}


def _option_below(group: click.Group, ctx: click.Context, name: str) -> click.Option | None:
    """An option called `name` of a command under `group`, at any depth."""
    for sub in (group.get_command(ctx, n) for n in group.list_commands(ctx)):
        if sub is None:
            continue
        found = _options(sub).get(name)
        if found is None and isinstance(sub, click.Group):
            found = _option_below(sub, ctx, name)
        if found is not None:
            return found
    return None


def _length(option: click.Option, word: str) -> int:
    """How many words `option` takes up on the command line, itself included."""
    if option.is_flag or option.count or "=" in word:
        return 1
    return 1 + option.nargs


def _defines(command: click.Command, ctx: click.Context, name: str) -> bool:
    """Whether `command`, or any command under it, has an option called `name`."""
    for param in command.params:
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return True
    if isinstance(command, click.Group):
        return any(_defines(sub, ctx, name) for sub in
                   (command.get_command(ctx, n) for n in command.list_commands(ctx)) if sub)
    return False


class Year(click.ParamType):
    """A calendar year, written in four digits."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}", text):
            self.fail(f"{value!r} is not a year: give it in four digits, e.g. 2016", param, ctx)
        if not 1900 <= int(text) <= 2999:
            self.fail(f"{text} is not a year this program knows (1900-2999)", param, ctx)
        return int(text)


@click.group(name="aftaler", cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", message="aftaler %(version)s",
                      help="Show the version of this program and exit.")
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Project folder holding agreements/ and templates/ "
                   "(default: the folder of build.py; for `aftaler`, the current folder "
                   "or the nearest folder above it that holds agreements/).")
@click.option("--debug", is_flag=True,
              help="Show the traceback of a program error (exit status 1), and library "
                   "log messages.")
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

    Each command has its own --help. --project and --debug may also follow the command.
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
    default = (ctx.obj or {}).get("default_root")
    ctx.obj = Context(project_dir or default or Path.cwd(), debug,
                      given=project_dir is not None,
                      search=project_dir is None and default is None)
