"""The yearly report rendered: Word (docxtpl) and PDF/A (Typst), with its charts."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from ..documents.report import ReportDocument
from ..documents.text import join_names
from ..sources.records import YearData
from . import charts as chart_maker
from . import pdf, word, wordxml
from .templates import TemplateFolder
from .typesetting import compile_png, inputs

WORD_TEMPLATE, PDF_TEMPLATE, CHART_TEMPLATE = "report.docx", "report.typ", "chart.typ"
STYLES = ("Table Heading", "Table Text", "Heading 1", "Heading 2", "Caption", "List Bullet")
WIDTH_CM = 16.6
PICTURE_PPI = 200  # the Word report's charts: sharp in print at their width


@dataclass(frozen=True)
class Picture:
    """A chart as a picture, for Word."""

    image: bytes  # PNG
    alt: str
    caption: str


SHARES = "shares"  # the key of the assessments chart; the others are goal ids


def make_charts(doc: ReportDocument) -> dict[str, chart_maker.Chart]:
    """The report's charts in the order they appear: the assessment of the efforts, then
    each quantitative goal with figures."""
    out = {}
    if doc.efforts_total:
        out[SHARES] = chart_maker.assessments(doc.shares, doc.year)
    for goal in doc.goals:
        if goal.quantitative and goal.series:
            out[goal.id] = chart_maker.goal(goal)
    return out


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
    """The report as Word, its charts as PNG pictures."""
    from docxtpl import DocxTemplate

    charts = pictures(make_charts(doc) if charts is None else charts, templates)
    tpl = DocxTemplate(str(templates.path(WORD_TEMPLATE)))
    styles = word.xml_styles(tpl, STYLES, WORD_TEMPLATE)
    numbers = {key: n for n, key in enumerate(charts, start=1)}
    context = {
        "doc": doc,
        "summary": _summary(tpl, doc, charts, numbers, styles),
        "goals": _goals(tpl, doc, charts, numbers, styles),
        "overview": word.subdoc(tpl, [_overview(doc, styles)]),
        "sections": word.subdoc(tpl, _sections(doc, styles)),
        "marks": word.subdoc(tpl, _marks(doc, styles)),
        "members": word.subdoc(tpl, _members(doc, styles)),
    }
    return word.finish(tpl, context, doc.metadata)


def _table(styles: wordxml.Styles, header: list[str], rows: list[list[str]],
           widths_cm: list[float], **options) -> str:
    return wordxml.table(styles, widths_cm, header, rows, heading_shade=word.SHADE_HEAD,
                         **options)


def _picture(sub, chart: Picture, number: int, styles: wordxml.Styles) -> None:
    from docx.shared import Cm, Pt

    picture = sub.add_paragraph()
    picture.paragraph_format.space_before = Pt(10)
    picture.paragraph_format.keep_with_next = True
    run = picture.add_run()
    run.add_picture(io.BytesIO(chart.image), width=Cm(WIDTH_CM))
    # the text alternative, as Word's "Alt Text" of the picture
    for prop in run._r.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                            "wordprocessingDrawing}docPr"):
        prop.set("descr", chart.alt)
        prop.set("title", chart.caption)
    caption = sub.add_paragraph(f"Figur {number}. {chart.caption}")
    caption._p.style = styles.ids["Caption"]


def _summary(tpl, doc: ReportDocument, charts, numbers, styles: wordxml.Styles):
    sub = word.new_subdoc(tpl)
    if doc.efforts_total:
        wordxml.append(sub, [_table(
            styles, ["Indsatsernes progression", "Antal", "Andel"],
            [[s.label, str(s.count), s.percent] for s in doc.shares]
            + [["I alt", str(doc.efforts_total), "100 %"]],
            [9.1, 3.75, 3.75], numeric=frozenset({1, 2}))])
    if SHARES in charts:
        _picture(sub, charts[SHARES], numbers[SHARES], styles)
    return sub


def _labelled(label: str, text: str) -> str:
    return wordxml.paragraph(wordxml.run(f"{label}: ", bold=True), wordxml.run(text))


def _goals(tpl, doc: ReportDocument, charts, numbers, styles: wordxml.Styles):
    sub = word.new_subdoc(tpl)
    period = doc.period
    if period is None:
        return sub
    pending: list[str] = []
    if period.mission:
        pending.append(_labelled("Mission", f"”{period.mission}”"))
    if period.source:
        pending.append(_labelled("Kilde", period.source))
    if period.fora:
        pending.append(_labelled("Fora", join_names(list(period.fora))))
    for goal in period.goals:
        pending.append(wordxml.paragraph(wordxml.run(f"{goal.number}. {goal.title}"),
                                         style=styles.ids["Heading 2"]))
        if goal.description:
            pending.append(wordxml.paragraph(wordxml.run(goal.description)))
        if goal.quantitative:
            pending.append(_labelled("Mål", goal.target))
            if goal.baseline:
                pending.append(wordxml.paragraph(wordxml.run(goal.baseline)))
            pending.append(_table(
                styles, ["Nøgletal", "Resultat", "Mål", "Andel af mål"],
                [[f.label, f.result_text, f.target_text, f.share_text] for f in goal.figures],
                [9.1, 2.5, 2.5, 2.5], numeric=frozenset({1, 2, 3})))
            if goal.id in charts:
                wordxml.append(sub, pending)
                pending = []
                _picture(sub, charts[goal.id], numbers[goal.id], styles)
        else:
            pending.append(_labelled("Vurdering", goal.assessment))
            if goal.narrative:
                pending.append(wordxml.paragraph(wordxml.run(goal.narrative)))
        if goal.comment:
            pending.append(_labelled("Bemærkning", goal.comment))
        if goal.served_by:
            pending.append(wordxml.paragraph(wordxml.run("Indsatser, der tjener målet:",
                                                         bold=True), keep_next=True))
            pending.append(_table(styles, ["Aftale", "Indsatser og status"],
                                  [[g.agreement, g.text] for g in goal.served_by],
                                  [6.3, 10.3]))
        else:
            pending.append(wordxml.paragraph(wordxml.run(
                f"Ingen indsatser i aftaler i kraft i {doc.year} tjener målet.")))
    wordxml.append(sub, pending)
    return sub


def _overview(doc: ReportDocument, styles: wordxml.Styles) -> str:
    counts = len(doc.status_labels)
    return _table(styles, ["Aftale", *doc.status_labels],
                  [[row.agreement, *map(str, row.counts)] for row in doc.overview],
                  [6.6] + [10.0 / counts] * counts,
                  numeric=frozenset(range(1, counts + 1)))


EFFORT_LABEL_CM = 3.0


def _sections(doc: ReportDocument, styles: wordxml.Styles) -> list[str]:
    """Each agreement on a page of its own; an effort's lines kept together."""
    out = []
    for s in doc.sections:
        out.append(wordxml.page_break())
        out.append(wordxml.paragraph(wordxml.run(s.title), style=styles.ids["Heading 1"]))
        meta = f"Aftalens løbetid: {s.term}."
        if not s.missing:
            meta += f" Evalueret af {s.evaluated_by}, {s.evaluated_on}."
        out.append(wordxml.paragraph(wordxml.run(meta)))
        if s.missing:
            out.append(wordxml.paragraph(
                wordxml.run("Mangler evaluering.", bold=True),
                wordxml.run(f" Aftalen er i kraft i {doc.year}, men der er ikke registreret "
                            "en evaluering.")))
            continue
        for e in s.efforts:
            out.append(wordxml.paragraph(wordxml.run(e.name), style=styles.ids["Heading 2"],
                                         keep_next=True))
            fields = [("Forpligtelse", [wordxml.run(e.commitment)]),
                      ("Mål", [wordxml.run(e.target)]),
                      ("Målt", [wordxml.run(f"{e.indicator}: "), wordxml.run(e.result,
                                                                            bold=True)]),
                      ("Progression", [wordxml.run(e.assessment, bold=True)]),
                      ("Relevans", [wordxml.run(e.relevance)]),
                      ("Næste skridt", [wordxml.run(e.next_step)])]
            for number, (label, runs) in enumerate(fields, start=1):
                out.append(wordxml.paragraph(
                    wordxml.run(label, bold=True), wordxml.tab(), *runs,
                    style=styles.ids["Table Text"], hanging_cm=EFFORT_LABEL_CM,
                    keep_next=number < len(fields), keep_lines=True))
        out.append(wordxml.paragraph(wordxml.run("Samlet vurdering"),
                                     style=styles.ids["Heading 2"], keep_next=True))
        out.append(wordxml.paragraph(wordxml.run(s.comment)))
    return out


def _marks(doc: ReportDocument, styles: wordxml.Styles) -> list[str]:
    if not doc.marks:
        return [wordxml.paragraph(wordxml.run(f"Der er ikke tildelt mærker i {doc.year}."))]
    out = []
    for m in doc.marks:
        out.append(wordxml.paragraph(wordxml.run(f"{m.organisation}: {m.mark}"),
                                     style=styles.ids["Heading 2"]))
        out.append(wordxml.paragraph(wordxml.run("Opfylder kriterierne:")))
        out += [wordxml.paragraph(wordxml.run(c), style=styles.ids["List Bullet"])
                for c in m.criteria]
    return out


def _members(doc: ReportDocument, styles: wordxml.Styles) -> list[str]:
    if not (doc.period and doc.period.members):
        return []
    return [_table(styles, ["Navn", "Titel", "Organisation"],
                   [[m.name, m.title, m.organisation] for m in doc.period.members],
                   [5.2, 5.6, 5.8])]
