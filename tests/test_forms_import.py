"""`form import`: a form filled in as a partner would, back as the yearly record."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml
from click.testing import CliRunner
from extract import docx_text
from forms import ANSWERS_2017, HEADING_2017, RECORD_2017, fill
from openpyxl import Workbook, load_workbook

from aftaler.cli import cli
from aftaler.pipeline.steps import build_report

FORM = "evaluering-2017-hospital.xlsx"
NOT_ONE_OF = "is not one of opfyldt, delvist opfyldt, ikke opfyldt, ikke igangsat"


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def filled(blank, inbox, name=FORM, heading=None, rows=None):
    answers = {k: dict(v) for k, v in ANSWERS_2017.items()}
    for effort, changed in (rows or {}).items():
        answers[effort].update(changed)
    return fill(blank, inbox / name, heading={**HEADING_2017, **(heading or {})}, rows=answers)


def loaded(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["evaluated_on"] = data["evaluated_on"].isoformat()
    return data


def test_a_filled_form_becomes_the_yearly_record_and_its_path_is_printed(scratch, blank,
                                                                         inbox, record):
    result = run(scratch, "form", "import", str(filled(blank, inbox)))
    assert result.exit_code == 0, result.output
    assert result.output == f"{record}\n"
    assert loaded(record) == RECORD_2017


def test_the_record_reads_like_the_hand_written_ones(scratch, blank, inbox, record):
    run(scratch, "form", "import", str(filled(blank, inbox)))
    lines = record.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schema/evaluation.schema.json"
    today = dt.date.today().isoformat()
    assert lines[2].startswith(f"# Imported from the form {FORM} on {today} at ")
    keys = [line.split(":")[0] for line in lines if line and line[0] not in "# "]
    assert keys == ["evaluated_by", "evaluated_on", "comment", "efforts"]
    first = lines.index("  JOBROTATION:")
    assert [line.split(":")[0].strip() for line in lines[first + 1:first + 6]] == [
        "indicator", "result", "assessment", "relevance", "next_step"]
    assert "evaluated_on: 2018-01-26" in lines
    assert max(len(line) for line in lines) <= 90


def test_check_passes_and_the_report_shows_the_partners_answers(scratch, blank, inbox,
                                                                record):
    run(scratch, "form", "import", str(filled(blank, inbox)))
    check = run(scratch, "check")
    assert check.exit_code == 0, check.output
    report = build_report(scratch, 2017, only="hospital")
    text = docx_text(report.docx)
    for answer in ("Lise Hansen, Hospitalsenheden Horsens", "Tre pladser fra 2018.",
                   "antal afløsere i job bagefter", "2,5",
                   "Et godt sidste år. Parterne anbefaler at forny aftalen."):
        assert answer in text


def test_a_value_not_on_the_list_is_named_by_file_sheet_and_cell(scratch, blank, inbox,
                                                                 record):
    form = filled(blank, inbox, rows={"JOBROTATION": {"Vurdering": "fint"}})
    result = run(scratch, "form", "import", FORM)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{FORM}: Skema!F9: Vurdering: 'fint' {NOT_ONE_OF}",
        "Error: 1 problem(s) in 1 form(s): nothing was written"]
    assert not record.exists() and form.exists()


def test_every_problem_is_reported_in_the_order_of_the_sheet(scratch, blank, inbox, record):
    filled(blank, inbox, heading={"Dato": "26.01.2016", "Evalueret af": None},
           rows={"JOBROTATION": {"Resultat": "mange", "Relevans": "  "},
                 "VIRKSOMHEDSCENTER": {"Resultat": "ja"},
                 "JOBORDRE": {"Vurdering": "fint"}})
    result = run(scratch, "form", "import", FORM)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{FORM}: Skema!B4: Evalueret af: empty: fill it in",
        f"{FORM}: Skema!E9: Resultat: 'mange' is not a number, nor ja or nej",
        f"{FORM}: Skema!G9: Relevans: empty: fill it in",
        f"{FORM}: Skema!F11: Vurdering: 'fint' {NOT_ONE_OF}",
        "Error: 4 problem(s) in 1 form(s): nothing was written"]
    assert not record.exists()


def test_the_records_own_checks_run_once_every_cell_is_readable(scratch, blank, inbox,
                                                                record):
    filled(blank, inbox, heading={"Dato": "26.01.2016"},
           rows={"VIRKSOMHEDSCENTER": {"Resultat": "ja"}})
    result = run(scratch, "form", "import", FORM)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{FORM}: Skema!B5: Dato: must not be before the year evaluated (2017)",
        f"{FORM}: Skema!E12: Resultat: the effort has a target in pladser: give a number",
        "Error: 2 problem(s) in 1 form(s): nothing was written"]


def test_an_existing_record_is_kept_unless_replace_is_given(scratch, blank, inbox):
    path = scratch.definitions.records.evaluation_path("hospital", 2017)
    before = path.read_bytes()
    result = run(scratch, "form", "import", str(filled(blank, inbox)))
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        f"{FORM}: agreements/hospital/2017.yaml exists already: give --replace to overwrite "
        "it (the changes are then listed field by field)")
    assert path.read_bytes() == before


def test_replace_overwrites_and_lists_what_changed_field_by_field(scratch, blank, inbox,
                                                                  record):
    assert run(scratch, "form", "import", str(filled(blank, inbox))).exit_code == 0
    form = filled(blank, inbox, rows={"JOBROTATION": {"Resultat": "5"},
                                      "FLEKSJOB": {"Næste skridt": "Flere fleksjob."}})
    result = run(scratch, "form", "import", "--replace", str(form))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        str(record),
        "  efforts.JOBROTATION.result: 4 → 5",
        "  efforts.FLEKSJOB.next_step: 'Videreføres.' → 'Flere fleksjob.'"]
    assert loaded(record)["efforts"]["JOBROTATION"]["result"] == 5


def test_replace_with_the_same_answers_leaves_the_record_as_it_was(scratch, blank, inbox,
                                                                    record):
    form = filled(blank, inbox)
    run(scratch, "form", "import", str(form))
    before = record.read_bytes()
    record.chmod(0o444)  # any attempt to write it would fail
    result = run(scratch, "form", "import", "--replace", str(form))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [str(record), "  no changes: left as it was"]
    assert record.read_bytes() == before


def test_replacing_an_example_record_says_it_is_no_longer_an_example(scratch, blank, inbox):
    result = run(scratch, "form", "import", "--replace", str(filled(blank, inbox)))
    assert result.exit_code == 0, result.output
    assert "  example: true → false" in result.output.splitlines()


def test_a_renamed_copy_of_another_years_form_is_refused(scratch, blank, inbox, record):
    form = filled(blank, inbox)
    shutil.copy(form, inbox / "evaluering-2016-hospital.xlsx")
    result = run(scratch, "form", "import", "evaluering-2016-hospital.xlsx")
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        "evaluering-2016-hospital.xlsx: the form is for hospital, 2017, but its file name "
        "says otherwise (a renamed copy of another form?): export the form for the right "
        "agreement and year with `form export`")


def test_a_form_for_another_year_than_year_is_refused(scratch, blank, inbox, record):
    filled(blank, inbox)
    result = run(scratch, "form", "import", "--year", "2018", FORM)
    assert result.exit_code == 2
    assert result.output.splitlines()[0].startswith(
        f"{FORM}: the form is for hospital, 2017, not 2018 (--year 2018)")
    assert not record.exists()


@pytest.mark.parametrize("name", ["evaluering-2017-hospital_svar.xlsx",
                                  "evaluering-2017-hospital (1).xlsx",
                                  "Kopi af evaluering-2017-hospital.xlsx",
                                  "svar-EVALUERING-2017-hospital-udfyldt.xlsx"])
def test_a_form_saved_with_something_added_to_its_name_imports(scratch, blank, inbox, record,
                                                               name):
    filled(blank, inbox, name=name)
    result = run(scratch, "form", "import", name)
    assert result.exit_code == 0, result.output
    assert result.output == f"{record}\n"
    assert loaded(record) == RECORD_2017


@pytest.mark.parametrize("name", ["evaluering-2016-hospital_svar.xlsx",
                                  "kopi af evaluering-2017-samarbejde-2018.xlsx",
                                  "resultater-2017-hospital.xlsx"])
def test_a_form_whose_name_says_another_agreement_year_or_kind_is_refused(
        scratch, blank, inbox, record, name):
    filled(blank, inbox, name=name)
    result = run(scratch, "form", "import", name)
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        f"{name}: the form is for hospital, 2017, but its file name says otherwise (a renamed "
        "copy of another form?): export the form for the right agreement and year with "
        "`form export`")
    assert not record.exists()


def test_a_form_saved_under_another_name_imports(scratch, blank, inbox, record):
    filled(blank, inbox, name="Evaluering hospital (udfyldt).xlsx")
    result = run(scratch, "form", "import", "Evaluering hospital (udfyldt).xlsx")
    assert result.exit_code == 0, result.output
    assert loaded(record) == RECORD_2017


def test_a_changed_agreement_is_warned_about_and_its_answers_checked_against_it(
        scratch, blank, inbox, record, hospital_yaml):
    form = filled(blank, inbox)
    definition = scratch.root / "agreements" / "hospital.yaml"
    definition.write_text(hospital_yaml.replace("at forbedre erhvervslivets vilkår",
                                                "at forbedre vilkårene"), encoding="utf-8")
    result = run(scratch, "form", "import", str(form))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"Warning: {FORM}: the agreement hospital has changed since the form was made on "
        f"{dt.date.today().isoformat()}: its answers are checked against the agreement as it "
        "is now"]
    assert loaded(record) == RECORD_2017


def test_a_form_whose_efforts_no_longer_fit_the_agreement_is_refused(scratch, blank, inbox,
                                                                     record, hospital_yaml):
    filled(blank, inbox)
    definition = scratch.root / "agreements" / "hospital.yaml"
    definition.write_text(hospital_yaml.replace("- name: JOBORDRE", "- name: JOBORDRER"),
                          encoding="utf-8")
    result = run(scratch, "form", "import", FORM)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Warning: {FORM}: the agreement hospital has changed")
    assert lines[1:] == [
        f"{FORM}: Skema!A8: Indsats: missing the evaluation of 'JOBORDRER'",
        f"{FORM}: Skema!A11: Indsats: the agreement has no such effort (efforts: JOBROTATION, "
        "FLEKSJOB, JOBORDRER, VIRKSOMHEDSCENTER, SOMMERFERIEAFLØSERE, FRA PATIENT TIL "
        "MEDARBEJDER)",
        "Error: 2 problem(s) in 1 form(s): nothing was written"]


def test_one_bad_form_of_several_means_nothing_is_written(scratch, blank, inbox, record):
    good = filled(blank, inbox)
    result = run(scratch, "form", "export", "samarbejde-2018", "2019")
    other = scratch.forms_output / "evaluering-2019-samarbejde-2018.xlsx"
    result = run(scratch, "form", "import", "--replace", str(good), str(other))
    assert result.exit_code == 2
    assert f"{other}: Skema!B4: Evalueret af: empty: fill it in" in result.output
    assert not record.exists()
    assert not list(scratch.root.rglob("*.part"))


def test_the_same_record_twice_in_one_import_is_refused(scratch, blank, inbox, record):
    form = filled(blank, inbox)
    shutil.copy(form, inbox / "evaluering-2017-hospital-kopi.xlsx")
    result = run(scratch, "form", "import", FORM, "evaluering-2017-hospital-kopi.xlsx")
    assert result.exit_code == 2
    assert ("evaluering-2017-hospital-kopi.xlsx: is for the same record as "
            f"{FORM} (agreements/hospital/2017.yaml): import one of them") in result.output
    assert not record.exists()


def test_a_file_that_is_not_a_workbook_is_one_line(scratch, inbox):
    (inbox / "notes.xlsx").write_text("not a spreadsheet", encoding="utf-8")
    (inbox / "notes.ods").write_bytes(b"PK\x03\x04")
    for name in ("notes.xlsx", "notes.ods", "missing.xlsx"):
        result = run(scratch, "form", "import", name)
        assert result.exit_code == 2, name
        lines = result.output.splitlines()
        assert len(lines) == 2 and lines[0].startswith(f"{name}: "), result.output
        assert "Traceback" not in result.output


def test_a_file_of_another_format_is_told_to_be_saved_as_xlsx(scratch, inbox):
    (inbox / "skema.ods").write_bytes(b"PK\x03\x04")
    result = run(scratch, "form", "import", "skema.ods")
    assert result.output.splitlines()[0] == (
        "skema.ods: a .ods file, not an Excel workbook (.xlsx): save it in Excel or Calc as "
        "'Excel 2007-365 (.xlsx)'")


def test_a_form_for_an_agreement_that_no_longer_exists_is_refused(scratch, blank, inbox):
    filled(blank, inbox)
    (scratch.root / "agreements" / "hospital.yaml").rename(
        scratch.root / "agreements" / "hospitalet.yaml")
    shutil.rmtree(scratch.root / "agreements" / "hospital")
    result = run(scratch, "form", "import", FORM)
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        f"{FORM}: the form is for hospital, 2017, but no agreement named 'hospital' in "
        "agreements/; did you mean 'hospitalet'? (known: hospitalet, samarbejde-2018)")


def test_a_workbook_not_made_by_this_program_says_so(scratch, inbox):
    Workbook().save(inbox / "other.xlsx")
    result = run(scratch, "form", "import", "other.xlsx")
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        "other.xlsx: not an evaluation form made by this program (it has no Skemadata "
        "sheet): export one with `form export` and fill that in")


def test_a_formula_without_a_computed_value_is_named(scratch, blank, inbox, record):
    form = filled(blank, inbox)
    wb = load_workbook(form)
    wb["Skema"]["E10"] = "=3+4"  # what a program, not a spreadsheet, leaves uncomputed
    wb.save(form)
    result = run(scratch, "form", "import", FORM)
    assert result.output.splitlines()[0] == (
        f"{FORM}: Skema!E10: Resultat: holds a formula (=3+4) without a computed value: type "
        "the value itself")


def test_an_example_form_makes_an_example_record(scratch, inbox, record, hospital_yaml):
    definition = scratch.root / "agreements" / "hospital.yaml"
    definition.write_text(hospital_yaml.replace("title: HORSENS ALLIANCE AFTALE\n",
                                                "title: HORSENS ALLIANCE AFTALE\nexample: true\n"),
                          encoding="utf-8")
    run(scratch, "form", "export", "hospital", "2017")
    filled(scratch.forms_output / FORM, inbox)
    assert run(scratch, "form", "import", FORM).exit_code == 0
    text = record.read_text(encoding="utf-8")
    assert "# EKSEMPELTAL – not official figures." in text
    assert yaml.safe_load(text)["example"] is True


def test_the_example_form_is_a_calc_save_of_the_agreement_as_it_is(project, hospital):
    import zipfile

    from aftaler.forms import identity

    example = project.root / "examples" / "evaluering-2017-hospital-udfyldt.xlsx"
    found = identity.read(load_workbook(example))
    assert (found.name, found.year, found.example) == ("hospital", 2017, True)
    assert found.fingerprint == identity.agreement_fingerprint(hospital), (
        "agreements/hospital.yaml changed: run `python tools/make_example_form.py`")
    assert b"LibreOffice" in zipfile.ZipFile(example).read("docProps/app.xml")
