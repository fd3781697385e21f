"""Danish formatting of dates, numbers and amounts, from Babel's da_DK locale data; and
dates read as Danes write them."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date, get_month_names
from babel.numbers import format_compact_currency, format_decimal, format_percent

LOCALE = "da_DK"

# Babel has no spelled-out numbers; Danish style writes small counts in words.
_WORDS = ("nul", "et", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti",
          "elleve", "tolv")


def date_long(day: dt.date) -> str:
    """1. november 2014"""
    return format_date(day, "long", locale=LOCALE)


def number(value: float, decimals: int | None = None) -> str:
    """1.234,5 — '.' groups thousands, ',' marks decimals."""
    if decimals is not None:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=LOCALE)
    return format_decimal(value, locale=LOCALE)


def percent(share: float) -> str:
    """0.5 -> '50 %'"""
    return format_percent(share, locale=LOCALE)


def mio_kr_range(low: float, high: float) -> str:
    """40, 45 -> '40-45 mio. kr.' (a single amount when both ends agree)."""
    high_text = format_compact_currency(high * 1_000_000, "DKK", locale=LOCALE,
                                        fraction_digits=1)
    if low == high:
        return high_text
    return f"{number(low)}-{high_text}"


def count_word(n: int) -> str:
    """4 -> 'fire'; counts above twelve stay digits."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else number(n)


# The dates people write, besides 2014-11-01: 1.11.2014, 01.11.2014, 1-11-2014, 1/11/2014,
# 1. november 2014, 1. nov. 2014 (spaces around the separators do not matter).
DATE_EXAMPLES = "2014-11-01, 1.11.2014 or 1. november 2014"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?")
_NUMERIC = re.compile(r"(\d{1,2}) ?([./-]) ?(\d{1,2}) ?\2 ?(\d{4})")
_WORDED = re.compile(r"(\d{1,2})\.? ([^\W\d_]+)\.? (\d{4})")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class NotADate(ValueError):
    """Text that is written like no date."""


def parse_date(text: str) -> dt.date:
    """A date as written in Danish (1.11.2014, 01.11.2014, 1. november 2014, 1. nov. 2014)
    or as ISO 8601 (2014-11-01). NotADate if it is written like none of these; ValueError
    if no such day exists (saying why, e.g. 'day is out of range for month')."""
    typed = _SPACES.sub(" ", text.strip().casefold())
    if m := _ISO.fullmatch(typed):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _NUMERIC.fullmatch(typed):
        year, month, day = int(m[4]), int(m[3]), int(m[1])
    elif (m := _WORDED.fullmatch(typed)) and (month := _month(m[2])):
        year, day = int(m[3]), int(m[1])
    else:
        raise NotADate(text)
    return dt.date(year, month, day)  # ValueError for a day that does not exist


def _month(word: str) -> int | None:
    """The month a Danish month name means, in full or shortened to three letters or more."""
    names = get_month_names("wide", locale=LOCALE)
    for number_, name in names.items():
        if word == name or (len(word) >= 3 and name.startswith(word)):
            return number_
    return None
