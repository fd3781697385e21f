"""The signing edition for NemLog-in: the same pages and text as the agreement PDF, tagged
PDF/A-3a and PDF/UA-1, no form fields, no attachment, every font embedded, and only
names NemLog-in's check accepts (judged by the port of its SDK's check,
aftaler/receivers/nemlogin.py, and by page-validation)."""

from __future__ import annotations

import io

import pikepdf
import pypdf
import pytest
from click.testing import CliRunner
from extract import normalise
from validation import failed_rules

from aftaler.cli import cli
from aftaler.pipeline.steps import build_agreement
from aftaler.receivers.nemlogin import refusals


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def edition_of(project, name: str):
    definitions = project.definitions
    agreement = definitions.agreement(name).model
    return build_agreement(name, agreement, definitions.programme(agreement.programme).model,
                           project.templates, editions=("nemlogin",))


@pytest.fixture(scope="module", params=["hospital", "three", "fifteen"])
def built(request, examples):
    return edition_of(examples, request.param)


def page_texts(data: bytes) -> list[str]:
    return [normalise(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_nemlogin_would_accept_the_edition(built):
    assert refusals(built.editions["nemlogin"]) == []


def test_nemlogin_would_refuse_the_pdf_with_fields_and_attachment(built):
    refused = {r.name for r in refusals(built.pdf)}
    assert {"AcroForm", "Widget", "EmbeddedFiles", "AF"} <= refused


@pytest.mark.parametrize("profile", ["3a", "ua1"])
def test_the_edition_is_pdfa_3a_and_pdfua_1(built, profile):
    assert failed_rules(built.editions["nemlogin"], profile) == []


def test_the_edition_has_the_same_pages_and_text(built):
    assert page_texts(built.editions["nemlogin"]) == page_texts(built.pdf)


def test_the_edition_has_no_form_fields_no_attachment_and_embeds_every_font(built):
    with pikepdf.open(io.BytesIO(built.editions["nemlogin"])) as pdf:
        assert "/AcroForm" not in pdf.Root and "/AF" not in pdf.Root
        assert "/Names" not in pdf.Root or "/EmbeddedFiles" not in pdf.Root.Names
        assert not pdf.attachments
        assert all("/Annots" not in page.obj for page in pdf.pages)
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "A")
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                for f in font.get("/DescendantFonts", [font]):
                    assert "/FontFile2" in f.FontDescriptor, f.BaseFont


def test_the_edition_is_reproducible(examples, built):
    again = edition_of(examples, built.document.name)
    assert again.editions["nemlogin"] == built.editions["nemlogin"]


# --- the command, and the signing route of a definition ---------------------------------

def test_for_nemlogin_writes_the_edition_beside_the_other_files(scratch):
    result = run(scratch, "agreement", "hospital", "--for", "nemlogin")
    assert result.exit_code == 0, result.output
    docx, pdf = scratch.agreement_files("hospital")
    edition = scratch.edition_file("hospital", "nemlogin")
    assert edition.name == "aftale-hospital-nemlogin.pdf"
    assert result.stdout.splitlines() == [str(docx), str(pdf), str(edition)]
    check = run(scratch, "preflight", str(edition), "--for", "nemlogin")
    assert check.exit_code == 0, check.output


def test_without_a_signing_route_nothing_changes(scratch):
    result = run(scratch, "agreement", "--all")
    assert result.exit_code == 0, result.output
    assert not list(scratch.agreements_output.glob("*-nemlogin.pdf"))
    assert len(result.stdout.splitlines()) == 2 * len(scratch.definitions.names())


def route(path, value: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"signing: {value}\n")


def test_an_agreement_naming_nemlogin_gets_its_edition_with_all(scratch):
    route(scratch.root / "agreements" / "hospital.yaml", "nemlogin")
    result = run(scratch, "agreement", "--all", "-j", "1")
    assert result.exit_code == 0, result.output
    assert str(scratch.edition_file("hospital", "nemlogin")) in result.stdout.splitlines()
    assert not scratch.edition_file("samarbejde-2018", "nemlogin").exists()


def test_a_programmes_route_applies_unless_the_agreement_names_another(scratch):
    route(scratch.root / "programmes" / "alliance.yaml", "nemlogin")
    route(scratch.root / "agreements" / "samarbejde-2018.yaml", "pdf")
    result = run(scratch, "agreement", "hospital", "samarbejde-2018")
    assert result.exit_code == 0, result.output
    assert scratch.edition_file("hospital", "nemlogin").is_file()
    assert not scratch.edition_file("samarbejde-2018", "nemlogin").exists()


def test_the_up_to_date_record_covers_the_edition(scratch):
    route(scratch.root / "agreements" / "hospital.yaml", "nemlogin")
    assert run(scratch, "agreement", "hospital").exit_code == 0
    edition = scratch.edition_file("hospital", "nemlogin")
    again = run(scratch, "agreement", "hospital")
    assert f"up to date: {edition}" in again.stderr
    edition.unlink()  # removed by hand: built again
    rebuilt = run(scratch, "agreement", "hospital")
    assert "up to date" not in rebuilt.stderr and edition.is_file()


def test_an_edition_no_longer_asked_for_is_removed_with_the_next_build(scratch):
    path = scratch.root / "agreements" / "hospital.yaml"
    assert run(scratch, "agreement", "hospital", "--for", "nemlogin").exit_code == 0
    path.write_text(path.read_text(encoding="utf-8").replace(
        "forpligtende samarbejde", "forpligtende og tæt samarbejde", 1), encoding="utf-8")
    assert run(scratch, "agreement", "hospital").exit_code == 0
    assert not scratch.edition_file("hospital", "nemlogin").exists()


def test_an_unknown_route_is_a_located_error(scratch):
    route(scratch.root / "agreements" / "hospital.yaml", "penneo")
    result = run(scratch, "agreement", "hospital")
    assert result.exit_code == 2
    [problem, total] = result.output.splitlines()
    assert problem.startswith("agreements/hospital.yaml:")
    assert problem.endswith(": signing: input should be 'nemlogin' or 'pdf'")
    assert total == "Error: 1 problem(s) found"


def test_an_agreement_named_like_an_edition_is_refused_before_it_is_overwritten(scratch):
    source = scratch.root / "agreements" / "hospital.yaml"
    (scratch.root / "agreements" / "hospital-nemlogin.yaml").write_text(
        source.read_text(encoding="utf-8"), encoding="utf-8")
    result = run(scratch, "agreement", "hospital", "--for", "nemlogin")
    assert result.exit_code == 2
    assert "aftale-hospital-nemlogin.pdf" in result.output


# --- the archive knows the edition, which carries no definition -------------------------

def test_the_edition_says_what_it_is_in_its_xmp(built):
    with pikepdf.open(io.BytesIO(built.editions["nemlogin"])) as pdf:
        xmp = pdf.open_metadata()
        assert xmp["dc:identifier"] == f"aftale-{built.document.name}"
        assert set(xmp["dc:type"]) == {"Aftale"}


def test_the_archive_files_the_edition_under_its_agreement_and_year(scratch):
    assert run(scratch, "agreement", "hospital", "--for", "nemlogin").exit_code == 0
    edition = scratch.edition_file("hospital", "nemlogin")
    result = run(scratch, "archive", "add", str(edition))
    assert result.exit_code == 0, result.output
    assert (scratch.root / "archive" / "2014" / "hospital" / edition.name).is_file()


def test_an_example_agreements_edition_is_left_out_of_the_archive(scratch):
    assert run(scratch, "agreement", "samarbejde-2018", "--for", "nemlogin").exit_code == 0
    edition = scratch.edition_file("samarbejde-2018", "nemlogin")
    with pikepdf.open(edition) as pdf:
        assert set(pdf.open_metadata()["dc:type"]) == {"Aftale", "Eksempel"}
    result = run(scratch, "archive", "add", str(edition))
    assert result.exit_code == 0, result.output
    assert "left out" in result.output
    assert not (scratch.root / "archive" / "2018").exists()
