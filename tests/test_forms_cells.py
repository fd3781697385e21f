"""Reading what a person typed, as Excel or Calc saved it: numbers, dates, yes/no, choices."""

from __future__ import annotations

import datetime as dt

import pytest

from aftaler.forms import cells
from aftaler.sources.records import ASSESSMENTS


@pytest.mark.parametrize("typed, value", [
    (2, 2.0), (2.5, 2.5), ("2", 2.0), (" 2 ", 2.0), ("2,5", 2.5), ("2.5", 2.5),
    ("-3", -3.0), ("1.234,5", 1234.5), ("1.234.567", 1234567.0), ("1 234", 1234.0),
    ("1\u00a0234,5", 1234.5), ("1,234.5", 1234.5), ("+7", 7.0), ("\u22124", -4.0),
])
def test_a_number_is_read_from_a_number_or_danish_or_english_text(typed, value):
    assert cells.number(typed) == value


@pytest.mark.parametrize("typed", ["2 pladser", "to", "2,5,", "1.2.3", ",5", "", "--2"])
def test_text_that_is_not_a_number_is_told_to_write_the_number_alone(typed):
    with pytest.raises(cells.Unreadable, match="not a number"):
        cells.number(typed)


def test_a_number_that_danes_and_english_readers_read_differently_is_not_guessed():
    with pytest.raises(cells.Unreadable, match="can be read two ways: write 1234 or 1,234"):
        cells.number("1.234")


def test_yes_and_no_is_not_a_number():
    with pytest.raises(cells.Unreadable, match="ja is not a number"):
        cells.number(True)


@pytest.mark.parametrize("typed, value", [
    (True, True), (False, False), ("ja", True), ("Nej", False), (" JA ", True),
    ("=TRUE()", True), ("=FALSE()", False), ("=SAND()", True), ("falsk", False),
    ("3", 3.0), (3, 3.0), ("2,5", 2.5),
])
def test_a_result_is_a_number_or_yes_or_no(typed, value):
    assert cells.result(typed) == value
    assert type(cells.result(typed)) is type(value)


def test_a_result_that_is_neither_says_so():
    with pytest.raises(cells.Unreadable, match=r"^'måske' is not a number, nor ja or nej$"):
        cells.result("måske")


@pytest.mark.parametrize("typed", [
    dt.datetime(2018, 1, 26), dt.date(2018, 1, 26), 43126, 43126.0, "26.01.2018",
    "26.1.2018", "26-01-2018", "26/01/2018", "2018-01-26", "2018-01-26 00:00:00",
    "26. januar 2018", "26 jan 2018", " 26.01.2018 ",
])
def test_a_date_is_read_from_a_date_a_serial_number_or_text(typed):
    assert cells.date(typed) == dt.date(2018, 1, 26)


def test_a_serial_number_counts_from_the_workbooks_own_epoch():
    assert cells.date(41664, dt.datetime(1904, 1, 1)) == dt.date(2018, 1, 26)


@pytest.mark.parametrize("typed, message", [
    ("i går", "'i går' is not a date: write it as 26.01.2018"),
    ("31.02.2018", "'31.02.2018' is not a date that exists"),
    (26.5, "26,5 is not a date"),
    (True, "ja is not a date"),
])
def test_what_is_not_a_date_says_how_to_write_one(typed, message):
    with pytest.raises(cells.Unreadable, match=message):
        cells.date(typed)


@pytest.mark.parametrize("typed", ["opfyldt", "Opfyldt", " delvist  opfyldt ", "IKKE IGANGSAT"])
def test_a_choice_is_found_whatever_its_case_and_spacing(typed):
    assert cells.choice(typed, ASSESSMENTS) in ASSESSMENTS


def test_a_choice_not_on_the_list_names_the_list():
    with pytest.raises(cells.Unreadable) as exc:
        cells.choice("fint", ASSESSMENTS)
    assert str(exc.value) == ("'fint' is not one of opfyldt, delvist opfyldt, ikke opfyldt, "
                              "ikke igangsat")


@pytest.mark.parametrize("typed, numbers", [
    ("1, 2, 6", [1, 2, 6]), ("1;2;6", [1, 2, 6]), ("1 2 6", [1, 2, 6]),
    ("1, 2 og 6", [1, 2, 6]), (4, [4]), (4.0, [4]),
])
def test_criteria_are_whole_numbers_separated_as_people_do(typed, numbers):
    assert cells.whole_numbers(typed) == numbers


@pytest.mark.parametrize("typed", ["1, to", 1.2, "1.5"])
def test_criteria_that_are_not_whole_numbers_are_refused(typed):
    with pytest.raises(cells.Unreadable, match="write whole numbers separated by commas"):
        cells.whole_numbers(typed)


@pytest.mark.parametrize("typed, text", [
    ("  Relevant.  ", "Relevant."), ("a  \r\nb ", "a\nb"), (5, "5"), (2.5, "2,5"),
    (dt.datetime(2018, 3, 1), "01.03.2018"), (None, None), ("   ", None),
])
def test_text_is_stripped_and_a_typed_number_or_date_kept_as_a_dane_reads_it(typed, text):
    assert cells.text(typed) == text
