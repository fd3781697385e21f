"""Writing the overview page and the calendar, and keeping them current.

    output/oversigt.html     `overview`
    output/kalender.ics      `calendar`
    output/.oversigt.json    what each was last made with (the archive folder, how its
                             commands are run), so that a refresh makes it alike

Once made, each is kept current: `refresh` makes again those that exist, writing one
only when its bytes change. The commands that change what they show call it, and so
does `watch` (and once a day while it runs, since the status is of a day).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

from ..output import write_atomic
from ..project import Project
from . import CALENDAR, PAGE, calendar, page
from .context import PROGRAM
from .facts import gather
from .model import Status
from .state import compute

RECORD = ".oversigt.json"
log = logging.getLogger(__name__)

_RENDER = {PAGE: page.html, CALENDAR: calendar.ics}


def status(project: Project, today: dt.date, archive: Path | None = None,
           program: str = PROGRAM, command_path=None) -> Status:
    """The status on `today`; see state.compute for `program` and `command_path`."""
    return compute(gather(project, today, archive), today, program, command_path)


def write(project: Project, name: str, today: dt.date, archive: Path | None = None,
          program: str = PROGRAM) -> Path:
    """Make the page or the calendar (`name`: PAGE or CALENDAR) and remember how."""
    target = project.output / name
    data = _RENDER[name](status(project, today, archive, program), program)
    write_atomic(target, data)
    _remember(project, name, {"archive": str(archive) if archive else None,
                              "program": program})
    return target


def refresh(project: Project, today: dt.date) -> list[Path]:
    """Make again the page and the calendar that exist, as they were made last; return
    those whose bytes changed. Never raises for what the files say: a failure is a
    warning, and the command that called it has done its own work already."""
    written = []
    made: dict[tuple, Status] = {}
    for name, render in _RENDER.items():
        target = project.output / name
        if not target.is_file():
            continue
        how = _recalled(project).get(name, {})
        archive = Path(how["archive"]) if how.get("archive") else None
        program = how.get("program") or PROGRAM
        try:
            key = (archive, program)
            if key not in made:
                made[key] = status(project, today, archive, program)
            data = render(made[key], program)
            if target.read_bytes() != data:
                written.append(write_atomic(target, data))
        except Exception as exc:  # the caller's own work is done: say so, don't fail it
            log.debug("refresh of %s failed", target, exc_info=True)
            log.warning("%s was not brought up to date (%s: %s)", target.name,
                        type(exc).__name__, exc)
    return written


def _recalled(project: Project) -> dict:
    try:
        found = json.loads((project.output / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _remember(project: Project, name: str, how: dict) -> None:
    record = {key: value for key, value in _recalled(project).items() if key in _RENDER}
    record[name] = how
    write_atomic(project.output / RECORD,
                 (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode())
