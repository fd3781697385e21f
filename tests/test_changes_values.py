"""A field's text as printed, back to the definition's value."""

from __future__ import annotations

import datetime as dt

import pytest

from aftaler.negotiation.values import NotAValue, parse_date, value_of
from aftaler.negotiation.worddiff import shown


@pytest.mark.parametrize("text", ["31. december 2018", "31. dec. 2018", "31.12.2018",
                                  "2018-12-31", " 31. December 2018 "])
def test_a_date_is_read_as_the_draft_prints_it_or_as_people_write_it(text):
    assert parse_date(text) == dt.date(2018, 12, 31)


@pytest.mark.parametrize("text", ["31. decembre 2018", "30. februar 2018", "snart", ""])
def test_what_is_no_date_says_how_to_write_one(text):
    with pytest.raises(NotAValue, match="is not a date: write it as the draft does"):
        parse_date(text)


def test_a_targets_value_is_a_danish_number():
    assert value_of(("efforts", 3, "target", "value"), "2") == 2
    assert value_of(("efforts", 3, "target", "value"), "2,5") == 2.5
    assert value_of(("efforts", 3, "target", "value"), "1.500") == 1500
    with pytest.raises(NotAValue):
        value_of(("efforts", 3, "target", "value"), "to")


def test_other_fields_are_their_text():
    assert value_of(("efforts", 3, "target", "unit"), "pladser") == "pladser"
    assert value_of(("term", "start"), "1. november 2014") == dt.date(2014, 11, 1)


def test_a_word_level_difference_keeps_a_few_words_of_context():
    words = [f"ord{n}" for n in range(30)]
    old, new = " ".join(words), " ".join(words[:15] + ["NYT"] + words[16:])
    assert shown(old, new) == "…ord10 ord11 ord12 ord13 ord14 [-ord15-]{+NYT+} ord16 ord17 " \
                              "ord18 ord19 ord20…"
    assert shown("kort tekst her", "kort tekst der") == "kort tekst [-her-]{+der+}"


def test_two_changes_with_only_a_space_between_are_one():
    assert shown("a b c d", "a x y d") == "a [-b c-]{+x y+} d"
