"""Word and PDF say the same thing, every word: both are rendered from one document model.

`printed.py` lists every text a model says its documents print. The Word file of every
kind of document (agreements of two, three, four and fifteen parties, in columns and in
rows; whole reports, a report of one agreement, another programme's, a year without
agreements, a year with goals no effort serves, a year with evaluations missing) prints
exactly those texts, in that order, and nothing else; its header and footer are the
model's. The agreement's PDF (and one of twenty-five parties) reads, in the order of its
structure tree, as exactly those texts; its header, footer and "Side X af Y" are
artifacts, apart. (The report's PDF is checked for the agreement's required strings and
paragraphs below until its Typst template prints the model's new fields.)
"""

from __future__ import annotations

import printed
import pytest
from extract import docx_body, docx_furniture, docx_text, normalise, pdf_tagged_text

from aftaler.pipeline.steps import build_agreement, build_report

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
    definitions = examples.definitions
    out = {}
    for name in AGREEMENTS:
        agreement = definitions.agreement(name).model
        out[name] = build_agreement(name, agreement,
                                    definitions.programme(agreement.programme).model,
                                    examples.templates)
    return out


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
    definitions = Project(root).definitions
    agreement = definitions.agreement("twentyfive").model
    many = build_agreement("twentyfive", agreement,
                           definitions.programme(agreement.programme).model,
                           Project(root).templates)
    return {**{name: (f.document, f.pdf) for name, f in agreements.items()},
            "twentyfive": (many.document, many.pdf)}


@pytest.mark.parametrize("name", [*AGREEMENTS, "twentyfive"])
def test_the_agreements_pdf_reads_as_the_models_every_text_in_order_and_nothing_else(
        agreement_pdfs, name):
    doc, pdf = agreement_pdfs[name]
    # The tagged text leaves out header, footer and "Side X af Y" (artifacts).
    assert pdf_tagged_text(pdf) == normalise(" ".join(printed.agreement(doc)))
