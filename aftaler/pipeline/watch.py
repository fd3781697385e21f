"""`watch`: stay running, and rebuild what a saved change makes out of date.

One process, its libraries imported once, so a saved agreement is a new PDF a moment
later. What to rebuild is not read from the kind of change the operating system reports
(editors save by writing a temporary file and renaming it, or by renaming the original to
a backup first): after each batch of changes, every agreement and every report built
before is asked whether it is still up to date (aftaler/pipeline/uptodate.py), which compares
what exists now with what went into the files.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AftalerError
from ..project import Project
from . import uptodate

WATCHED = ("agreements", "programmes", "templates")
log = logging.getLogger(__name__)


def ignored(name: str) -> bool:
    """Lock and temporary files of editors and office suites, and our own part files:
    Word's ~$name.docx and ~WRL0001.tmp, LibreOffice's .~lock.name#, vim's .name.swp,
    emacs' #name# and .#name, and the .part files of an atomic write."""
    return (name.startswith(("~$", "~WRL", ".~lock.", ".#", "#"))
            or name.endswith(("~", "#", ".tmp", ".swp", ".swx", ".part")))


@dataclass
class Round:
    """What one round of rebuilding did."""

    written: list[Path] = field(default_factory=list)
    # A line per problem, each once: a broken agreement fails every report built before
    # as well, with the same problems.
    errors: list[str] = field(default_factory=list)

    def failed(self, message: str) -> None:
        for line in message.splitlines():
            if line not in self.errors:
                self.errors.append(line)


def _reports(project: Project) -> list[dict]:
    """The reports built before: each record's year, programme and agreement."""
    found = []
    for path in sorted(project.reports_output.glob(".*.build.json")):
        record = uptodate.read_record(path)
        if record and record.get("kind") == "report":
            found.append(record["args"])
    return found


def rebuild(root: Path) -> Round:
    """Build every agreement and every report built before that is not up to date.

    Bad input is reported (one line per problem) and the rest still built; the next
    round tries again.
    """
    from .steps import write_agreement, write_report

    project = Project(root)  # read afresh: nothing remembered from the last round
    done = Round()
    for wrong in project.definitions.misnamed():
        done.failed(str(project.definitions.misnamed_problem(wrong)))
    for name in project.definitions.names():
        if not uptodate.agreement_current(project, name):
            _attempt(done, lambda name=name: write_agreement(project, name))
    for args in _reports(project):
        if not uptodate.report_current(project, args["year"], args["programme"],
                                       args["only"]):
            _attempt(done, lambda a=args: write_report(
                project, a["year"], programme_id=a["programme"], only=a["only"]))
    return done


def _attempt(done: Round, build: Callable[[], list[Path]]) -> None:
    try:
        done.written += build()
    except AftalerError as exc:
        done.failed(exc.format_message())
    except Exception as exc:  # a bug must not end the watch; --debug shows it
        log.debug("program error", exc_info=True)
        done.failed(f"unexpected {type(exc).__name__}: {exc}")


def _warm_up() -> None:
    """Import the libraries a build needs now, not when the first change is saved."""
    import docxtpl  # noqa: F401
    import pikepdf  # noqa: F401

    from ..render import pdf
    from . import steps  # noqa: F401

    pdf._font_config()


def watch(root: Path, report: Callable[[Round], None], *, poll: bool = False,
          stop: threading.Event | None = None) -> None:
    """Rebuild now, then after every batch of saved changes, until `stop` is set (or
    Ctrl+C). `report` gets what each round did. `poll` looks at the files every 300 ms
    instead of being told by the operating system: needed on a network drive."""
    import watchfiles

    _warm_up()
    report(rebuild(root))
    folders = [root / name for name in WATCHED if (root / name).is_dir()]
    for changes in watchfiles.watch(
            *folders, watch_filter=lambda change, path: not ignored(Path(path).name),
            step=50, debounce=1600, stop_event=stop, force_polling=poll or None,
            raise_interrupt=False):
        log.debug("changed: %s", sorted(path for _, path in changes))
        report(rebuild(root))
