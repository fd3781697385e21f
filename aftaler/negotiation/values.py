"""A field's text as the draft prints it, back to the definition's value: a date from
"31. december 2018", a number from "2,5"; text is text."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import get_month_names

from ..formatting import LOCALE

DATE_FIELDS = {("term", "start"), ("term", "end")}


class NotAValue(ValueError):
    """The text cannot be the field's value; the message says what it should be."""


def _months() -> dict[str, int]:
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale=LOCALE).items():
            names[name.lower().rstrip(".")] = number
    return names


def parse_date(text: str) -> dt.date:
    """'31. december 2018', '31. dec. 2018', '31.12.2018' or '2018-12-31'."""
    text = text.strip().lower()
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
            return dt.date.fromisoformat(text)
        numeric = re.fullmatch(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})", text)
        if numeric:
            day, month, year = (int(g) for g in numeric.groups())
            return dt.date(year, month, day)
        spelled = re.fullmatch(r"(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})", text)
        if spelled and spelled.group(2) in _months():
            return dt.date(int(spelled.group(3)), _months()[spelled.group(2)],
                           int(spelled.group(1)))
    except ValueError:
        pass
    raise NotAValue(f"{text!r} is not a date: write it as the draft does, e.g. "
                    "31. december 2018")


def value_of(path: tuple, text: str) -> object:
    """The definition's value for field `path` printed as `text`."""
    if path in DATE_FIELDS:
        return parse_date(text)
    if path[-2:] == ("target", "value"):
        number = text.strip().replace(".", "").replace(",", ".")
        try:
            value = float(number)
        except ValueError:
            raise NotAValue(f"{text!r} is not a number") from None
        return int(value) if value.is_integer() else value
    return text
