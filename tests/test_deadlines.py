"""The dates that matter: an agreement's notice period and a programme's evaluations due."""

from __future__ import annotations

import datetime as dt

import pytest
from test_definitions import edited, problems_of

from aftaler.pipeline.steps import definition_json
from aftaler.sources.deadlines import parse_day, parse_notice
from aftaler.sources.programme import Programme, programme_checks

END = dt.date(2017, 12, 31)


@pytest.mark.parametrize(("text", "deadline"), [
    ("3 måneder", dt.date(2017, 9, 30)),
    ("1 måned", dt.date(2017, 11, 30)),
    ("6 uger", dt.date(2017, 11, 19)),
    ("30 dage", dt.date(2017, 12, 1)),
    ("1 år", dt.date(2016, 12, 31)),
    ("  2 År ", dt.date(2015, 12, 31)),
])
def test_a_notice_period_leaves_the_whole_period_before_the_end(text, deadline):
    assert parse_notice(text).deadline(END) == deadline


def test_a_month_before_the_end_of_a_short_month_is_its_last_day():
    assert parse_notice("3 måneder").deadline(dt.date(2017, 6, 30)) == dt.date(2017, 3, 31)


def test_a_notice_period_is_written_back_as_danish_says_it():
    assert str(parse_notice("1 MÅNED")) == "1 måned"
    assert str(parse_notice("3 måned")) == "3 måneder"


@pytest.mark.parametrize("text", ["tre måneder", "3", "0 dage", "3 months", "3måneder"])
def test_a_notice_period_in_other_words_is_refused(text):
    with pytest.raises(ValueError, match="e.g. '3 måneder'"):
        parse_notice(text)


def test_a_day_of_the_year_is_read_with_danish_month_names():
    assert parse_day("31. januar").in_year(2018) == dt.date(2018, 1, 31)
    assert parse_day("1.Marts").in_year(2018) == dt.date(2018, 3, 1)
    assert str(parse_day("1.Marts")) == "1. marts"


@pytest.mark.parametrize(("text", "message"), [
    ("29. februar", "februar has no day 29 every year"),
    ("31. april", "april has no day 31"),
    ("januar 31", "e.g. '31. januar'"),
])
def test_a_day_that_is_not_there_every_year_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_day(text)


def test_an_agreement_with_notice_has_its_decision_date(hospital):
    with_notice = hospital.model_copy(update={"notice": parse_notice("3 måneder")})
    assert with_notice.notice_date == dt.date(2017, 9, 30)
    assert hospital.notice_date is None


def test_without_notice_the_definition_json_is_as_before(hospital):
    assert b'"notice"' not in definition_json(hospital)
    with_notice = hospital.model_copy(update={"notice": parse_notice("3 måneder")})
    assert b'"notice": "3 m\xc3\xa5neder"' in definition_json(with_notice)


def test_a_bad_notice_is_one_located_line(tmp_path, hospital_yaml):
    text = hospital_yaml + "notice: tre måneder\n"
    line = text.count("\n")
    assert problems_of(tmp_path, text) == [
        f"agreements/x.yaml:{line}: notice: give how long before the end, e.g. '3 måneder', "
        "'6 uger', '30 dage' or '1 år'"]


def test_a_notice_longer_than_the_term_is_refused(tmp_path, hospital_yaml):
    text = hospital_yaml + "notice: 4 år\n"
    line = text.count("\n")
    assert problems_of(tmp_path, text) == [
        f"agreements/x.yaml:{line}: notice: 4 år before the end is 2013-12-31, before the "
        "term starts (2014-11-01)"]


def test_evaluations_are_due_on_31_january_unless_the_programme_says(alliance):
    assert alliance.evaluations_due_on(2017) == dt.date(2018, 1, 31)
    assert alliance.report_due_on(2017) == dt.date(2018, 2, 28)
    later = alliance.model_copy(update={"evaluations_due": parse_day("15. marts")})
    assert later.evaluations_due_on(2017) == dt.date(2018, 3, 15)
    assert later.report_due_on(2017) == dt.date(2018, 4, 15)


def test_a_bad_evaluations_due_is_one_located_line(tmp_path):
    from test_definitions import ROOT

    text = (ROOT / "programmes" / "alliance.yaml").read_text(encoding="utf-8")
    text = edited(text, "agreement_title:", "evaluations_due: 30. februar\nagreement_title:")
    problems = problems_of(tmp_path, text, Programme, programme_checks)
    line = text[: text.index("evaluations_due")].count("\n") + 1
    assert problems == [f"agreements/x.yaml:{line}: evaluations_due: februar has no day 30 "
                        "every year"]
