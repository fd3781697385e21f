"""A project with agreements in every state, for the overview's tests (on TODAY).

    kommende   not begun (1 March 2026), built, signed by none
    igang      in force, signed by all, the signed copy archived (validated: PDF/UA fails);
               2024 recorded, 2025's form exported and not returned, 2026-2027 pending
    udloeber   ending within its notice period (3 måneder: decide by 31 December 2025),
               signed by one of two; 2023 recorded, 2024 overdue, 2025 missing
    varsel     in force, its notice date (31 January 2026) 16 days away, built and signed
               by none; every year so far recorded
    slut       ended (30 June 2024), its unsigned PDF archived before the archive
               validated (no `validation` in its manifest record); every year recorded

The programme (HORSENS ALLIANCEN, two periods of its own) has its results of 2022-2024,
not 2025; the reports of 2022 and 2023 are built, that of 2024 is not.
Everything is made with the program itself: builds, forms, signatures, the archive.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

from certs import issue, make_ca

TODAY = dt.date(2026, 1, 15)
ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = b"test"
PETER, LISBETH = "Underskrift_Peter_Soerensen", "Underskrift_Lisbeth_Holsteen_Jessen"

PROGRAMME = """\
name: HORSENS ALLIANCEN
description: Den lokale trepartsaftale i Horsens.
agreement_title: HORSENS ALLIANCE AFTALE
periods:
  - start: 2022
    end: 2025
    mission: Alle fortjener et arbejde.
    goals:
      samarbejde: {kind: qualitative, title: Vi vil samarbejde}
  - start: 2026
    end: 2029
    goals:
      job: {kind: qualitative, title: Flere i job}
"""

RESULTS = """\
goals:
  samarbejde: {assessment: opfyldt, narrative: Parterne har mødtes hvert kvartal.}
"""

AGREEMENTS = {
    # name: (start, end, notice, years recorded)
    "kommende": ("2026-03-01", "2028-12-31", None, []),
    "igang": ("2024-01-01", "2027-12-31", None, [2024]),
    "udloeber": ("2023-01-01", "2026-03-31", "3 måneder", [2023]),
    "varsel": ("2022-05-01", "2026-04-30", "3 måneder", [2022, 2023, 2024, 2025]),
    "slut": ("2022-01-01", "2024-06-30", None, [2022, 2023, 2024]),
}


def definition(start: str, end: str, notice: str | None) -> str:
    """The hospital agreement with another term (its efforts serve no goal here)."""
    text = (ROOT / "agreements" / "hospital.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^    serves: .*\n", "", text)
    text = re.sub(r"start: 2014-11-01", f"start: {start}", text)
    text = re.sub(r"end: 2017-12-31", f"end: {end}", text)
    return text + (f"notice: {notice}\n" if notice else "")


def evaluation(year: int) -> str:
    text = (ROOT / "agreements" / "hospital" / "2016.yaml").read_text(encoding="utf-8")
    return text.replace("evaluated_on: 2017-01-26", f"evaluated_on: {year + 1}-01-10")


def write_definitions(root: Path) -> None:
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "programmes" / "alliance").mkdir(parents=True)
    (root / "programmes" / "alliance.yaml").write_text(PROGRAMME, encoding="utf-8")
    for year in (2022, 2023, 2024):
        (root / "programmes" / "alliance" / f"{year}.yaml").write_text(RESULTS,
                                                                       encoding="utf-8")
    for name, (start, end, notice, recorded) in AGREEMENTS.items():
        (root / "agreements" / name).mkdir(parents=True)
        (root / "agreements" / f"{name}.yaml").write_text(definition(start, end, notice),
                                                          encoding="utf-8")
        for year in recorded:
            (root / "agreements" / name / f"{year}.yaml").write_text(evaluation(year),
                                                                     encoding="utf-8")


def keys(root: Path) -> Path:
    """Where the project's test certificates are (never a real project's habit)."""
    return root / "keys"


def signers(folder: Path) -> dict[str, Path]:
    """A .p12 for each signatory (passphrase PASSPHRASE), made here."""
    folder.mkdir(exist_ok=True)
    ca = make_ca()
    made = {}
    for field, (person, organisation) in {
            PETER: ("Peter Sørensen", "Horsens Kommune"),
            LISBETH: ("Lisbeth Holsteen Jessen", "Hospitalsenheden Horsens")}.items():
        path = folder / f"{field}.p12"
        path.write_bytes(issue(ca, person, organisation).p12(PASSPHRASE, [ca.cert]))
        made[field] = path
    return made


def sign(pdf: Path, field: str, p12: Path) -> Path:
    """Sign as `sign` does: NAME-underskrevet-N.pdf beside it."""
    from aftaler.signing.sign import load_signer
    from aftaler.signing.sign import sign as sign_pdf

    signer = load_signer(p12.read_bytes(), PASSPHRASE, str(p12))
    signed = sign_pdf(pdf.read_bytes(), field, signer)
    base = re.sub(r"-underskrevet-\d+$", "", pdf.stem)
    count = int(m.group(1)) + 1 if (m := re.search(r"-underskrevet-(\d+)$", pdf.stem)) else 1
    target = pdf.with_name(f"{base}-underskrevet-{count}.pdf")
    target.write_bytes(signed)
    return target


def make(root: Path) -> Path:
    """Write and build the project in `root` (certificates in root/keys); return `root`."""
    from aftaler.archive.store import Archive
    from aftaler.forms.export import agreement_form
    from aftaler.pipeline.steps import write_agreement, write_report
    from aftaler.project import Project

    write_definitions(root)
    project = Project(root)
    for name in AGREEMENTS:
        write_agreement(project, name)
    for year in (2022, 2023):
        write_report(project, year)
    definitions = project.definitions
    agreement = definitions.agreement("igang").model
    programme = definitions.programme("alliance").model
    form = agreement_form("igang", agreement, programme, 2025, None)
    project.forms_output.mkdir(parents=True, exist_ok=True)
    (project.forms_output / form.file_name).write_bytes(form.data)

    p12 = signers(keys(root))
    pdfs = project.agreements_output
    signed = sign(sign(pdfs / "aftale-igang.pdf", PETER, p12[PETER]), LISBETH, p12[LISBETH])
    sign(pdfs / "aftale-udloeber.pdf", PETER, p12[PETER])

    archive = Archive(root / "archive")
    archive.add(signed.read_bytes(), signed.name)
    archive.add((pdfs / "aftale-slut.pdf").read_bytes(), "aftale-slut.pdf")
    set_validation(root / "archive", {
        "igang": {"validator": "page-validation 0.11.0",
                  "profiles": {"3a": [], "ua1": ["7.18.1-1"]}},
        "slut": None})
    return root


def copy(project_root: Path, to: Path) -> Path:
    """A copy of the project to change (the archive's files stay read-only)."""
    shutil.copytree(project_root, to, symlinks=True)
    return to


def set_validation(archive: Path, verdicts: dict[str, dict | None]) -> None:
    """Give the manifest records of these agreements this `validation` (None: none, as
    in a manifest written before the archive validated)."""
    path = archive / "manifest.json"
    path.chmod(0o644)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for record in manifest["documents"]:
        if record.get("agreement") in verdicts:
            verdict = verdicts[record["agreement"]]
            if verdict is None:
                record.pop("validation", None)
            else:
                record["validation"] = verdict
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
