"""The yearly records: evaluations of agreements and the alliance's own figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from aftaler.cli import cli
from aftaler.errors import DefinitionError
from aftaler.sources.evaluations import Records

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def records(scratch):
    return Records(scratch.definitions)


@pytest.fixture
def evaluation_2016() -> str:
    return (ROOT / "agreements" / "hospital" / "2016.yaml").read_text(encoding="utf-8")


def problems(records, hospital, text: str, year: int = 2016) -> list[str]:
    path = records.path("hospital", year)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        records.evaluation("hospital", hospital, year)
    return [str(p) for p in exc.value.problems]


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_shipped_evaluations_cover_every_effort_for_2015_to_2017(project, hospital):
    records = Records(project.definitions)
    for year in (2015, 2016, 2017):
        evaluation = records.evaluation("hospital", hospital, year)
        assert list(evaluation.efforts) == [e.name for e in hospital.efforts]
        assert evaluation.example is True


def test_shipped_alliance_figures_are_marked_as_examples(project, alliance):
    records = Records(project.definitions)
    for year in (2014, 2015, 2016, 2017):
        assert records.alliance_year(alliance, year).example is True


def test_businesshorsens_has_the_alliance_mark_in_2015_and_2016(project, alliance):
    records = Records(project.definitions)
    for year in (2015, 2016):
        awards = records.alliance_year(alliance, year).marks
        assert ("BusinessHorsens", "alliance") in [(a.organisation, a.mark) for a in awards]


def test_cumulative_is_the_sum_of_the_years_since_the_goal_began(project, alliance, hospital):
    data = Records(project.definitions).year(2016, alliance, {"hospital": hospital})
    assert data.series == {2014: 118, 2015: 164, 2016: 157}
    assert data.cumulative == 118 + 164 + 157


def test_a_year_without_figures_leaves_the_cumulative_unknown(records, alliance, hospital):
    records.path("alliance", 2015).unlink()
    data = records.year(2016, alliance, {"hospital": hospital})
    assert data.series[2015] is None
    assert data.cumulative is None


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


def alliance_problems(records, alliance, text: str) -> list[str]:
    records.path("alliance", 2016).write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        records.alliance_year(alliance, 2016)
    return [str(p) for p in exc.value.problems]


def test_unknown_mark_is_an_error(records, alliance):
    text = "citizens_off_support: 10\nmarks:\n  - {organisation: X, mark: gold, criteria: [1, 2]}\n"
    assert alliance_problems(records, alliance, text) == [
        "agreements/alliance/2016.yaml:3: marks[0].mark: unknown mark "
        "(alliance.yaml has: alliance, csr)"]


def test_criterion_number_out_of_range(records, alliance):
    text = "citizens_off_support: 10\nmarks:\n  - {organisation: X, mark: csr, criteria: [1, 4]}\n"
    assert alliance_problems(records, alliance, text) == [
        "agreements/alliance/2016.yaml:3: marks[0].criteria[1]: CSR-mærket has criteria 1 to 3"]


def test_a_mark_needs_several_criteria_met(records, alliance):
    text = "citizens_off_support: 10\nmarks:\n  - {organisation: X, mark: csr, criteria: [2]}\n"
    assert alliance_problems(records, alliance, text) == [
        "agreements/alliance/2016.yaml:3: marks[0].criteria: "
        "CSR-mærket is awarded for several criteria met: name at least two"]


def test_negative_citizens_is_an_error(records, alliance):
    [problem] = alliance_problems(records, alliance, "citizens_off_support: -5\n")
    assert problem.startswith("agreements/alliance/2016.yaml:1: citizens_off_support: "
                              "input should be greater than or equal to 0")


def test_check_reports_bad_records_and_stray_files(scratch, evaluation_2016):
    folder = scratch.root / "agreements"
    (folder / "hospital" / "2016.yaml").write_text(
        evaluation_2016.replace("assessment: opfyldt", "assessment: ok", 1), encoding="utf-8")
    (folder / "hospital" / "notes.yaml").write_text("x: 1\n", encoding="utf-8")
    (folder / "hotel").mkdir()
    result = CliRunner().invoke(cli, ["--project", str(scratch.root), "check"])
    assert result.exit_code == 2
    assert "agreements/hospital/2016.yaml:" in result.output
    assert "efforts.FLEKSJOB.assessment" in result.output
    assert ("agreements/hospital/notes.yaml: a yearly record is named after its year, "
            "e.g. 2016.yaml") in result.output
    assert "agreements/hotel: a folder of yearly records needs a definition" in result.output
