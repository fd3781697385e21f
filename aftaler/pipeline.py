"""Definition -> document model -> Word and PDF bytes -> files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import document as document_model
from . import pdf, word
from .definitions import Agreement, Alliance
from .document import AgreementDocument
from .output import write_atomic
from .project import Project
from .signing import FieldSpec
from .templates import TemplateFolder

HTML_TEMPLATE = "agreement.html"


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


def write_agreement(project: Project, name: str, alliance: Alliance | None = None) -> list[Path]:
    """Build agreement `name` and write its files; return their paths."""
    definitions = project.definitions
    agreement = definitions.agreement(name).model
    alliance = alliance or definitions.alliance().model
    files = build_agreement(name, agreement, alliance, project.templates)
    docx_path, pdf_path = project.agreement_files(name)
    return [write_atomic(docx_path, files.docx), write_atomic(pdf_path, files.pdf)]
