"""Signatures and the archive, for the status: each PDF's fields, the most signed copy,
the archived copy and its validation, and what they ask to be done."""

from __future__ import annotations

import re
from pathlib import Path

from ..sources.agreement import Agreement, signature_field_name
from . import model
from .context import Context
from .facts import AgreementFacts, PdfFacts

_VERSION = re.compile(r"\.v(\d+)\.pdf$")


def signatories(agreement: Agreement) -> dict[str, str]:
    """Signature field -> 'Name (Organisation)' of the person it is for."""
    return {signature_field_name(s.name): f"{s.name} ({party.name})"
            for party in agreement.parties.values() for s in party.signatories}


def pdf_status(c: Context, pdf: PdfFacts, people: dict[str, str]) -> model.Pdf:
    fields = [model.SignatureField(
        field=f.name, signatory=people.get(f.name), signed=f.signed,
        signer=f.signer or None if f.signed else None,
        time=f.signing_time or None if f.signed else None,
        intact=(not f.broken) if f.signed else None) for f in pdf.fields]
    return model.Pdf(path=c.path(pdf.path), sha256=pdf.sha256, fields=fields, error=pdf.error)


def _archived_copy(record: dict) -> tuple[int, int, list[str], list[str], bool]:
    """(signed, fields, signers, unsigned fields, intact) of an archived document."""
    signatures = [s for s in record.get("signatures") or [] if isinstance(s, dict)]
    unsigned = [str(f) for f in record.get("unsigned_fields") or []]
    return (len(signatures), len(signatures) + len(unsigned),
            [str(s.get("signer", "")) for s in signatures], unsigned,
            all(s.get("intact", True) for s in signatures))


def of(c: Context, agreement: Agreement, pdfs: list[model.Pdf],
               archived: list[dict], archive: Path | None) -> model.Signatures:
    """Of the most signed copy, in the archive or output/aftaler/ (on a tie, the later
    one in output/, whose path the next `sign` takes); its signers in the order of their
    fields (a signing time has whole seconds: two signatures may share one)."""
    people = signatories(agreement)
    copies = []
    for record in archived:
        signed, count, by, unsigned, intact = _archived_copy(record)
        where = c.path(archive / str(record.get("path", ""))) if archive else None
        copies.append((signed, count, by, unsigned, intact, where))
    for pdf in pdfs:
        if pdf.error is None:
            done = [f for f in pdf.fields if f.signed]
            copies.append((len(done), len(pdf.fields), [f.signer or "" for f in done],
                           [f.field for f in pdf.fields if not f.signed],
                           all(f.intact for f in done), pdf.path))
    if not copies:
        return model.Signatures(fields=len(people), signed=0, by=[],
                                missing=list(people.values()), intact=True, document=None)
    signed, count, by, unsigned, intact, where = max(
        enumerate(copies), key=lambda pair: (pair[1][0], pair[0]))[1]
    return model.Signatures(fields=count, signed=signed, by=by,
                            missing=[people.get(f, f) for f in unsigned], intact=intact,
                            document=where)


def _validation(record: dict) -> model.Validation | None:
    found = record.get("validation")
    if not isinstance(found, dict) or not isinstance(found.get("profiles"), dict):
        return None
    profiles = {str(k): [str(rule) for rule in v] if isinstance(v, list) else [str(v)]
                for k, v in found["profiles"].items()}
    return model.Validation(validator=str(found.get("validator", "")), profiles=profiles,
                            passed=all(not rules for rules in profiles.values()))


def archived_status(c: Context, a: AgreementFacts) -> model.Archived | None:
    if not a.archived:
        return None
    best = max(a.archived, key=lambda r: (_archived_copy(r)[0], str(r.get("archived_at", ""))))
    signed, count, *_ = _archived_copy(best)
    path = str(best.get("path", ""))
    version = _VERSION.search(path)
    source = best.get("source_sha256")
    return model.Archived(
        path=path, file=c.path(c.archive / path) if c.archive else path,
        version=int(version.group(1)) if version else 1,
        at=str(best.get("archived_at", "")), fields=count, signed=signed,
        pdfa=best.get("pdfa") if isinstance(best.get("pdfa"), str) else None,
        validation=_validation(best),
        current=(source == a.definition_sha256) if isinstance(source, str) else None,
        documents=len(a.archived))


def attention(c: Context, a: AgreementFacts, term: model.Term,
                       pdfs: list[model.Pdf], sigs: model.Signatures,
                       archived_shas: set[str]) -> list[model.Attention]:
    name = a.name
    items = []
    for pdf in pdfs:
        for f in pdf.fields:
            if f.signed and not f.intact:
                items.append(c.item("error", "signature_broken",
                                    f"{pdf.path}: the signature in {f.field} is not intact",
                                    command=c.command("verify", c.file(pdf.path)), agreement=name,
                                    path=pdf.path, names=[f.signatory or f.field]))
    if term.state == "ended":
        return items
    # Once everyone has signed, the signed copy is the agreement: a rebuild is moot.
    if (not a.built or not a.up_to_date) and not 0 < sigs.fields == sigs.signed:
        kind = "not_built" if not a.built else "not_up_to_date"
        told = "not built" if not a.built else "its documents are not up to date"
        items.append(c.item("todo", kind, f"{name}: {told}",
                            command=c.command("agreement", name), agreement=name))
    if sigs.signed < sigs.fields:
        command = None
        unsigned = next((f for pdf in pdfs if pdf.path == sigs.document
                         for f in pdf.fields if not f.signed), None)
        if unsigned is not None:
            command = c.command("sign", c.file(sigs.document), "--field", unsigned.field,
                                "--p12", "CERT.p12")
        elif sigs.document is None and a.built:
            command = c.command("sign", c.file(c.path(a.pdf)), "--field",
                                signature_field_name(_first_signatory(a.agreement)),
                                "--p12", "CERT.p12")
        who = _some(sigs.missing)
        path = None
        if a.signing_edition is not None:  # signed on NemLog-in's site: nothing to run
            command, path = None, c.path(a.signing_edition)
            who = f"{who}, through NemLog-in"
        if term.state == "not_begun":
            items.append(c.item("todo", "unsigned", f"{name}: to be signed by {who}",
                                date=term.start, command=command, agreement=name,
                                path=path, names=sigs.missing))
        else:
            items.append(c.item("overdue", "unsigned_in_force",
                                f"{name}: in force since {term.start}, not signed by {who}",
                                date=term.start, command=command, agreement=name,
                                path=path, names=sigs.missing))
    return items + _archiving_attention(c, name, pdfs, sigs, archived_shas)


def _archiving_attention(c: Context, name: str, pdfs: list[model.Pdf],
                         sigs: model.Signatures, archived_shas: set[str]):
    """A copy signed by everyone, in output/ and not archived: archive it."""
    copy = next((p for p in pdfs if p.path == sigs.document), None)
    if (copy is None or sigs.fields == 0 or sigs.signed < sigs.fields
            or copy.sha256 in archived_shas):
        return []
    return [c.item("todo", "not_archived", f"{name}: signed by everyone, not archived",
                   command=c.command("archive", "add", c.file(copy.path)), agreement=name,
                   path=copy.path)]


def _some(names: list[str], shown: int = 3) -> str:
    """A few names for a line; the list itself is in the item's `names`."""
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown - 1])} and {len(names) - shown + 1} more"


def _first_signatory(agreement: Agreement) -> str:
    return next(s.name for party in agreement.parties.values() for s in party.signatories)
