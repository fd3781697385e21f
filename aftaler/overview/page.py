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
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..formatting import TIMEZONE, moment_long
from . import model, words
from .context import PROGRAM

TEMPLATE = "oversigt.html"


def href(path: str | None) -> str:
    """A link from output/oversigt.html to a file of the status (project-relative, or
    absolute where it lies outside the project)."""
    if not path:
        return ""
    if PurePosixPath(path).is_absolute():
        return Path(path).as_uri()
    return quote(posixpath.relpath(path, "output"))


def _local(value: str) -> dt.datetime | None:
    """An ISO moment with its offset, in Danish local time (None if it is not one)."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(ZoneInfo(TIMEZONE))


def _isodate(value: str) -> str:
    """'2026-01-10T23:12:00+00:00' -> '11. januar 2026', the day in Denmark (as it was
    written, if not a date)."""
    moment = _local(value)
    if moment is not None:
        return words.date(moment.date())
    try:
        return words.date(dt.date.fromisoformat(value[:10]))
    except ValueError:
        return value


def _moment(value: str | None) -> str:
    """'2026-12-01T07:30:28+00:00' -> '1. december 2026 kl. 08.30', as the signature
    stamp says it (as it was written, if it has no offset)."""
    if not value:
        return ""
    moment = _local(value)
    if moment is None:
        return value
    return moment_long(moment).replace(" kl. ", "\u00a0kl.\u00a0")  # the time kept whole


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(date=words.date, until=words.until, href=href, isodate=_isodate,
                       moment=_moment, name=lambda path: PurePosixPath(path).name if path else "")
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
