"""Danish formatting of dates, numbers and amounts, from Babel's da_DK locale data."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_datetime
from babel.numbers import format_compact_currency, format_decimal, format_percent

LOCALE = "da_DK"
TIMEZONE = "Europe/Copenhagen"

# Babel has no spelled-out numbers; Danish style writes small counts in words.
_WORDS = ("nul", "et", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti",
          "elleve", "tolv")


def date_long(day: dt.date) -> str:
    """1. november 2014"""
    return format_date(day, "long", locale=LOCALE)


def moment_long(moment: dt.datetime) -> str:
    """A moment (with its offset) as Danish local time: 1. december 2026 kl. 08.30"""
    from zoneinfo import ZoneInfo

    return format_datetime(moment, "d. MMMM y 'kl.' HH.mm", tzinfo=ZoneInfo(TIMEZONE),
                           locale=LOCALE)


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
