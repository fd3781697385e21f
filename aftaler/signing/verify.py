"""What is signed in a PDF: every signature field, signed or not, and whether it holds.

Every signature object is validated on its own, whatever its field is called: a field
name is no key. A document changed after signing can add a second field of the same name
and sign it with a self-made certificate of the same person, or take the signed field
out of the form; either is reported as such (and counts as broken), never hidden behind
the other signature.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections import Counter
from dataclasses import dataclass

from ..shown import shown
from . import pdffile


@dataclass(frozen=True)
class FieldReport:
    name: str
    signed: bool
    signer: str = ""
    signing_time: str = ""  # ISO 8601, UTC
    timestamped: bool = False
    intact: bool = False  # the signed bytes are unchanged and the signature matches
    modification: str = ""  # what changed after signing: none, form filling, ...
    trusted: bool = False  # the certificate chains to a --trust root
    sharing: int = 1  # how many signature fields have this name (more than one: forged)
    in_field: bool = True  # False: a signature no signature field holds any more

    @property
    def tampering(self) -> list[str]:
        """How the form itself was changed to mislead, in words (nothing: it was not)."""
        found = []
        if not self.in_field:
            found.append("a signature that no signature field holds: the form was changed "
                         "after it was signed")
        if self.sharing > 1:
            found.append(f"{self.sharing} signature fields have this name: one was added "
                         "after signing, to show another signature under it")
        return found

    @property
    def findings(self) -> list[str]:
        """What is wrong with this field or signature, in words (nothing: it holds)."""
        found = self.tampering
        if self.signed and self.in_field and not self.intact:
            found.append("the signed bytes or the signature do not match")
        elif self.signed and self.in_field and self.modification not in OK_CHANGES:
            found.append(f"changed after signing: {self.modification.replace('_', ' ')}")
        return found

    @property
    def broken(self) -> bool:
        """The document cannot be trusted to be as this field was signed."""
        return bool(self.findings)


# Changes after a signature that keep it valid: none, adding document timestamps and
# validation data, or filling in form fields such as the next signature.
OK_CHANGES = ("none", "lta_updates", "form_filling")
NO_FIELD = "(no field)"
# A signature's /ByteRange: the signed bytes are [a, a+b) and [c, c+d), around /Contents.
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+"
                         rb"(\d{1,12})\s*\]")


def verify(pdf: bytes, trust_roots: list | None = None) -> list[FieldReport]:
    """Validate every signature of `pdf` offline; list every signature field, and any
    signature left without one.

    Raise pdffile.Unreadable if `pdf` is not a PDF or too damaged to read safely.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    pdffile.check(pdf)
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        fields = list(enumerate_sig_fields(reader))
    except Exception:  # pyHanko's reader raises many kinds for what it cannot parse
        raise pdffile.Unreadable("damaged: its signature fields cannot be read") from None
    sharing = Counter(name for name, _, _ in fields)
    reports, ranges = [], set()
    for name, value, field_ref in fields:
        if value is None:
            reports.append(FieldReport(name, signed=False, sharing=sharing[name]))
            continue
        ranges.add(_byte_range(value))
        report = _validate(reader, name, field_ref, trust_roots)
        reports.append(dataclasses.replace(report, sharing=sharing[name]))
    reports += [FieldReport(NO_FIELD, signed=True, signer="(not validated)", in_field=False)
                for _ in _signatures_outside_fields(pdf, ranges)]
    return reports


def _byte_range(value) -> tuple | None:
    """What a field's signature says it signs (None if it says nothing readable)."""
    try:
        return tuple(int(n) for n in value.get_object()["/ByteRange"])
    except Exception:  # a signature dictionary damaged in any way
        return None


def _validate(reader, name: str, field_ref, trust_roots) -> FieldReport:
    """One signature field's signature, validated."""
    from pyhanko.sign.validation import (
        EmbeddedPdfSignature,
        validate_pdf_signature,
        validate_pdf_timestamp,
    )
    from pyhanko_certvalidator import ValidationContext

    unreadable = FieldReport(name, signed=True, signer="(signature unreadable)")
    try:
        embedded = EmbeddedPdfSignature(reader, field_ref.get_object(), name)
    except Exception:  # pyHanko raises many kinds for a container it cannot parse
        raise pdffile.Unreadable("damaged: its signature fields cannot be read") from None
    context = ValidationContext(trust_roots=list(trust_roots or []), allow_fetching=False,
                                revocation_mode="soft-fail")
    try:
        if embedded.sig_object_type == "/DocTimeStamp":
            status = validate_pdf_timestamp(embedded, context)
            when, timestamped = status.timestamp, True
        else:
            status = validate_pdf_signature(embedded, context)
            when, timestamped = status.signer_reported_dt, status.timestamp_validity is not None
            if timestamped:
                when = status.timestamp_validity.timestamp
    except Exception:  # validation failing on a malformed signature is its verdict
        return unreadable
    level = status.modification_level
    return FieldReport(
        name, signed=True,
        signer=_describe(status.signing_cert),
        signing_time=when.isoformat() if when else "",
        timestamped=timestamped,
        intact=bool(status.intact and status.valid),
        modification=level.name.lower() if level is not None else "unknown",
        trusted=bool(status.trusted),
    )


def _signatures_outside_fields(pdf: bytes, known: set[tuple]) -> list[tuple]:
    """The byte ranges of signatures in the file's bytes that no field's signature has.

    A signature's /Contents cannot be compressed (its byte range is counted in the raw
    file), so every signature ever added is in the bytes, whatever the later revisions
    did to the form; a range is taken for a signature's only if it is one: it starts
    the file, ends within it, and leaves out exactly a hex string.
    """
    found = []
    for match in _BYTE_RANGE.finditer(pdf):
        a, b, c, d = (int(n) for n in match.groups())
        if (a == 0 and 0 < b < c and c + d <= len(pdf) and pdf[b:b + 1] == b"<"
                and pdf[c - 1:c] == b">" and (a, b, c, d) not in known):
            found.append((a, b, c, d))
    return sorted(set(found))


def _describe(cert) -> str:
    subject = cert.subject.native
    name = subject.get("common_name", "")
    organisation = subject.get("organization_name", "")
    return f"{name} ({organisation})" if organisation else str(name)


def broken_summary(reports: list[FieldReport]) -> str:
    """The broken fields and signatures, each with what is wrong, as one line of data."""
    seen: dict[str, list[str]] = {}
    for report in reports:
        for finding in report.findings:
            listed = seen.setdefault(shown(report.name), [])
            if finding not in listed:
                listed.append(finding)
    return "; ".join(f"{name} ({', '.join(findings)})" for name, findings in seen.items())
