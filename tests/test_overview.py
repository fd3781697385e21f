"""The state of each agreement, computed from the files: `status`, its JSON, and how the
state follows what is done (a field signed, a copy archived, a form exported or
imported, a definition changed). The page and the calendar: test_overview_page.py."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from forms import HEADING_2017, fill
from overview_project import LISBETH, PASSPHRASE, TODAY, copy, keys, set_validation

from aftaler.cli import cli
from aftaler.overview import files, state
from aftaler.overview.model import json_schema
from aftaler.sources.deadlines import parse_notice

ROOT = Path(__file__).resolve().parent.parent


def run(root: Path, *args: str, today: dt.date = TODAY):
    env = {"AFTALER_TODAY": today.isoformat(), "AFTALER_P12_PASSPHRASE": PASSPHRASE.decode()}
    return CliRunner().invoke(cli, ["--project", str(root), *map(str, args)], env=env)


def status_of(root: Path, *args: str, today: dt.date = TODAY) -> dict:
    result = run(root, "status", "--json", *args, today=today)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def agreement(found: dict, name: str) -> dict:
    return next(a for a in found["agreements"] if a["name"] == name)


def kinds(found: dict, name: str) -> list[str]:
    return [i["kind"] for i in found["attention"] if i["agreement"] == name]


@pytest.fixture(scope="module")
def found(every_state) -> dict:
    """`status --json` of the project with agreements in every state."""
    return status_of(every_state.root)


@pytest.fixture
def changed(every_state, tmp_path) -> Path:
    """A copy of that project, to change."""
    return copy(every_state.root, tmp_path / "projekt")


# --- the term ---------------------------------------------------------------------------

def test_terms_in_every_state(found):
    terms = {a["name"]: a["term"] for a in found["agreements"]}
    assert {name: t["state"] for name, t in terms.items()} == {
        "kommende": "not_begun", "igang": "in_force", "udloeber": "ending",
        "varsel": "in_force", "slut": "ended"}
    assert terms["kommende"]["days_to_start"] == 45
    assert terms["udloeber"]["days_left"] == 75
    assert terms["udloeber"]["notice_date"] == "2025-12-31"
    assert terms["slut"]["days_left"] is None


def test_an_agreement_is_ending_from_the_day_after_its_notice_date(hospital):
    with_notice = hospital.model_copy(update={"notice": parse_notice("3 måneder")})
    assert state.term_status(with_notice, dt.date(2017, 9, 30)).state == "in_force"
    assert state.term_status(with_notice, dt.date(2017, 10, 1)).state == "ending"
    assert state.term_status(with_notice, dt.date(2017, 12, 31)).days_left == 0
    assert state.term_status(with_notice, dt.date(2018, 1, 1)).state == "ended"


def test_without_notice_an_agreement_is_ending_in_its_last_90_days(hospital):
    assert state.term_status(hospital, dt.date(2017, 10, 2)).state == "in_force"
    assert state.term_status(hospital, dt.date(2017, 10, 3)).state == "ending"
    assert state.term_status(hospital, dt.date(2014, 10, 31)).state == "not_begun"


# --- signatures and the archive ---------------------------------------------------------

def test_signed_by_none_some_and_all(found):
    signed = {a["name"]: a["signatures"] for a in found["agreements"]}
    assert (signed["kommende"]["signed"], signed["kommende"]["fields"]) == (0, 2)
    assert signed["udloeber"]["by"] == ["Peter Sørensen (Horsens Kommune)"]
    assert signed["udloeber"]["missing"] == ["Lisbeth Holsteen Jessen (Hospitalsenheden Horsens)"]
    assert signed["igang"] == {
        "fields": 2, "signed": 2, "missing": [], "intact": True,
        "by": ["Lisbeth Holsteen Jessen (Hospitalsenheden Horsens)",
               "Peter Sørensen (Horsens Kommune)"],
        "document": "output/aftaler/aftale-igang-underskrevet-2.pdf"}


def test_each_pdf_lists_its_fields_whom_they_are_for_and_who_signed(found):
    pdfs = agreement(found, "igang")["pdfs"]
    assert [p["path"] for p in pdfs] == ["output/aftaler/aftale-igang.pdf",
                                         "output/aftaler/aftale-igang-underskrevet-1.pdf",
                                         "output/aftaler/aftale-igang-underskrevet-2.pdf"]
    assert [sum(f["signed"] for f in p["fields"]) for p in pdfs] == [0, 1, 2]
    peter = next(f for f in pdfs[1]["fields"] if f["signed"])
    assert peter["signatory"] == "Peter Sørensen (Horsens Kommune)"
    assert peter["signer"] == "Peter Sørensen (Horsens Kommune)"
    assert peter["intact"] is True


def test_archived_with_its_version_time_and_validation(found):
    igang = agreement(found, "igang")["archived"]
    assert igang["path"] == "2024/igang/aftale-igang-underskrevet-2.pdf"
    assert (igang["version"], igang["signed"], igang["fields"]) == (1, 2, 2)
    assert igang["validation"] == {"validator": "page-validation 0.11.0",
                                   "profiles": {"3a": [], "ua1": ["7.18.1-1"]},
                                   "passed": False}
    assert igang["current"] is True
    assert dt.datetime.fromisoformat(igang["at"]).tzinfo is not None


def test_a_copy_archived_before_validation_is_not_validated(found):
    slut = agreement(found, "slut")["archived"]
    assert slut["validation"] is None
    assert slut["signed"] == 0


def test_an_agreement_never_archived_has_no_archived_copy(found):
    assert agreement(found, "kommende")["archived"] is None


# --- evaluations and programme years ----------------------------------------------------

def test_evaluations_recorded_exported_missing_overdue_and_pending(found):
    assert agreement(found, "udloeber")["evaluations"] == {
        "2023": "recorded", "2024": "overdue", "2025": "missing", "2026": "pending"}
    assert agreement(found, "igang")["evaluations"] == {
        "2024": "recorded", "2025": "exported", "2026": "pending", "2027": "pending"}
    exported = agreement(found, "igang")["evaluation_years"][1]
    assert exported == {"year": 2025, "state": "exported", "due": "2026-01-31",
                        "record": None, "form": "output/skemaer/evaluering-2025-igang.xlsx"}


@pytest.mark.parametrize(("exists", "form", "today", "expected"), [
    (True, None, dt.date(2030, 1, 1), "recorded"),
    (False, None, dt.date(2018, 1, 31), "missing"),  # the due date itself: not late yet
    (False, None, dt.date(2018, 2, 1), "overdue"),
    (False, "form.xlsx", dt.date(2018, 2, 1), "overdue"),
    (False, "form.xlsx", dt.date(2017, 12, 1), "exported"),
    (False, None, dt.date(2017, 12, 31), "pending"),
])
def test_a_years_evaluation_state(exists, form, today, expected):
    from aftaler.overview.facts import RecordFacts

    record = RecordFacts(Path("2017.yaml"), exists=exists)
    assert state.year_state(record, Path(form) if form else None, 2017,
                            dt.date(2018, 1, 31), today) == expected


def test_a_programme_year_has_its_results_and_its_report(found):
    [programme] = found["programmes"]
    years = {y["year"]: y for y in programme["years"]}
    assert programme["evaluations_due"] == "31. januar"
    assert [y["results"] for y in years.values()][:4] == [
        "recorded", "recorded", "recorded", "missing"]
    assert years[2022]["report"]["path"] == "output/rapporter/evaluering-2022.pdf"
    assert {y: years[y]["report"]["state"] for y in (2022, 2023, 2024, 2025, 2026)} == {
        2022: "built", 2023: "built", 2024: "overdue", 2025: "missing", 2026: "pending"}
    assert years[2024]["agreements"] == ["igang", "slut", "udloeber", "varsel"]
    assert years[2024]["evaluations_recorded"] == 3


# --- what needs attention ---------------------------------------------------------------

def test_attention_is_ranked_errors_then_overdue_then_soon_then_to_do(found):
    order = ["error", "overdue", "soon", "todo"]
    ranks = [order.index(i["severity"]) for i in found["attention"]]
    assert ranks == sorted(ranks)
    overdue = [(i["kind"], i["agreement"] or i["programme"], i["date"])
               for i in found["attention"] if i["severity"] == "overdue"]
    assert overdue == [("unsigned_in_force", "varsel", "2022-05-01"),
                       ("unsigned_in_force", "udloeber", "2023-01-01"),
                       ("evaluation_overdue", "udloeber", "2025-01-31"),
                       ("report_overdue", "alliance", "2025-02-28")]


def every_state_root(found: dict) -> str:
    """The project folder, as the commands of `found` name it (--project, as given)."""
    command = next(i["command"] for i in found["attention"] if i["kind"] == "report_overdue")
    return command.split("--project ", 1)[1].split(" ", 1)[0]


def test_each_thing_to_do_says_how(found):
    commands = {(i["kind"], i["agreement"] or i["programme"]): i["command"]
                for i in found["attention"]}
    assert commands[("evaluation_overdue", "udloeber")].endswith(
        "form export udloeber 2024")
    assert commands[("evaluation_due", "igang")].endswith(
        "form import --year 2025 evaluering-2025-igang.xlsx")
    assert commands[("results_due", "alliance")].endswith("form export --programme alliance 2025")
    assert commands[("report_overdue", "alliance")].endswith("report 2024")
    assert commands[("unsigned_in_force", "udloeber")].endswith(
        f"aftale-udloeber-underskrevet-1.pdf --field {LISBETH} --p12 CERT.p12")
    program = commands[("report_overdue", "alliance")].removesuffix(" report 2024")
    assert program.endswith(f"--project {every_state_root(found)}")
    assert all(c is None or c.startswith(program + " ") for c in commands.values())


def test_a_notice_date_near_is_due_soon_and_one_passed_makes_it_ending(found):
    notice = next(i for i in found["attention"] if i["kind"] == "notice_soon")
    assert (notice["agreement"], notice["date"], notice["days"]) == ("varsel", "2026-01-31", 16)
    ending = next(i for i in found["attention"] if i["kind"] == "ending")
    assert (ending["agreement"], ending["date"], ending["days"]) == ("udloeber", "2026-03-31", 75)
    assert "2025-12-31" in ending["message"]


def test_an_ended_agreement_asks_only_for_its_evaluations(found):
    assert kinds(found, "slut") == []


def test_agreements_needing_attention_most_come_first(found):
    assert [a["name"] for a in found["agreements"]][:2] == ["varsel", "udloeber"]
    assert [a["name"] for a in found["agreements"]][-1] == "slut"


def test_an_agreement_signed_through_nemlogin_is_sent_there_not_signed_here(changed):
    definition = changed / "agreements/kommende.yaml"
    definition.write_text("signing: nemlogin\n" + definition.read_text(encoding="utf-8"),
                          encoding="utf-8")
    assert run(changed, "agreement", "kommende").exit_code == 0
    [item] = [i for i in status_of(changed)["attention"]
              if i["kind"] == "unsigned" and i["agreement"] == "kommende"]
    assert item["command"] is None
    assert item["path"] == "output/aftaler/aftale-kommende-nemlogin.pdf"
    assert "through NemLog-in" in item["message"]
    run(changed, "overview")
    page = (changed / "output/oversigt.html").read_text(encoding="utf-8")
    assert "Den underskrives i NemLog-in: send aftale-kommende-nemlogin.pdf dertil" in page


# --- the state follows what is done -----------------------------------------------------

def test_signing_the_last_field_makes_it_signed_by_all_then_archiving_it_archived(changed):
    # The archive as written before it validated, whichever manifest `archive add` knows.
    set_validation(changed / "archive", {"igang": None})
    signed = changed / "output/aftaler/aftale-udloeber-underskrevet-1.pdf"
    result = run(changed, "sign", signed, "--field", LISBETH, "--p12",
                 keys(changed) / f"{LISBETH}.p12")
    assert result.exit_code == 0, result.output
    after = status_of(changed)
    assert agreement(after, "udloeber")["signatures"]["signed"] == 2
    assert "unsigned_in_force" not in kinds(after, "udloeber")
    assert "not_archived" in kinds(after, "udloeber")

    result = run(changed, "archive", "add",
                 changed / "output/aftaler/aftale-udloeber-underskrevet-2.pdf")
    assert result.exit_code == 0, result.output
    archived = status_of(changed)
    assert agreement(archived, "udloeber")["archived"]["signed"] == 2
    assert "not_archived" not in kinds(archived, "udloeber")


def test_exporting_a_form_makes_the_year_exported(changed):
    result = run(changed, "form", "export", "udloeber", "2025")
    assert result.exit_code == 0, result.output
    after = status_of(changed)
    assert agreement(after, "udloeber")["evaluations"]["2025"] == "exported"
    due = next(i for i in after["attention"]
               if i["kind"] == "evaluation_due" and i["agreement"] == "udloeber")
    assert due["command"].endswith("form import --year 2025 evaluering-2025-udloeber.xlsx")


def test_importing_a_returned_form_records_the_year(changed, tmp_path):
    returned = fill(changed / "output/skemaer/evaluering-2025-igang.xlsx",
                    tmp_path / "evaluering-2025-igang.xlsx",
                    heading={**HEADING_2017, "Dato": "10.01.2026"},
                    rows={effort: {"Indikator": "antal", "Resultat": result,
                                   "Vurdering": "opfyldt", "Relevans": "Relevant.",
                                   "Næste skridt": "Videreføres."}
                          for effort, result in [
                              ("JOBROTATION", 2), ("FLEKSJOB", 5), ("JOBORDRE", "ja"),
                              ("VIRKSOMHEDSCENTER", 2), ("SOMMERFERIEAFLØSERE", 10),
                              ("FRA PATIENT TIL MEDARBEJDER", "ja")]})
    result = run(changed, "form", "import", returned)
    assert result.exit_code == 0, result.output
    after = status_of(changed)
    assert agreement(after, "igang")["evaluations"]["2025"] == "recorded"
    assert "evaluation_due" not in kinds(after, "igang")


def test_a_year_becomes_overdue_the_day_after_its_due_date(every_state):
    before = status_of(every_state.root, today=dt.date(2026, 1, 31))
    after = status_of(every_state.root, today=dt.date(2026, 2, 1))
    assert agreement(before, "udloeber")["evaluations"]["2025"] == "missing"
    assert agreement(after, "udloeber")["evaluations"]["2025"] == "overdue"
    assert agreement(after, "igang")["evaluations"]["2025"] == "overdue"


def test_a_changed_definition_makes_its_documents_not_up_to_date(changed):
    path = changed / "agreements" / "kommende.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "forpligtende samarbejde", "forpligtende og tæt samarbejde"), encoding="utf-8")
    after = status_of(changed)
    assert agreement(after, "kommende")["documents"] == {
        "built": True, "up_to_date": False, "word": "output/aftaler/aftale-kommende.docx",
        "pdf": "output/aftaler/aftale-kommende.pdf"}
    assert "not_up_to_date" in kinds(after, "kommende")


def test_a_signature_not_intact_is_an_error(changed):
    path = changed / "output/aftaler/aftale-igang-underskrevet-2.pdf"
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))
    after = status_of(changed)
    first = after["attention"][0]
    assert (first["severity"], first["kind"], first["path"]) == (
        "error", "signature_broken", "output/aftaler/aftale-igang-underskrevet-2.pdf")


def test_a_broken_definition_is_listed_and_the_others_still_shown(changed):
    (changed / "agreements" / "kommende.yaml").write_text("parties: [\n", encoding="utf-8")
    after = status_of(changed)
    assert "kommende" not in [a["name"] for a in after["agreements"]]
    [invalid] = after["invalid"]
    assert (invalid["name"], invalid["kind"], invalid["path"]) == (
        "kommende", "agreement", "agreements/kommende.yaml")
    assert invalid["problems"][0].startswith("agreements/kommende.yaml:")
    assert after["attention"][0]["kind"] == "invalid_definition"
    assert len(after["agreements"]) == 4


def test_a_badly_named_definition_is_listed_as_check_lists_it(changed):
    (changed / "agreements" / "Ny Aftale.yaml").write_text("parties: {}\n", encoding="utf-8")
    after = status_of(changed)
    [invalid] = after["invalid"]
    assert (invalid["name"], invalid["path"]) == ("Ny Aftale", "agreements/Ny Aftale.yaml")
    check = run(changed, "check")
    assert invalid["problems"][0] in check.output
    assert len(after["agreements"]) == 5


def test_a_broken_yearly_record_is_an_error(changed):
    (changed / "agreements" / "igang" / "2024.yaml").write_text("efforts: 3\n",
                                                                encoding="utf-8")
    after = status_of(changed)
    assert agreement(after, "igang")["evaluations"]["2024"] == "invalid"
    assert after["attention"][0]["kind"] == "invalid_record"


def test_an_unreadable_manifest_is_an_error_not_a_failure(changed):
    manifest = changed / "archive" / "manifest.json"
    manifest.chmod(0o644)
    manifest.write_text("{not json", encoding="utf-8")
    after = status_of(changed)
    assert after["attention"][0]["kind"] == "archive_unreadable"
    assert agreement(after, "igang")["archived"] is None


def test_another_archive_folder_is_read_with_archive(changed, tmp_path):
    moved = tmp_path / "elsewhere"
    (changed / "archive").rename(moved)
    assert agreement(status_of(changed), "igang")["archived"] is None
    assert agreement(status_of(changed, "--archive", moved), "igang")["archived"]["signed"] == 2


# --- the command ------------------------------------------------------------------------

def test_status_prints_a_line_per_agreement_and_what_to_do(every_state):
    result = run(every_state.root, "status")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Status on 2026-01-15: 5 agreement(s), 1 programme(s); 10 need attention"
    header = lines[2].split()
    assert header[:3] == ["AGREEMENT", "PROGRAMME", "TERM"]
    rows = [line.split()[0] for line in lines[3:8]]
    assert rows == ["varsel", "udloeber", "igang", "kommende", "slut"]
    udloeber = lines[4]
    assert "ends in 75 day(s)" in udloeber and " 1/2 " in udloeber
    assert "Needs attention, most urgent first:" in lines
    assert "  overdue  2025-01-31  udloeber: evaluation of 2024 overdue since 2025-01-31" in lines


def test_status_json_has_the_documented_shape(found):
    schema = json.loads((ROOT / "schema" / "status.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(found, schema)
    assert found["today"] == "2026-01-15"
    first = found["agreements"][0]
    assert {"name", "programme", "term", "documents", "signatures", "archived",
            "evaluations"} <= set(first)


def test_the_committed_status_schema_is_current():
    committed = json.loads((ROOT / "schema" / "status.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run `python build.py schema`"


def test_status_of_one_programme(every_state, project):
    result = run(project.root, "status", "--json", "--programme", "vaekstalliancen")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["agreements"] == []
    assert [p["id"] for p in found["programmes"]] == ["vaekstalliancen"]
    assert all(i["programme"] == "vaekstalliancen" for i in found["attention"])


@pytest.mark.parametrize(("args", "env", "message"), [
    (["--today", "i går"], {}, "'i går' is not a date: give it as 2026-01-31, 31.1.2026 or "
                                "31. januar 2026"),
    (["--today", "30.2.2026"], {}, "'30.2.2026' is not a date"),
    (["--programme", "alliancen"], {}, "no programme named 'alliancen' in programmes/; "
                                       "did you mean 'alliance'?"),
    ([], {"AFTALER_TODAY": "i morgen"}, "AFTALER_TODAY='i morgen' is not a date"),
])
def test_status_refuses_bad_input_with_exit_2(project, args, env, message):
    result = CliRunner().invoke(cli, ["--project", str(project.root), "status", *args], env=env)
    assert result.exit_code == 2
    assert message in result.output


def test_today_is_given_as_dates_are_in_the_definitions(every_state):
    for written in ("2026-01-15", "15.1.2026", "15. januar 2026"):
        assert status_of(every_state.root, "--today", written)["today"] == "2026-01-15"


def test_status_outside_a_project_is_bad_input(tmp_path):
    result = CliRunner().invoke(cli, ["--project", str(tmp_path), "status"])
    assert result.exit_code == 2
    assert "is not a project folder" in result.output


def test_status_of_the_shipped_definitions(project):
    found = status_of(project.root, today=dt.date(2017, 11, 15))
    hospital = agreement(found, "hospital")
    assert hospital["term"]["state"] == "ending"
    # the shipped example records include 2017's, as if written in advance
    assert hospital["evaluations"] == {"2014": "overdue", "2015": "recorded",
                                       "2016": "recorded", "2017": "recorded"}
    assert agreement(found, "samarbejde-2018")["term"]["state"] == "not_begun"
    assert [p["id"] for p in found["programmes"]] == ["alliance", "vaekstalliancen"]


def test_status_writes_nothing(every_state):
    before = sorted(p for p in every_state.root.rglob("*") if p.is_file())
    assert run(every_state.root, "status").exit_code == 0
    assert sorted(p for p in every_state.root.rglob("*") if p.is_file()) == before


def test_status_of_a_day_is_the_same_whenever_it_is_computed(every_state):
    assert files.status(every_state, TODAY) == files.status(every_state, TODAY)
