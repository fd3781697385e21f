"""What the documents say, as a communications officer would send them (issue 17).

Checked on the generated Word files (their text, and LibreOffice's layout where a page
matters), with the shipped definitions and the tests' own: four parties with commas in
their names (tests/fixtures/akut-parties.yaml), whose report of 2023 has goals that no
effort serves. Every text checked here is the model's, so the PDF says it too once its
Typst templates print the model (tests/test_same_content.py).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import printed
import pytest
from conftest import build_named, convert_with_libreoffice
from docx import Document
from extract import docx_body, docx_text, normalise, pdf_lines

from aftaler.documents.text import join_names, names_its_party
from aftaler.pipeline.steps import build_report

ROOT = Path(__file__).resolve().parent.parent
REPORTS = [(2014, None, None), (2016, None, None), (2016, None, "hospital"),
           (2019, None, None), (2023, None, None), (2023, "vaekstalliancen", None)]
AKUT = ["Region Midtjylland, Hospitalsenheden Horsens, Akutafdelingen",
        "Horsens Kommune, Jobcenter Horsens", "BusinessHorsens", "LO Horsens-Hedensted"]


@pytest.fixture(scope="module")
def akut(examples):
    return build_named(examples, "akut")


@pytest.fixture(scope="module")
def reports(examples):
    return {(year, programme, only): build_report(examples, year, programme_id=programme,
                                                  only=only)
            for year, programme, only in REPORTS}


# --- 1: no internal words; sources named by their titles ------------------------------

def test_no_document_says_seed(reports, akut, built):
    words = [docx_text(files.docx) for files in (*reports.values(), akut, built)]
    assert [text for text in words if re.search(r"\bseeds?\b", text, re.IGNORECASE)] == []


def test_no_definition_comment_readme_or_schema_says_seed():
    files = [ROOT / "README.md", *sorted((ROOT / "programmes").rglob("*.yaml")),
             *sorted((ROOT / "agreements").rglob("*.yaml")),
             *sorted((ROOT / "schema").glob("*.json"))]
    assert [f.relative_to(ROOT).as_posix() for f in files
            if re.search(r"\bseeds?\b|shared/", f.read_text(encoding="utf-8"),
                         re.IGNORECASE)] == []


def test_a_periods_sources_are_named_by_their_titles(reports):
    period = reports[(2016, None, None)].document.period
    assert period.source_text == (
        "Kilde: HORSENS ALLIANCE AFTALE med Hospitalsenheden Horsens, 2014; HORSENS "
        "ALLIANCEN – BusinessHorsens er en del af Horsens Alliancen")
    assert period.source_text in docx_body(reports[(2016, None, None)].docx)


# --- 3: commitments never cut, each with its party ---------------------------------------

@pytest.mark.parametrize("key", REPORTS)
def test_no_report_cuts_a_commitment_or_joins_two_without_their_parties(reports, key):
    text = docx_text(reports[key].docx).replace("[…]", "")  # a quotation's omission
    assert "…" not in text and " / " not in text


def test_a_commitment_that_does_not_name_its_party_is_printed_after_its_party(reports):
    [akut] = [s for s in reports[(2023, None, None)].document.sections if s.name == "akut"]
    rekruttering = akut.efforts[0].commitments
    assert [c.party for c in rekruttering] == [AKUT[0], "", ""]  # 'Akutafdelingen forpligter'
    assert rekruttering[0].printed.startswith(f"{AKUT[0]}: Akutafdelingen forpligter sig")
    assert rekruttering[0].printed in docx_body(reports[(2023, None, None)].docx)


def test_a_commitment_names_its_party_by_its_name_or_its_first_word_alone():
    others = ["Horsens Kommune"]
    assert names_its_party("Hospitalsenheden Horsens forpligter sig", "Hospitalsenheden "
                           "Horsens", others)
    assert names_its_party("Hospitalsenheden forpligter sig", "Hospitalsenheden Horsens",
                           others)
    # 'Horsens' is the first word of two parties' names: it does not say which
    assert not names_its_party("Horsens forpligter sig", "Horsens Statsskole", others)
    assert not names_its_party("Parterne forpligter sig", "Horsens Statsskole", others)


# --- 4: an effort's target under the effort, in the agreement ------------------------------

def test_an_efforts_target_is_printed_under_its_commitments_with_parties_as_rows(akut):
    [group] = [g for g in akut.document.groups if g.effort == "REKRUTTERING"]
    assert group.target == ("Mål: 6 ansættelser (indikator: ledige ansat som "
                            "servicemedarbejdere)")
    body = docx_body(akut.docx)
    at = body.index("INDSATS: REKRUTTERING")
    assert body.index(group.target) > body.index(group.lines[-1].text) > at


# --- 5: each thing said once ----------------------------------------------------------------

@pytest.mark.parametrize("key", REPORTS)
def test_no_sentence_is_printed_twice_in_a_report(reports, key):
    """Names (a goal's, an agreement's) may recur where they point to it; a sentence
    says its thing once."""
    texts = Counter(normalise(t) for t in printed.report(reports[key].document))
    assert [t for t, n in texts.items() if n > 1 and t.endswith(".") and len(t) >= 30] == []


def test_goals_no_effort_serves_are_named_once(reports):
    doc = reports[(2023, None, None)].document
    assert doc.period.unserved == ("Ingen indsatser i aftaler i kraft i 2023 tjener mål 2, "
                                   "4, 5 og 6.")
    text = docx_text(reports[(2023, None, None)].docx)
    assert text.count("Ingen indsatser") == 1
    assert text.count("Indsatser, der tjener målet:") == 2  # goals 1 and 3, akut's efforts


def test_one_agreements_report_states_its_counts_once(reports):
    doc = reports[(2016, None, "hospital")].document
    assert doc.overview_heading == "" and doc.dashboard is None
    words = docx_body(reports[(2016, None, "hospital")].docx)
    legend = normalise(" ".join(doc.bar.legend))
    assert words.count(legend) == 1 and not any("Antal" in w or "Af 6" in w for w in words)
    word = Document(io.BytesIO(reports[(2016, None, "hospital")].docx))
    assert len(word.inline_shapes) == 0  # no chart saying it again


def test_a_programme_without_agreements_in_force_says_so_once(project):
    files = build_report(project, 2023, programme_id="vaekstalliancen")
    text = docx_text(files.docx)
    assert text.count("i kraft i 2023") == 1  # the subtitle
    assert "Status for indsatserne" not in text


# --- 8: parties with commas, more than two parties --------------------------------------------

def test_four_parties_with_commas_are_numbered_one_a_line_on_page_one(akut, soffice,
                                                                      tmp_path):
    doc = akut.document
    assert doc.subtitle == "Aftale mellem 4 parter"
    assert [p.numbered for p in doc.parties] == [f"{n}. {name}"
                                                 for n, name in enumerate(AKUT, start=1)]
    [laid_out] = convert_with_libreoffice(soffice, {"akut.docx": akut.docx},
                                          tmp_path).values()
    first_page = " | ".join(text for text, _ in pdf_lines(laid_out)[0])
    assert [name in first_page for name in AKUT] == [True] * 4  # each whole, on a line
    listed = [first_page.index(f"{n}. | {name}") for n, name in enumerate(AKUT, start=1)]
    assert listed == sorted(listed)


def test_names_with_commas_are_kept_apart_by_semicolons_in_a_list():
    assert join_names(AKUT[:3]) == (
        "Region Midtjylland, Hospitalsenheden Horsens, Akutafdelingen; Horsens Kommune, "
        "Jobcenter Horsens og BusinessHorsens")
    assert join_names(["Horsens Kommune", "BusinessHorsens", "DI Horsens"]) == \
        "Horsens Kommune, BusinessHorsens og DI Horsens"


def test_two_parties_without_commas_are_named_in_the_subtitle_and_not_listed(built):
    assert built.document.subtitle == "Hospitalsenheden Horsens og Horsens Kommune"
    assert built.document.parties == ()


def test_a_joint_commitment_of_parties_with_commas_names_each_on_a_line(akut):
    [group] = [g for g in akut.document.groups if g.effort == "SAMARBEJDE OM OPKVALIFICERING"]
    [line] = group.lines
    assert line.who == (AKUT[0], AKUT[3])
    body = docx_body(akut.docx)
    assert body[body.index(AKUT[0], body.index(group.heading)) + 1] == AKUT[3]


def test_a_signature_puts_an_organisation_with_a_comma_on_a_line_of_its_own(akut, built):
    by_name = {s.name: s for s in akut.document.signatures}
    assert by_name["Peter Sørensen"].title_lines == ("borgmester", AKUT[1])
    assert by_name["Finn Damkjær Pedersen"].title_lines == ("formand, BusinessHorsens",)
    assert [s.title_lines for s in built.document.signatures] == [
        ("hospitalsdirektør, Hospitalsenheden Horsens",), ("borgmester, Horsens Kommune",)]


def test_a_signature_too_long_for_one_line_has_title_and_organisation_apart(examples):
    fifteen = build_named(examples, "fifteen").document
    [frank] = [s for s in fifteen.signatures if s.name == "Frank Berg"]
    assert frank.title_lines == ("uddannelsesdekan for ingeniøruddannelserne",
                                 "VIA University College")


# --- 10: wording ------------------------------------------------------------------------------

def test_horsensborgere_is_spelt_as_the_agreement_spells_it(reports, built):
    for text in (docx_text(reports[(2016, None, None)].docx), docx_text(built.docx)):
        assert "Horsensborgere" in text and "Horsens-borgere" not in text


@pytest.mark.parametrize("key", REPORTS)
def test_the_assessment_is_called_vurdering_as_in_the_form(reports, key):
    # (an evaluator may write of progression in a comment: that is theirs)
    assert "Progression" not in docx_text(reports[key].docx)


def test_status_words_are_capitalised_where_they_stand_as_headings(reports):
    doc = reports[(2019, None, None)].document
    assert doc.overview_columns == ("Aftale", "Opfyldt", "Delvist opfyldt", "Ikke opfyldt",
                                    "Ikke igangsat", "Mangler evaluering")
    assert {e.status.label for s in doc.sections for e in s.efforts} <= {
        "Opfyldt", "Delvist opfyldt", "Ikke opfyldt", "Ikke igangsat"}


def test_a_sources_own_words_are_printed_as_a_quotation(project):
    files = build_report(project, 2023, programme_id="vaekstalliancen")
    [goal] = files.document.goals
    assert goal.description_text.startswith("”Vækstalliancen skal derfor have fokus på")
    assert goal.description_text.endswith("en vækst 500 arbejdspladser.”")
    assert goal.description_text in docx_body(files.docx)
