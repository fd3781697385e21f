"""`form export`: the agreement's evaluation form, as a partner receives it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from aftaler.cli import cli
from aftaler.forms import identity
from aftaler.forms.export import agreement_form

LABELS = ["Indsats", "Forpligtelse", "Mål", "Indikator", "Resultat", "Vurdering", "Relevans",
          "Næste skridt"]
EFFORTS = ["JOBROTATION", "FLEKSJOB", "JOBORDRE", "VIRKSOMHEDSCENTER", "SOMMERFERIEAFLØSERE",
           "FRA PATIENT TIL MEDARBEJDER"]


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


@pytest.fixture(scope="module")
def form_2017(project):
    """The hospital's form for 2017, as `form export hospital 2017` makes it."""
    definitions = project.definitions
    hospital = definitions.agreement("hospital").model
    previous = definitions.records.evaluation("hospital", hospital, 2016)
    made = agreement_form("hospital", hospital, definitions.programme("alliance").model, 2017,
                          previous, made=dt.date(2017, 12, 1))
    return load_workbook(io.BytesIO(made.data))


@pytest.fixture(scope="module")
def sheet(form_2017):
    return form_2017["Skema"]


def rows_of(sheet) -> dict[str, int]:
    return {sheet.cell(r, 1).value: r for r in range(9, sheet.max_row + 1)}


def column(label: str) -> str:
    return "ABCDEFGH"[LABELS.index(label)]


def test_export_writes_the_form_and_prints_its_path(scratch):
    result = run(scratch, "form", "export", "hospital", "2017")
    assert result.exit_code == 0, result.output
    path = scratch.forms_output / "evaluering-2017-hospital.xlsx"
    assert result.output.splitlines() == [str(path)]
    assert load_workbook(path)["Skema"]["A8"].value == "Indsats"


def test_all_writes_a_form_for_every_agreement_in_force_that_year(scratch):
    result = run(scratch, "form", "export", "--all", "2018")
    assert result.exit_code == 0, result.output
    assert [Path(line).name for line in result.output.splitlines()] == [
        "evaluering-2018-samarbejde-2018.xlsx"]


def test_a_year_outside_the_agreements_term_is_refused_and_nothing_written(scratch):
    result = run(scratch, "form", "export", "hospital", "2019")
    assert result.exit_code == 2
    assert result.output == ("Error: hospital is in force 2014-11-01 to 2017-12-31: there is "
                             "nothing to evaluate in 2019\n")
    assert not scratch.forms_output.exists()


def test_the_year_comes_last_and_must_be_a_year(scratch):
    result = run(scratch, "form", "export", "hospital")
    assert result.exit_code == 2
    assert "'hospital' is not a year" in result.output


def test_an_unknown_agreement_is_named_with_the_closest(scratch):
    result = run(scratch, "form", "export", "hospitl", "2017")
    assert result.exit_code == 2
    assert "no agreement named 'hospitl' in agreements/; did you mean 'hospital'?" in \
        result.output


def test_the_heading_names_the_agreement_its_parties_and_the_year(sheet):
    assert sheet["A1"].value == "Evaluering 2017 – HORSENS ALLIANCE AFTALE"
    assert sheet["A2"].value.startswith(
        "Parter: Hospitalsenheden Horsens og Horsens Kommune · Aftalen gælder 1. november 2014")
    assert "udfyld de gule felter" in sheet["A3"].value
    assert [sheet[f"A{r}"].value for r in (4, 5, 6)] == ["Evalueret af", "Dato",
                                                        "Samlet vurdering"]


def test_the_header_row_has_exactly_the_eight_labels(sheet):
    assert [sheet.cell(8, c).value for c in range(1, 9)] == LABELS
    assert list(rows_of(sheet)) == EFFORTS


def test_only_the_input_cells_are_unlocked_and_the_sheet_is_protected(sheet):
    assert sheet.protection.sheet and not sheet.protection.password
    for row in rows_of(sheet).values():
        locked = {label: sheet[f"{column(label)}{row}"].protection.locked for label in LABELS}
        assert locked == {"Indsats": True, "Forpligtelse": True, "Mål": True,
                          "Indikator": False, "Resultat": False, "Vurdering": False,
                          "Relevans": False, "Næste skridt": False}
    assert [sheet[ref].protection.locked for ref in ("B4", "B5", "B6")] == [False] * 3
    assert sheet["A4"].protection.locked and sheet["A1"].protection.locked


def test_commitments_are_whole_and_never_name_their_party_twice(sheet, hospital):
    # each of these begins with its party's name: it is not written again before it
    text = str(sheet[f"B{rows_of(sheet)['JOBROTATION']}"].value)
    jobrotation = hospital.efforts[0].commitments
    assert text == f"{jobrotation['hospital']}\n{jobrotation['municipality']}"
    joint = str(sheet[f"B{rows_of(sheet)['FRA PATIENT TIL MEDARBEJDER']}"].value)
    assert joint == hospital.efforts[5].joint.text


def test_a_commitment_that_does_not_name_its_party_is_given_it_in_bold(scratch,
                                                                      hospital_yaml):
    (scratch.root / "agreements" / "hospital.yaml").write_text(hospital_yaml.replace(
        "Horsens Kommune forpligter sig på at finde kvalificerede rotationsvikarer",
        "Kommunen finder kvalificerede rotationsvikarer"), encoding="utf-8")
    assert run(scratch, "form", "export", "hospital", "2017").exit_code == 0
    sheet = load_workbook(scratch.forms_output / "evaluering-2017-hospital.xlsx",
                          rich_text=True)["Skema"]
    cell = sheet[f"B{rows_of(sheet)['JOBROTATION']}"].value
    assert [(block.text, bool(block.font.b)) for block in cell][1:] == [
        ("\nHorsens Kommune: ", True),
        ("Kommunen finder kvalificerede rotationsvikarer og bistå Hospitalsenheden Horsens "
         "med nødvendig administrativ support igennem rotationsforløbet", False)]


def test_the_target_is_shown_where_there_is_one(sheet):
    targets = {name: sheet[f"C{row}"].value for name, row in rows_of(sheet).items()}
    assert targets["VIRKSOMHEDSCENTER"] == "2 pladser"
    assert {v for k, v in targets.items() if k != "VIRKSOMHEDSCENTER"} == {"–"}


def test_indicators_are_filled_in_from_last_years_evaluation(sheet, project, hospital):
    last_year = project.definitions.records.evaluation("hospital", hospital, 2016)
    indicators = {name: sheet[f"D{row}"].value for name, row in rows_of(sheet).items()}
    assert indicators == {name: e.indicator for name, e in last_year.efforts.items()}


def test_without_last_years_evaluation_the_targets_indicator_is_filled_in(project, hospital):
    made = agreement_form("hospital", hospital, project.definitions.programme("alliance").model,
                          2015, None)
    sheet = load_workbook(io.BytesIO(made.data))["Skema"]
    indicators = {name: sheet[f"D{row}"].value for name, row in rows_of(sheet).items()}
    assert indicators["VIRKSOMHEDSCENTER"] == hospital.efforts[3].target.indicator
    assert {v for k, v in indicators.items() if k != "VIRKSOMHEDSCENTER"} == {None}


def validations(sheet) -> dict[str, object]:
    found = {}
    for dv in sheet.data_validations.dataValidation:
        for ref in str(dv.sqref).split():
            found[ref] = dv
    return found


def test_assessment_is_a_drop_down_of_the_four_assessments(form_2017, sheet):
    dv = validations(sheet)[f"F{rows_of(sheet)['JOBROTATION']}"]
    assert dv.type == "list" and dv.showErrorMessage and dv.showInputMessage
    listed_sheet, cells = dv.formula1.split("!")
    first, last = cells.replace("$", "").split(":")
    values = [c.value for row in form_2017[listed_sheet][f"{first}:{last}"] for c in row]
    assert values == ["opfyldt", "delvist opfyldt", "ikke opfyldt", "ikke igangsat"]
    assert form_2017[listed_sheet].sheet_state == "hidden"


def test_result_needs_a_number_where_the_effort_has_a_target_else_a_number_or_yes_no(sheet):
    found = validations(sheet)
    rows = rows_of(sheet)
    target = found[f"E{rows['VIRKSOMHEDSCENTER']}"]
    assert target.type == "decimal" and target.showErrorMessage
    assert "pladser" in target.prompt
    free = found[f"E{rows['JOBORDRE']}"]
    assert free.type == "custom" and '"ja"' in free.formula1 and '"nej"' in free.formula1


def test_every_input_cell_has_an_input_message(sheet):
    found = validations(sheet)
    inputs = ["B4", "B5", "B6"] + [f"{column(label)}{row}" for row in rows_of(sheet).values()
                                   for label in LABELS[3:]]
    for ref in inputs:
        assert ref in found and found[ref].showInputMessage and found[ref].prompt, ref


def test_it_prints_on_a4_landscape_one_page_wide_with_the_header_row_repeated(sheet):
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$8:$8"


def test_text_wraps_and_rows_are_tall_enough_for_the_commitments(sheet):
    row = rows_of(sheet)["SOMMERFERIEAFLØSERE"]
    assert sheet[f"B{row}"].alignment.wrap_text
    assert sheet.row_dimensions[row].height > 10 * 12.75  # its commitments fill 20-odd lines
    assert sheet.column_dimensions["A"].width >= 20


def test_the_form_carries_the_agreement_year_and_fingerprint(form_2017, hospital):
    found = identity.read(form_2017)
    assert (found.kind, found.name, found.year) == ("aftale", "hospital", 2017)
    assert found.fingerprint == identity.agreement_fingerprint(hospital)
    properties = {p.name: p.value for p in form_2017.custom_doc_props}
    assert properties["aftaler.navn"] == "hospital" and properties["aftaler.år"] == "2017"


def test_definition_text_that_looks_like_a_formula_stays_text(scratch, hospital_yaml):
    path = scratch.root / "agreements" / "hospital.yaml"
    path.write_text(hospital_yaml.replace("  - name: JOBROTATION",
                                          "  - name: \"=HYPERLINK(\\\"x\\\") {{ 7*7 }}\""),
                    encoding="utf-8")
    assert run(scratch, "form", "export", "hospital", "2017").exit_code == 0
    sheet = load_workbook(scratch.forms_output / "evaluering-2017-hospital.xlsx")["Skema"]
    assert sheet["A9"].value == '=HYPERLINK("x") {{ 7*7 }}'
    assert sheet["A9"].data_type == "s"


def test_the_header_row_stays_in_view_while_the_efforts_scroll(sheet):
    assert sheet.freeze_panes == "A9"  # rows 1-8: the heading and the table's header


def test_the_date_is_as_wide_as_who_evaluated(sheet):
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"B4:D4", "B5:D5"} <= merged

