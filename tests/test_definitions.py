"""The definition format: what it accepts, and the one-line errors for what it does not."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from aftaler.errors import BadInput, DefinitionError
from aftaler.sources.agreement import Agreement, agreement_checks
from aftaler.sources.definitions import Definitions
from aftaler.sources.schema import json_schemas
from aftaler.sources.validation import load_file

ROOT = Path(__file__).resolve().parent.parent


def problems_of(tmp_path: Path, text: str, model=Agreement,
                checks=agreement_checks) -> list[str]:
    path = tmp_path / "agreements" / "x.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        load_file(path, model, "agreements/x.yaml", checks)
    return [str(p) for p in exc.value.problems]


def edited(text: str, old: str, new: str) -> str:
    assert old in text, f"fixture text lacks {old!r}"
    return text.replace(old, new, 1)


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


# --- the hospital agreement as transcribed from the signed original of 2014 ----------

def test_hospital_has_the_six_efforts_of_the_original_in_order(hospital):
    assert [e.name for e in hospital.efforts] == [
        "JOBROTATION", "FLEKSJOB", "JOBORDRE", "VIRKSOMHEDSCENTER",
        "SOMMERFERIEAFLØSERE", "FRA PATIENT TIL MEDARBEJDER"]


def test_hospital_parties_and_signatories_are_as_signed(hospital):
    assert {pid: p.name for pid, p in hospital.parties.items()} == {
        "hospital": "Hospitalsenheden Horsens", "municipality": "Horsens Kommune"}
    people = [(s.name, s.title) for p in hospital.parties.values() for s in p.signatories]
    assert people == [("Lisbeth Holsteen Jessen", "hospitalsdirektør"),
                      ("Peter Sørensen", "borgmester")]


def test_hospital_last_effort_is_one_joint_commitment(hospital):
    last = hospital.efforts[-1]
    assert last.commitments == {}
    assert last.joint.parties == ["hospital", "municipality"]
    assert last.joint.text.startswith("Hospitalsenheden Horsens og Horsens Kommune forpligter")


def test_hospital_term_runs_from_1_november_2014_to_end_of_2017(hospital):
    assert (hospital.term.start, hospital.term.end) == (dt.date(2014, 11, 1),
                                                        dt.date(2017, 12, 31))


def test_virksomhedscenter_carries_its_target_of_two_places(hospital):
    target = hospital.efforts[3].target
    assert (target.value, target.unit) == (2, "pladser")


def test_the_alliance_goal_of_2014_to_2017_is_150_a_year_600_by_its_end(alliance):
    period = alliance.period_of(2016)
    [goal] = period.goals.values()
    assert (period.start, period.end) == (2014, 2017)
    assert (goal.per_year, goal.by_end, goal.cumulative) == (150, 600, True)
    assert goal.measured_against == "landsgennemsnittet"
    assert "40-45 mio. kr." in " ".join(period.agreement_text)
    assert len(alliance.marks["alliance"].criteria) == 8
    assert len(alliance.marks["csr"].criteria) == 3


def test_the_alliance_of_2018_to_2021_has_22_members_of_15_organisations(alliance):
    period = alliance.period_of(2019)
    assert len(period.members) == 22
    organisations = {m.organisation.replace("LO Horsens Hedensted", "LO Horsens-Hedensted")
                     for m in period.members}
    assert len(organisations) == 15
    assert period.fora == ["Erhvervstaskforce", "Horsens Uddannelsesråd", "Jobtaskforce"]
    assert [g.title for g in period.goals.values()] == [
        "Forbedre erhvervslivets vækst- og udviklingsmuligheder",
        "Løfte uddannelsesniveauet i Horsens Kommune",
        "Sikre, at flere kommer i selvforsørgelse"]


def test_the_period_2022_to_2025_has_the_committees_mission_and_six_goals(alliance):
    period = alliance.period_of(2023)
    assert period.mission == "Alle fortjener et arbejde. Derfor vil vi et arbejdsmarked for alle"
    assert [g.title for g in period.goals.values()] == [
        "Vi vil finde nye veje i rekrutteringsindsatsen",
        "Vi vil gøre udenlandsk arbejdskraft til et supplerende aktiv, der hvor "
        "arbejdsmarkedet efterspørger det",
        "Vi vil samarbejde",
        "Vi vil have endnu flere virksomheder til at tage social ansvar",
        "Vi vil give borgeren troen på at kunne selv",
        "Vi gør det, der virker!"]
    assert period.source == ("Beskæftigelses- og Integrationsudvalget, Arbejdsgrundlag "
                             "2022-2025, september 2022")


def test_vaekstalliancen_aims_at_500_jobs_a_year(project):
    programme = project.definitions.programme("vaekstalliancen").model
    [goal] = programme.period_of(2023).goals.values()
    assert (goal.per_year, goal.unit, goal.by_end) == (500, "arbejdspladser", None)


# --- the schema serves other agreements too -------------------------------------------

THREE_PARTIES = """
parties:
  a: {name: A, signatories: [{name: Anna, title: direktør}]}
  b: {name: B, signatories: [{name: Bo, title: formand}]}
  c: {name: C, signatories: [{name: Cai, title: borgmester}, {name: Dan, title: direktør}]}
opening: Tekst.
efforts:
  - name: EN
    commitments: {a: kun A}
  - name: TO
    joint: {parties: [b, c], text: B og C sammen}
    target: {indicator: antal forløb, value: 12, unit: forløb}
evaluation: Evalueres årligt.
term: {start: 2020-01-01, end: 2021-12-31}
"""


def test_three_parties_partial_commitments_and_joint_subsets_are_valid(tmp_path):
    path = tmp_path / "three.yaml"
    path.write_text(THREE_PARTIES, encoding="utf-8")
    a = load_file(path, Agreement)
    assert list(a.parties) == ["a", "b", "c"]
    assert a.efforts[0].commitments == {"a": "kun A"}
    assert a.efforts[1].target.value == 12


# --- every kind of bad input: one line naming file, line and field ------------------

def test_commitment_by_an_undeclared_party_names_file_line_field(tmp_path, hospital_yaml):
    text = edited(hospital_yaml,
                  "      municipality: >-\n        Horsens Kommune forpligter sig på "
                  "at finde kvalificerede ansøgere",
                  "      kommunen: >-\n        Horsens Kommune forpligter sig på at finde "
                  "kvalificerede ansøgere")
    line = line_of(text, "      kommunen:")
    assert problems_of(tmp_path, text) == [
        f"agreements/x.yaml:{line}: efforts[2].commitments.kommunen: "
        "unknown party (declared: hospital, municipality)"]


def test_misspelt_key_is_an_error_that_suggests_the_right_one(tmp_path, hospital_yaml):
    text = edited(hospital_yaml, "content_intro:", "content_intr:")
    [problem] = problems_of(tmp_path, text)
    assert problem.startswith(f"agreements/x.yaml:{line_of(text, 'content_intr:')}: "
                              "content_intr: unknown key; did you mean 'content_intro'?")


def test_unknown_key_deep_in_a_list_lists_the_allowed_keys(tmp_path, hospital_yaml):
    text = edited(hospital_yaml, "        title: borgmester", "        title: borgmester\n"
                  "        email: ps@horsens.dk")
    assert problems_of(tmp_path, text) == [
        f"agreements/x.yaml:{line_of(text, 'email:')}: "
        "parties.municipality.signatories[0].email: unknown key (allowed: name, title)"]


def test_term_ending_before_it_starts_is_an_error(tmp_path, hospital_yaml):
    text = edited(hospital_yaml, "  end: 2017-12-31", "  end: 2014-10-31")
    assert problems_of(tmp_path, text) == [
        f"agreements/x.yaml:{line_of(text, '  end:')}: term.end: "
        "must be after term.start (2014-11-01)"]


def test_party_without_signatory_is_an_error(tmp_path, hospital_yaml):
    text = edited(hospital_yaml, "    signatories:\n      - name: Peter Sørensen\n"
                  "        title: borgmester\n", "")
    [problem] = problems_of(tmp_path, text)
    assert problem == (f"agreements/x.yaml:{line_of(text, '  municipality:')}: "
                       "parties.municipality.signatories: "
                       "every party needs at least one signatory")


def test_two_efforts_with_the_same_name_is_an_error(tmp_path, hospital_yaml):
    text = edited(hospital_yaml, "  - name: FLEKSJOB", "  - name: Jobrotation")
    assert problems_of(tmp_path, text) == [
        f"agreements/x.yaml:{line_of(text, '- name: Jobrotation')}: efforts[1].name: "
        "duplicate effort name (also efforts[0])"]


def test_joint_commitment_naming_an_undeclared_party_is_an_error(tmp_path, hospital_yaml):
    text = edited(hospital_yaml, "parties: [hospital, municipality]",
                  "parties: [hospital, region]")
    [problem] = problems_of(tmp_path, text)
    assert problem.endswith("efforts[5].joint.parties[1]: unknown party 'region' "
                            "(declared: hospital, municipality)")


def test_effort_without_any_commitment_is_an_error(tmp_path):
    text = THREE_PARTIES.replace("    commitments: {a: kun A}\n", "")
    assert problems_of(tmp_path, text) == [
        "agreements/x.yaml:8: efforts[0]: "
        "no commitment: give commitments (per party) or joint"]


def test_missing_required_field_is_named(tmp_path, hospital_yaml):
    start = hospital_yaml.index("evaluation: >-")
    end = hospital_yaml.index("term:")
    text = hospital_yaml[:start] + hospital_yaml[end:]
    [problem] = problems_of(tmp_path, text)
    # a missing key has no line of its own: the message points at the mapping it belongs in
    assert problem == (f"agreements/x.yaml:{line_of(text, 'title:')}: "
                       "evaluation: required field is missing")


def test_wrong_type_is_named_with_its_line(tmp_path, hospital_yaml):
    text = edited(hospital_yaml, "  start: 2014-11-01", "  start: snart")
    [problem] = problems_of(tmp_path, text)
    assert problem.startswith(f"agreements/x.yaml:{line_of(text, 'start: snart')}: "
                              "term.start: 'snart' is not a date: write it as 2014-11-01, "
                              "1.11.2014 or 1. november 2014")


def test_invalid_yaml_names_the_line(tmp_path):
    assert problems_of(tmp_path, "parties:\n  a: [unclosed\nopening: x\n") == [
        "agreements/x.yaml:2: invalid YAML: the [ begun here is not closed: end it with ] (and "
        "separate its items with commas)"]


def test_duplicate_key_is_an_error_not_a_silent_overwrite(tmp_path, hospital_yaml):
    text = hospital_yaml + "opening: Anden tekst.\n"
    assert problems_of(tmp_path, text) == [
        f"agreements/x.yaml:{text.count(chr(10))}: opening: duplicate key"]


def test_every_problem_in_a_file_is_reported_at_once(tmp_path, hospital_yaml):
    text = edited(hospital_yaml, "content_intro:", "content_intr:")
    text = edited(text, "        title: borgmester", "        titel: borgmester")
    assert len(problems_of(tmp_path, text)) == 2  # content_intr, titel (for title)


def test_a_misspelt_required_key_is_one_problem_not_also_a_missing_one(tmp_path,
                                                                       hospital_yaml):
    text = edited(hospital_yaml, "        title: borgmester", "        titel: borgmester")
    assert problems_of(tmp_path, text) == [
        "agreements/x.yaml:21: parties.municipality.signatories[0].titel: unknown key; did "
        "you mean 'title'? (allowed: name, title)"]


def test_an_unknown_key_like_no_missing_one_leaves_the_missing_one_reported(tmp_path,
                                                                            hospital_yaml):
    text = edited(hospital_yaml, "        title: borgmester", "        rolle: borgmester")
    assert [p.split(": ", 2)[1] for p in problems_of(tmp_path, text)] == [
        "parties.municipality.signatories[0].title",
        "parties.municipality.signatories[0].rolle"]


def test_empty_file_is_an_error(tmp_path):
    assert problems_of(tmp_path, "") == [
        "agreements/x.yaml:1: expected a mapping of keys to values"]


# --- names ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../hospital", "sub/hospital", "..", "a\\b", "/etc/passwd"])
def test_name_with_a_path_is_refused(name):
    with pytest.raises(BadInput, match="is not an agreement name"):
        Definitions(ROOT).path_of(name)


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(BadInput, match=r"no agreement named 'hotel'.*\(known: hospital, "):
        Definitions(ROOT).path_of("hotel")


def test_programmes_are_not_agreements():
    assert "alliance" not in Definitions(ROOT).names()
    assert Definitions(ROOT).programme_ids() == ["alliance", "vaekstalliancen"]
    with pytest.raises(BadInput):
        Definitions(ROOT).path_of("alliance")


# --- JSON Schema for editors -----------------------------------------------------------

def test_committed_schema_files_are_current():
    for name, schema in json_schemas().items():
        committed = json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))
        assert committed == schema, f"schema/{name} is stale: run `python build.py schema`"


def test_example_definitions_reference_their_schema():
    expected = {p: "agreement" for p in (ROOT / "agreements").glob("*.yaml")}
    expected |= {p: "programme" for p in (ROOT / "programmes").glob("*.yaml")}
    expected |= {p: "evaluation" for p in (ROOT / "agreements").glob("*/*.yaml")}
    expected |= {p: "programme-year" for p in (ROOT / "programmes").glob("*/*.yaml")}
    assert len(expected) > 20
    for path, kind in expected.items():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        prefix = "../" * (len(path.relative_to(ROOT).parts) - 1)
        assert first == f"# yaml-language-server: $schema={prefix}schema/{kind}.schema.json", \
            path


def test_schema_forbids_unknown_keys():
    schema = json_schemas()["agreement.schema.json"]
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Effort"]["additionalProperties"] is False
