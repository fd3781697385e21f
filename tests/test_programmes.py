"""Programmes, their periods and goals; agreements checked against their programme."""

from __future__ import annotations

from pathlib import Path

import pytest
from extract import docx_text, pdf_text

from aftaler.documents.agreement import programme_paragraphs
from aftaler.errors import DefinitionError
from aftaler.pipeline.steps import build_agreement
from aftaler.sources.programme import Programme, programme_checks
from aftaler.sources.validation import load_file

ROOT = Path(__file__).resolve().parent.parent

PROGRAMME = """\
name: Testalliancen
description: En alliance til prøve.
periods:
  - start: 2018
    end: 2021
    goals:
      vaekst:
        kind: qualitative
        title: Mere vækst
  - start: 2022
    end: 2025
    mission: Alle skal med
    goals:
      job:
        kind: quantitative
        title: Flere i job
        measure: Borgere i job
        unit: borgere
        per_year: 100
        by_end: 400
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "programmes" / "test.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        load_file(path, Programme, "programmes/test.yaml", programme_checks)
    return [str(p) for p in exc.value.problems]


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_a_valid_programme_loads_with_its_periods_and_goals(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    programme = load_file(path, Programme, checks=programme_checks)
    assert [p.years for p in programme.periods] == ["2018–2021", "2022–2025"]
    assert programme.period_of(2023).goals["job"].per_year == 100
    assert programme.period_of(2017) is None


def test_periods_of_a_programme_may_not_overlap(tmp_path):
    text = PROGRAMME.replace("  - start: 2022", "  - start: 2021")
    assert problems(tmp_path, text) == [
        f"programmes/test.yaml:{line_of(text, '- start: 2021')}: periods[1].start: "
        "overlaps periods[0] (2018–2021): periods follow one another"]


def test_a_period_may_not_end_before_it_starts(tmp_path):
    text = PROGRAMME.replace("    end: 2021", "    end: 2017")
    assert problems(tmp_path, text) == [
        f"programmes/test.yaml:{line_of(text, 'end: 2017')}: periods[0].end: "
        "must not be before start (2018)"]


def test_a_goal_id_names_one_goal_across_all_periods(tmp_path):
    text = PROGRAMME.replace("      job:", "      vaekst:")
    second = text.index("      vaekst:", text.index("      vaekst:") + 1)
    assert problems(tmp_path, text) == [
        f"programmes/test.yaml:{text[:second].count(chr(10)) + 1}: periods[1].goals.vaekst: "
        "the id is also a goal of periods[0]: an id names one goal"]


def test_a_goal_without_kind_says_which_kinds_there_are(tmp_path):
    text = PROGRAMME.replace("        kind: qualitative\n", "")
    assert problems(tmp_path, text) == [
        f"programmes/test.yaml:{line_of(text, 'vaekst:')}: periods[0].goals.vaekst.kind: "
        "required field is missing (quantitative, qualitative)"]


def test_an_unknown_kind_is_named(tmp_path):
    text = PROGRAMME.replace("kind: qualitative", "kind: kvalitativ")
    assert problems(tmp_path, text) == [
        f"programmes/test.yaml:{line_of(text, 'kvalitativ')}: periods[0].goals.vaekst.kind: "
        "must be one of quantitative, qualitative, not 'kvalitativ'"]


def test_a_key_of_the_other_kind_of_goal_is_unknown_and_the_allowed_keys_listed(tmp_path):
    text = PROGRAMME.replace("        title: Mere vækst\n",
                             "        title: Mere vækst\n        unit: virksomheder\n")
    assert problems(tmp_path, text) == [
        f"programmes/test.yaml:{line_of(text, 'unit: virksomheder')}: "
        "periods[0].goals.vaekst.unit: unknown key (allowed: kind, title, description, quoted)"]


def test_a_quantitative_goal_needs_a_target(tmp_path):
    text = PROGRAMME.replace("        per_year: 100\n        by_end: 400\n", "")
    assert problems(tmp_path, text) == [
        f"programmes/test.yaml:{line_of(text, '      job:')}: periods[1].goals.job: "
        "give its target: per_year, by_end or both"]


def test_a_target_by_the_end_needs_a_period_that_ends(tmp_path):
    text = PROGRAMME.replace("    end: 2025\n", "")
    assert problems(tmp_path, text) == [
        f"programmes/test.yaml:{line_of(text, 'by_end: 400')}: periods[1].goals.job.by_end: "
        "the period has no end: give it an end year"]


def test_a_target_must_be_a_number(tmp_path):
    text = PROGRAMME.replace("per_year: 100", "per_year: hundrede")
    assert problems(tmp_path, text) == [
        f"programmes/test.yaml:{line_of(text, 'hundrede')}: periods[1].goals.job.per_year: "
        "expected a number"]


def test_the_wording_for_agreements_must_state_the_goals_targets(tmp_path):
    text = PROGRAMME.replace("    mission: Alle skal med\n", "    mission: Alle skal med\n"
                             "    agreement_text:\n      - Målet er 100 flere i job om året.\n")
    assert problems(tmp_path, text) == [
        f"programmes/test.yaml:{line_of(text, 'agreement_text:')}: "
        "periods[1].agreement_text: does not state 400, the target by_end of the goal 'job': "
        "the wording and the goal must agree"]


def test_the_shipped_alliance_wording_states_its_targets(alliance):
    assert list(programme_checks(alliance)) == []


# --- agreements against their programme --------------------------------------------------

def agreement_problems(scratch, name: str, text: str) -> list[str]:
    (scratch.root / "agreements" / f"{name}.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        scratch.definitions.agreement(name)
    return [str(p) for p in exc.value.problems]


def test_an_agreement_without_programme_belongs_to_horsens_alliancen(hospital):
    assert hospital.programme == "alliance"


def test_an_unknown_programme_is_named_with_the_known_ones(scratch, hospital_yaml):
    text = "programme: growth\n" + hospital_yaml
    assert agreement_problems(scratch, "x", text) == [
        "agreements/x.yaml:1: programme: no programme named 'growth' in programmes/ "
        "(known: alliance, vaekstalliancen)"]


def test_an_effort_may_serve_only_goals_of_its_programme(scratch, hospital_yaml):
    text = hospital_yaml.replace("serves: [offentlig-forsoergelse]", "serves: [velfaerd]", 1)
    assert agreement_problems(scratch, "x", text) == [
        f"agreements/x.yaml:{line_of(text, 'velfaerd')}: efforts[0].serves[0]: no goal "
        "'velfaerd' in HORSENS ALLIANCEN (goals of the periods the term overlaps: "
        "offentlig-forsoergelse)"]


def test_an_effort_may_serve_only_goals_of_periods_its_term_overlaps(scratch, hospital_yaml):
    text = hospital_yaml.replace("serves: [offentlig-forsoergelse]", "serves: [vaekst]", 1)
    assert agreement_problems(scratch, "x", text) == [
        f"agreements/x.yaml:{line_of(text, 'serves: [vaekst]')}: efforts[0].serves[0]: "
        "'vaekst' is a goal of the period 2018–2021, which the agreement's term (2014–2017) "
        "does not overlap"]


def test_an_agreement_may_not_be_named_like_a_programme(scratch, hospital_yaml):
    assert agreement_problems(scratch, "vaekstalliancen", hospital_yaml) == [
        "agreements/vaekstalliancen.yaml: an agreement cannot be named 'vaekstalliancen': "
        "that is the programme defined in programmes/vaekstalliancen.yaml (rename the file)"]


def test_a_broken_programme_is_reported_when_its_agreement_is_built(scratch):
    path = scratch.root / "programmes" / "alliance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("per_year: 150", "per_year: -1"),
                    encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        scratch.definitions.agreement("hospital")
    [problem] = exc.value.problems
    assert str(problem).startswith("programmes/alliance.yaml:")
    assert "periods[0].goals.offentlig-forsoergelse.per_year: input should be greater" \
        in str(problem)


# --- what an agreement says of its programme's goals -----------------------------------

def test_a_2014_agreement_states_the_goal_in_the_signed_wording(alliance, hospital):
    assert programme_paragraphs(alliance, hospital)[0].startswith(
        "HORSENS ALLIANCEN skal hvert år de næste fire år løfte 150 ekstra Horsensborgere")


def test_an_agreement_of_a_later_period_lists_its_goals(alliance, hospital):
    later = hospital.model_copy(update={"term": hospital.term.model_copy(update={
        "start": hospital.term.start.replace(year=2021),
        "end": hospital.term.end.replace(year=2022)})})
    assert programme_paragraphs(alliance, later) == [
        "HORSENS ALLIANCEN arbejder i perioden 2018–2021 for at nå disse mål:",
        "1. Forbedre erhvervslivets vækst- og udviklingsmuligheder.",
        "2. Løfte uddannelsesniveauet i Horsens Kommune.",
        "3. Sikre, at flere kommer i selvforsørgelse.",
        "Missionen for perioden 2022–2025 er: ”Alle fortjener et arbejde. Derfor vil vi et "
        "arbejdsmarked for alle”.",
        "HORSENS ALLIANCEN arbejder i perioden 2022–2025 for at nå disse mål:",
        "1. Vi vil finde nye veje i rekrutteringsindsatsen.",
        "2. Vi vil gøre udenlandsk arbejdskraft til et supplerende aktiv, der hvor "
        "arbejdsmarkedet efterspørger det.",
        "3. Vi vil samarbejde.",
        "4. Vi vil have endnu flere virksomheder til at tage social ansvar.",
        "5. Vi vil give borgeren troen på at kunne selv.",
        "6. Vi gør det, der virker!"]


def test_a_quantitative_goal_is_stated_with_its_targets(project, hospital):
    growth = project.definitions.programme("vaekstalliancen").model
    later = hospital.model_copy(update={"term": hospital.term.model_copy(update={
        "start": hospital.term.start.replace(year=2023),
        "end": hospital.term.end.replace(year=2024)})})
    assert programme_paragraphs(growth, later) == [
        "Vækstalliancen arbejder i perioden fra 2022 for at nå dette mål:",
        "1. Vækst i antallet af arbejdspladser: 500 arbejdspladser om året."]


def test_an_example_agreement_says_so_in_both_formats(project):
    definitions = project.definitions
    agreement = definitions.agreement("samarbejde-2018").model
    files = build_agreement("samarbejde-2018", agreement,
                            definitions.programme("alliance").model, project.templates)
    for text in (docx_text(files.docx), pdf_text(files.pdf)):
        assert "EKSEMPEL – denne aftale er et eksempel, ikke en indgået aftale." in text
        assert "Forbedre erhvervslivets vækst- og udviklingsmuligheder." in text


def test_a_real_agreement_has_no_example_notice(built):
    assert "EKSEMPEL" not in pdf_text(built.pdf)
    assert "EKSEMPEL" not in docx_text(built.docx)


def test_a_definition_written_before_programmes_builds_the_same_text(scratch, hospital_yaml,
                                                                     built):
    """No `programme:`, no `serves:`: as every definition was before programmes."""
    old = hospital_yaml.replace("    serves: [offentlig-forsoergelse]\n", "")
    assert "serves:" not in old and "programme:" not in old
    (scratch.root / "agreements" / "hospital.yaml").write_text(old, encoding="utf-8")
    agreement = scratch.definitions.agreement("hospital").model
    files = build_agreement("hospital", agreement, scratch.definitions.programme(
        "alliance").model, scratch.templates)
    assert pdf_text(files.pdf) == pdf_text(built.pdf)
    assert docx_text(files.docx) == docx_text(built.docx)
