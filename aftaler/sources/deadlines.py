"""The dates that matter, as definitions write them in Danish.

    notice: 3 måneder          an agreement: how long before its end a decision on renewal
                               or notice must be taken (also: 6 uger, 30 dage, 1 år)
    evaluations_due: 31. januar   a programme: when a year's evaluations are due, in the
                               year after it

Both are read into small values that compute their dates; the YAML keeps the text as
written (normalised), and so does the definition's JSON.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated

from babel.dates import get_month_names
from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from ..formatting import LOCALE

# Danish units of a notice period: singular and plural, as people write them.
UNITS = {"dag": "dage", "uge": "uger", "måned": "måneder", "år": "år"}
_PLURALS = {plural: singular for singular, plural in UNITS.items()}
NOTICE_PATTERN = r"^\s*([1-9][0-9]{0,2})\s+(dag|dage|uge|uger|måned|måneder|år)\s*$"
NOTICE_EXAMPLE = "'3 måneder', '6 uger', '30 dage' or '1 år'"


def _months() -> list[str]:
    names = get_month_names("wide", locale=LOCALE)
    return [str(names[m]).lower() for m in range(1, 13)]


MONTHS = _months()  # januar ... december, from Babel's da_DK data
DAY_PATTERN = rf"^\s*([0-9]{{1,2}})\.\s*({'|'.join(MONTHS)})\s*$"


def shift_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, kept within the month it lands in (31 -> 30)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Notice:
    """A notice period: `count` days, weeks, months or years."""

    count: int
    unit: str  # singular: dag, uge, måned, år

    def __str__(self) -> str:
        return f"{self.count} {self.unit if self.count == 1 else UNITS[self.unit]}"

    def deadline(self, end: dt.date) -> dt.date:
        """The last day a decision leaves the whole period before `end` (the agreement's
        last day in force): 3 måneder before 31 December is 30 September."""
        after = end + dt.timedelta(days=1)
        if self.unit == "dag":
            start = after - dt.timedelta(days=self.count)
        elif self.unit == "uge":
            start = after - dt.timedelta(weeks=self.count)
        else:
            start = shift_months(after, -self.count * (12 if self.unit == "år" else 1))
        return start - dt.timedelta(days=1)


def parse_notice(value: object) -> Notice:
    if isinstance(value, Notice):
        return value
    match = re.match(NOTICE_PATTERN, value, re.IGNORECASE) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"give how long before the end, e.g. {NOTICE_EXAMPLE}")
    count, unit = int(match.group(1)), match.group(2).lower()
    return Notice(count, _PLURALS.get(unit, unit))


@dataclass(frozen=True)
class DayOfYear:
    """A day and month, the same every year (never 29 February)."""

    day: int
    month: int

    def __str__(self) -> str:
        return f"{self.day}. {MONTHS[self.month - 1]}"

    def in_year(self, year: int) -> dt.date:
        return dt.date(year, self.month, self.day)


def parse_day(value: object) -> DayOfYear:
    if isinstance(value, DayOfYear):
        return value
    match = re.match(DAY_PATTERN, value, re.IGNORECASE) if isinstance(value, str) else None
    if not match:
        raise ValueError("give a day and a month in Danish, e.g. '31. januar'")
    day, month = int(match.group(1)), MONTHS.index(match.group(2).lower()) + 1
    if not 1 <= day <= calendar.monthrange(2001, month)[1]:  # 2001: not a leap year
        raise ValueError(f"{MONTHS[month - 1]} has no day {day} every year")
    return DayOfYear(day, month)


NoticePeriod = Annotated[
    Notice, PlainValidator(parse_notice), PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": NOTICE_PATTERN,
                    "examples": ["3 måneder", "6 uger", "30 dage"]})]

DayAndMonth = Annotated[
    DayOfYear, PlainValidator(parse_day), PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DAY_PATTERN, "examples": ["31. januar"]})]

DEFAULT_EVALUATIONS_DUE = DayOfYear(31, 1)


def absent(value: object) -> bool:
    """For Field(exclude_if=...): an optional date field left out is left out of the
    definition's JSON too, so definitions without it give the same bytes as before."""
    return value is None
