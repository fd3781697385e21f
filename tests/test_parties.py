"""Agreements of any number of parties, in both formats: names, layout, signatures.

The tests' own examples (tests/fixtures): three parties of HORSENS ALLIANCEN, and fifteen
parties of Vækstalliancen. The Word files are also laid out by LibreOffice, the office
suite a user compares with, and checked the same way as the PDFs.
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from conftest import build_named, convert_with_libreoffice
from docx import Document
from extract import (
    docx_paragraphs,
    docx_text,
    docx_xml,
    normalise,
    overlapping_glyphs,
    pdf_lines,
    pdf_pieces,
    pdf_text,
    signature_fields,
    text_of,
    words_across_rules,
)

from aftaler.documents.agreement import fits_as_columns
from aftaler.pipeline.steps import build_agreement

THREE = ["Horsens Kommune", "BusinessHorsens", "Erhvervsakademi Dania"]


@pytest.fixture(scope="module")
def three(examples):
    return build_named(examples, "three")


@pytest.fixture(scope="module")
def fifteen(examples):
    return build_named(examples, "fifteen")


@pytest.fixture(scope="module")
def hospital_files(examples):
    return build_named(examples, "hospital")


@pytest.fixture(scope="module")
def word_as_laid_out(soffice, three, fifteen, hospital_files, tmp_path_factory):
    """Each Word file as LibreOffice lays it out, as PDF."""
    files = {"three.docx": three.docx, "fifteen.docx": fifteen.docx,
             "hospital.docx": hospital_files.docx}
    return convert_with_libreoffice(soffice, files, tmp_path_factory.mktemp("lo"))


def words_broken_across_lines(data: bytes, words: list[str]) -> list[str]:
    """The words that no line of the laid-out document holds whole."""
    # letter-spaced headings come out of the PDF with spaces between their letters
    lines = [text.replace(" ", "") for page in pdf_lines(data) for text, _ in page]
    return [w for w in words if not any(w in line for line in lines)]


# --- names: every party, never one of several ------------------------------------------

def test_three_parties_are_counted_in_the_subtitle_and_listed_one_a_line_on_page_1(three):
    assert three.document.subtitle == "Aftale mellem 3 parter"
    assert [p.numbered for p in three.document.parties] == [
        f"{n}. {name}" for n, name in enumerate(THREE, start=1)]
    paragraphs = [normalise(p) for p in docx_paragraphs(three.docx)]
    listed = [paragraphs.index(f"{n}. {name}") for n, name in enumerate(THREE, start=1)]
    assert listed == sorted(listed) and listed[0] < paragraphs.index("AFTALENS INDHOLD")
    assert paragraphs[listed[0] + 1] == "Repræsenteret ved Peter Sørensen, borgmester"


def test_three_parties_are_all_named_in_the_title_and_metadata(three):
    subtitle = "Horsens Kommune, BusinessHorsens og Erhvervsakademi Dania"
    with pikepdf.open(io.BytesIO(three.pdf)) as pdf:
        title = str(pdf.docinfo["/Title"])
        assert title == pdf.open_metadata()["dc:title"] == f"HORSENS ALLIANCE AFTALE – {subtitle}"
        keywords = str(pdf.docinfo["/Keywords"])
    assert Document(io.BytesIO(three.docx)).core_properties.title == title
    assert all(name in keywords for name in THREE)


def test_a_footer_too_long_for_every_name_counts_the_parties(three):
    assert three.document.footer == ("HORSENS ALLIANCE AFTALE · 3 parter · 1. januar 2019 – "
                                     "31. december 2021")
    assert "HORSENS ALLIANCE AFTALE · 3 parter" in docx_text(three.docx)


def test_fifteen_parties_are_counted_in_the_subtitle_and_listed_in_full(fifteen):
    assert fifteen.document.subtitle == "Aftale mellem 15 parter"
    names = [p.name for p in fifteen.document.parties]
    assert len(names) == 15
    with pikepdf.open(io.BytesIO(fifteen.pdf)) as pdf:
        subject = str(pdf.docinfo["/Subject"])
    assert all(name in subject for name in names)
    for text in (docx_text(fifteen.docx), pdf_text(fifteen.pdf)):
        assert "AFTALENS PARTER" in text
        assert all(normalise(name) in text for name in names)


def test_the_programme_names_header_author_and_default_title(fifteen):
    assert fifteen.document.header == "Vækstalliancen"
    assert fifteen.document.title == "PARTNERSKABSAFTALE"
    pages = pdf_lines(fifteen.pdf)
    assert all(any(text.replace(" ", "") == "Vækstalliancen" for text, _ in page)
               for page in pages)
    assert "HORSENS ALLIANCEN" not in pdf_text(fifteen.pdf)
    with pikepdf.open(io.BytesIO(fifteen.pdf)) as pdf:
        assert str(pdf.docinfo["/Author"]) == "Vækstalliancen"
    assert "Vækstalliancen" in docx_xml(fifteen.docx, "word/header1.xml")
    assert Document(io.BytesIO(fifteen.docx)).core_properties.author == "Vækstalliancen"


# --- the layout: columns while every word fits, else parties as rows ---------------------

def test_up_to_three_parties_whose_words_fit_are_columns(three, hospital_files):
    assert three.document.layout == hospital_files.document.layout == "columns"
    assert three.document.columns == ("HORSENS KOMMUNE", "BUSINESSHORSENS",
                                      "ERHVERVSAKADEMI DANIA")


def test_four_parties_or_a_word_too_wide_for_its_column_are_rows(examples):
    three = examples.definitions.agreement("three").model
    fourth = three.parties["erhverv"].model_copy(update={"name": "LO Horsens-Hedensted"})
    four = three.model_copy(update={"parties": {**three.parties, "lo": fourth}})
    assert fits_as_columns(three) and not fits_as_columns(four)
    wide = three.parties["skole"].model_copy(
        update={"heading": "ERHVERVSUDDANNELSESINSTITUTIONEN"})
    assert not fits_as_columns(three.model_copy(
        update={"parties": {**three.parties, "skole": wide}}))


def test_fifteen_parties_give_each_effort_a_row_per_committed_party(fifteen):
    doc = fifteen.document
    assert doc.layout == "rows" and doc.columns == ()
    groups = {g.effort: [line.party for line in g.lines] for g in doc.groups}
    assert groups["ERHVERVSAREALER"] == ["Horsens Kommune", "BusinessHorsens", "Horsens Havn"]
    assert groups["IVÆRKSÆTTERI"] == [
        "BusinessHorsens, Vitus Bering Innovation Park og Insero"]
    assert groups["FÆLLES INDSATS"] == ["Alle parter"]
    for text in (docx_text(fifteen.docx), pdf_text(fifteen.pdf)):
        assert "INDSATS: KVALIFICERET ARBEJDSKRAFT" in text
        assert ("Alle parter Parterne mødes hvert halve år og følger op på væksten i antallet "
                "af arbejdspladser.") in text


def test_the_word_file_has_the_layout_of_the_pdf(three, fifteen):
    three_tables = Document(io.BytesIO(three.docx)).tables
    assert len(three_tables[0].columns) == 4  # INDSATS and a column per party
    content, _ = Document(io.BytesIO(fifteen.docx)).tables
    assert len(content.columns) == 2


@pytest.mark.parametrize("name", ["three", "fifteen", "hospital_files"])
def test_no_text_is_drawn_over_other_text_or_across_a_cell_in_the_pdf(name, request):
    pdf = request.getfixturevalue(name).pdf
    assert overlapping_glyphs(pdf) == []
    assert words_across_rules(pdf) == []


def test_four_parties_forced_into_columns_would_break_and_overflow_words(examples,
                                                                         monkeypatch):
    """Why four parties are not columns: the checks above catch what it does."""
    three = examples.definitions.agreement("three").model
    lo = three.parties["erhverv"].model_copy(update={"name": "LO Horsens-Hedensted"})
    four = three.model_copy(update={"parties": {**three.parties, "lo": lo}})
    monkeypatch.setattr("aftaler.documents.agreement.fits_as_columns", lambda a: True)
    programme = examples.definitions.programme("alliance").model
    files = build_agreement("four", four, programme, examples.templates)
    assert files.document.layout == "columns"
    assert words_across_rules(files.pdf) or words_broken_across_lines(
        files.pdf, ["HOSPITALSENHEDEN", "ERHVERVSAKADEMI", "HORSENS-HEDENSTED"])


@pytest.mark.parametrize("name", ["three", "fifteen", "hospital_files"])
def test_no_heading_or_name_breaks_inside_a_word_in_the_pdf(name, request):
    doc = request.getfixturevalue(name).document
    words = {w for text in (*doc.columns, *(r.effort for r in doc.rows),
                            *(g.effort for g in doc.groups), *(p.name for p in doc.parties))
             for w in text.split()}
    assert words_broken_across_lines(request.getfixturevalue(name).pdf, sorted(words)) == []


@pytest.mark.parametrize("name", ["three.docx", "fifteen.docx", "hospital.docx"])
def test_word_laid_out_by_libreoffice_has_no_overlap_and_no_broken_heading(
        name, word_as_laid_out, request):
    laid_out = word_as_laid_out[name]
    doc = request.getfixturevalue(
        {"three.docx": "three", "fifteen.docx": "fifteen"}.get(name, "hospital_files")).document
    assert overlapping_glyphs(laid_out) == []
    assert words_across_rules(laid_out) == []
    words = {w for text in (*doc.columns, *(p.name for p in doc.parties))
             for w in text.split()}
    assert words_broken_across_lines(laid_out, sorted(words)) == []


# --- signatures: a field for each, blocks whole, the term with the first ---------------------

def _page_of(pieces, text):
    return next(page for page, _, _, piece in pieces if text in piece)


@pytest.mark.parametrize("name", ["three", "fifteen"])
def test_every_signatory_has_a_field_on_the_page_of_their_printed_name(name, request):
    files = request.getfixturevalue(name)
    pieces = pdf_pieces(files.pdf)
    fields = {f["name"]: f for f in signature_fields(files.pdf)}
    assert len(fields) == len(files.document.signatures)
    for sig in files.document.signatures:
        field = fields[sig.field]
        page, y = next((p, y) for p, _, y, text in pieces if text == sig.name)
        assert field["page"] == page, sig.name
        assert field["rect"][1] > y  # the field is over the name, on the same page


@pytest.mark.parametrize("name", ["three", "fifteen"])
def test_the_term_stays_on_the_page_of_the_first_signature(name, request):
    files = request.getfixturevalue(name)
    pieces = pdf_pieces(files.pdf)
    first = signature_fields(files.pdf)[0]
    assert _page_of(pieces, "Aftalen træder i kraft") == first["page"]


def test_signature_rows_never_split_in_word(fifteen):
    from docx.oxml.ns import qn

    table = Document(io.BytesIO(fifteen.docx)).tables[-1]
    assert len(table.rows) == 9  # 17 signatories, two a row
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_the_term_is_kept_with_the_signatures_in_word(fifteen):
    body = Document(io.BytesIO(fifteen.docx)).paragraphs
    term = next(p for p in body if text_of(p).startswith("Aftalen træder i kraft"))
    assert term.paragraph_format.keep_with_next is True


def test_in_word_laid_out_by_libreoffice_the_term_is_on_the_first_signatures_page(
        word_as_laid_out, fifteen):
    pages = pdf_lines(word_as_laid_out["fifteen.docx"])
    page_of = {}
    for number, lines in enumerate(pages):
        for text, _ in lines:
            page_of.setdefault(text, number)
    term = next(n for text, n in page_of.items() if text.startswith("Aftalen træder i kraft"))
    first = fifteen.document.signatures[0].name
    assert page_of[first] == term
