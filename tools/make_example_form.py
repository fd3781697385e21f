"""Make examples/evaluering-2017-hospital-udfyldt.xlsx: the hospital's form for 2017, filled
in as a partner would and saved by LibreOffice Calc, for the README's worked example.

    python tools/make_example_form.py

Needs LibreOffice (soffice). Run it again when agreements/hospital.yaml changes: a test
fails while the example form no longer matches the agreement. The answers are examples
(the form says so, and so does the record it imports to).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aftaler.forms.export import agreement_form  # noqa: E402
from aftaler.project import Project  # noqa: E402

TARGET = ROOT / "examples" / "evaluering-2017-hospital-udfyldt.xlsx"
YEAR = 2017
HEADING = {"Evalueret af": "Lise Hansen, Hospitalsenheden Horsens",
           "Dato": "30.01.2018",
           "Samlet vurdering": (
               "Aftalens sidste år. De fleste indsatser er opfyldt; parterne anbefaler at "
               "forny aftalen med fokus på jobrotation og fra patient til medarbejder.")}
# Typed as a partner types: numbers as text with a decimal comma, ja/nej, stray spaces.
ANSWERS = {
    "JOBROTATION": {"Resultat": "4", "Vurdering": "opfyldt", "Relevans": "Relevant.",
                    "Næste skridt": "Videreføres i en ny aftale."},
    "FLEKSJOB": {"Resultat": 7, "Vurdering": "opfyldt", "Relevans": "Relevant.",
                 "Næste skridt": "Videreføres i en ny aftale."},
    "JOBORDRE": {"Resultat": "ja", "Vurdering": "opfyldt", "Relevans": "Relevant.",
                 "Næste skridt": "Videreføres i en ny aftale."},
    "VIRKSOMHEDSCENTER": {"Resultat": "2", "Vurdering": "opfyldt ", "Relevans": "Relevant.",
                          "Næste skridt": "Videreføres i en ny aftale."},
    "SOMMERFERIEAFLØSERE": {"Resultat": "11", "Vurdering": "opfyldt",
                            "Relevans": "Relevant.",
                            "Næste skridt": "Videreføres i en ny aftale."},
    "FRA PATIENT TIL MEDARBEJDER": {
        "Resultat": True, "Vurdering": "delvist opfyldt",
        "Relevans": "Relevant; projektet er startet i efteråret.",
        "Næste skridt": "Evaluere projektets første halvår med patientforeningen."},
}


def main() -> None:
    soffice = shutil.which("soffice")
    if not soffice:
        sys.exit("LibreOffice (soffice) is needed: the example is a form saved by Calc")
    definitions = Project(ROOT).definitions
    hospital = definitions.agreement("hospital").model
    previous = definitions.records.evaluation("hospital", hospital, YEAR - 1)
    form = agreement_form("hospital", hospital, definitions.programme("alliance").model, YEAR,
                          previous, made=dt.date(2018, 1, 5), example=True)
    with tempfile.TemporaryDirectory() as folder:
        filled = Path(folder) / TARGET.name
        filled.write_bytes(form.data)
        wb = load_workbook(filled)
        sheet = wb["Skema"]
        column = {sheet.cell(8, c).value: c for c in range(1, 9)}
        for row in range(1, sheet.max_row + 1):
            label = sheet.cell(row, 1).value
            if label in HEADING:
                sheet.cell(row, 2).value = HEADING[label]
            for key, value in ANSWERS.get(label, {}).items():
                sheet.cell(row, column[key]).value = value
        wb.save(filled)
        out = Path(folder) / "calc"
        subprocess.run([soffice, f"-env:UserInstallation={(Path(folder) / 'p').as_uri()}",
                        "--headless", "--convert-to", "xlsx", "--outdir", str(out),
                        str(filled)], check=True, capture_output=True)
        TARGET.parent.mkdir(exist_ok=True)
        shutil.copyfile(out / TARGET.name, TARGET)
    print(TARGET.relative_to(ROOT))


if __name__ == "__main__":
    main()
