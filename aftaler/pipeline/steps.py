"""Definition -> document model -> Word and PDF bytes -> files."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from ..documents import agreement as document_model
from ..documents.agreement import AgreementDocument
from ..documents.report import ReportDocument
from ..errors import BadInput
from ..fonts import font_files
from ..output import check_writable, write_together
from ..project import Project
from ..render import pdf, word
from ..render.fields import FieldSpec
from ..render.templates import TemplateFolder
from ..sources.agreement import Agreement
from ..sources.programme import DEFAULT_PROGRAMME, Programme
from . import uptodate

HTML_TEMPLATE, WORD_TEMPLATE = "agreement.html", "agreement.docx"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgreementFiles:
    document: AgreementDocument
    docx: bytes
    pdf: bytes


def definition_json(agreement: Agreement) -> bytes:
    """The validated definition as JSON: what the PDF carries as its source."""
    data = agreement.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n"


def render_pdf(doc: AgreementDocument, agreement: Agreement,
               templates: TemplateFolder) -> bytes:
    created = doc.metadata.created
    html = templates.html(HTML_TEMPLATE).render(doc=doc, **pdf.html_context(created))
    source = pdf.Attachment(
        filename=f"aftale-{doc.name}.json", data=definition_json(agreement),
        description=f"Definitionen af {doc.metadata.title} (maskinlæsbar kilde)")
    rendered = pdf.render(html, created=created, attachments=(source,),
                          anchors=tuple(s.anchor for s in doc.signatures))
    fields = [FieldSpec(s.field, f"Underskrift: {s.name}, {s.title}, {s.organisation}",
                        rendered.boxes[s.anchor])
              for s in doc.signatures]
    return pdf.finish(rendered.data, fields, doc.metadata.lang)


def build_agreement(name: str, agreement: Agreement, programme: Programme,
                    templates: TemplateFolder, *, both_cores: bool = False) -> AgreementFiles:
    """Both files of one agreement, in memory; with `both_cores` the Word file is made
    in a forked child while this process makes the PDF (for a single agreement: a batch
    keeps both cores busy with one agreement each)."""
    doc = document_model.build(name, agreement, programme)
    if not both_cores:
        return AgreementFiles(doc, word.render(doc, templates),
                              render_pdf(doc, agreement, templates))
    from . import parallel

    with parallel.beside() as child:
        word_job = child.submit(word.render, doc, templates)
        pdf_bytes = render_pdf(doc, agreement, templates)
        return AgreementFiles(doc, word_job.result(), pdf_bytes)


def write_agreement(project: Project, name: str, agreement: Agreement | None = None,
                    programme: Programme | None = None, *,
                    both_cores: bool = False) -> list[Path]:
    """Build agreement `name` (loaded here unless given) and write its files; return
    their paths."""
    definitions = project.definitions
    agreement = agreement or definitions.agreement(name).model
    programme = programme or definitions.programme(agreement.programme).model
    check_writable(list(project.agreement_files(name)))  # before the work, not after it
    files = build_agreement(name, agreement, programme, project.templates,
                            both_cores=both_cores)
    docx_path, pdf_path = project.agreement_files(name)
    written = write_together([(docx_path, files.docx), (pdf_path, files.pdf)])
    inputs = uptodate.Inputs(project.root, args={"name": name}).add(
        definitions.path_of(name), definitions.programme_path(agreement.programme),
        *project.templates.closure(HTML_TEMPLATE, WORD_TEMPLATE), *font_files().values())
    uptodate.write_record(inputs, written)
    return written


@dataclass(frozen=True)
class ReportFiles:
    document: ReportDocument
    docx: bytes
    pdf: bytes
    inputs: uptodate.Inputs

    @property
    def programme_id(self) -> str:
        return self.inputs.args["programme"]


def build_report(project: Project, year: int, *, programme_id: str | None = None,
                 only: str | None = None, strict: bool = False) -> ReportFiles:
    """The evaluation report of `year` for a programme (default HORSENS ALLIANCEN): every
    agreement of the programme in force that year, or `only` that one agreement.

    An agreement in force that year without an evaluation is reported as missing and
    logged as a warning; with `strict` it is an error.
    """
    from ..documents import report
    from ..render import reportfiles
    from . import parallel

    definitions = project.definitions
    if only:
        agreement = definitions.agreement(only).model
        if programme_id and programme_id != agreement.programme:
            raise BadInput(f"{only} belongs to the programme {agreement.programme!r}, "
                           f"not {programme_id!r}")
        programme_id = agreement.programme
        if not agreement.term.covers_year(year):
            raise BadInput(f"{only} is in force {agreement.term.start.isoformat()} to "
                           f"{agreement.term.end.isoformat()}: there is nothing to evaluate "
                           f"in {year}")
    programme_id = programme_id or DEFAULT_PROGRAMME
    programme = definitions.programme(programme_id).model
    if not only and programme.before_it_began(year):
        raise BadInput(programme.before_it_began(year))
    names = [only] if only else definitions.names()
    agreements = {n: definitions.agreement(n).model for n in names}
    agreements = {n: a for n, a in agreements.items() if a.programme == programme_id}
    records = definitions.records
    data = records.year(year, programme_id, programme, agreements)
    doc = report.build(year, programme, agreements, data, only=only)
    if not doc.sections and doc.period is None and data.programme is None:
        results = definitions.display(records.programme_path(programme_id, year))
        raise BadInput(
            f"nothing to report for {year}: no agreement of {programme.name} is in force, "
            f"no period of it covers {year}, and {results} does not exist: add the period "
            f"to {definitions.display(definitions.programme_path(programme_id))} (`new period "
            f"{programme_id}`), record the year's results in {results} (`form export "
            f"--programme {programme_id} {year}`), or add an agreement in force in {year} "
            "(`new agreement NAME`)")
    for name in doc.missing:
        path = definitions.display(records.evaluation_path(name, year))
        message = f"{name} is in force in {year} but has no evaluation ({path})"
        form = f"make the partner's form with `form export {name} {year}`"
        if strict:
            raise BadInput(f"{message} (--strict): {form}, and import it filled in")
        log.warning("%s: reported as 'mangler evaluering'; %s", message, form)
    filename = project.report_files(year, programme_id, only)[1].with_suffix(".json").name
    source = reportfiles.data_json(doc, data, programme_id, only)
    # The child draws the charts (importing matplotlib) and makes the Word file while this
    # process imports WeasyPrint; then this one makes the PDF with the child's SVG charts.
    with parallel.beside() as child:
        svg_job = child.submit(reportfiles.make_charts, doc, "svg")
        word_job = child.submit(reportfiles.render_docx, doc, project.templates)
        pdf.import_weasyprint()
        pdf_bytes = reportfiles.render_pdf(doc, source, filename, project.templates,
                                           charts=svg_job.result())
        docx_bytes = word_job.result()
    return ReportFiles(doc, docx_bytes, pdf_bytes,
                       _report_inputs(project, year, programme_id, only, programme,
                                      [s.name for s in doc.sections]))


def _report_inputs(project: Project, year: int, programme_id: str, only: str | None,
                   programme: Programme, included: list[str]) -> uptodate.Inputs:
    """What a report is built from: the programme and its results of the period so far,
    each agreement in it with its evaluation of the year (absent ones too: one may be
    added), the templates and the font; and, for a whole report, every other agreement,
    which would be in it if it came into force that year."""
    from ..render.reportfiles import HTML_TEMPLATE as REPORT_HTML
    from ..render.reportfiles import WORD_TEMPLATE as REPORT_WORD

    definitions, records = project.definitions, project.definitions.records
    inputs = uptodate.Inputs(project.root, kind="report",
                             args={"year": year, "programme": programme_id, "only": only})
    inputs.add(definitions.programme_path(programme_id),
               *project.templates.closure(REPORT_HTML, REPORT_WORD),
               *font_files().values())
    for name in included:
        inputs.add(definitions.path_of(name), records.evaluation_path(name, year))
    if not only:
        period = programme.period_of(year)
        first = period.start if period else year
        inputs.add(*(records.programme_path(programme_id, y) for y in range(first, year + 1)))
        for name in definitions.names():
            if name not in included:
                path = definitions.agreements_folder / f"{name}.yaml"
                inputs.others[inputs.relative(path)] = uptodate.file_hash(path)
    return inputs


def write_report(project: Project, year: int, *, programme_id: str | None = None,
                 only: str | None = None, strict: bool = False) -> list[Path]:
    check_writable(list(project.report_files(year, programme_id, only)))
    files = build_report(project, year, programme_id=programme_id, only=only, strict=strict)
    docx_path, pdf_path = project.report_files(year, files.programme_id, only)
    written = write_together([(docx_path, files.docx), (pdf_path, files.pdf)])
    uptodate.write_record(files.inputs, written)
    return written
