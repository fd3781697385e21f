"""`preflight --for nemlogin`: the port of NemLog-in's PDF check, on the SDK's own sample
documents, on PDFs made to probe each of its rules, and on our agreement PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from aftaler.cli import cli
from aftaler.receivers import nemlogin

SAMPLES = Path(__file__).parent / "fixtures" / "nemlogin"


def preflight(*paths: Path):
    return CliRunner().invoke(cli, ["preflight", *map(str, paths)])


def names(data: bytes) -> set[str]:
    return {r.name for r in nemlogin.refusals(data)}


def pdf_bytes(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.fixture
def empty_pdf() -> pikepdf.Pdf:
    """A one-page PDF with nothing but whitelisted names."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    return pdf


# The SDK's own documents

@pytest.mark.parametrize("sample", ["EmptyPage.pdf", "heiberg2002011324.pdf",
                                    "petersen2017120113.pdf"])
def test_the_sdks_sample_documents_pass(sample):
    result = preflight(SAMPLES / sample)
    assert result.exit_code == 0, result.output
    assert "NemLog-in would accept it" in result.output


def test_the_sdks_whitelist_error_document_is_refused_for_its_names_and_fonts():
    result = preflight(SAMPLES / "whitelist-error.pdf")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert any("/AcroForm: not on the whitelist" in line for line in lines)
    assert any("/URI: not on the whitelist" in line for line in lines)
    assert any("/TimesNewRoman,Bold: font not embedded" in line for line in lines)
    assert lines[-1].startswith("1 of 1 file(s) would be refused by NemLog-in (error SDK010)")


def test_a_signed_document_is_refused_for_its_signature_field():
    assert {"AcroForm", "FT", "Widget", "SigFlags"} <= names(
        (SAMPLES / "EmptyPage-signed.pdf").read_bytes())


def test_our_agreement_pdf_with_fields_and_attachment_is_refused_and_told_the_edition(
        built, tmp_path):
    pdf = tmp_path / "aftale-hospital.pdf"
    pdf.write_bytes(built.pdf)
    result = preflight(pdf)
    assert result.exit_code == 2
    for name in ("/AcroForm", "/FT", "/Widget", "/TU", "/SigFlags", "/EmbeddedFiles",
                 "/AF", "/AFRelationship", "/Filespec"):
        assert f"{name}: not on the whitelist" in result.output
    assert "agreement hospital --for nemlogin" in result.output.splitlines()[-1]


# The rules, one by one

def test_a_blank_page_passes(empty_pdf):
    assert names(pdf_bytes(empty_pdf)) == set()


def test_a_key_off_the_whitelist_is_refused(empty_pdf):
    empty_pdf.Root.Foo = 1
    assert names(pdf_bytes(empty_pdf)) == {"Foo"}


def test_a_name_value_off_the_whitelist_is_refused(empty_pdf):
    empty_pdf.Root.PageMode = pikepdf.Name("/Sideways")
    assert names(pdf_bytes(empty_pdf)) == {"Sideways"}


def test_names_inside_arrays_and_nested_dictionaries_are_checked(empty_pdf):
    empty_pdf.pages[0].obj.Annots = pikepdf.Array([
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name("/Cheer"))])
    assert names(pdf_bytes(empty_pdf)) == {"Cheer"}


def test_resource_names_under_a_whitelisted_key_are_free(empty_pdf):
    page = empty_pdf.pages[0].obj
    page.Resources = pikepdf.Dictionary(
        ExtGState=pikepdf.Dictionary(MyState=pikepdf.Dictionary(Type=pikepdf.Name.ExtGState)))
    assert names(pdf_bytes(empty_pdf)) == set()


def test_an_excluded_key_is_skipped_whole(empty_pdf):
    empty_pdf.Root.FontDescriptor = pikepdf.Dictionary(Invented=pikepdf.Name("/AlsoInvented"))
    assert names(pdf_bytes(empty_pdf)) == set()


def test_an_indirect_value_is_checked_as_its_own_object(empty_pdf):
    empty_pdf.Root.PageLabels = empty_pdf.make_indirect(pikepdf.Dictionary(Odd=1))
    refusals = nemlogin.refusals(pdf_bytes(empty_pdf))
    assert [r.name for r in refusals] == ["Odd"]
    assert refusals[0].objects != ((1, 0),)  # found in that object, not in the catalog


def test_an_object_nothing_refers_to_is_checked_too():
    catalog = "<< /Type /Catalog /Pages 2 0 R >>"
    pages = "<< /Type /Pages /Kids [] /Count 0 >>"
    assert names(raw_pdf(catalog, pages)) == set()
    assert names(raw_pdf(catalog, pages, "<< /Orphan 1 >>")) == {"Orphan"}


def raw_pdf(*objects: str) -> bytes:
    """A PDF written by hand, object 1 the catalog, with an exact cross-reference table:
    objects that nothing refers to stay in it (pikepdf would drop them when saving)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def test_a_name_written_with_hex_escapes_is_read_decoded(empty_pdf):
    empty_pdf.Root.PageMode = pikepdf.Name("/Use#4Futlines")  # /UseOutlines, escaped
    assert names(pdf_bytes(empty_pdf)) == set()


def test_font_names_matching_the_whitelists_pattern_pass(empty_pdf):
    empty_pdf.pages[0].obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary())
    empty_pdf.Root.Names = pikepdf.Dictionary(F12=1, Fx=2)
    assert names(pdf_bytes(empty_pdf)) == {"Fx"}


def test_a_font_neither_embedded_nor_standard_is_refused(empty_pdf):
    font = empty_pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType, BaseFont=pikepdf.Name("/Arial")))
    empty_pdf.pages[0].obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    refusals = nemlogin.refusals(pdf_bytes(empty_pdf))
    assert [(r.name, r.reason) for r in refusals] == [("Arial", "font not embedded")]


def test_a_standard_14_font_needs_no_embedding(empty_pdf):
    font = empty_pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
        BaseFont=pikepdf.Name.Helvetica))
    empty_pdf.pages[0].obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    assert names(pdf_bytes(empty_pdf)) == set()


def test_a_font_descriptor_without_a_font_file_is_refused(empty_pdf):
    descriptor = empty_pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/Calibri"), Flags=32))
    font = empty_pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType,
        BaseFont=pikepdf.Name("/Calibri"), FontDescriptor=descriptor))
    empty_pdf.pages[0].obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    refusals = nemlogin.refusals(pdf_bytes(empty_pdf))
    assert [(r.name, r.reason) for r in refusals] == [("Calibri", "font not embedded")]


# What the command says

def test_several_files_are_each_judged(tmp_path, empty_pdf):
    empty_pdf.Root.Foo = 1
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(pdf_bytes(empty_pdf))
    result = preflight(SAMPLES / "EmptyPage.pdf", bad)
    assert result.exit_code == 2
    assert "EmptyPage.pdf: NemLog-in would accept it" in result.output
    assert "bad.pdf: /Foo: not on the whitelist (in object 1 0)" in result.output
    assert "1 of 2 file(s) would be refused" in result.output


def test_a_file_that_is_not_a_pdf_is_one_line_and_exit_2(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\nnot really\n")
    result = preflight(junk)
    assert result.exit_code == 2
    problem = [line for line in result.output.splitlines() if "junk.pdf" in line]
    assert len(problem) == 1 and "cannot be read as a PDF" in problem[0]
    assert "Traceback" not in result.output


def test_a_damaged_pdf_that_needs_repair_is_refused(tmp_path):
    data = (SAMPLES / "EmptyPage.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: data.rindex(b"startxref")])  # no cross-reference pointer
    result = preflight(cut)
    assert result.exit_code == 2
    assert "cut.pdf: NemLog-in would refuse it: it " in result.output


def test_an_unprintable_name_is_shown_escaped(tmp_path, empty_pdf):
    empty_pdf.Root[pikepdf.Name("/Bad#0AName")] = 1
    assert nemlogin.refusals(pdf_bytes(empty_pdf))[0].name == "Bad\nName"
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(pdf_bytes(empty_pdf))
    assert "x.pdf: /Bad\\nName: not on the whitelist" in preflight(pdf).output
