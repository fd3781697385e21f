"""The signing-ready PDF: content, signature fields, PDF/A markers, attachment."""

from __future__ import annotations

import io
import json

import pikepdf
import pytest
from extract import normalise, pdf_pieces, pdf_tagged_text, pdf_text, signature_fields
from validation import failed_rules

from aftaler.pipeline.steps import definition_json


@pytest.fixture(scope="module")
def pdf(built):
    return built.pdf


@pytest.fixture(scope="module")
def text(pdf):
    """The text in reading order (a table cell that runs onto the next page reads as one)."""
    return pdf_tagged_text(pdf)


@pytest.fixture(scope="module")
def opened(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        yield doc


def test_pdf_carries_every_effort_and_commitment_of_the_original(text, hospital):
    for effort in hospital.efforts:
        assert effort.name in text
        for commitment in effort.commitments.values():
            assert normalise(commitment) in text
        if effort.joint:
            assert normalise(effort.joint.text) in text


def test_pdf_carries_the_preamble_and_the_alliance_goal_in_danish_format(text, hospital):
    assert normalise(hospital.opening) in text
    for paragraph in hospital.preamble + hospital.cooperation:
        assert normalise(paragraph) in text
    assert ("HORSENS ALLIANCEN skal hvert år de næste fire år løfte 150 ekstra "
            "Horsensborgere væk fra offentlig forsørgelse.") in text
    assert ("Målet er, at Horsens Kommune ved udgangen af 2017 har 600 færre borgere på "
            "offentlig forsørgelse målt i forhold til landsgennemsnittet, og dermed have "
            "fjernet dækningsafgiften svarende til 40-45 mio. kr. ") in text + " "


def test_pdf_states_the_term_and_evaluation_clause(text, hospital):
    assert ("Aftalen træder i kraft den 1. november 2014 og løber frem til den "
            "31. december 2017.") in text
    assert normalise(hospital.evaluation) in text


def test_pdf_prints_each_signatorys_name_title_and_organisation(text):
    assert "Lisbeth Holsteen Jessen hospitalsdirektør, Hospitalsenheden Horsens" in text
    assert "Peter Sørensen borgmester, Horsens Kommune" in text


def test_pdf_numbers_its_pages_side_x_af_y(pdf):
    drawn = pdf_text(pdf)  # page furniture: not part of the reading order
    assert "Side 1 af 2" in drawn and "Side 2 af 2" in drawn


# --- signature fields ------------------------------------------------------------------

def test_one_unsigned_signature_field_per_signatory_named_after_them(pdf):
    fields = signature_fields(pdf)
    assert [f["name"] for f in fields] == ["Underskrift_Lisbeth_Holsteen_Jessen",
                                           "Underskrift_Peter_Soerensen"]
    assert not any(f["signed"] for f in fields)
    assert fields[1]["label"] == "Underskrift: Peter Sørensen, borgmester, Horsens Kommune"


def test_signature_fields_are_printable_with_an_appearance_and_tagged(pdf):
    for field in signature_fields(pdf):
        assert field["flags"] & 4  # print: PDF/A requires it
        assert field["has_appearance"]
        assert field["struct_parent"]


def test_each_signature_field_sits_inside_the_page_just_above_its_signatory(pdf, opened):
    pieces = pdf_pieces(pdf)
    for field, name in zip(signature_fields(pdf), ["Lisbeth Holsteen Jessen",
                                                   "Peter Sørensen"], strict=True):
        x1, y1, x2, y2 = field["rect"]
        width, height = (float(v) for v in opened.pages[field["page"]].MediaBox[2:])
        assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height
        assert y2 - y1 > 40 and x2 - x1 > 150  # room for a visible signature
        [(page, x, y, _)] = [p for p in pieces if p[3] == name]
        assert page == field["page"]
        assert x1 - 1 <= x <= x2  # the name is printed under the field's left part
        assert 0 < y1 - y < 30  # ... right below it


# --- PDF/A, tagging, metadata -----------------------------------------------------------

def test_pdf_declares_pdfa_3a_and_pdfua_1_in_xmp(opened):
    meta = opened.open_metadata()
    assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "A")
    assert meta["pdfuaid:part"] == "1"


@pytest.mark.parametrize("profile", ["3a", "ua1"])
def test_pdf_passes_pdfa_3a_and_pdfua_1_validation(pdf, profile):
    assert failed_rules(pdf, profile) == []


def test_pdf_has_an_srgb_output_intent_with_its_profile(opened):
    [intent] = opened.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1"
    profile = intent.DestOutputProfile.read_bytes()
    # an ICC display profile of RGB, whose description names sRGB (UTF-16 text)
    assert profile[36:40] == b"acsp" and profile[12:20] == b"mntrRGB "
    assert "sRGB".encode("utf-16-be") in profile


def test_every_font_is_embedded(opened):
    fonts = []
    for page in opened.pages:
        for font in page.Resources.Font.values():
            descendants = font.get("/DescendantFonts", [font])
            for f in descendants:
                descriptor = f.FontDescriptor
                fonts.append(str(f.BaseFont))
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                     "/FontFile3")), f.BaseFont
    assert fonts and all(f.split("+")[-1] in ("SourceSansPro-Regular", "SourceSansPro-Bold")
                         for f in fonts)


def test_info_and_xmp_metadata_agree(opened):
    info = {k: str(v) for k, v in opened.docinfo.items()}
    xmp = opened.open_metadata()
    assert info["/Title"] == xmp["dc:title"] == (
        "HORSENS ALLIANCE AFTALE – Hospitalsenheden Horsens og Horsens Kommune")
    assert [info["/Author"]] == xmp["dc:creator"] == ["HORSENS ALLIANCEN"]
    assert info["/Subject"] == xmp["dc:description"]
    assert info["/Keywords"] == xmp["pdf:Keywords"]
    assert info["/Producer"] == xmp["pdf:Producer"]
    assert info["/Creator"] == xmp["xmp:CreatorTool"]
    assert info["/CreationDate"] == "D:20141101000000Z"
    assert xmp["xmp:CreateDate"] == "2014-11-01T00:00:00Z"
    assert info["/ModDate"] == "D:20141101000000Z"
    assert xmp["xmp:ModifyDate"] == "2014-11-01T00:00:00Z"


def test_pdf_is_danish_and_shows_its_title_in_the_title_bar(opened):
    assert str(opened.Root.Lang) == "da"
    assert opened.open_metadata()["dc:language"] == {"da"}
    assert bool(opened.Root.ViewerPreferences.DisplayDocTitle) is True


def test_pdf_is_tagged_with_headings_and_a_table_with_header_cells(opened):
    assert bool(opened.Root.MarkInfo.Marked) is True
    kinds: set[str] = set()

    def walk(element):
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            kinds.add(str(element.S))
        kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
        if isinstance(kids, pikepdf.Array):
            for kid in kids:
                walk(kid)
        elif isinstance(kids, pikepdf.Dictionary):
            walk(kids)

    for top in opened.Root.StructTreeRoot.K:
        walk(top)
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/P", "/Form"} <= kinds


def test_pdf_has_no_javascript_and_no_encryption(pdf, opened):
    assert not opened.is_encrypted
    assert b"/JavaScript" not in pdf and b"/JS" not in pdf


# --- the definition travels with the PDF ---------------------------------------------

def test_definition_is_attached_as_json_source_equal_to_the_definition(opened, hospital):
    [spec] = opened.Root.AF
    assert spec.AFRelationship == "/Source"
    assert str(spec.F) == "aftale-hospital.json"
    assert spec.EF.F.Subtype == "/application/json"
    attached = opened.attachments["aftale-hospital.json"].get_file().read_bytes()
    assert attached == definition_json(hospital)
    assert json.loads(attached) == hospital.model_dump(mode="json")
