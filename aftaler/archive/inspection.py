"""What a PDF is, read from its bytes: for the archive's checks and its manifest."""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field

from ..signing import pdffile
from ..signing import verify as verification
from .conformance import verdict

AGREEMENT_SOURCE = re.compile(r"^aftale-(?P<name>[a-z0-9][a-z0-9_-]*)\.json$")
REPORT_SOURCE = re.compile(r"^evaluering-(?P<year>\d{4})(?:-(?P<name>[a-z0-9][a-z0-9_-]*))?\.json$")
AGREEMENT_IDENTIFIER = re.compile(r"aftale-(?P<name>[a-z0-9][a-z0-9_-]*)")
UNKNOWN = "ukendt"


class Refused(Exception):
    """The file cannot be archived; the message says why, in one line."""


@dataclass
class Inspection:
    sha256: str
    size: int
    pages: int
    title: str
    agreement: str  # the agreement's name, 'alliance' for a whole report, or 'ukendt'
    kind: str  # 'aftale', 'evaluering' or 'ukendt'
    parties: list[str]
    year: int | None
    pdfa: str | None  # e.g. '3A', from XMP
    signatures: list[dict]
    unsigned_fields: list[str]
    source_sha256: str | None  # of the embedded source definition, if any
    warnings: list[str] = field(default_factory=list)  # archival weaknesses
    example: bool = False  # built from `example: true` data: not an agreement entered into
    notes: list[str] = field(default_factory=list)  # e.g. unsigned fields
    validation: dict | None = None  # page-validation's verdict (conformance.verdict)


def inspect(data: bytes) -> Inspection:
    """Read a PDF; raise Refused for what must never be archived."""
    import pikepdf

    try:
        pdffile.check(data)
    except pdffile.Encrypted:
        raise Refused("encrypted (password protected): archive the unencrypted original") \
            from None
    except pdffile.Unreadable as exc:
        raise Refused(str(exc)) from None
    try:
        with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
            if pdf.is_encrypted:
                raise Refused("encrypted: archive the unencrypted original")
            active = _active_content(pdf)
            if active:
                raise Refused(f"contains {active}: a document to keep must not run code")
            pages = len(pdf.pages)
            xmp_values, part, conformance = _xmp(pdf)
            identity = _identity(pdf)
            info = {key: str(value) for key, value in pdf.docinfo.items()} \
                if pdf.trailer.get("/Info") is not None else {}
            sources, unread = _sources(pdf)
            missing_fonts = sorted(_fonts_not_embedded(pdf))
    except (pikepdf.PdfError, RecursionError) as exc:
        raise Refused(pdffile.damage(exc)) from None
    try:
        fields = verification.verify(data)
    except pdffile.Unreadable as exc:
        raise Refused(str(exc)) from None
    if any(f.broken for f in fields):
        raise Refused(f"signature not intact: {verification.broken_summary(fields)}")

    result = Inspection(
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), pages=pages,
        title=info.get("/Title") or str(xmp_values.get("dc:title") or ""),
        agreement=UNKNOWN, kind=UNKNOWN, parties=[], year=None,
        pdfa=f"{part}{conformance or ''}" if part else None,
        signatures=[{"field": f.name, "signer": f.signer, "time": f.signing_time,
                     "intact": f.intact, "timestamped": f.timestamped}
                    for f in fields if f.signed],
        unsigned_fields=[f.name for f in fields if not f.signed],
        source_sha256=None,
    )
    _identify(result, sources, info, identity)
    result.validation = verdict(data)
    if not part:
        result.warnings.append("no PDF/A identification in XMP")
    for name in unread:
        result.warnings.append(f"embedded {name} unreadable or over {pdffile.LIMIT // 2**20} MB: "
                               "the document is not identified by it")
    for font in missing_fonts:
        result.warnings.append(f"font not embedded: {font}")
    for message in _disagreements(info, xmp_values):
        result.warnings.append(message)
    if result.unsigned_fields:
        result.notes.append("unsigned signature fields: " + ", ".join(result.unsigned_fields)
                            + " (archived before signing)")
    return result


def _identify(result: Inspection, sources: dict[str, bytes], info: dict[str, str],
              identity: tuple[str, list[str]] | None = None) -> None:
    """Agreement, parties and year from the embedded source definition; without one (the
    NemLog-in edition, or a copy a signing service gave back without it), agreement and
    year from what the XMP says it is and its creation date (the term's start)."""
    for filename, content in sources.items():
        agreement, report = AGREEMENT_SOURCE.match(filename), REPORT_SOURCE.match(filename)
        if not (agreement or report):
            continue
        result.source_sha256 = hashlib.sha256(content).hexdigest()
        try:
            data = json.loads(content)
        except ValueError:
            data = {}
        result.example = _example(data, bool(agreement))
        if agreement:
            result.kind, result.agreement = "aftale", agreement["name"]
            parties = data.get("parties", {}) if isinstance(data, dict) else {}
            result.parties = [p.get("name", "") for p in parties.values()
                              if isinstance(p, dict)]
            start = str((data.get("term") or {}).get("start", "")) if isinstance(
                data, dict) else ""
            result.year = int(start[:4]) if start[:4].isdigit() else None
        else:
            result.kind, result.agreement = "evaluering", report["name"] or "alliance"
            result.year = int(report["year"])
        return
    created = info.get("/CreationDate", "")
    match = re.match(r"D:(\d{4})", created)
    result.year = int(match.group(1)) if match else None
    named = AGREEMENT_IDENTIFIER.fullmatch(identity[0]) if identity else None
    if named and "Aftale" in identity[1]:
        result.kind, result.agreement = "aftale", named["name"]
        result.example = "Eksempel" in identity[1]


def _example(data: object, agreement: bool) -> bool:
    """Whether the embedded source says its figures or its agreement are examples: an
    agreement's definition, or a report's programme results or any evaluation in it (as
    the report itself decides to say EKSEMPEL on its first page)."""
    if not isinstance(data, dict):
        return False
    if agreement:
        return data.get("example") is True
    results = data.get("programme_results")
    evaluations = data.get("evaluations")
    return (isinstance(results, dict) and results.get("example") is True) or (
        isinstance(evaluations, dict) and any(
            isinstance(e, dict) and e.get("example") is True for e in evaluations.values()))


def _xmp(pdf) -> tuple[dict, str | None, str | None]:
    """The XMP values compared with Info, and the PDF/A part and conformance.

    (pdffile.check has made sure the packet decodes to a bounded size.)"""
    try:
        xmp = pdf.open_metadata()
        values = {key: xmp.get(key) for key in _PAIRS.values()}
        return values, xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")
    except Exception:  # a broken XMP packet is an archival weakness, not a refusal
        return {}, None, None


def _identity(pdf) -> tuple[str, list[str]] | None:
    """The XMP's dc:identifier and dc:type, as this program writes them
    (render/pdf.Identity)."""
    try:
        xmp = pdf.open_metadata()
        identifier, types = xmp.get("dc:identifier"), xmp.get("dc:type")
    except Exception:  # a broken XMP packet: not identified by it
        return None
    if not isinstance(identifier, str):
        return None
    return identifier, [str(t) for t in types] if isinstance(types, list | set | tuple) else []


def _sources(pdf) -> tuple[dict[str, bytes], list[str]]:
    """The embedded source definitions (this pipeline's attachments) by file name, and
    the names of those too large to read."""
    out, unread = {}, []
    try:
        for name, spec in pdf.attachments.items():
            if AGREEMENT_SOURCE.match(name) or REPORT_SOURCE.match(name):
                try:
                    content = pdffile.stream_bytes(spec.get_file().obj)
                except pdffile.TooLarge:
                    content = None
                if content is None:
                    unread.append(name)
                else:
                    out[name] = content
    except Exception:  # damaged attachments: the document is kept without identification
        return out, unread
    return out, unread


# Info key -> the XMP property that must say the same (PDF/A).
_PAIRS = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description",
          "/Keywords": "pdf:Keywords", "/Producer": "pdf:Producer",
          "/Creator": "xmp:CreatorTool"}


def _disagreements(info: dict[str, str], xmp: dict) -> list[str]:
    out = []
    for key, prop in _PAIRS.items():
        if key not in info or xmp.get(prop) is None:
            continue
        value = xmp[prop]
        if isinstance(value, list | set | tuple):
            value = ", ".join(str(v) for v in value)
        if str(value) != info[key]:
            out.append(f"Info {key[1:]} and XMP {prop} disagree")
    return out


def _fonts_not_embedded(pdf) -> set[str]:
    missing: set[str] = set()
    seen: set[tuple[int, int]] = set()

    def check_resources(resources, depth=0):
        if resources is None or depth > 8:
            return
        for font in resources.get("/Font", {}).values():
            for f in font.get("/DescendantFonts", [font]):
                if f.get("/Subtype") == "/Type3":
                    continue  # glyphs drawn by the document itself
                descriptor = f.get("/FontDescriptor")
                if descriptor is None or not any(
                        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.add(str(f.get("/BaseFont", "?")).lstrip("/"))
        for xobject in resources.get("/XObject", {}).values():
            if xobject.is_indirect:
                if xobject.objgen in seen:
                    continue
                seen.add(xobject.objgen)
            check_resources(xobject.get("/Resources"), depth + 1)

    for page in pdf.pages:
        check_resources(page.get("/Resources"))
        for annot in page.get("/Annots", []):
            appearance = annot.get("/AP")
            if appearance is not None:
                for state in ("/N", "/R", "/D"):
                    stream = appearance.get(state)
                    if stream is not None and hasattr(stream, "get"):
                        check_resources(stream.get("/Resources"), 1)
    return missing


def _active_content(pdf) -> str | None:
    """'JavaScript' or 'a launch action' if the document has any, else None."""
    import pikepdf

    if "/Names" in pdf.Root and "/JavaScript" in pdf.Root.Names:
        return "JavaScript"
    for obj in pdf.objects:
        found = _scan(obj, pikepdf, set(), 0)
        if found:
            return found
    return None


def _scan(obj, pikepdf, seen: set, depth: int) -> str | None:
    if depth > 12:
        return None
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        if obj.is_indirect:
            if obj.objgen in seen and depth:
                return None
            seen.add(obj.objgen)
        action = obj.get("/S")
        if action == "/JavaScript" or "/JS" in obj:
            return "JavaScript"
        if action == "/Launch":
            return "a launch action"
        for key in ("/A", "/OpenAction", "/Next"):
            if key in obj:
                found = _scan(obj[key], pikepdf, seen, depth + 1)
                if found:
                    return found
        if "/AA" in obj and isinstance(obj.AA, pikepdf.Dictionary):
            for value in obj.AA.values():
                found = _scan(value, pikepdf, seen, depth + 1)
                if found:
                    return found
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            found = _scan(item, pikepdf, seen, depth + 1)
            if found:
                return found
    return None
