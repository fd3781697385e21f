"""What the project's files say, read for the status: the I/O, nothing decided here.

    agreements/NAME.yaml, NAME/YEAR.yaml      each definition and its yearly records
    programmes/ID.yaml, ID/YEAR.yaml          each programme and its yearly results
    output/aftaler/aftale-NAME*.pdf           the built PDFs and their signed copies
    output/aftaler/.aftale-NAME.build.json    whether they are up to date
    output/rapporter/evaluering-YEAR*.pdf     the reports
    output/skemaer/*.xlsx                     the forms exported
    archive/manifest.json                     what is archived (read, never locked)

A definition or record that cannot be read is kept with its problems; a PDF whose
signatures cannot be read, with the reason. Nothing here raises for what a file says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AftalerError, DefinitionError
from ..project import Project
from ..signing.verify import FieldReport
from ..sources.agreement import Agreement
from ..sources.programme import Programme

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class PdfFacts:
    path: Path
    sha256: str | None
    fields: tuple[FieldReport, ...] = ()
    source_sha256: str | None = None  # of the definition embedded in it
    error: str | None = None


@dataclass(frozen=True)
class RecordFacts:
    """A yearly record: absent, or present and valid, or present with problems."""

    path: Path
    exists: bool
    problems: tuple[str, ...] = ()


@dataclass
class AgreementFacts:
    name: str
    path: Path
    agreement: Agreement
    programme: Programme | None  # None: its programme's definition has problems
    definition_sha256: str
    word: Path
    pdf: Path
    built: bool
    up_to_date: bool
    pdfs: list[PdfFacts]  # the built PDF first, then its signed copies, fewest first
    records: dict[int, RecordFacts]  # each year of the term
    forms: dict[int, Path]  # the forms exported, by year
    archived: list[dict]  # its manifest records
    # Where its NemLog-in edition goes, if it is signed through NemLog-in (`signing`).
    signing_edition: Path | None = None


@dataclass
class ProgrammeYearFacts:
    year: int
    record: RecordFacts
    form: Path | None
    report: Path
    report_built: bool
    report_current: bool
    report_archived: bool


@dataclass
class ProgrammeFacts:
    id: str
    programme: Programme
    years: dict[int, ProgrammeYearFacts]


@dataclass(frozen=True)
class InvalidFacts:
    name: str
    kind: str  # 'agreement' or 'programme'
    path: Path
    problems: tuple[str, ...]


@dataclass
class Facts:
    root: Path
    agreements: list[AgreementFacts] = field(default_factory=list)
    programmes: list[ProgrammeFacts] = field(default_factory=list)
    invalid: list[InvalidFacts] = field(default_factory=list)
    archive: Path | None = None
    archive_problem: str | None = None


def programme_years(programme: Programme, agreements: list[Agreement],
                    today: dt.date) -> list[int]:
    """The years a programme has something to record or report: those its periods cover
    (an open-ended one up to this year), and those its agreements are in force."""
    years: set[int] = set()
    for period in programme.periods:
        last = period.end if period.end is not None else max(today.year, period.start)
        years.update(range(period.start, last + 1))
    for agreement in agreements:
        years.update(range(agreement.term.start.year, agreement.term.end.year + 1))
    return sorted(years)


def gather(project: Project, today: dt.date, archive: Path | None = None) -> Facts:
    """Read everything the status is computed from."""
    definitions = project.definitions
    facts = Facts(project.root, archive=archive or project.root / "archive")
    manifest, facts.archive_problem = read_manifest(facts.archive)
    programmes: dict[str, Programme] = {}
    for pid in definitions.programme_ids():
        try:
            programmes[pid] = definitions.programme(pid).model
        except DefinitionError as exc:
            facts.invalid.append(InvalidFacts(pid, "programme", definitions.programme_path(pid),
                                              tuple(str(p) for p in exc.problems)))
    agreements: dict[str, Agreement] = {}
    for name in definitions.names():
        path = definitions.agreements_folder / f"{name}.yaml"
        try:
            agreements[name] = definitions.agreement(name).model
        except DefinitionError as exc:
            facts.invalid.append(InvalidFacts(name, "agreement", path,
                                              tuple(str(p) for p in exc.problems)))
        except AftalerError as exc:
            facts.invalid.append(InvalidFacts(name, "agreement", path, (exc.format_message(),)))
    for wrong in definitions.misnamed():  # a file whose name is no name: `check` says so
        kind = "programme" if wrong.path.parent == definitions.programmes_folder else "agreement"
        facts.invalid.append(InvalidFacts(wrong.stem, kind, wrong.path,
                                          (str(definitions.misnamed_problem(wrong)),)))
    for name, agreement in agreements.items():
        facts.agreements.append(_agreement(project, name, agreement,
                                           programmes.get(agreement.programme), manifest))
    for pid, programme in programmes.items():
        mine = [a for a in agreements.values() if a.programme == pid]
        years = {year: _programme_year(project, pid, programme, year, manifest)
                 for year in programme_years(programme, mine, today)}
        facts.programmes.append(ProgrammeFacts(pid, programme, years))
    return facts


def read_manifest(archive: Path) -> tuple[list[dict], str | None]:
    """The archive's records, read as plain data (an older manifest, or one with keys
    added since, reads alike); and what is wrong with it, if it cannot be read."""
    path = archive / MANIFEST
    if not path.is_file():
        return [], None
    try:
        documents = json.loads(path.read_text(encoding="utf-8"))["documents"]
        if not isinstance(documents, list):
            raise TypeError("documents is not a list")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [], f"{path.name}: cannot be read ({type(exc).__name__}: {exc})"
    return [d for d in documents if isinstance(d, dict)], None


def _agreement(project: Project, name: str, agreement: Agreement, programme: Programme | None,
               manifest: list[dict]) -> AgreementFacts:
    from ..forms.export import agreement_file_name
    from ..pipeline import uptodate
    from ..pipeline.steps import definition_json

    definitions = project.definitions
    word, pdf = project.agreement_files(name)
    built = _regular(word) and _regular(pdf)
    records = {}
    forms = {}
    for year in range(agreement.term.start.year, agreement.term.end.year + 1):
        path = definitions.records.evaluation_path(name, year)
        records[year] = _record(path, lambda n=name, y=year: definitions.records.evaluation(
            n, agreement, y))
        form = project.forms_output / agreement_file_name(name, year)
        if _regular(form):
            forms[year] = form
    archived = [d for d in manifest
                if d.get("kind") == "aftale" and d.get("agreement") == name]
    return AgreementFacts(
        name=name, path=definitions.path_of(name), agreement=agreement, programme=programme,
        definition_sha256=hashlib.sha256(definition_json(agreement)).hexdigest(),
        word=word, pdf=pdf, built=built,
        up_to_date=built and uptodate.agreement_current(project, name),
        pdfs=[read_pdf(path, f"aftale-{name}.json") for path in agreement_pdfs(project, name)],
        records=records, forms=forms, archived=archived,
        signing_edition=project.edition_file(name, "nemlogin")
        if (agreement.signing or (programme.signing if programme else None)) == "nemlogin"
        else None)


def agreement_pdfs(project: Project, name: str) -> list[Path]:
    """output/aftaler/aftale-NAME.pdf and its signed copies aftale-NAME-underskrevet-N.pdf,
    in the order they were signed."""
    folder = project.agreements_output
    signed = re.compile(rf"^aftale-{re.escape(name)}-underskrevet-(\d+)\.pdf$")
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = signed.match(path.name)
            if match and _regular(path):
                found.append((int(match.group(1)), path))
    first = folder / f"aftale-{name}.pdf"
    return ([first] if _regular(first) else []) + [path for _, path in sorted(found)]


def _programme_year(project: Project, pid: str, programme: Programme, year: int,
                    manifest: list[dict]) -> ProgrammeYearFacts:
    from ..forms.export import programme_file_name
    from ..pipeline import uptodate

    records = project.definitions.records
    form = project.forms_output / programme_file_name(pid, year)
    word, pdf = project.report_files(year, pid)
    built = _regular(word) and _regular(pdf)
    return ProgrammeYearFacts(
        year=year,
        record=_record(records.programme_path(pid, year),
                       lambda: records.programme_year(pid, programme, year)),
        form=form if _regular(form) else None,
        report=pdf, report_built=built,
        report_current=built and uptodate.report_current(project, year, pid, None),
        report_archived=any(d.get("kind") == "evaluering" and d.get("agreement") == pid
                            and d.get("year") == year for d in manifest))


def _record(path: Path, load) -> RecordFacts:
    if not path.is_file():
        return RecordFacts(path, exists=False)
    try:
        load()
    except DefinitionError as exc:
        return RecordFacts(path, exists=True, problems=tuple(str(p) for p in exc.problems))
    return RecordFacts(path, exists=True)


def _regular(path: Path) -> bool:
    """A regular file, not a link that could lead out of the project."""
    return path.is_file() and not path.is_symlink()


# What was read from a PDF, by its SHA-256: a long-running `watch` reads each once.
_READ: dict[tuple[str, str], tuple[tuple[FieldReport, ...], str | None, str | None]] = {}


def read_pdf(path: Path, source_name: str) -> PdfFacts:
    """The signature fields of a PDF (each signed or not, by whom, intact or not) and the
    SHA-256 of the definition it carries as `source_name`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return PdfFacts(path, None, error=f"cannot be read ({exc.strerror})")
    sha = hashlib.sha256(data).hexdigest()
    key = (sha, source_name)
    if key not in _READ:
        if len(_READ) > 512:
            _READ.clear()
        _READ[key] = _contents(data, source_name)
    fields, source, error = _READ[key]
    return PdfFacts(path, sha, fields, source, error)


def _contents(data: bytes, source_name: str):
    from ..signing import pdffile
    from ..signing import verify as verification

    try:
        fields = tuple(verification.verify(data))
    except pdffile.Unreadable as exc:
        return (), None, str(exc)
    return fields, _source_sha256(data, source_name), None


def _source_sha256(data: bytes, name: str) -> str | None:
    import pikepdf

    from ..signing import pdffile

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            spec = pdf.attachments.get(name)
            content = pdffile.stream_bytes(spec.get_file().obj) if spec is not None else None
    except Exception:  # a damaged attachment: the copy is simply not identified by it
        return None
    return hashlib.sha256(content).hexdigest() if content is not None else None
