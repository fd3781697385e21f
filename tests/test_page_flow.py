"""Pages that flow as a typesetter sets them: rows break under a repeated header row,
signatures stay together with the term, headings never end a page, two parties keep a
column each, and Word has no empty last page.

The definitions are the tests' own (tests/fixtures): long commitments, a first agreement
of two signatories for one party and one for the other, and a long effort name. Where a
rule depends on where the page break falls, the agreement is built again with one more
paragraph each time, so that the break falls everywhere around what is checked.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES, ROOT, build_named, convert_with_libreoffice
from extract import (
    normalise,
    pdf_lines,
    pdf_pieces,
    pdf_tagged_text,
    signature_fields,
    words_across_rules,
)

from aftaler.documents import agreement as document_model
from aftaler.pipeline.steps import render_pdf
from aftaler.project import Project

FLOW = ("long-commitments", "first-agreement", "long-effort-name")
# Each added paragraph is two lines: 24 of them move the page break across more than the
# term and both rows of signature blocks.
VARIANTS = 24
EXTRA = ("Parterne drøfter løbende, hvordan samarbejdet kan udvikles, og hvordan flere "
         "virksomheder kan inddrages i arbejdet med at få ledige i job.")


@pytest.fixture(scope="module")
def flow(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("flow")
    for folder in ("templates", "agreements", "programmes"):
        shutil.copytree(ROOT / folder, root / folder)
    for name in FLOW:
        shutil.copy(FIXTURES / f"{name}.yaml", root / "agreements" / f"{name}.yaml")
    return Project(root)


def variants(project: Project, name: str):
    """(document, PDF) of agreement `name` with 0 … VARIANTS-1 paragraphs added."""
    definitions = project.definitions
    agreement = definitions.agreement(name).model
    programme = definitions.programme(agreement.programme).model
    for n in range(VARIANTS):
        longer = agreement.model_copy(update={"preamble": [*agreement.preamble,
                                                          *[EXTRA] * n]})
        doc = document_model.build(name, longer, programme)
        yield n, doc, render_pdf(doc, longer, project.templates)


PAGE_HEIGHT = 841.89  # A4, in points
MM = 72 / 25.4


def body_lines(page: list) -> list:
    """A page's lines inside its margins (24 mm at the top, 26 mm at the bottom: not the
    running header and the footer), from the top down."""
    inside = [line for line in page
              if line[1][1] > 25 * MM and line[1][3] < PAGE_HEIGHT - 23 * MM]
    return sorted(inside, key=lambda line: -line[1][3])


# --- rows break across pages, under a repeated header ------------------------------------

@pytest.fixture(scope="module")
def long_commitments(flow):
    return build_named(flow, "long-commitments")


def test_a_long_commitment_breaks_across_pages_instead_of_leaving_one_half_empty(
        long_commitments):
    pages = pdf_lines(long_commitments.pdf)
    assert len(pages) >= 4
    for number, page in enumerate(pages[:-1]):
        lowest = min(box[1] for _, box in body_lines(page))
        assert lowest < PAGE_HEIGHT / 2, f"page {number + 1} is more than half empty"


def test_every_page_a_row_runs_onto_starts_with_the_header_row(long_commitments):
    pages = pdf_lines(long_commitments.pdf)
    for number, page in enumerate(pages[1:], start=2):
        if not any("Kommunen stiller" in text for text, _ in page):
            continue
        top = body_lines(page)[0][0].replace(" ", "")
        assert top in {"INDSATS", "HORSENSKOMMUNE", "BUSINESSHORSENS"}, (number, top)


def test_a_row_broken_across_pages_reads_as_one_text(long_commitments, flow):
    text = pdf_tagged_text(long_commitments.pdf)
    agreement = flow.definitions.agreement("long-commitments").model
    for effort in agreement.efforts:
        for commitment in effort.commitments.values():
            assert normalise(commitment) in text


# --- signatures: never split, the term with the first, none alone ------------------------

@pytest.fixture(scope="module")
def first_variants(flow):
    return list(variants(flow, "first-agreement"))


def test_the_page_break_falls_everywhere_around_the_signatures(first_variants):
    pages = {n: {f["page"] for f in signature_fields(pdf)} for n, _, pdf in first_variants}
    assert {len(p) for p in pages.values()} == {1}  # all three together, always ...
    assert len({min(p) for p in pages.values()}) >= 2  # ... on one page, then the next


def test_no_page_holds_a_single_signature_block_alone(first_variants):
    for n, _, pdf in first_variants:
        pieces = pdf_pieces(pdf)
        term_page = next(p for p, _, _, text in pieces if "Aftalen træder i kraft" in text)
        fields = signature_fields(pdf)
        for page in {f["page"] for f in fields}:
            on_page = [f for f in fields if f["page"] == page]
            assert len(on_page) > 1 or page == term_page, f"{n} paragraphs added"
        assert fields[0]["page"] == term_page, f"{n} paragraphs added: the term is alone"


def test_a_signature_block_is_never_split_across_pages(first_variants):
    for n, doc, pdf in first_variants:
        pieces = pdf_pieces(pdf)
        fields = {f["name"]: f for f in signature_fields(pdf)}
        for sig in doc.signatures:
            field = fields[sig.field]
            dates = [p for p, _, y, text in pieces if text == "Dato:" and y > field["rect"][3]]
            name_page = next(p for p, _, _, text in pieces if text == sig.name)
            assert name_page == field["page"] and field["page"] in dates, \
                f"{n} paragraphs added: {sig.name}"


# --- headings never end a page ----------------------------------------------------------

def test_no_heading_ends_a_page(first_variants):
    headings = {"AFTALENS INDHOLD", "AFTALENS PARTER"}
    checked = 0
    for n, _, pdf in first_variants:
        for number, page in enumerate(pdf_lines(pdf)[:-1]):
            last = body_lines(page)[-1][0].replace(" ", "")
            assert last not in {h.replace(" ", "") for h in headings}, \
                f"{n} paragraphs added: page {number + 1} ends with its heading"
            checked += 1
    assert checked > VARIANTS // 2


def test_no_heading_ends_a_page_of_a_report(project):
    from aftaler.pipeline.steps import build_report

    for year in (2016, 2019, 2023):
        files = build_report(project, year)
        doc = files.document
        headings = {doc.status_heading, doc.overview_heading, *(s.title for s in doc.sections),
                    *(f"{g.number}. {g.title}" for g in doc.goals)}
        if doc.period:
            headings.add(f"Mål {doc.period.years}")
        squeezed = {h.replace(" ", "") for h in headings}
        for number, page in enumerate(pdf_lines(files.pdf)[:-1]):
            last = body_lines(page)[-1][0].replace(" ", "")
            assert last not in squeezed, f"report {year}, page {number + 1}: {last}"


# --- two parties keep a column each -------------------------------------------------------

def test_two_parties_with_a_long_effort_name_keep_a_column_each(flow):
    files = build_named(flow, "long-effort-name")
    doc = files.document
    assert doc.layout == "columns" and len(doc.columns) == 2
    assert words_across_rules(files.pdf) == []
    lines = [text.replace(" ", "") for page in pdf_lines(files.pdf) for text, _ in page]
    assert any("ERHVERVSGRUNDUDDANNELSE" == line for line in lines)  # wrapped, not broken
    assert any("(EGU)" in line for line in lines)


# --- Word: no empty page, no signature block alone ------------------------------------------

def test_in_word_no_page_is_empty_and_no_signature_block_is_alone(flow, soffice, tmp_path):
    """Laid out by LibreOffice, as a user's office suite would: every page holds text of
    the document itself (not only the running header and the footer), and a page with
    a single signatory's name on it also holds the term."""
    from aftaler.render import word

    definitions = flow.definitions
    agreement = definitions.agreement("first-agreement").model
    programme = definitions.programme("alliance").model
    names = [s.name for p in agreement.parties.values() for s in p.signatories]
    files = {}
    for n in range(VARIANTS):
        longer = agreement.model_copy(update={"preamble": [*agreement.preamble,
                                                          *[EXTRA] * n]})
        doc = document_model.build("first-agreement", longer, programme)
        files[f"first-{n:02d}.docx"] = word.render(doc, flow.templates)
    laid_out = convert_with_libreoffice(soffice, files, tmp_path)
    for name, pdf in laid_out.items():
        for number, page in enumerate(pdf_lines(pdf)):
            lines = [text for text, _ in body_lines(page)]
            assert lines, f"{name}: page {number + 1} is empty"
            signing = [who for who in names if who in lines]
            term = any(text.startswith("Aftalen træder i kraft") for text in lines)
            assert len(signing) != 1 or term, f"{name}: {signing[0]} alone on a page"
