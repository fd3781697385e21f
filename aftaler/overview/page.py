"""The overview page, output/oversigt.html: one self-contained Danish page.

Inline CSS, no scripts, nothing fetched: it opens as it is from a shared drive on a
municipal PC, and prints on A4. At the top what needs doing now; then each programme's
agreements with their state and links to their files (relative to output/, so the page
works wherever the project folder is mounted).
"""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import model, words
from .context import PROGRAM

TEMPLATE = "oversigt.html"
PAGE = "oversigt.html"  # in output/


def href(path: str | None) -> str:
    """A link from output/oversigt.html to a file of the status (project-relative, or
    absolute where it lies outside the project)."""
    if not path:
        return ""
    if PurePosixPath(path).is_absolute():
        return Path(path).as_uri()
    return quote(posixpath.relpath(path, "output"))


def _isodate(value: str) -> str:
    """'2026-01-10T09:12:00+00:00' -> '10. januar 2026' (as it was written, if not a date)."""
    try:
        return words.date(dt.date.fromisoformat(value[:10]))
    except ValueError:
        return value


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(date=words.date, until=words.until, href=href, isodate=_isodate,
                       name=lambda path: PurePosixPath(path).name if path else "")
    env.globals.update(words=words, severity=words.SEVERITY)
    return env


def html(status: model.Status, program: str = PROGRAM) -> bytes:
    """The page, as UTF-8 bytes; `program` is how its commands are run."""
    by_programme = {p.id: [a for a in status.agreements if a.programme == p.id]
                    for p in status.programmes}
    # Agreements whose programme cannot be read still show, under their programme's id.
    orphans = [a for a in status.agreements if a.programme not in by_programme]
    template = _environment().get_template(TEMPLATE)
    return template.render(status=status, by_programme=by_programme, orphans=orphans,
                           program=program, shown={a.name for a in status.agreements},
                           attention=[(item, words.attention(item, status))
                                      for item in status.attention]).encode()
