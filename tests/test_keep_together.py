"""Word keeps together what belongs together, as LibreOffice lays the Word files out.

Each heading and lead-in starts on the page of what it introduces (no heading ends a
page), a short table (page 1's goals, a scorecard of a few efforts) stands on one page,
an effort's rows (its target's too) stay together, the term with the first signatures,
and no effort's name breaks inside a word in a scorecard. Where each text of the model
starts is found by reading the laid-out pages in order (tests/printed.py gives the order).

Besides the shipped documents, each check runs on sweeps: the same agreement or report
with a paragraph before the content grown step by step, so that the end of a page falls
at every place in turn, where a missing keep shows.
"""

from __future__ import annotations

import io
from dataclasses import replace

import printed
import pypdf
import pytest
from conftest import convert_with_libreoffice
from extract import normalise, overlapping_glyphs, pdf_lines, pdf_tagged_pages, words_across_rules

from aftaler.documents import agreement as agreement_model
from aftaler.documents import report
from aftaler.pipeline.steps import build_agreement, build_report
from aftaler.render.reportfiles import render_docx

REPORTS = {"r2016": (2016, None, None), "r2016-hospital": (2016, None, "hospital"),
           "r2019": (2019, None, None), "r2023": (2023, None, None),
           "r2023-vaekst": (2023, "vaekstalliancen", None)}
AGREEMENTS = ["three", "fifteen", "akut", "samarbejde-2018"]
STEPS = range(0, 36, 2)  # lines of filler, more or less
SWEEPS = [f"{base}-{step}" for base in ("three", "akut") for step in STEPS] + \
    [f"r2023-{step}" for step in STEPS]
FILLER = ("Parterne mødes jævnligt og følger op på aftalens indsatser, så de løbende kan "
          "tilpasses de behov, der viser sig undervejs i samarbejdet. ")


@pytest.fixture(scope="module")
def laid_out(examples, soffice, tmp_path_factory):
    """name -> (model, the Word file as LibreOffice lays it out), in one LibreOffice run."""
    models, files = {}, {}
    for name, (year, programme, only) in REPORTS.items():
        built = build_report(examples, year, programme_id=programme, only=only)
        models[name], files[f"{name}.docx"] = built.document, built.docx
    definitions = examples.definitions
    for name in AGREEMENTS:
        agreement = definitions.agreement(name).model
        built = build_agreement(name, agreement,
                                definitions.programme(agreement.programme).model,
                                examples.templates)
        models[name], files[f"{name}.docx"] = built.document, built.docx
    for step in STEPS:  # the agreements' content table and signatures swept by page ends
        for base in ("three", "akut"):
            agreement = definitions.agreement(base).model
            longer = agreement.model_copy(update={"preamble": [FILLER * step] if step else []})
            built = build_agreement(base, longer, definitions.programme("alliance").model,
                                    examples.templates)
            models[f"{base}-{step}"], files[f"{base}-{step}.docx"] = built.document, built.docx
        doc = _report_2023(examples, FILLER * step)  # the goals of 2022-2025 swept
        models[f"r2023-{step}"], files[f"r2023-{step}.docx"] = doc, render_docx(
            doc, examples.templates)
    pdfs = convert_with_libreoffice(soffice, files, tmp_path_factory.mktemp("keep"))
    return {name: (models[name], pdfs[f"{name}.docx"]) for name in models}


def _report_2023(project, filler: str):
    """The report of 2023, the first goal's narrative made longer by `filler`."""
    definitions = project.definitions
    programme = definitions.programme("alliance").model
    agreements = {n: definitions.agreement(n).model for n in definitions.names()}
    agreements = {n: a for n, a in agreements.items() if a.programme == "alliance"}
    data = definitions.records.year(2023, "alliance", programme, agreements)
    goals = dict(data.programme.goals)
    first = goals["rekruttering"]
    goals["rekruttering"] = first.model_copy(update={"narrative": filler + first.narrative})
    data = replace(data, programme=data.programme.model_copy(update={"goals": goals}))
    return report.build(2023, programme, agreements, data)


def pages_of(texts: list[str], pdf: bytes) -> list[int]:
    """The page each text starts on, the texts read in order through the pages."""
    if isinstance(pdf, Tagged):  # read in reading order (Typst draws a cell spanning
        # rows after the row beside it)
        return _pages_in_order(texts, [p.replace(" ", "") for p in pdf_tagged_pages(pdf)])
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        pieces: list[str] = []
        page.extract_text(visitor_text=lambda text, *_, pieces=pieces: pieces.append(text))
        # Without spaces: LibreOffice draws each content control's text as a piece of its
        # own, and pieces are joined with spaces ("Sørensen , borgmester").
        pages.append(normalise(" ".join(pieces)).replace(" ", ""))
    return _pages_in_order(texts, pages)


def _pages_in_order(texts: list[str], pages: list[str]) -> list[int]:
    out, page, at = [], 0, 0
    for text in texts:
        key = normalise(text).replace(" ", "")[:40]
        found = pages[page].find(key, at)
        while found < 0:
            page, at = page + 1, 0
            assert page < len(pages), f"not in the laid-out pages: {text!r}"
            found = pages[page].find(key, at)
        out.append(page)
        at = found + len(key)
    return out


def _texts(doc) -> list[str]:
    return printed.report(doc) if hasattr(doc, "sections") else printed.agreement(doc)


def leads(doc) -> set[str]:
    """The texts that introduce what follows them: headings and lead-ins."""
    if not hasattr(doc, "sections"):
        return {doc.parties_heading, doc.content_heading, doc.content_intro or "", doc.term,
                *(p.numbered for p in doc.parties)}
    out = {doc.status_heading, doc.bar.heading if doc.bar else "",
           doc.overview_heading, doc.marks_heading}
    if doc.period:
        out |= {doc.period.heading, doc.period.members_heading}
        out |= {g.heading for g in doc.goals} | {g.served_lead for g in doc.goals if g.served}
    for s in doc.sections:
        out |= {s.title, s.meta, s.comment_heading, s.efforts_heading}
        out |= {e.name for e in s.efforts}
    out |= {m.heading for m in doc.marks} | {m.criteria_lead for m in doc.marks}
    return out - {""}


@pytest.mark.parametrize("name", [*REPORTS, *AGREEMENTS, *SWEEPS])
def test_no_heading_or_lead_in_ends_a_page(laid_out, name):
    doc, pdf = laid_out[name]
    texts = _texts(doc)
    pages = pages_of(texts, pdf)
    alone = [text for i, text in enumerate(texts[:-1])
             if text in leads(doc) and pages[i] != pages[i + 1]]
    assert alone == []


def _after(texts: list[str], start: int, text: str) -> int:
    return start + texts[start:].index(text)


@pytest.mark.parametrize("name", [*AGREEMENTS, *SWEEPS[:-len(STEPS)]])
def test_an_efforts_rows_and_the_term_with_the_first_signatures_stay_together(
        laid_out, name):
    doc, pdf = laid_out[name]
    texts = printed.agreement(doc)
    pages = pages_of(texts, pdf)
    together = []  # (first, last) index of what stands on one page
    at = texts.index(doc.content_heading)
    for effort in (*doc.rows, *doc.groups):
        if hasattr(effort, "cells"):  # a row: the effort, its non-empty cells, its target
            first = _after(texts, at, effort.effort)
            last = first + sum(1 for c in effort.cells if c.text)
        else:  # a group: its heading, each line's parties and text, its target
            first = _after(texts, at, effort.heading)
            last = first + sum(len(line.who) + 1 for line in effort.lines)
        last += 1 if effort.target else 0
        together.append((first, last))
        at = last
    term = texts.index(doc.term)
    together.append((term, _after(texts, term, doc.signatures[0].name)))
    assert [(texts[a], texts[b]) for a, b in together if pages[a] != pages[b]] == []


@pytest.mark.parametrize("name", [*REPORTS])
def test_page_ones_goals_and_short_scorecards_stand_on_one_page(laid_out, name):
    doc, pdf = laid_out[name]
    texts = _texts(doc)
    pages = pages_of(texts, pdf)
    tables = []  # (first text, last text) of each table that must stand on one page
    if doc.dashboard:
        first = _after(texts, texts.index(doc.status_heading), doc.dashboard.columns[0])
        tables.append((first, _after(texts, first, doc.dashboard.lines[-1].status.label)))
    for s in doc.sections:
        if s.efforts and len(s.efforts) <= 8:
            first = _after(texts, texts.index(s.meta), s.scorecard_columns[0])
            tables.append((first, _after(texts, first, s.efforts[-1].next_step)))
    assert tables
    assert [(texts[a], texts[b]) for a, b in tables if pages[a] != pages[b]] == []


@pytest.mark.parametrize("name", ["r2016", "r2016-hospital", "r2019"])
def test_no_efforts_name_breaks_inside_a_word_in_a_scorecard(laid_out, name):
    doc, pdf = laid_out[name]
    words = {w for s in doc.sections for e in s.efforts for w in e.name.split()}
    lines = [text.replace(" ", "") for page in pdf_lines(pdf) for text, _ in page]
    assert [w for w in sorted(words) if not any(w in line for line in lines)] == []


# --- the report's PDF, set by Typst: the same checks on its pages ---------------------------

@pytest.fixture(scope="module")
def typeset_reports(examples):
    """name -> (model, the report's PDF as Typst sets it): the reports and the sweeps."""
    from aftaler.render.reportfiles import render_pdf

    out = {}
    for name, (year, programme, only) in REPORTS.items():
        built = build_report(examples, year, programme_id=programme, only=only)
        out[name] = (built.document, built.pdf)
    for step in STEPS:
        doc = _report_2023(examples, FILLER * step)
        out[f"r2023-{step}"] = (doc, render_pdf(doc, b"{}", "evaluering-2023.json",
                                                examples.templates))
    return out


REPORT_SWEEPS = [f"r2023-{step}" for step in STEPS]


@pytest.mark.parametrize("name", [*REPORTS, *REPORT_SWEEPS])
def test_in_the_pdf_no_heading_or_lead_in_of_a_report_ends_a_page(typeset_reports, name):
    doc, pdf = typeset_reports[name]
    texts = printed.report(doc)
    pages = pages_of(texts, pdf)
    alone = [text for i, text in enumerate(texts[:-1])
             if text in leads(doc) and pages[i] != pages[i + 1]]
    assert alone == []


@pytest.mark.parametrize("name", [*REPORTS, *REPORT_SWEEPS])
def test_in_the_pdf_page_ones_goals_and_short_scorecards_stand_on_one_page(typeset_reports, name):
    doc, pdf = typeset_reports[name]
    texts = printed.report(doc)
    pages = pages_of(texts, pdf)
    tables = []  # (first text, last text) of each table that must stand on one page
    if doc.dashboard:
        first = _after(texts, texts.index(doc.status_heading), doc.dashboard.columns[0])
        tables.append((first, _after(texts, first, doc.dashboard.key or
                                     doc.dashboard.lines[-1].status.label)))
    for s in doc.sections:
        if s.efforts and len(s.efforts) <= 8:
            first = _after(texts, texts.index(s.meta), s.scorecard_columns[0])
            tables.append((first, _after(texts, first, s.efforts[-1].next_step)))
    if doc.bar:  # the bar with its legend
        first = texts.index(doc.bar.heading)
        tables.append((first, _after(texts, first, " ".join(doc.bar.legend))))
    assert tables
    assert [(texts[a], texts[b]) for a, b in tables if pages[a] != pages[b]] == []


@pytest.mark.parametrize("name", [*REPORTS, *REPORT_SWEEPS])
def test_the_bar_stands_with_its_heading_and_legend_in_word(laid_out, name):
    doc, pdf = laid_out[name]
    texts = printed.report(doc)
    pages = pages_of(texts, pdf)
    first = texts.index(doc.bar.heading)
    last = _after(texts, first, " ".join(doc.bar.legend))
    assert pages[first] == pages[last]


@pytest.mark.parametrize("name", [*REPORTS])
def test_no_word_of_a_report_overlaps_another_or_runs_across_a_rule_in_word(laid_out, name):
    _, pdf = laid_out[name]
    assert overlapping_glyphs(pdf) == []
    assert words_across_rules(pdf) == []

# --- the agreement's PDF, as Typst sets it ------------------------------------------------

@pytest.fixture(scope="module")
def typeset_agreements(examples):
    """name -> (model, the agreement's PDF): the agreements and their sweeps, as Typst
    sets them (the same texts and keeps as the Word files above)."""
    from aftaler.pipeline.steps import render_pdf

    definitions = examples.definitions
    out = {}
    for name in AGREEMENTS:
        agreement = definitions.agreement(name).model
        built = build_agreement(name, agreement,
                                definitions.programme(agreement.programme).model,
                                examples.templates)
        out[name] = (built.document, Tagged(built.pdf))
    for step in STEPS:
        for base in ("three", "akut"):
            agreement = definitions.agreement(base).model
            longer = agreement.model_copy(update={"preamble": [FILLER * step] if step else []})
            doc = agreement_model.build(base, longer, definitions.programme("alliance").model)
            out[f"{base}-{step}"] = (doc, Tagged(render_pdf(doc, longer, examples.templates)))
    return out


class Tagged(bytes):
    """A tagged PDF, its pages read in the order of its structure tree."""


PDF_CASES = [*AGREEMENTS, *SWEEPS[:-len(STEPS)]]


@pytest.mark.parametrize("name", PDF_CASES)
def test_no_heading_or_lead_in_ends_a_page_of_the_agreements_pdf(typeset_agreements, name):
    test_no_heading_or_lead_in_ends_a_page(typeset_agreements, name)


@pytest.mark.parametrize("name", PDF_CASES)
def test_an_efforts_rows_and_the_term_with_the_first_signatures_stay_together_in_the_pdf(
        typeset_agreements, name):
    test_an_efforts_rows_and_the_term_with_the_first_signatures_stay_together(
        typeset_agreements, name)
