"""The yearly report rendered: Word (docxtpl) and PDF/A (Typst), with its charts."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from ..documents.report import ChartText, EffortBar, ReportDocument, Status
from ..sources.records import YearData
from . import charts as chart_maker
from . import pdf, word, wordxml
from .templates import TemplateFolder
from .typesetting import compile_png, inputs

WORD_TEMPLATE, PDF_TEMPLATE, CHART_TEMPLATE = "report.docx", "report.typ", "chart.typ"
STYLES = ("Table Heading", "Table Text", "Heading 1", "Heading 2", "Heading 3", "Caption",
          "List Bullet")
WIDTH_CM = 16.6
PICTURE_PPI = 200  # the Word report's charts: sharp in print at their width


@dataclass(frozen=True)
class Picture:
    """A chart as a picture, for Word."""

    image: bytes  # PNG
    alt: str
    caption: str


def make_charts(doc: ReportDocument) -> dict[str, chart_maker.Chart]:
    """The report's charts, keyed by goal id, in the order they appear: each quantitative
    goal with figures (the efforts' assessments are the model's bar, not a chart)."""
    return {goal.id: chart_maker.goal(goal) for goal in doc.goals
            if goal.quantitative and goal.series}


def pictures(charts: dict[str, chart_maker.Chart],
             templates: TemplateFolder) -> dict[str, Picture]:
    """Each chart drawn as the PDF draws it, as a PNG picture."""
    template = templates.path(CHART_TEMPLATE)
    return {key: Picture(compile_png(template, inputs(chart), PICTURE_PPI)[0], chart.alt,
                         chart.caption)
            for key, chart in charts.items()}


def data_json(doc: ReportDocument, data: YearData, programme_id: str,
              only: str | None) -> bytes:
    """The year's recorded data, as the report used it: what the PDF carries as source."""
    names = [s.name for s in doc.sections]
    whole = only is None
    content = {
        "year": data.year,
        "programme": programme_id,
        "agreement": only,
        "period": doc.period.years if doc.period else None,
        "agreements": names,
        "programme_results": data.programme.model_dump(mode="json")
        if data.programme and whole else None,
        "figures_by_year": {goal_id: {str(y): v for y, v in series.items()}
                            for goal_id, series in data.series.items()} if whole else {},
        "evaluations": {n: e.model_dump(mode="json") for n, e in data.evaluations.items()
                        if n in names},
    }
    return json.dumps(content, ensure_ascii=False, indent=2).encode() + b"\n"


def render_pdf(doc: ReportDocument, source: bytes, filename: str, templates: TemplateFolder,
               charts: dict[str, chart_maker.Chart] | None = None) -> bytes:
    """The report as PDF/A, its charts drawn as vector graphics, `source` attached."""
    charts = make_charts(doc) if charts is None else charts
    attachment = pdf.Attachment(filename=filename, data=source,
                                description=f"Evalueringsdata {doc.year} (maskinlæsbar kilde)")
    done = pdf.typeset(templates.path(PDF_TEMPLATE), doc, attachment=attachment,
                       data={"charts": charts})
    return pdf.finish(done.data)


def render_docx(doc: ReportDocument, templates: TemplateFolder,
                charts: dict[str, chart_maker.Chart] | None = None) -> bytes:
    """The report as Word, its goals' charts as PNG pictures; every word from the model."""
    from docxtpl import DocxTemplate

    charts = make_charts(doc) if charts is None else charts
    charts = pictures(charts, templates)
    tpl = DocxTemplate(str(templates.path(WORD_TEMPLATE)))
    styles = word.xml_styles(tpl, STYLES, WORD_TEMPLATE)
    sub = word.new_subdoc(tpl)
    pending: list[str] = []

    def flush() -> None:
        wordxml.append(sub, pending)
        pending.clear()

    pending += _page_one(doc, styles)
    if doc.period:
        for goal in _period(doc, styles):
            if isinstance(goal, str):
                pending.append(goal)
            else:  # a chart: a picture between the XML fragments
                flush()
                _picture(sub, charts[goal.id], goal.chart, styles)
    pending += _overview(doc, styles)
    pending += _sections(doc, styles)
    pending += _marks(doc, styles)
    pending += _members(doc, styles)
    flush()
    return word.finish(tpl, {"doc": doc, "body": sub}, doc.metadata)


def _table(styles: wordxml.Styles, header: list[str], rows: list[wordxml.Values],
           widths_cm: list[float], **options) -> str:
    return wordxml.table(styles, widths_cm, header, rows, heading_shade=word.SHADE_HEAD,
                         **options)


def _picture(sub, chart: Picture, text: ChartText, styles: wordxml.Styles) -> None:
    from docx.shared import Cm, Pt

    picture = sub.add_paragraph()
    picture.paragraph_format.space_before = Pt(10)
    picture.paragraph_format.keep_with_next = True
    run = picture.add_run()
    run.add_picture(io.BytesIO(chart.image), width=Cm(WIDTH_CM))
    # the text alternative, as Word's "Alt Text" of the picture
    for prop in run._r.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                            "wordprocessingDrawing}docPr"):
        prop.set("descr", text.alt)
        prop.set("title", text.caption)
    caption = sub.add_paragraph(text.printed)
    caption._p.style = styles.ids["Caption"]


def _heading(text: str, styles: wordxml.Styles, level: int = 1) -> str:
    return wordxml.paragraph(wordxml.run(text), style=styles.ids[f"Heading {level}"],
                             keep_next=True)


def _labelled(text: str, *, keep_next: bool = False) -> str:
    """'Label: text' with the label in bold (the label is what precedes the first ': ')."""
    label, _, rest = text.partition(": ")
    return wordxml.paragraph(wordxml.run(f"{label}: ", bold=True), wordxml.run(rest),
                             keep_next=keep_next)


def _text(text: str, **options) -> str:
    return wordxml.paragraph(wordxml.run(text), **options)


def _chip(status: Status) -> wordxml.Cell:
    """A status in a table: the cell in its colour, its word in bold."""
    return wordxml.Cell(status.label, shade=status.fill, ink=status.ink, bold=True)


BAR_MIN_CM = 0.4


def _page_one(doc: ReportDocument, styles: wordxml.Styles) -> list[str]:
    """Page 1: a line per goal, one bar of the efforts' assessments, the notes."""
    out = [_heading(doc.status_heading, styles)]
    board = doc.dashboard
    if board:
        out.append(_table(styles, list(board.columns),
                          [[*line.cells, _chip(line.status)] for line in board.lines],
                          [w / 10 for w in board.widths_mm], keep_together=True))
        if board.key:
            out.append(_text(board.key, style=styles.ids["Caption"]))
    if doc.bar:
        out += _bar(doc.bar, styles)
    out += [_text(note) for note in doc.notes]
    return out


def _bar(bar: EffortBar, styles: wordxml.Styles) -> list[str]:
    """One stacked bar, each segment as wide as its share, its count written in it where
    it is wide enough; the legend names each segment with its count and share."""
    total = sum(s.count for s in bar.segments)
    room = WIDTH_CM - BAR_MIN_CM * len(bar.segments)
    widths = [BAR_MIN_CM + room * s.count / total for s in bar.segments]
    cells = [wordxml.Cell(s.inline, shade=s.status.fill, ink=s.status.ink, bold=True)
             for s in bar.segments]
    legend = []
    for s in bar.segments:
        legend += [wordxml.run(f" {s.label} ", shade=s.status.fill, color=s.status.ink),
                   wordxml.run("  ")]
    return [wordxml.paragraph(wordxml.run(bar.heading, bold=True), keep_next=True,
                              space_before_pt=10),
            _table(styles, [], [cells], widths, keep_together=True, borders=False,
                   keep_with_next=True),
            wordxml.paragraph(*legend[:-1], space_before_pt=4)]


def _period(doc: ReportDocument, styles: wordxml.Styles) -> list:
    """The period's goals, each with what serves it; a goal whose chart comes next
    stands in the list for the picture."""
    period = doc.period
    out: list = [_heading(period.heading, styles)]
    out += [_labelled(text) for text in (period.mission_text, period.source_text,
                                         period.fora_text) if text]
    if period.unserved:
        out.append(_text(period.unserved))
    for goal in period.goals:
        out.append(_heading(goal.heading, styles, 2))
        if goal.description_text:
            out.append(_text(goal.description_text))
        if goal.target_text:
            out.append(_labelled(goal.target_text))
        if goal.baseline:
            out.append(_text(goal.baseline))
        if goal.chart:
            out.append(goal)
        lead, narrative = goal.narrative_text
        if narrative:
            out.append(wordxml.paragraph(wordxml.run(lead, bold=True), wordxml.run(narrative)))
        if goal.comment_text:
            out.append(_labelled(goal.comment_text))
        if goal.served_lead:  # a lead-in in bold, or all of it said in one sentence
            out.append(wordxml.paragraph(wordxml.run(goal.served_lead, bold=bool(goal.served)),
                                         keep_next=bool(goal.served)))
            out += [_text(line, style=styles.ids["List Bullet"]) for line in goal.served]
    return out


def _overview(doc: ReportDocument, styles: wordxml.Styles) -> list[str]:
    if not doc.overview_heading:
        return []
    counts = len(doc.status_labels)
    return [_heading(doc.overview_heading, styles), _table(
        styles, list(doc.overview_columns),
        [[row.agreement, *map(str, row.counts)] for row in doc.overview],
        [6.6] + [10.0 / counts] * counts, numeric=frozenset(range(1, counts + 1)),
        keep_together=len(doc.overview) <= SHORT_TABLE)]


SHORT_TABLE = 8  # rows: a table this short is kept on one page


def _sections(doc: ReportDocument, styles: wordxml.Styles) -> list[str]:
    """Each agreement on a page of its own (one alone follows page 1, named by the
    subtitle): its scorecard, its overall assessment, then its efforts' commitments."""
    out = []
    for s in doc.sections:
        if doc.whole:
            out += [wordxml.page_break(), _heading(s.title, styles)]
        out.append(_text(s.meta, keep_next=True))
        if s.missing:
            lead, text = s.missing_text
            out.append(wordxml.paragraph(wordxml.run(lead, bold=True), wordxml.run(f" {text}")))
            continue
        out.append(_table(styles, list(s.scorecard_columns), [
            [wordxml.Cell(e.name, bold=True), e.target, e.measured, _chip(e.status),
             e.next_step] for e in s.efforts], [w / 10 for w in s.scorecard_widths_mm],
            keep_together=len(s.efforts) <= SHORT_TABLE))
        out += [_heading(s.comment_heading, styles, 2), _text(s.comment),
                _heading(s.efforts_heading, styles, 2)]
        for e in s.efforts:
            out.append(_heading(e.name, styles, 3))
            for c in e.commitments:
                runs = [wordxml.run(f"{c.party}: ", bold=True)] if c.party else []
                out.append(wordxml.paragraph(*runs, wordxml.run(c.text), keep_next=True))
            out.append(_labelled(e.relevance_text))
    return out


def _marks(doc: ReportDocument, styles: wordxml.Styles) -> list[str]:
    if not doc.marks_heading:
        return []
    out = [_heading(doc.marks_heading, styles)]
    if doc.marks_none:
        out.append(_text(doc.marks_none))
    for m in doc.marks:
        out += [_heading(m.heading, styles, 2), _text(m.criteria_lead, keep_next=True)]
        out += [_text(c, style=styles.ids["List Bullet"],
                      keep_next=c is not m.criteria[-1]) for c in m.criteria]
    return out


def _members(doc: ReportDocument, styles: wordxml.Styles) -> list[str]:
    if not (doc.period and doc.period.members):
        return []
    period = doc.period
    return [wordxml.page_break(), _heading(period.members_heading, styles),
            _table(styles, list(period.members_columns),
                   [[m.name, m.title, m.organisation] for m in period.members],
                   [5.2, 5.6, 5.8])]
