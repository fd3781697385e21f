"""Word and PDF say the same thing, every word: both are rendered from one document model.

`printed.py` lists every text a model says its documents print. The Word file of every
kind of document (agreements of two, three, four and fifteen parties, in columns and in
rows; whole reports, a report of one agreement, another programme's, a year without
agreements, a year with goals no effort serves, a year with evaluations missing) prints
exactly those texts, in that order, and nothing else; its header and footer are the
model's. The agreement's PDF (and one of twenty-five parties) reads, in the order of its
structure tree, as exactly those texts; its header, footer and "Side X af Y" are
artifacts, apart. The report's PDF is held to the same list, in order and with nothing
left over (at the end), and has the model's header and footer on every page.
"""

from __future__ import annotations

import printed
import pytest
from conftest import build_named
from extract import (
    docx_body,
    docx_furniture,
    docx_text,
    normalise,
    overlapping_glyphs,
    pdf_pieces,
    pdf_tagged_text,
    words_across_rules,
)

from aftaler.pipeline.steps import build_report

AGREEMENTS = ["hospital", "three", "fifteen", "akut", "samarbejde-2018"]
REPORTS = [  # (year, programme, agreement alone)
    (2016, None, None), (2016, None, "hospital"), (2014, None, None), (2019, None, None),
    (2023, None, None), (2023, "vaekstalliancen", None), (2023, None, "akut")]


def required_strings(agreement) -> list[str]:
    out = []
    for effort in agreement.efforts:
        out.append(effort.name)
        out += list(effort.commitments.values())
        if effort.joint:
            out.append(effort.joint.text)
    for party in agreement.parties.values():
        out.append(party.name)
        for s in party.signatories:
            out += [s.name, f"{s.title}, {party.name}"]
    out += ["1. november 2014", "31. december 2017", "40-45 mio. kr.", agreement.evaluation]
    return [normalise(s) for s in out]


def test_word_and_pdf_both_carry_every_required_string(built, hospital):
    word, pdf = docx_text(built.docx), pdf_tagged_text(built.pdf)
    missing = {s: (s in word, s in pdf) for s in required_strings(hospital)
               if s not in word or s not in pdf}
    assert missing == {}


def test_word_and_pdf_carry_the_same_paragraphs(built):
    word, pdf = docx_text(built.docx), pdf_tagged_text(built.pdf)
    for paragraph in built.document.paragraphs:
        assert normalise(paragraph) in word
        assert normalise(paragraph) in pdf


@pytest.fixture(scope="module")
def agreements(examples):
    return {name: build_named(examples, name) for name in AGREEMENTS}


@pytest.mark.parametrize("name", AGREEMENTS)
def test_the_agreements_word_file_prints_the_models_every_text_and_nothing_else(
        agreements, name):
    files = agreements[name]
    assert docx_body(files.docx) == [normalise(t) for t in printed.agreement(files.document)]


@pytest.mark.parametrize("name", AGREEMENTS)
def test_the_agreements_header_and_footer_are_the_models(agreements, name):
    doc = agreements[name].document
    header, footer = docx_furniture(agreements[name].docx)
    assert header == normalise(doc.header)
    assert footer == normalise(f"{doc.footer} Side 1 af 1")  # the fields' saved values


@pytest.mark.parametrize("year, programme, only", REPORTS)
def test_the_reports_word_file_prints_the_models_every_text_and_nothing_else(
        examples, year, programme, only):
    files = build_report(examples, year, programme_id=programme, only=only)
    assert docx_body(files.docx) == [normalise(t) for t in printed.report(files.document)]
    header, footer = docx_furniture(files.docx)
    assert (header, footer) == (normalise(files.document.header),
                                normalise(f"{files.document.footer} Side 1 af 1"))


# --- the agreement's PDF: the same texts, in reading order -------------------------------

@pytest.fixture(scope="module")
def agreement_pdfs(agreements, tmp_path_factory):
    """The agreements above and one of twenty-five parties, as Typst sets them."""
    import shutil

    from conftest import FIXTURES, ROOT

    from aftaler.project import Project

    root = tmp_path_factory.mktemp("twentyfive")
    for folder in ("templates", "agreements", "programmes"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(FIXTURES / "twentyfive-parties.yaml", root / "agreements" / "twentyfive.yaml")
    many = build_named(Project(root), "twentyfive")
    return {**{name: (f.document, f.pdf) for name, f in agreements.items()},
            "twentyfive": (many.document, many.pdf)}


@pytest.mark.parametrize("name", [*AGREEMENTS, "twentyfive"])
def test_the_agreements_pdf_reads_as_the_models_every_text_in_order_and_nothing_else(
        agreement_pdfs, name):
    doc, pdf = agreement_pdfs[name]
    # The tagged text leaves out header, footer and "Side X af Y" (artifacts).
    assert pdf_tagged_text(pdf) == normalise(" ".join(printed.agreement(doc)))


# --- the report's PDF, set by Typst from the same model ------------------------------------

LIST_LABEL = "•"  # a list item's label: drawn and tagged, not a text of the model
REPORT_PDFS = [*REPORTS, (2022, None, None)]  # and a year without agreements in force


def _joined(text: str) -> str:
    """A text as compared with the PDF's: a line that breaks after a hyphen ('LO Horsens-
    Hedensted') reads with a space there, so a space after a hyphen is left out."""
    return normalise(text).replace("- ", "-")


def unprinted(pdf_text: str, texts: list[str]) -> tuple[list[str], list[str]]:
    """Reading `texts` in order through `pdf_text`: those not found after the one before,
    and the words between them (and after the last) that are none of them, lists' labels
    aside."""
    pdf_text = _joined(pdf_text)
    missing, left, at = [], [], 0
    for text in map(_joined, texts):
        found = pdf_text.find(text, at)
        if found < 0:
            missing.append(text)
            continue
        left += pdf_text[at:found].split()
        at = found + len(text)
    left += pdf_text[at:].split()
    return missing, [word for word in left if word != LIST_LABEL]


@pytest.fixture(scope="module")
def reports(examples):
    return {kind: build_report(examples, kind[0], programme_id=kind[1], only=kind[2])
            for kind in REPORT_PDFS}


@pytest.mark.parametrize("kind", REPORT_PDFS)
def test_the_reports_pdf_prints_the_models_every_text_in_order_and_nothing_else(
        reports, kind):
    files = reports[kind]
    texts = printed.report(files.document)
    assert unprinted(pdf_tagged_text(files.pdf, figures=False), texts) == ([], [])


A4_TOP, MARGIN_TOP, MARGIN_BOTTOM = 841.89, 24 * 72 / 25.4, 26 * 72 / 25.4  # points


@pytest.mark.parametrize("kind", REPORT_PDFS)
def test_the_reports_pdf_has_the_models_header_and_footer_on_every_page(reports, kind):
    files = reports[kind]
    doc = files.document
    pieces = pdf_pieces(files.pdf)
    pages = max(page for page, *_ in pieces) + 1
    for page in range(pages):
        head = [t for p, _, y, t in pieces if p == page and y > A4_TOP - MARGIN_TOP]
        foot = [t for p, _, y, t in pieces if p == page and y < MARGIN_BOTTOM]
        # spaces aside: the header's letter spacing reads as a space between letters
        assert ("".join(head).replace(" ", ""), "".join(foot).replace(" ", "")) == (
            doc.header.replace(" ", ""), f"{doc.footer}Side{page + 1}af{pages}".replace(" ", ""))


PUNCTUATION = set(".,;:”’»«")  # kerned pairs ('.”') sit over each other by design


@pytest.mark.parametrize("kind", REPORT_PDFS)
def test_no_word_of_the_reports_pdf_overlaps_another_or_runs_across_a_rule(reports, kind):
    pdf = reports[kind].pdf
    assert [(page, a, b) for page, a, b in overlapping_glyphs(pdf)
            if not {a, b} <= PUNCTUATION] == []
    assert words_across_rules(pdf) == []
