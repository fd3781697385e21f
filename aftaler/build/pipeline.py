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
from ..output import write_atomic
from ..project import Project
from ..render import pdf, word
from ..render.fields import FieldSpec
from ..render.templates import TemplateFolder
from ..sources.definitions import Agreement, Alliance

HTML_TEMPLATE = "agreement.html"
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


def build_agreement(name: str, agreement: Agreement, alliance: Alliance,
                    templates: TemplateFolder) -> AgreementFiles:
    """Both files of one agreement, in memory."""
    doc = document_model.build(name, agreement, alliance)
    return AgreementFiles(doc, word.render(doc, templates), render_pdf(doc, agreement, templates))


def write_agreement(project: Project, name: str, agreement: Agreement | None = None,
                    alliance: Alliance | None = None) -> list[Path]:
    """Build agreement `name` (loaded here unless given) and write its files; return
    their paths."""
    definitions = project.definitions
    agreement = agreement or definitions.agreement(name).model
    alliance = alliance or definitions.alliance().model
    files = build_agreement(name, agreement, alliance, project.templates)
    docx_path, pdf_path = project.agreement_files(name)
    return [write_atomic(docx_path, files.docx), write_atomic(pdf_path, files.pdf)]


@dataclass(frozen=True)
class ReportFiles:
    document: ReportDocument
    docx: bytes
    pdf: bytes


def build_report(project: Project, year: int, *, only: str | None = None,
                 strict: bool = False) -> ReportFiles:
    """The evaluation report of `year` (of every active agreement, or of `only`).

    An agreement in force that year without an evaluation is reported as missing and
    logged as a warning; with `strict` it is an error.
    """
    from ..documents import report
    from ..render import reportfiles
    from ..sources.evaluations import Records

    definitions = project.definitions
    alliance = definitions.alliance().model
    names = [only] if only else definitions.names()
    agreements = {n: definitions.agreement(n).model for n in names}
    if only and not agreements[only].term.covers_year(year):
        term = agreements[only].term
        raise BadInput(f"{only} is in force {term.start.isoformat()} to "
                       f"{term.end.isoformat()}: there is nothing to evaluate in {year}")
    records = Records(definitions)
    data = records.year(year, alliance, agreements)
    doc = report.build(year, alliance, agreements, data, only=only)
    if not doc.sections and data.alliance is None:
        raise BadInput(f"nothing to report for {year}: no agreement is in force and "
                       f"{definitions.display(definitions.folder)}/alliance/{year}.yaml "
                       "does not exist")
    for name in doc.missing:
        path = definitions.display(records.path(name, year))
        message = f"{name} is in force in {year} but has no evaluation ({path})"
        if strict:
            raise BadInput(message + " (--strict)")
        log.warning("%s: reported as 'mangler evaluering'", message)
    charts = reportfiles.make_charts(doc, alliance.goal)
    base = report_base(year, only)
    source = reportfiles.data_json(doc, data, only)
    return ReportFiles(doc, reportfiles.render_docx(doc, charts, project.templates),
                       reportfiles.render_pdf(doc, charts, source, f"{base}.json",
                                              project.templates))


def report_base(year: int, only: str | None) -> str:
    return f"evaluering-{year}" + (f"-{only}" if only else "")


def write_report(project: Project, year: int, *, only: str | None = None,
                 strict: bool = False) -> list[Path]:
    files = build_report(project, year, only=only, strict=strict)
    docx_path, pdf_path = project.report_files(report_base(year, only))
    return [write_atomic(docx_path, files.docx), write_atomic(pdf_path, files.pdf)]
