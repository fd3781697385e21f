"""Filling in forms as a partner would (with openpyxl), and LibreOffice at the command line.

A partner sees labels, not cell addresses: `fill` finds each cell by the labels of its
row and column, as a person reading the form does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

SOFFICE_TIMEOUT = 180


def _header_row(ws, first_label: str) -> tuple[int, dict[str, int]]:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, 1).value == first_label:
            labels = {ws.cell(row, col).value: col for col in range(1, ws.max_column + 1)}
            return row, {k: v for k, v in labels.items() if k}
    raise AssertionError(f"no header row starting with {first_label!r}")


def fill(form: Path, out: Path, *, heading: dict[str, Any] | None = None,
         rows: dict[str, dict[str, Any]] | None = None, table: str = "Indsats",
         marks: list[dict[str, Any]] | None = None) -> Path:
    """Write answers into a copy of `form` at `out`.

    `heading`: label in column A -> the value of its input cell (column B);
    `rows`: the row's label in column A -> {column label: value}, in the table whose
    header starts with `table`; `marks`: one {column label: value} per award, into the
    marks table's empty rows.
    """
    wb = load_workbook(form)
    ws = wb["Skema"]
    for label, value in (heading or {}).items():
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)
        ws.cell(row, 2).value = value
    if rows:
        header, columns = _header_row(ws, table)
        found = {ws.cell(r, 1).value: r for r in range(header + 1, ws.max_row + 1)}
        for label, answers in rows.items():
            for column, value in answers.items():
                ws.cell(found[label], columns[column]).value = value
    if marks:
        header, columns = _header_row(ws, "Organisation")
        for i, award in enumerate(marks, start=1):
            for column, value in award.items():
                ws.cell(header + i, columns[column]).value = value
    wb.save(out)
    return out


def soffice_or_skip() -> str:
    """The soffice program; without it the test is skipped, or fails where
    AFTALER_REQUIRE_SOFFICE=1 (CI), so that it can never be skipped there unseen."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program:
        return program
    if os.environ.get("AFTALER_REQUIRE_SOFFICE") == "1":
        pytest.fail("LibreOffice (soffice) is not installed, and AFTALER_REQUIRE_SOFFICE=1 "
                    "says this machine must run the tests that need it (on Debian: "
                    "apt-get install libreoffice-calc-nogui)")
    pytest.skip("LibreOffice (soffice) is not installed: the tests of forms re-saved by Calc "
                "need it (on Debian: apt-get install libreoffice-calc-nogui; CI installs it)")


def soffice_convert(profile: Path, source: Path, out_dir: Path, to: str) -> Path:
    """`soffice --headless --convert-to TO`: a re-save as Calc does it (to='xlsx'), or a
    PDF (to='pdf'). A profile of its own, so that no running LibreOffice interferes."""
    program = soffice_or_skip()
    out_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", to, "--outdir", str(out_dir), str(source)],
        capture_output=True, text=True, timeout=SOFFICE_TIMEOUT)
    converted = out_dir / f"{source.stem}.{to.split(':')[0]}"
    assert result.returncode == 0 and converted.is_file(), (
        f"soffice could not convert {source.name} to {to}:\n{result.stdout}\n{result.stderr}")
    return converted


# The hospital's answers for 2017 as a partner types them (text where Calc would keep
# text, Danish decimal commas, ja/nej), and the record they make.
HEADING_2017 = {"Evalueret af": "Lise Hansen, Hospitalsenheden Horsens",
                "Dato": "26.01.2018",
                "Samlet vurdering": "Et godt sidste år. Parterne anbefaler at forny aftalen."}
ANSWERS_2017 = {
    "JOBROTATION": {"Resultat": "4", "Vurdering": "opfyldt", "Relevans": "Relevant.",
                    "Næste skridt": "Videreføres."},
    "FLEKSJOB": {"Resultat": 7, "Vurdering": "Opfyldt ", "Relevans": "Relevant.",
                 "Næste skridt": "Videreføres."},
    "JOBORDRE": {"Resultat": "ja", "Vurdering": "opfyldt", "Relevans": "Relevant.",
                 "Næste skridt": "Videreføres."},
    "VIRKSOMHEDSCENTER": {"Resultat": "2,5", "Vurdering": "opfyldt",
                          "Relevans": "Relevant; efterspørgslen er stor.",
                          "Næste skridt": "Tre pladser fra 2018."},
    "SOMMERFERIEAFLØSERE": {"Indikator": "antal afløsere i job bagefter", "Resultat": 6,
                            "Vurdering": "delvist opfyldt", "Relevans": "Relevant.",
                            "Næste skridt": "Gentages."},
    "FRA PATIENT TIL MEDARBEJDER": {"Resultat": True, "Vurdering": "delvist opfyldt",
                                    "Relevans": "Relevant.", "Næste skridt": "Evalueres."},
}
RECORD_2017 = {
    "evaluated_by": "Lise Hansen, Hospitalsenheden Horsens",
    "evaluated_on": "2018-01-26",
    "comment": "Et godt sidste år. Parterne anbefaler at forny aftalen.",
    "efforts": {
        "JOBROTATION": {"indicator": "antal rotationsforløb", "result": 4,
                        "assessment": "opfyldt", "relevance": "Relevant.",
                        "next_step": "Videreføres."},
        "FLEKSJOB": {"indicator": "antal ansatte i fleksjob", "result": 7,
                     "assessment": "opfyldt", "relevance": "Relevant.",
                     "next_step": "Videreføres."},
        "JOBORDRE": {"indicator": "alle nye jobordrer meldt til Jobcenter Horsens",
                     "result": True, "assessment": "opfyldt", "relevance": "Relevant.",
                     "next_step": "Videreføres."},
        "VIRKSOMHEDSCENTER": {"indicator": "pladser besat kontinuerligt i serviceafdelingen",
                              "result": 2.5, "assessment": "opfyldt",
                              "relevance": "Relevant; efterspørgslen er stor.",
                              "next_step": "Tre pladser fra 2018."},
        "SOMMERFERIEAFLØSERE": {"indicator": "antal afløsere i job bagefter", "result": 6,
                                "assessment": "delvist opfyldt", "relevance": "Relevant.",
                                "next_step": "Gentages."},
        "FRA PATIENT TIL MEDARBEJDER": {"indicator": "projekt igangsat", "result": True,
                                        "assessment": "delvist opfyldt",
                                        "relevance": "Relevant.", "next_step": "Evalueres."},
    },
}
