"""The yearly report rendered: Word (docxtpl) and PDF/A (WeasyPrint), with its charts."""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass

from ..documents.report import ReportDocument
from ..documents.text import join_names
from ..sources.records import YearData
from . import charts as chart_maker
from . import pdf, word
from .templates import TemplateFolder

WORD_TEMPLATE, HTML_TEMPLATE = "report.docx", "report.html"
STYLES = ("Table Heading", "Table Text", "Heading 1", "Heading 2", "Caption", "List Bullet")
WIDTH_CM = 16.6


@dataclass(frozen=True)
class HtmlChart:
    uri: str
    alt: str
    caption: str
    number: int


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


def render_pdf(doc: ReportDocument, charts: dict[str, chart_maker.Chart], source: bytes,
               filename: str, templates: TemplateFolder) -> bytes:
    html_charts = {
        key: HtmlChart("data:image/svg+xml;base64," + base64.b64encode(c.svg).decode(),
                       c.alt, c.caption, number)
        for number, (key, c) in enumerate(charts.items(), start=1)}
    created = doc.metadata.created
    html = templates.html(HTML_TEMPLATE).render(doc=doc, charts=html_charts, shares=SHARES,
                                                **pdf.html_context(created))
    attachment = pdf.Attachment(filename=filename, data=source,
                                description=f"Evalueringsdata {doc.year} (maskinlæsbar kilde)")
    rendered = pdf.render(html, created=created, attachments=(attachment,))
    return pdf.finish(rendered.data, [], doc.metadata.lang)


def render_docx(doc: ReportDocument, charts: dict[str, chart_maker.Chart],
                templates: TemplateFolder) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(templates.path(WORD_TEMPLATE)))
    ids = word.style_ids(tpl, STYLES, WORD_TEMPLATE)
    numbers = {key: n for n, key in enumerate(charts, start=1)}
    context = {
        "doc": doc,
        "summary": _summary(tpl, doc, charts, numbers, ids),
        "goals": _goals(tpl, doc, charts, numbers, ids),
        "overview": _overview(tpl, doc, ids),
        "sections": _sections(tpl, doc, ids),
        "marks": _marks(tpl, doc, ids),
        "members": _members(tpl, doc, ids),
    }
    return word.finish(tpl, context, doc.metadata)


def _table(sub, header: list[str], rows: list[list[str]], widths_cm: list[float], ids,
           numeric: set[int] = frozenset(), one_heading: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    table = sub.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    word.repeat_as_header(table.rows[0])
    for i, (cell, text) in enumerate(zip(table.rows[0].cells, header, strict=True)):
        word.fill_cell(cell, text, ids["Table Heading"], shade=word.SHADE_HEAD, white=True)
        if i in numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            word.fill_cell(cell, text, ids["Table Text"])
            if i in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if one_heading:  # one heading across the whole table
        first = table.rows[0].cells
        merged = first[0].merge(first[-1])
        for extra in merged.paragraphs[1:]:  # the emptied cells' paragraphs
            if not extra.text:
                extra._p.getparent().remove(extra._p)
    for row in table.rows:
        word.cant_split(row)
    word.fix_grid(table, [Cm(w) for w in widths_cm], padding=True)
    return table


def _picture(sub, chart: chart_maker.Chart, number: int, ids) -> None:
    from docx.shared import Cm, Pt

    picture = sub.add_paragraph()
    picture.paragraph_format.space_before = Pt(10)
    picture.paragraph_format.keep_with_next = True
    run = picture.add_run()
    run.add_picture(io.BytesIO(chart.png), width=Cm(WIDTH_CM))
    # the text alternative, as Word's "Alt Text" of the picture
    for prop in run._r.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                            "wordprocessingDrawing}docPr"):
        prop.set("descr", chart.alt)
        prop.set("title", chart.caption)
    caption = sub.add_paragraph(f"Figur {number}. {chart.caption}")
    caption._p.style = ids["Caption"]


def _status_table(sub, groups, ids):
    """Indsats | Status, under one heading row per agreement (kept with its rows)."""
    from docx.shared import Cm

    table = sub.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    word.repeat_as_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, ("Indsats", "Status"), strict=True):
        word.fill_cell(cell, text, ids["Table Heading"], shade=word.SHADE_HEAD, white=True)
    for group in groups:
        first, second = table.add_row().cells
        heading = first.merge(second)
        word.fill_cell(heading, group.agreement, ids["Table Heading"], shade=word.SHADE_GROUP)
        word.keep_with_next(heading)
        for number, line in enumerate(group.lines, start=1):
            effort, status = table.add_row().cells
            word.fill_cell(effort, line.effort, ids["Table Text"])
            word.fill_cell(status, line.status, ids["Table Text"])
            status.paragraphs[0].runs[0].bold = True
            if number < len(group.lines):
                word.keep_with_next(effort, status)
    for row in table.rows:
        word.cant_split(row)
    word.fix_grid(table, [Cm(11.3), Cm(5.3)], padding=True)
    return table


def _summary(tpl, doc: ReportDocument, charts, numbers, ids):
    sub = word.new_subdoc(tpl)
    if doc.efforts_total:
        _table(sub, ["Indsatsernes progression", "Antal", "Andel"],
               [[s.label, str(s.count), s.percent] for s in doc.shares]
               + [["I alt", str(doc.efforts_total), "100 %"]],
               [9.1, 3.75, 3.75], ids, numeric={1, 2})
    if SHARES in charts:
        _picture(sub, charts[SHARES], numbers[SHARES], ids)
    return sub


def _labelled(sub, label: str, text: str) -> None:
    paragraph = sub.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text)


def _goals(tpl, doc: ReportDocument, charts, numbers, ids):
    sub = word.new_subdoc(tpl)
    period = doc.period
    if period is None:
        return sub
    if period.mission:
        _labelled(sub, "Mission", f"”{period.mission}”")
    if period.source:
        _labelled(sub, "Kilde", period.source)
    if period.fora:
        _labelled(sub, "Fora", join_names(list(period.fora)))
    for goal in period.goals:
        sub.add_paragraph(f"{goal.number}. {goal.title}")._p.style = ids["Heading 2"]
        if goal.description:
            sub.add_paragraph(goal.description)
        if goal.quantitative:
            _labelled(sub, "Mål", goal.target)
            if goal.baseline:
                sub.add_paragraph(goal.baseline)
            _table(sub, ["Nøgletal", "Resultat", "Mål", "Andel af mål"],
                   [[f.label, f.result_text, f.target_text, f.share_text]
                    for f in goal.figures],
                   [9.1, 2.5, 2.5, 2.5], ids, numeric={1, 2, 3})
            if goal.id in charts:
                _picture(sub, charts[goal.id], numbers[goal.id], ids)
        else:
            _labelled(sub, "Vurdering", goal.assessment)
            if goal.narrative:
                sub.add_paragraph(goal.narrative)
        if goal.comment:
            _labelled(sub, "Bemærkning", goal.comment)
        if goal.served_by:
            served = sub.add_paragraph()
            served.add_run("Indsatser, der tjener målet:").bold = True
            served.paragraph_format.keep_with_next = True
            _status_table(sub, goal.served_by, ids)
        else:
            sub.add_paragraph(f"Ingen indsatser i aftaler i kraft i {doc.year} tjener målet.")
    return sub


def _overview(tpl, doc: ReportDocument, ids):
    sub = word.new_subdoc(tpl)
    _status_table(sub, doc.overview, ids)
    return sub


def _sections(tpl, doc: ReportDocument, ids):
    from docx.enum.text import WD_BREAK

    sub = word.new_subdoc(tpl)
    for s in doc.sections:
        sub.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        sub.add_paragraph(s.title)._p.style = ids["Heading 1"]
        meta = f"Aftalens løbetid: {s.term}."
        if not s.missing:
            meta += f" Evalueret af {s.evaluated_by}, {s.evaluated_on}."
        sub.add_paragraph(meta)
        if s.missing:
            p = sub.add_paragraph()
            p.add_run("Mangler evaluering.").bold = True
            p.add_run(f" Aftalen er i kraft i {doc.year}, men der er ikke registreret "
                      "en evaluering.")
            continue
        for e in s.efforts:
            _table(sub, [e.name, ""], [
                ["Forpligtelse", e.commitment], ["Mål", e.target],
                ["Målt", f"{e.indicator}: {e.result}"], ["Progression", e.assessment],
                ["Relevans", e.relevance], ["Næste skridt", e.next_step]],
                [3.6, 13.0], ids, one_heading=True)
            sub.add_paragraph()
        sub.add_paragraph("Samlet vurdering")._p.style = ids["Heading 2"]
        sub.add_paragraph(s.comment)
    return sub


def _marks(tpl, doc: ReportDocument, ids):
    sub = word.new_subdoc(tpl)
    if not doc.marks:
        sub.add_paragraph(f"Der er ikke tildelt mærker i {doc.year}.")
    for m in doc.marks:
        sub.add_paragraph(f"{m.organisation}: {m.mark}")._p.style = ids["Heading 2"]
        sub.add_paragraph("Opfylder kriterierne:")
        for criterion in m.criteria:
            sub.add_paragraph(criterion)._p.style = ids["List Bullet"]
    return sub


def _members(tpl, doc: ReportDocument, ids):
    sub = word.new_subdoc(tpl)
    if doc.period and doc.period.members:
        _table(sub, ["Navn", "Titel", "Organisation"],
               [[m.name, m.title, m.organisation] for m in doc.period.members],
               [5.2, 5.6, 5.8], ids)
    return sub
