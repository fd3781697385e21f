"""Definition -> document model -> Word and PDF bytes -> files."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..documents import agreement as document_model
from ..documents.agreement import AgreementDocument
from ..errors import BadInput
from ..fonts import font_files
from ..output import check_writable, write_atomic, write_together
from ..project import Project
from ..render import pdf, word
from ..render.editions import EDITIONS, NEMLOGIN
from ..render.templates import TemplateFolder
from ..sources.agreement import Agreement
from ..sources.programme import DEFAULT_PROGRAMME, Programme
from . import uptodate

if TYPE_CHECKING:  # the report's model is imported by the report's build alone
    from ..documents.report import ReportDocument

PDF_TEMPLATE, WORD_TEMPLATE = "agreement.typ", "agreement.docx"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgreementFiles:
    document: AgreementDocument
    docx: bytes
    pdf: bytes
    editions: dict[str, bytes] = field(default_factory=dict)  # for a signing service


def definition_json(agreement: Agreement) -> bytes:
    """The validated definition as JSON: what the PDF carries as its source."""
    data = agreement.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n"


def render_pdf(doc: AgreementDocument, agreement: Agreement,
               templates: TemplateFolder) -> bytes:
    """The signing-ready PDF: a signature field per signatory, the definition attached."""
    source = pdf.Attachment(
        filename=f"aftale-{doc.name}.json", data=definition_json(agreement),
        description=f"Definitionen af {doc.metadata.title} (maskinlæsbar kilde)")
    done = pdf.typeset(templates.path(PDF_TEMPLATE), doc, attachment=source,
                       query=(pdf.SIGNATURE_LABEL,))
    labels = {s.field: f"Underskrift: {s.name}, {s.title}, {s.organisation}"
              for s in doc.signatures}
    fields = pdf.field_specs(done.queried[pdf.SIGNATURE_LABEL], labels)
    if [f.name for f in fields] != [s.field for s in doc.signatures]:
        raise RuntimeError(f"{PDF_TEMPLATE} placed the signature fields "
                           f"{[f.name for f in fields]}, not one per signatory")
    return pdf.finish(done.data, fields, identity(doc))


def identity(doc: AgreementDocument) -> pdf.Identity:
    """What the agreement's PDFs say they are, beside the attached definition."""
    return pdf.Identity(f"aftale-{doc.name}",
                        ("Aftale", "Eksempel") if doc.notice else ("Aftale",))


def render_edition(doc: AgreementDocument, templates: TemplateFolder, edition: str) -> bytes:
    """The PDF for a signing service: the same pages and text, as the service takes them
    (aftaler/render/editions.py)."""
    from ..render import editions

    if edition != NEMLOGIN:
        raise ValueError(f"no edition {edition!r}")
    done = pdf.typeset(templates.path(PDF_TEMPLATE), doc, edition=edition)
    return editions.nemlogin(pdf.finish(done.data, identity=identity(doc)))


def editions_of(agreement: Agreement, programme: Programme,
                asked: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The editions to make: those asked for, and the one of the signing route the
    agreement names (or else its programme)."""
    route = agreement.signing or programme.signing
    wanted = {*asked, *([route] if route in EDITIONS else [])}
    return tuple(e for e in EDITIONS if e in wanted)


def build_agreement(name: str, agreement: Agreement, programme: Programme,
                    templates: TemplateFolder, *,
                    editions: tuple[str, ...] = ()) -> AgreementFiles:
    """The files of one agreement, in memory: Word, the PDF, and the `editions`."""
    doc = document_model.build(name, agreement, programme)
    return AgreementFiles(doc, word.render(doc, templates),
                          render_pdf(doc, agreement, templates),
                          {e: render_edition(doc, templates, e) for e in editions})


def write_agreement(project: Project, name: str, agreement: Agreement | None = None,
                    programme: Programme | None = None, *,
                    editions: tuple[str, ...] = ()) -> list[Path]:
    """Build agreement `name` (loaded here unless given) and write its files: Word, the
    PDF, and the editions asked for or named by its signing route; return their paths.

    An edition written before that is neither asked for nor named any more is removed,
    so that output/ holds no edition older than its agreement."""
    definitions = project.definitions
    agreement = agreement or definitions.agreement(name).model
    programme = programme or definitions.programme(agreement.programme).model
    wanted = editions_of(agreement, programme, editions)
    for edition in wanted:
        clash = f"{name}-{edition}"
        if clash in definitions.names():
            raise BadInput(f"the {edition} edition of {name} and the agreement {clash} "
                           f"would both be {project.edition_file(name, edition).name}: "
                           f"rename agreements/{clash}.yaml")
    docx_path, pdf_path = project.agreement_files(name)
    edition_paths = {e: project.edition_file(name, e) for e in wanted}
    check_writable([docx_path, pdf_path, *edition_paths.values()])  # before the work
    # The templates and the font hashed before they are rendered with: one saved during
    # the build then leaves the record older than the files, and the next build redoes it.
    inputs = uptodate.Inputs(project.root, args={"name": name}).add_read(
        definitions.files.digests, definitions.path_of(name),
        definitions.programme_path(agreement.programme))
    inputs.add(*project.templates.closure(PDF_TEMPLATE, WORD_TEMPLATE),
               *font_files().values())
    files = build_agreement(name, agreement, programme, project.templates, editions=wanted)
    written = write_together([(docx_path, files.docx), (pdf_path, files.pdf),
                              *((edition_paths[e], data) for e, data in files.editions.items())])
    kept = keep_sent_draft(project, name, files)
    for stale in set(EDITIONS) - set(wanted):
        project.edition_file(name, stale).unlink(missing_ok=True)
    uptodate.write_record(inputs, {docx_path: files.docx, pdf_path: files.pdf,
                                   **{edition_paths[e]: data
                                      for e, data in files.editions.items()}},
                        kept={kept: files.docx})
    return written


def keep_sent_draft(project: Project, name: str, files: AgreementFiles) -> Path:
    """Keep the Word draft as built, under the version of its definition (the last
    build of a version wins), so that the draft a partner returns can be read against
    it even when it has lost what it carries of itself (`changes`)."""
    path = project.sent_draft(name, files.document.fingerprint)
    if not (path.is_file() and path.read_bytes() == files.docx):
        write_atomic(path, files.docx)
    return path


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
    # Hashed before rendering, as for an agreement.
    inputs = _report_inputs(project, year, programme_id, only, programme,
                            [s.name for s in doc.sections])
    charts = reportfiles.make_charts(doc)
    pdf_bytes = reportfiles.render_pdf(doc, source, filename, project.templates, charts)
    docx_bytes = reportfiles.render_docx(doc, project.templates, charts)
    return ReportFiles(doc, docx_bytes, pdf_bytes, inputs)


def _report_inputs(project: Project, year: int, programme_id: str, only: str | None,
                   programme: Programme, included: list[str]) -> uptodate.Inputs:
    """What a report is built from: the programme and its results of the period so far,
    each agreement in it with its evaluation of the year (absent ones too: one may be
    added), the templates and the font; and, for a whole report, every other agreement,
    which would be in it if it came into force that year."""
    from ..render.reportfiles import CHART_TEMPLATE as REPORT_CHART
    from ..render.reportfiles import PDF_TEMPLATE as REPORT_PDF
    from ..render.reportfiles import WORD_TEMPLATE as REPORT_WORD

    definitions, records = project.definitions, project.definitions.records
    read = definitions.files.digests  # each file as this build parsed it
    inputs = uptodate.Inputs(project.root, kind="report",
                             args={"year": year, "programme": programme_id, "only": only})
    inputs.add_read(read, definitions.programme_path(programme_id))
    inputs.add(*project.templates.closure(REPORT_PDF, REPORT_CHART, REPORT_WORD),
               *font_files().values())
    for name in included:
        inputs.add_read(read, definitions.path_of(name), records.evaluation_path(name, year))
    if not only:
        period = programme.period_of(year)
        first = period.start if period else year
        inputs.add_read(read, *(records.programme_path(programme_id, y)
                                for y in range(first, year + 1)))
        for name in definitions.names():
            if name not in included:
                path = definitions.agreements_folder / f"{name}.yaml"
                inputs.others[inputs.relative(path)] = read[path]
    return inputs


def write_report(project: Project, year: int, *, programme_id: str | None = None,
                 only: str | None = None, strict: bool = False) -> list[Path]:
    check_writable(list(project.report_files(year, programme_id, only)))
    files = build_report(project, year, programme_id=programme_id, only=only, strict=strict)
    docx_path, pdf_path = project.report_files(year, files.programme_id, only)
    written = write_together([(docx_path, files.docx), (pdf_path, files.pdf)])
    uptodate.write_record(files.inputs, {docx_path: files.docx, pdf_path: files.pdf})
    return written
