"""Every unsigned PDF we write is PDF/A-3a and PDF/UA-1, as an independent validator
(page-validation) judges it: agreements of 2, 3 and 15 parties, and the reports."""

from __future__ import annotations

import pytest
from validation import failed_rules

from aftaler.pipeline.steps import build_agreement, build_report

PROFILES = ("3a", "ua1")


def agreement_pdf(project, name: str) -> bytes:
    definitions = project.definitions
    agreement = definitions.agreement(name).model
    return build_agreement(name, agreement, definitions.programme(agreement.programme).model,
                           project.templates).pdf


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("name", ["hospital", "three", "fifteen", "samarbejde-2018"])
def test_agreements_conform(examples, name, profile):
    assert failed_rules(agreement_pdf(examples, name), profile) == []


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
