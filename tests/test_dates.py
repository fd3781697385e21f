"""Dates in definitions and records as Danes write them: 1.11.2014, 01.11.2014,
1. november 2014 are 2014-11-01; any other form is told the accepted ones."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from aftaler.cli import cli
from aftaler.formatting import date_long, parse_date

AGREEMENT = "agreements/hospital.yaml"
ACCEPTED = "write it as 2014-11-01, 1.11.2014 or 1. november 2014"


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def with_start(scratch, hospital_yaml: str, start: str) -> int:
    """The hospital agreement starting on `start` as typed; the line of term.start."""
    old = "  start: 2014-11-01"
    (scratch.root / AGREEMENT).write_text(hospital_yaml.replace(old, f"  start: {start}"),
                                          encoding="utf-8")
    return hospital_yaml[:hospital_yaml.index(old)].count("\n") + 1


@pytest.mark.parametrize("typed", ["1.11.2014", "01.11.2014", "1. november 2014",
                                   "1. nov. 2014", "'1.11.2014'", "1/11/2014"])
def test_a_danish_date_is_read_as_that_day(scratch, hospital_yaml, project, typed):
    with_start(scratch, hospital_yaml, typed)
    assert run(scratch, "check").exit_code == 0
    read = scratch.definitions.agreement("hospital").model
    assert read.term.start == dt.date(2014, 11, 1)
    assert read == project.definitions.agreement("hospital").model


def test_list_shows_a_danish_date_as_any_other(scratch, hospital_yaml):
    with_start(scratch, hospital_yaml, "1. november 2014")
    assert "(1. november 2014 – 31. december 2017)" in run(scratch, "list").output


@pytest.mark.parametrize(("typed", "shown"), [
    ("1.11.14", "'1.11.14'"), ("november 2014", "'november 2014'"),
    ("2014/11/01", "'2014/11/01'"), ("1.11", "1.11"), ("snart", "'snart'"),
])
def test_another_form_of_date_is_told_the_accepted_ones(scratch, hospital_yaml, typed, shown):
    line = with_start(scratch, hospital_yaml, typed)
    result = run(scratch, "check")
    assert result.exit_code == 2
    assert result.output == (f"{AGREEMENT}:{line}: term.start: {shown} is not a date: "
                             f"{ACCEPTED}\nError: 1 problem(s) found\n")


def test_a_day_that_does_not_exist_is_told_why(scratch, hospital_yaml):
    line = with_start(scratch, hospital_yaml, "31.11.2014")
    result = run(scratch, "agreement", "hospital")
    assert result.exit_code == 2
    assert result.output == (f"{AGREEMENT}:{line}: term.start: '31.11.2014' is not a day that "
                             "exists (day is out of range for month)\n"
                             "Error: 1 problem(s) found\n")


def test_a_record_dated_the_danish_way_is_read_too(scratch):
    path = scratch.root / "agreements" / "hospital" / "2016.yaml"
    text = path.read_text(encoding="utf-8")
    [line] = [x for x in text.splitlines() if x.startswith("evaluated_on:")]
    path.write_text(text.replace(line, "evaluated_on: 26. januar 2017"), encoding="utf-8")
    assert run(scratch, "check").exit_code == 0
    hospital = scratch.definitions.agreement("hospital").model
    evaluation = scratch.definitions.records.evaluation("hospital", hospital, 2016)
    assert evaluation.evaluated_on == dt.date(2017, 1, 26)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_every_way_a_day_is_written_reads_back_as_that_day(day):
    for written in (day.isoformat(), f"{day.day}.{day.month}.{day.year}",
                    f"{day:%d.%m.%Y}", date_long(day)):
        assert parse_date(written) == day
