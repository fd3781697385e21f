"""A programme's own form: the goals of the year's period and the marks awarded."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from forms import fill
from openpyxl import load_workbook

from aftaler.cli import cli

FORM = "resultater-2019-alliance.xlsx"
GOALS_2019 = {
    "Forbedre erhvervslivets vækst- og udviklingsmuligheder": {
        "Vurdering": "opfyldt", "Beskrivelse": "Taskforcen har mødt 45 virksomheder."},
    "Løfte uddannelsesniveauet i Horsens Kommune": {
        "Vurdering": "Delvist opfyldt", "Beskrivelse": "Flere unge vælger en erhvervsuddannelse.",
        "Bemærkning": "Tal fra Uddannelsesrådet."},
    "Sikre, at flere kommer i selvforsørgelse": {
        "Vurdering": "ikke igangsat", "Beskrivelse": "Afventer Jobtaskforce."},
}
MARKS_2019 = [{"Organisation": "Casa Group", "Mærke": "ALLIANCE-mærket",
               "Kriterier": "5, 7"},
              {"Organisation": "Velux", "Mærke": "CSR-mærket", "Kriterier": "1;2 og 3"}]


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


@pytest.fixture
def blank(scratch):
    result = run(scratch, "form", "export", "--programme", "alliance", "2019")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [str(scratch.forms_output / FORM)]
    return scratch.forms_output / FORM


def test_the_form_lists_the_periods_goals_and_asks_for_the_marks(blank, alliance):
    sheet = load_workbook(blank)["Skema"]
    column_a = [sheet.cell(r, 1).value for r in range(1, sheet.max_row + 1)]
    assert sheet["A1"].value == "Årets resultater 2019 – HORSENS ALLIANCEN"
    header = column_a.index("Mål") + 1
    assert [sheet.cell(header, c).value for c in range(1, 7)] == [
        "Mål", "Måltal", "Resultat", "Vurdering", "Beskrivelse", "Bemærkning"]
    assert column_a[header:header + 3] == list(GOALS_2019)
    marks = column_a.index("Organisation") + 1
    assert [sheet.cell(marks, c).value for c in range(1, 4)] == [
        "Organisation", "Mærke", "Kriterier"]
    assert "ALLIANCE-mærket" in column_a and "CSR-mærket" in column_a  # the criteria listed
    criteria = sheet.cell(column_a.index("CSR-mærket") + 1, 2).value
    assert criteria.startswith(f"1. {alliance.marks['csr'].criteria[0]}\n2. ")


def test_the_instruction_is_short_sentences_one_a_line(blank):
    sheet = load_workbook(blank)["Skema"]
    lines = [sheet.cell(r, 1).value for r in range(3, 9)]
    assert lines[0] == "Udfyld de gule felter for 2019:"
    assert all(line.startswith("• ") for line in lines[1:5])
    assert lines[5].startswith("Når et felt vælges")
    assert max(len(line.split()) for line in lines) <= 20


def test_a_quantitative_goal_asks_for_a_number_against_its_targets(scratch):
    run(scratch, "form", "export", "--programme", "alliance", "2017")
    sheet = load_workbook(scratch.forms_output / "resultater-2017-alliance.xlsx")["Skema"]
    row = next(r for r in range(1, 20)
               if sheet.cell(r, 1).value == "Færre borgere på offentlig forsørgelse")
    assert sheet.cell(row, 2).value.startswith(
        "Borgere løftet væk fra offentlig forsørgelse: 150 borgere om året og 600 borgere "
        "ved udgangen af 2017")
    assert not sheet.cell(row, 3).protection.locked  # Resultat
    assert sheet.cell(row, 4).protection.locked  # no Vurdering for a figure


def test_the_filled_form_becomes_the_programmes_record(scratch, blank, inbox):
    fill(blank, inbox / FORM, table="Mål", rows=GOALS_2019, marks=MARKS_2019)
    result = run(scratch, "form", "import", "--replace", FORM)
    assert result.exit_code == 0, result.output
    path = scratch.root / "programmes" / "alliance" / "2019.yaml"
    assert result.output.splitlines()[0] == str(path)
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {
        "goals": {
            "vaekst": {"assessment": "opfyldt",
                       "narrative": "Taskforcen har mødt 45 virksomheder."},
            "uddannelse": {"assessment": "delvist opfyldt",
                           "narrative": "Flere unge vælger en erhvervsuddannelse.",
                           "comment": "Tal fra Uddannelsesrådet."},
            "selvforsoergelse": {"assessment": "ikke igangsat",
                                 "narrative": "Afventer Jobtaskforce."}},
        "marks": [{"organisation": "Casa Group", "mark": "alliance", "criteria": [5, 7]},
                  {"organisation": "Velux", "mark": "csr", "criteria": [1, 2, 3]}]}
    assert run(scratch, "check").exit_code == 0


def test_a_figure_typed_as_text_is_the_years_result(scratch, inbox):
    run(scratch, "form", "export", "--programme", "alliance", "2017")
    fill(scratch.forms_output / "resultater-2017-alliance.xlsx",
         inbox / "resultater-2017-alliance.xlsx", table="Mål",
         rows={"Færre borgere på offentlig forsørgelse": {"Resultat": "1.173,0"}})
    result = run(scratch, "form", "import", "--replace", "resultater-2017-alliance.xlsx")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "  example: true → false",
        "  goals.offentlig-forsoergelse.result: 173 → 1173",
        "  marks[0].organisation: 'Hospitalsenheden Horsens' → (none)",
        "  marks[0].mark: 'alliance' → (none)",
        "  marks[0].criteria: [4, 5, 6] → (none)"]
    text = (scratch.root / "programmes" / "alliance" / "2017.yaml").read_text(encoding="utf-8")
    assert "  offentlig-forsoergelse:  # Borgere løftet væk fra offentlig forsørgelse" in text


def test_bad_marks_are_named_at_their_cells(scratch, blank, inbox):
    fill(blank, inbox / FORM, table="Mål", rows=GOALS_2019, marks=[
        {"Organisation": "Velux", "Mærke": "Guldmærket", "Kriterier": "1, 2"},
        {"Organisation": "Casa Group", "Mærke": "CSR-mærket", "Kriterier": "1, 9"},
        {"Organisation": "Rema1000", "Mærke": "csr", "Kriterier": "2"},
        {"Mærke": "CSR-mærket", "Kriterier": "1, to"}])
    result = run(scratch, "form", "import", "--replace", FORM)
    assert result.exit_code == 2
    header = 16  # the marks' header row in the form of 2019
    assert result.output.splitlines() == [
        f"{FORM}: Skema!B{header + 1}: Mærke: 'Guldmærket' is not one of ALLIANCE-mærket, "
        "CSR-mærket",
        f"{FORM}: Skema!A{header + 4}: Organisation: empty: fill it in",
        f"{FORM}: Skema!C{header + 4}: Kriterier: '1, to': write whole numbers separated by "
        "commas, e.g. 1, 2, 6",
        "Error: 3 problem(s) in 1 form(s): nothing was written"]
    fill(blank, inbox / FORM, table="Mål", rows=GOALS_2019, marks=[
        {"Organisation": "Casa Group", "Mærke": "CSR-mærket", "Kriterier": "1, 9"},
        {"Organisation": "Rema1000", "Mærke": "csr", "Kriterier": "2"}])
    result = run(scratch, "form", "import", "--replace", FORM)
    assert result.output.splitlines() == [
        f"{FORM}: Skema!C{header + 1}: Kriterier: CSR-mærket has criteria 1 to 3",
        f"{FORM}: Skema!C{header + 2}: Kriterier: CSR-mærket is awarded for several criteria "
        "met: name at least two",
        "Error: 2 problem(s) in 1 form(s): nothing was written"]


def test_a_goal_left_empty_is_not_assessed_and_half_an_answer_is_refused(scratch, blank,
                                                                         inbox):
    fill(blank, inbox / FORM, table="Mål", rows={
        "Forbedre erhvervslivets vækst- og udviklingsmuligheder": {"Vurdering": "opfyldt"}})
    result = run(scratch, "form", "import", "--replace", FORM)
    assert result.output.splitlines() == [
        f"{FORM}: Skema!A11: Mål: a qualitative goal: give its narrative",
        "Error: 1 problem(s) in 1 form(s): nothing was written"]


def test_a_programme_without_marks_has_no_marks_table(scratch, inbox):
    result = run(scratch, "form", "export", "--programme", "vaekstalliancen", "2023")
    assert result.exit_code == 0, result.output
    form = scratch.forms_output / "resultater-2023-vaekstalliancen.xlsx"
    sheet = load_workbook(form)["Skema"]
    assert "Organisation" not in [sheet.cell(r, 1).value for r in range(1, sheet.max_row + 1)]
    fill(form, inbox / form.name, table="Mål",
         rows={"Vækst i antallet af arbejdspladser": {"Resultat": 512}})
    result = run(scratch, "form", "import", "--replace", form.name)
    assert result.exit_code == 0, result.output
    record = scratch.root / "programmes" / "vaekstalliancen" / "2023.yaml"
    assert yaml.safe_load(record.read_text(encoding="utf-8"))["goals"] == {
        "arbejdspladser": {"result": 512}}


def test_nothing_to_ask_is_refused(scratch):
    definition = scratch.root / "programmes" / "vaekstalliancen.yaml"
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("\nperiods:", "\nfounded: 2015\nperiods:", 1),
                          encoding="utf-8")
    result = run(scratch, "form", "export", "--programme", "vaekstalliancen", "2019")
    assert result.exit_code == 2
    assert result.output == ("Error: Vækstalliancen has no goals in 2019 and no marks: there "
                             "is nothing to record\n")


def test_one_import_recognises_agreement_and_programme_forms(scratch, blank, inbox):
    from forms import ANSWERS_2017, HEADING_2017

    run(scratch, "form", "export", "hospital", "2017")
    fill(scratch.forms_output / "evaluering-2017-hospital.xlsx",
         inbox / "evaluering-2017-hospital.xlsx", heading=HEADING_2017, rows=ANSWERS_2017)
    fill(blank, inbox / FORM, table="Mål", rows=GOALS_2019, marks=MARKS_2019)
    result = run(scratch, "form", "import", "--replace", "evaluering-2017-hospital.xlsx", FORM)
    assert result.exit_code == 0, result.output
    written = [line for line in result.output.splitlines() if not line.startswith(" ")]
    assert written == [str(scratch.root / "agreements" / "hospital" / "2017.yaml"),
                       str(scratch.root / "programmes" / "alliance" / "2019.yaml")]


def test_the_criteria_start_a_page_rather_than_leave_their_heading_behind(blank):
    sheet = load_workbook(blank)["Skema"]
    heading = next(r for r in range(1, sheet.max_row + 1)
                   if sheet.cell(r, 1).value == "Mærkernes kriterier")
    assert [b.id for b in sheet.row_breaks.brk] == [heading - 1]
