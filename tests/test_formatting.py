"""Danish formats come from Babel's da_DK data."""

from __future__ import annotations

import datetime as dt

from aftaler import formatting


def test_dates_in_running_text():
    assert formatting.date_long(dt.date(2014, 11, 1)) == "1. november 2014"
    assert formatting.date_long(dt.date(2017, 12, 31)) == "31. december 2017"


def test_numbers_group_thousands_with_dot_and_decimals_with_comma():
    assert formatting.number(1234567.5) == "1.234.567,5"
    assert formatting.number(150) == "150"
    assert formatting.number(2, decimals=1) == "2,0"


def test_amounts_in_millions_of_kroner():
    assert formatting.mio_kr_range(40, 45).replace("\u00a0", " ") == "40-45 mio. kr."
    assert formatting.mio_kr_range(45, 45).replace("\u00a0", " ") == "45 mio. kr."
    assert formatting.mio_kr_range(40.5, 45).replace("\u00a0", " ") == "40,5-45 mio. kr."


def test_small_counts_are_words():
    assert formatting.count_word(4) == "fire"
    assert formatting.count_word(150) == "150"


def test_percent():
    assert formatting.percent(0.5).replace("\u00a0", " ") == "50 %"
