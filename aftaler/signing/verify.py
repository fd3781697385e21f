"""What is signed in a PDF: every signature field, signed or not, and whether it holds."""

from __future__ import annotations

import io
from dataclasses import dataclass

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

    @property
    def broken(self) -> bool:
        """Signed, but the signature no longer holds for the document as it is."""
        return self.signed and (not self.intact or self.modification not in OK_CHANGES)


# Changes after a signature that keep it valid: none, adding document timestamps and
# validation data, or filling in form fields such as the next signature.
OK_CHANGES = ("none", "lta_updates", "form_filling")


def verify(pdf: bytes, trust_roots: list | None = None) -> list[FieldReport]:
    """Validate every signature of `pdf` offline; list every signature field.

    Raise pdffile.Unreadable if `pdf` is not a PDF or too damaged to read safely.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    pdffile.check(pdf)
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = {s.field_name: s for s in reader.embedded_regular_signatures}
        fields = list(enumerate_sig_fields(reader))
    except Exception:  # pyHanko's reader raises many kinds for what it cannot parse
        raise pdffile.Unreadable("damaged: its signature fields cannot be read") from None
    reports = []
    for name, value, _ in fields:
        if value is None or name not in signatures:
            reports.append(FieldReport(name, signed=False))
            continue
        embedded = signatures[name]
        context = ValidationContext(trust_roots=list(trust_roots or []), allow_fetching=False,
                                    revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(embedded, context)
        except Exception:  # a damaged signature container: report, don't crash
            reports.append(FieldReport(name, signed=True, signer="(signature unreadable)"))
            continue
        when = status.signer_reported_dt
        if status.timestamp_validity is not None:
            when = status.timestamp_validity.timestamp
        level = status.modification_level
        reports.append(FieldReport(
            name, signed=True,
            signer=_describe(status.signing_cert),
            signing_time=when.isoformat() if when else "",
            timestamped=status.timestamp_validity is not None,
            intact=bool(status.intact and status.valid),
            modification=level.name.lower() if level is not None else "unknown",
            trusted=bool(status.trusted),
        ))
    return reports


def _describe(cert) -> str:
    subject = cert.subject.native
    name = subject.get("common_name", "")
    organisation = subject.get("organization_name", "")
    return f"{name} ({organisation})" if organisation else str(name)
