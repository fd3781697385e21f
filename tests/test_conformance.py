"""Every unsigned PDF we write is PDF/A-3a and PDF/UA-1, as an independent validator
(page-validation) judges it: agreements of 2, 3, 4 (names with commas) and 15 parties,
and the reports."""

from __future__ import annotations

import pytest
from conftest import build_named
from validation import failed_rules

from aftaler.pipeline.steps import build_report

PROFILES = ("3a", "ua1")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("name", ["hospital", "three", "akut", "fifteen", "samarbejde-2018"])
def test_agreements_conform(examples, name, profile):
    assert failed_rules(build_named(examples, name).pdf, profile) == []


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("year, programme", [(2016, None), (2019, None), (2023, None),
                                             (2023, "vaekstalliancen")])
def test_reports_conform(examples, year, programme, profile):
    files = build_report(examples, year, programme_id=programme)
    if programme:
        assert [s.name for s in files.document.sections] == ["fifteen"]
    assert failed_rules(files.pdf, profile) == []


@pytest.mark.parametrize("profile", PROFILES)
def test_the_report_of_one_agreement_conforms(project, profile):
    assert failed_rules(build_report(project, 2016, only="hospital").pdf, profile) == []


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("year, only", [(2014, None), (2023, "akut")])
def test_reports_with_an_evaluation_missing_or_of_four_parties_conform(examples, year, only,
                                                                       profile):
    """2014: its one agreement's evaluation missing (the bar all grey); akut 2023: one
    agreement of four parties with commas in their names, alone."""
    assert failed_rules(build_report(examples, year, only=only).pdf, profile) == []
