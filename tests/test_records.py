"""The yearly records: evaluations of agreements and the programmes' results."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from aftaler.cli import cli
from aftaler.errors import DefinitionError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def records(scratch):
    return scratch.definitions.records


@pytest.fixture
def evaluation_2016() -> str:
    return (ROOT / "agreements" / "hospital" / "2016.yaml").read_text(encoding="utf-8")


def problems(records, hospital, text: str, year: int = 2016) -> list[str]:
    path = records.evaluation_path("hospital", year)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        records.evaluation("hospital", hospital, year)
    return [str(p) for p in exc.value.problems]


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_shipped_evaluations_cover_every_effort_for_2015_to_2017(project, hospital):
    records = project.definitions.records
    for year in (2015, 2016, 2017):
        evaluation = records.evaluation("hospital", hospital, year)
        assert list(evaluation.efforts) == [e.name for e in hospital.efforts]
        assert evaluation.example is True


def test_shipped_programme_results_are_marked_as_examples(project, alliance):
    records = project.definitions.records
    for year in range(2014, 2026):
        assert records.programme_year("alliance", alliance, year).example is True


def test_shipped_results_of_2018_to_2025_assess_every_goal_of_their_period(project,
                                                                           alliance):
    records = project.definitions.records
    for year in range(2018, 2026):
        goals = alliance.period_of(year).goals
        recorded = records.programme_year("alliance", alliance, year).goals
        assert list(recorded) == list(goals), year
        assert all(r.assessment and r.narrative for r in recorded.values())


def test_businesshorsens_has_the_alliance_mark_in_2015_and_2016(project, alliance):
    records = project.definitions.records
    for year in (2015, 2016):
        awards = records.programme_year("alliance", alliance, year).marks
        assert ("BusinessHorsens", "alliance") in [(a.organisation, a.mark) for a in awards]


def test_series_holds_each_year_of_the_period_so_far(project, alliance, hospital):
    data = project.definitions.records.year(2016, "alliance", alliance,
                                            {"hospital": hospital})
    assert data.series == {"offentlig-forsoergelse": {2014: 118, 2015: 164, 2016: 157}}


def test_the_series_starts_with_the_period_of_the_year(project, alliance):
    data = project.definitions.records.year(2019, "alliance", alliance, {})
    assert data.series == {}  # 2018-2021 has no quantitative goal
    assert data.result("vaekst").assessment in ("opfyldt", "delvist opfyldt", "ikke opfyldt",
                                                "ikke igangsat")


def test_a_year_without_figures_is_none_in_the_series(records, alliance, hospital):
    records.programme_path("alliance", 2015).unlink()
    data = records.year(2016, "alliance", alliance, {"hospital": hospital})
    assert data.series["offentlig-forsoergelse"][2015] is None


def test_evaluation_naming_an_effort_the_agreement_lacks(records, hospital, evaluation_2016):
    text = evaluation_2016.replace("  JOBORDRE:", "  JOBORDRER:")
    found = problems(records, hospital, text)
    assert f"agreements/hospital/2016.yaml:{line_of(text, 'JOBORDRER:')}: " \
           "efforts.JOBORDRER: the agreement has no such effort (efforts: JOBROTATION, " \
           "FLEKSJOB, JOBORDRE, VIRKSOMHEDSCENTER, SOMMERFERIEAFLØSERE, " \
           "FRA PATIENT TIL MEDARBEJDER)" in found
    assert any(p.endswith("efforts: missing the evaluation of 'JOBORDRE'") for p in found)


def test_assessment_outside_the_fixed_scale_is_an_error(records, hospital, evaluation_2016):
    text = evaluation_2016.replace("assessment: ikke opfyldt", "assessment: næsten")
    [problem] = problems(records, hospital, text)
    assert problem.startswith(f"agreements/hospital/2016.yaml:{line_of(text, 'næsten')}: "
                              "efforts.JOBROTATION.assessment: input should be 'opfyldt', "
                              "'delvist opfyldt', 'ikke opfyldt' or 'ikke igangsat'")


def test_yes_no_result_for_an_effort_with_a_numeric_target(records, hospital,
                                                           evaluation_2016):
    text = evaluation_2016.replace("    result: 2\n", "    result: yes\n")
    assert problems(records, hospital, text) == [
        f"agreements/hospital/2016.yaml:{line_of(text, 'result: yes')}: "
        "efforts.VIRKSOMHEDSCENTER.result: the effort has a target in pladser: give a number"]


def test_a_result_that_is_neither_a_number_nor_yes_or_no(records, hospital, evaluation_2016):
    text = evaluation_2016.replace("    result: 2\n", "    result: to\n")
    assert problems(records, hospital, text) == [
        f"agreements/hospital/2016.yaml:{line_of(text, 'result: to')}: "
        "efforts.VIRKSOMHEDSCENTER.result: expected a number, or true/false for done or not"]


def test_evaluated_before_the_year_it_evaluates(records, hospital, evaluation_2016):
    text = evaluation_2016.replace("evaluated_on: 2017-01-26", "evaluated_on: 2015-12-01")
    [problem] = problems(records, hospital, text)
    assert problem.endswith("evaluated_on: must not be before the year evaluated (2016)")


def test_evaluation_of_a_year_outside_the_term(records, hospital, evaluation_2016):
    found = problems(records, hospital, evaluation_2016, year=2019)
    assert ("agreements/hospital/2019.yaml:4: the agreement is in force "
            "2014-11-01 to 2017-12-31, not in 2019") in found


def test_unknown_key_in_an_evaluation(records, hospital, evaluation_2016):
    text = evaluation_2016.replace("    next_step: Fortsætte som hidtil.\n",
                                   "    next_step: Fortsætte som hidtil.\n    nest: x\n", 1)
    [problem] = problems(records, hospital, text)
    assert "efforts.FLEKSJOB.nest: unknown key" in problem


# --- a programme's results -------------------------------------------------------------

def results_problems(records, alliance, text: str, year: int = 2016) -> list[str]:
    records.programme_path("alliance", year).write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        records.programme_year("alliance", alliance, year)
    return [str(p) for p in exc.value.problems]


def test_unknown_mark_is_an_error(records, alliance):
    text = "marks:\n  - {organisation: X, mark: gold, criteria: [1, 2]}\n"
    assert results_problems(records, alliance, text) == [
        "programmes/alliance/2016.yaml:2: marks[0].mark: unknown mark "
        "(HORSENS ALLIANCEN has: alliance, csr)"]


def test_criterion_number_out_of_range(records, alliance):
    text = "marks:\n  - {organisation: X, mark: csr, criteria: [1, 4]}\n"
    assert results_problems(records, alliance, text) == [
        "programmes/alliance/2016.yaml:2: marks[0].criteria[1]: CSR-mærket has criteria 1 to 3"]


def test_a_mark_needs_several_criteria_met(records, alliance):
    text = "marks:\n  - {organisation: X, mark: csr, criteria: [2]}\n"
    assert results_problems(records, alliance, text) == [
        "programmes/alliance/2016.yaml:2: marks[0].criteria: "
        "CSR-mærket is awarded for several criteria met: name at least two"]


def test_a_goal_the_period_of_the_year_does_not_have(records, alliance):
    text = "goals:\n  vaekst: {assessment: opfyldt, narrative: Godt.}\n"
    assert results_problems(records, alliance, text) == [
        "programmes/alliance/2016.yaml:2: goals.vaekst: no such goal in the period 2014–2017 "
        "(goals: offentlig-forsoergelse)"]


def test_a_goal_in_a_year_no_period_covers(records, alliance):
    text = "goals:\n  vaekst: {assessment: opfyldt, narrative: Godt.}\n"
    assert results_problems(records, alliance, text, year=2030) == [
        "programmes/alliance/2030.yaml:2: goals.vaekst: no such goal in 2030 (no period of "
        "HORSENS ALLIANCEN covers it) (goals: none)"]


def test_a_quantitative_goal_needs_its_figure_not_an_assessment(records, alliance):
    text = "goals:\n  offentlig-forsoergelse:\n    assessment: opfyldt\n"
    assert results_problems(records, alliance, text) == [
        "programmes/alliance/2016.yaml:2: goals.offentlig-forsoergelse: a quantitative goal: "
        "give its result in borgere",
        "programmes/alliance/2016.yaml:3: goals.offentlig-forsoergelse.assessment: "
        "a quantitative goal has a result, not assessment"]


def test_a_qualitative_goal_needs_assessment_and_narrative(records, alliance):
    text = "goals:\n  vaekst:\n    result: 12\n"
    assert results_problems(records, alliance, text, year=2019) == [
        "programmes/alliance/2019.yaml:2: goals.vaekst: a qualitative goal: give its "
        "assessment",
        "programmes/alliance/2019.yaml:2: goals.vaekst: a qualitative goal: give its narrative",
        "programmes/alliance/2019.yaml:3: goals.vaekst.result: a qualitative goal has an "
        "assessment and a narrative, not a result"]


def test_a_figure_must_be_a_number(records, alliance):
    text = "goals:\n  offentlig-forsoergelse:\n    result: mange\n"
    assert results_problems(records, alliance, text) == [
        "programmes/alliance/2016.yaml:3: goals.offentlig-forsoergelse.result: "
        "expected a number"]


def test_check_reports_bad_records_and_stray_files(scratch, evaluation_2016):
    folder = scratch.root / "agreements"
    (folder / "hospital" / "2016.yaml").write_text(
        evaluation_2016.replace("assessment: opfyldt", "assessment: ok", 1), encoding="utf-8")
    (folder / "hospital" / "notes.yaml").write_text("x: 1\n", encoding="utf-8")
    (folder / "hotel").mkdir()
    (scratch.root / "programmes" / "alliance" / "udkast.yaml").write_text("x: 1\n")
    result = CliRunner().invoke(cli, ["--project", str(scratch.root), "check"])
    assert result.exit_code == 2
    assert "agreements/hospital/2016.yaml:" in result.output
    assert "efforts.FLEKSJOB.assessment" in result.output
    assert ("agreements/hospital/notes.yaml: a yearly record is named after its year, "
            "e.g. 2016.yaml") in result.output
    assert ("programmes/alliance/udkast.yaml: a yearly record is named after its year, "
            "e.g. 2016.yaml") in result.output
    assert "agreements/hotel: a folder of yearly records needs a definition" in result.output


def test_check_reports_a_bad_programme_result(scratch):
    path = scratch.root / "programmes" / "alliance" / "2019.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "assessment: opfyldt", "assessment: fint", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(scratch.root), "check"])
    assert result.exit_code == 2
    assert "programmes/alliance/2019.yaml:" in result.output
    assert ".assessment: input should be 'opfyldt'" in result.output
