"""Text is data for Typst too: Typst markup and code in any text of a definition or a
yearly record print literally; nothing in them reads a file, changes the layout or adds
a signature field. (Texts are compared without their spacing: a line may break after the
`//` of an address, where Unicode's line breaking allows it.)

Every text field of an agreement (and of a year's evaluation, for the report) gets its
own marked copy of the hostile text below, and each copy must be in the PDF as it was
written, in reading order.
"""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
import yaml
from extract import pdf_tagged_text, signature_fields

from aftaler.pipeline.steps import build_agreement, build_report
from aftaler.sources.agreement import Agreement

HOSTILE = ('# $x^2$ *fed* _kursiv_ = Overskrift @ref <etiket> \\ // kommentar `kode` '
           '[link](https://eksempel.dk) {{ 7*7 }} & #read("/etc/passwd") '
           '#set page(width: 5cm) #pagebreak() #metadata("x") <signature> ] ) } /* ')
def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


NOT_TEXT = {"programme", "serves", "parties", "start", "end"}  # ids, dates
NOT_PRINTED = {"target"}  # an effort's target: in the report, not in the agreement


def hostile_copy(data, counter: list[int]):
    """`data` with every text replaced by a numbered copy of HOSTILE (ids, dates and
    references left as they are)."""
    if isinstance(data, dict):
        return {k: v if k in NOT_PRINTED or k in NOT_TEXT and not isinstance(v, dict)
                else hostile_copy(v, counter) for k, v in data.items()}
    if isinstance(data, list):
        return [hostile_copy(v, counter) for v in data]
    if isinstance(data, str):
        counter[0] += 1
        return f"T{counter[0]}: {HOSTILE}"
    return data


@pytest.fixture(scope="module")
def hostile(hospital, alliance, project):
    counter = [0]
    data = hostile_copy(hospital.model_dump(mode="json"), counter)
    agreement = Agreement.model_validate(data)
    files = build_agreement("hostile", agreement, alliance, project.templates)
    return files, counter[0], agreement


def test_every_text_field_prints_literally_in_reading_order(hostile):
    files, count, _ = hostile
    text = squeezed(pdf_tagged_text(files.pdf))
    assert count > 30  # every paragraph, effort, commitment, party, signatory ...
    missing = [n for n in range(1, count + 1) if squeezed(f"T{n}: {HOSTILE}") not in text]
    assert missing == []


def test_hostile_text_reads_no_file_and_adds_no_signature_field(hostile, hospital):
    files, _, agreement = hostile
    assert "root:" not in pdf_tagged_text(files.pdf)
    fields = signature_fields(files.pdf)
    assert len(fields) == sum(len(p.signatories) for p in agreement.parties.values())
    assert all(re.fullmatch(r"Underskrift_T\d+_\w+", f["name"]) for f in fields)


def test_hostile_text_changes_no_page_size(hostile):
    files, _, _ = hostile
    with pikepdf.open(io.BytesIO(files.pdf)) as pdf:
        sizes = {tuple(round(float(v)) for v in page.MediaBox) for page in pdf.pages}
    assert sizes == {(0, 0, 595, 842)}


def test_hostile_text_in_a_yearly_record_prints_literally_in_the_report(scratch):
    path = scratch.root / "agreements" / "hospital" / "2016.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    counter = [0]
    for key in ("evaluated_by", "comment"):
        counter[0] += 1
        record[key] = f"T{counter[0]}: {HOSTILE}"
    for effort in record["efforts"].values():
        for key in ("indicator", "relevance", "next_step"):
            counter[0] += 1
            effort[key] = f"T{counter[0]}: {HOSTILE}"
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")
    text = squeezed(pdf_tagged_text(build_report(scratch, 2016).pdf))
    missing = [n for n in range(1, counter[0] + 1)
               if squeezed(f"T{n}: {HOSTILE}") not in text]
    assert missing == []
    assert "root:" not in text


def test_hostile_text_in_a_programmes_period_and_results_prints_literally_in_the_report(
        scratch):
    """The period's source, fora, goals' titles and members, and the year's narratives
    and comments: in the report's page 1, goals and members alike."""
    counter = [0]

    def marked() -> str:
        counter[0] += 1
        return f"T{counter[0]}: {HOSTILE}"

    path = scratch.root / "programmes" / "alliance.yaml"
    programme = yaml.safe_load(path.read_text(encoding="utf-8"))
    period = next(p for p in programme["periods"] if p["start"] == 2018)
    period["source"] = marked()
    period["fora"] = [marked(), marked()]
    for goal in period["goals"].values():
        goal["title"] = marked()
    for member in period["members"][:2]:
        member.update(name=marked(), title=marked(), organisation=marked())
    path.write_text(yaml.safe_dump(programme, allow_unicode=True, sort_keys=False), "utf-8")
    path = scratch.root / "programmes" / "alliance" / "2019.yaml"
    results = yaml.safe_load(path.read_text(encoding="utf-8"))
    for goal in results["goals"].values():
        goal.update(narrative=marked(), comment=marked())
    path.write_text(yaml.safe_dump(results, allow_unicode=True, sort_keys=False), "utf-8")
    text = squeezed(pdf_tagged_text(build_report(scratch, 2019).pdf))
    missing = [n for n in range(1, counter[0] + 1)
               if squeezed(f"T{n}: {HOSTILE}") not in text]
    assert missing == []
    assert "root:" not in text
