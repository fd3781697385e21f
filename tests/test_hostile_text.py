"""Definition text is data, never template code: it renders literally in both formats."""

from __future__ import annotations

import pytest
from extract import docx_text, docx_xml, pdf_text

from aftaler.pipeline.steps import build_agreement

HOSTILE = [
    "{{ 7*7 }}",
    "{% if true %}ja{% endif %}",
    "<w:t>",
    "</w:p>",
    "<b>fed</b>",
    "A & B",
    '"citat"',
    "'enkelt'",
    "{#kommentar#}",
]


@pytest.fixture(scope="module")
def hostile_build(project, hospital, alliance):
    joined = " | ".join(HOSTILE)
    party = hospital.parties["hospital"]
    signatory = party.signatories[0].model_copy(update={"name": "Lis <Jessen> & {{ x }}"})
    changed = hospital.model_copy(update={
        "opening": f"Indledning: {joined}",
        "efforts": [hospital.efforts[0].model_copy(update={
            "name": "JOB & <ROTATION> {{ 7*7 }}",
            "commitments": {"hospital": f"Tilsagn: {joined}", "municipality": "'\"&<>"},
        }), *hospital.efforts[1:]],
        "parties": {"hospital": party.model_copy(update={"signatories": [signatory]}),
                    "municipality": hospital.parties["municipality"]},
    })
    return build_agreement("hostile", changed, alliance, project.templates)


@pytest.mark.parametrize("fragment", HOSTILE)
def test_hostile_fragment_appears_literally_in_word(hostile_build, fragment):
    text = docx_text(hostile_build.docx)
    assert f"Indledning: {' | '.join(HOSTILE)}" in text
    assert text.count(fragment) >= 2  # opening and commitment
    assert "49" not in text.replace("2014", "").replace("2017", "")


@pytest.mark.parametrize("fragment", HOSTILE)
def test_hostile_fragment_appears_literally_in_pdf(hostile_build, fragment):
    text = pdf_text(hostile_build.pdf)
    assert f"Indledning: {' | '.join(HOSTILE)}" in text
    assert text.count(fragment) >= 2


def test_hostile_effort_and_signatory_names_render_literally(hostile_build):
    for text in (docx_text(hostile_build.docx), pdf_text(hostile_build.pdf)):
        assert "JOB & <ROTATION> {{ 7*7 }}" in text
        assert "Lis <Jessen> & {{ x }}" in text
        assert "'\"&<>" in text


def test_word_xml_escapes_markup_from_definitions(hostile_build):
    xml = docx_xml(hostile_build.docx)
    assert "&lt;w:t&gt;" in xml and "&lt;b&gt;fed&lt;/b&gt;" in xml
    assert "<b>" not in xml


def test_signature_field_name_of_a_hostile_name_is_plain_ascii(hostile_build):
    from extract import signature_fields

    names = [f["name"] for f in signature_fields(hostile_build.pdf)]
    assert names[0] == "Underskrift_Lis_Jessen_x"


def test_a_word_longer_than_any_line_is_broken_not_run_off_the_page(project, hospital,
                                                                     alliance):
    """Only such a word: every word that fits a line is never broken (see test_parties)."""
    from extract import pdf_lines

    word = "Forpligtelse" * 800  # 9,600 characters without a space
    effort = hospital.efforts[0].model_copy(update={"commitments": {"hospital": word}})
    long = hospital.model_copy(update={"opening": word,
                                       "efforts": [effort, *hospital.efforts[1:]]})
    files = build_agreement("long", long, alliance, project.templates)
    width = 595.3  # A4 in points
    assert all(x1 <= width for page in pdf_lines(files.pdf) for _, (_, _, x1, _) in page)
