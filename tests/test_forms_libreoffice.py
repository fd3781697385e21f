"""Forms through LibreOffice Calc (`soffice --headless`): a re-saved form imports to the same
record, and the form prints as it should.

These tests need soffice. Without it they are skipped with the reason, unless
AFTALER_REQUIRE_SOFFICE=1 (as in CI), where they fail instead: never skipped unseen.
"""

from __future__ import annotations

import io

import pypdf
import pytest
import yaml
from click.testing import CliRunner
from extract import normalise
from forms import ANSWERS_2017, HEADING_2017, RECORD_2017, fill, soffice_convert
from openpyxl import load_workbook

from aftaler.cli import cli
from aftaler.forms import identity

LABELS = ["Indsats", "Forpligtelse", "Mål", "Indikator", "Resultat", "Vurdering", "Relevans",
          "Næste skridt"]


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def record_data(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["evaluated_on"] = data["evaluated_on"].isoformat()
    return data


@pytest.fixture
def blank(scratch):
    assert run(scratch, "form", "export", "hospital", "2017").exit_code == 0
    return scratch.forms_output / "evaluering-2017-hospital.xlsx"


def test_a_form_filled_then_saved_by_calc_imports_to_the_same_record(scratch, blank, tmp_path,
                                                                     soffice_profile):
    filled = fill(blank, tmp_path / "evaluering-2017-hospital.xlsx", heading=HEADING_2017,
                  rows=ANSWERS_2017)
    resaved = soffice_convert(soffice_profile, filled, tmp_path / "calc", "xlsx")
    # What Calc did to the cells: the yes/no answers became formulas, the date a date.
    saved = load_workbook(resaved)["Skema"]
    assert saved["E14"].value == "=TRUE()"
    result = run(scratch, "form", "import", "--replace", str(resaved))
    assert result.exit_code == 0, result.output
    assert record_data(scratch.definitions.records.evaluation_path("hospital", 2017)) == \
        RECORD_2017
    assert run(scratch, "check").exit_code == 0


def test_a_blank_form_saved_by_calc_keeps_what_it_is_for_and_its_protection(
        blank, tmp_path, soffice_profile):
    resaved = soffice_convert(soffice_profile, blank, tmp_path / "calc", "xlsx")
    before, after = load_workbook(blank), load_workbook(resaved)
    assert identity.read(after) == identity.read(before)
    sheet = after["Skema"]
    assert sheet.protection.sheet
    assert not sheet["F9"].protection.locked and sheet["B9"].protection.locked
    assert after["Skemadata"].sheet_state == "hidden"
    kinds = {dv.type for dv in sheet.data_validations.dataValidation}
    assert {"list", "decimal", "custom", "date"} <= kinds
    assert sheet.print_title_rows == "$8:$8"
    assert sheet.page_setup.orientation == "landscape"


def test_numbers_as_text_and_a_date_as_a_serial_survive_a_calc_resave(scratch, blank, tmp_path,
                                                                     soffice_profile):
    rows = {k: dict(v) for k, v in ANSWERS_2017.items()}
    filled = fill(blank, tmp_path / "evaluering-2017-hospital.xlsx",
                  heading={**HEADING_2017, "Dato": 43126}, rows=rows)
    wb = load_workbook(filled)
    wb["Skema"]["B5"].number_format = "General"  # the date's format lost: a bare serial
    wb.save(filled)
    resaved = soffice_convert(soffice_profile, filled, tmp_path / "calc", "xlsx")
    result = run(scratch, "form", "import", "--replace", str(resaved))
    assert result.exit_code == 0, result.output
    assert record_data(scratch.definitions.records.evaluation_path("hospital", 2017)) == \
        RECORD_2017


def test_the_programmes_form_saved_by_calc_imports_to_the_same_record(scratch, tmp_path,
                                                                    soffice_profile):
    assert run(scratch, "form", "export", "--programme", "alliance", "2017").exit_code == 0
    blank = scratch.forms_output / "resultater-2017-alliance.xlsx"
    filled = fill(blank, tmp_path / blank.name, table="Mål",
                  rows={"Færre borgere på offentlig forsørgelse": {"Resultat": "173"}},
                  marks=[{"Organisation": "Hospitalsenheden Horsens",
                          "Mærke": "ALLIANCE-mærket", "Kriterier": "4, 5, 6"}])
    resaved = soffice_convert(soffice_profile, filled, tmp_path / "calc", "xlsx")
    result = run(scratch, "form", "import", "--replace", str(resaved))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == ["  example: true → false"]


def test_the_form_prints_on_a4_landscape_with_every_column_and_effort(blank, tmp_path,
                                                                    soffice_profile):
    pdf = soffice_convert(soffice_profile, blank, tmp_path / "pdf", "pdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf.read_bytes()))
    first = reader.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    pages = [normalise(page.extract_text()) for page in reader.pages]
    for page in pages:  # the header row on every page, every column on the page
        assert all(label in page for label in LABELS), page[:200]
    text = " ".join(pages)
    for effort in ("JOBROTATION", "FLEKSJOB", "JOBORDRE", "VIRKSOMHEDSCENTER",
                   "SOMMERFERIEAFLØSERE", "FRA PATIENT TIL MEDARBEJDER"):
        assert effort in text  # never broken mid-word
    assert "Evaluering 2017 – HORSENS ALLIANCE AFTALE" in pages[0]
    assert f"Side 1 af {len(pages)}" in pages[0]


def test_rows_are_sized_for_their_text_as_calc_wraps_it(project, tmp_path, soffice_profile):
    """The lines a row is made tall enough for, against the lines Calc wraps the text to:
    never fewer (nothing is cut off), and at most one spare, and one more in eight (Excel's
    cells are narrower than Calc's, so a row sized for Excel has a line to spare in Calc;
    the old estimate had up to four)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    from aftaler.forms.layout import lines_needed

    texts = [text for name in project.definitions.names()
             for effort in project.definitions.agreement(name).model.efforts
             for text in (*effort.commitments.values(),
                          *([effort.joint.text] if effort.joint else []))]
    cases = [(width, text) for width in (46, 28, 20) for text in texts[:12]]
    wb = Workbook()
    wb.remove(wb.active)
    for number, (width, text) in enumerate(cases):  # a sheet each: a page each in print
        ws = wb.create_sheet(f"t{number}")
        ws.column_dimensions["A"].width = width
        cell = ws.cell(1, 1, text)
        cell.font = Font(name="Arial", size=10)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[1].height = 400
    wb.save(tmp_path / "lines.xlsx")
    pdf = soffice_convert(soffice_profile, tmp_path / "lines.xlsx", tmp_path / "pdf", "pdf")

    def baselines(item) -> set[int]:
        if isinstance(item, LTChar):
            return {round(item.y0)}
        return set().union(*map(baselines, item)) if hasattr(item, "__iter__") else set()

    calc = [len(baselines(page)) for page in extract_pages(str(pdf))]
    found = [(lines_needed(text, width), lines)
             for (width, text), lines in zip(cases, calc, strict=True)]
    assert [(sized, wrapped) for sized, wrapped in found
            if not wrapped <= sized <= wrapped + 1 + wrapped // 8] == []
