"""Signing a signature field (PAdES) with an organisation certificate."""

from __future__ import annotations

import io
import re
import unicodedata
from functools import cache

from . import pdffile

STAMP_TEXT = "Underskrevet digitalt af\n%(signer)s\nTidspunkt: %(ts)s"
STAMP_TIME = "%d.%m.%Y %H:%M:%S %Z"


@cache
def _writer_class():
    """A pyHanko incremental writer whose Info /Producer follows the XMP producer.

    pyHanko writes its own name as the XMP producer but appends it to the Info
    producer; PDF/A requires the two to agree. (Made on first use: pyHanko is slow to
    import and only signing needs it.)
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR

    class Writer(IncrementalPdfFileWriter):
        def _update_meta(self) -> None:
            super()._update_meta()
            if self._info is None or "/Metadata" not in self.root:
                return
            info = self._info.get_object()
            if "/Producer" in info and str(info["/Producer"]) != VENDOR:
                info["/Producer"] = generic.TextStringObject(VENDOR)
                self.mark_update(self._info)

    return Writer


def load_signer(p12: bytes, passphrase: bytes | None, source: str):
    """A pyHanko signer from a PKCS#12 file; a clear error for every way it can fail.

    The passphrase and key are never part of a message.
    """
    import datetime as dt

    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers

    try:
        key, cert, extra = pkcs12.load_key_and_certificates(p12, passphrase or None)
    except ValueError:
        raise SigningError(f"{source}: cannot open: wrong passphrase, or not a PKCS#12 "
                           "(.p12/.pfx) file") from None
    if key is None or cert is None:
        raise SigningError(f"{source}: holds no private key with its certificate")
    now = dt.datetime.now(dt.UTC)
    if cert.not_valid_after_utc < now:
        raise SigningError(f"{source}: the certificate of {_subject(cert)} expired on "
                           f"{cert.not_valid_after_utc:%Y-%m-%d}")
    if cert.not_valid_before_utc > now:
        raise SigningError(f"{source}: the certificate of {_subject(cert)} is not valid "
                           f"before {cert.not_valid_before_utc:%Y-%m-%d}")
    signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=None,
                                                   passphrase=passphrase or None)
    if signer is None:  # pragma: no cover - cryptography accepted it above
        raise SigningError(f"{source}: cannot open the PKCS#12 file")
    return signer


def _subject(cert) -> str:
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


class SigningError(Exception):
    """Signing cannot be done as asked; the message says why, in one line."""


def field_names(pdf: bytes) -> dict[str, bool]:
    """Signature field name -> signed or not."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return {name: value is not None for name, value, _ in enumerate_sig_fields(reader)}


def sign(pdf: bytes, field: str, signer, *, timestamper=None, font_path=None) -> bytes:
    """Sign the empty signature field `field` of `pdf` (PAdES; B-T with a timestamper).

    The signature is an incremental update: every earlier signature stays valid.
    Raise pdffile.Unreadable if `pdf` is not a PDF or too damaged to sign.
    """
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.stamp import TextStampStyle

    from ..fonts import font_files
    from ..names import nearest

    pdffile.check(pdf)
    try:
        fields = field_names(pdf)
    except Exception:  # pyHanko's reader raises several kinds for a bad file
        raise pdffile.Unreadable("damaged: its signature fields cannot be read") from None
    if field not in fields:
        known = ", ".join(fields) or "none"
        meant = nearest(field, fields)
        hint = f"; did you mean {meant!r}?" if meant else ""
        raise SigningError(f"no signature field named {field!r}{hint} (fields: {known})")
    if fields[field]:
        raise SigningError(f"the field {field!r} is already signed")
    # The stamp's font is embedded (PDF/A) and has 1000 units per em, which
    # pyHanko's text layout assumes.
    font = GlyphAccumulatorFactory(str(font_path or font_files()[400]))
    style = TextStampStyle(stamp_text=STAMP_TEXT, timestamp_format=STAMP_TIME,
                           text_box_style=TextBoxStyle(font=font, font_size=9),
                           border_width=0, background=None)
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=SigSeedSubFilter.PADES,
                                        md_algorithm="sha256",
                                        use_pades_lta=False)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style,
                                   timestamper=timestamper)
    out = io.BytesIO()
    try:
        writer = _writer_class()(io.BytesIO(pdf), strict=False)
        pdf_signer.sign_pdf(writer, output=out)
    except (PdfReadError, RecursionError):
        raise pdffile.Unreadable("damaged: a signature cannot be added to it") from None
    return out.getvalue()


# ---------------------------------------------------------------------------
# Who signs: the certificate's name against the field's signatory

# Danish letters as Danes write them without: Sørensen is Soerensen or Sorensen.
_DANISH = (str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}),
           str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))


class SignerMismatch(SigningError):
    """The certificate names someone other than the person the field is for."""

    def __init__(self, field: str, signatory: str, certificate_name: str | None):
        self.field = field
        self.signatory = signatory
        self.certificate_name = certificate_name
        who = certificate_name or "no one (its subject has no common name)"
        super().__init__(f"the field {field!r} is for {signatory}, but the certificate "
                         f"names {who}")


def certificate_name(signer) -> str | None:
    """The name on the signer's certificate: its subject's common name (CN)."""
    name = signer.signing_cert.subject.native.get("common_name")
    if isinstance(name, list):  # a subject may repeat an attribute
        name = " ".join(name)
    return str(name) if name else None


def field_signatory(pdf: bytes, field: str) -> str | None:
    """The person the signature field `field` is for, as the field says it.

    The fields this program makes say it twice: in the tooltip (/TU), "Underskrift: NAME,
    title, organisation", and in the name, Underskrift_ASCII_NAME. None when the field
    says neither (a field from elsewhere), or when the PDF or field cannot be read
    (`sign` then says what is wrong).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        found = [ref for name, _, ref in enumerate_sig_fields(reader, with_name=field)]
        tooltip = str(found[0].get_object().get("/TU", "")) if found else ""
    except Exception:
        return None
    if not found:
        return None
    if match := re.match(r"Underskrift:\s*([^,]+)", tooltip):
        return match.group(1).strip()
    if match := re.fullmatch(r"Underskrift_(\w+)", field):
        return match.group(1).replace("_", " ")
    return None


def same_person(a: str, b: str) -> bool:
    """Whether two written names are the same name.

    Alike are: upper and lower case; æ, ø, å and their spellings ae, oe/o, aa/a; accents
    (é and e); and whatever separates the words (spaces, hyphens, dots, commas). Not
    alike: a name left out, added, shortened to an initial or in another order, since
    the stamp would then show another name than the one printed under it.
    """
    return bool(_spellings(a) & _spellings(b))


def _spellings(name: str) -> set[str]:
    text = unicodedata.normalize("NFC", name).casefold()
    spellings = set()
    for table in _DANISH:
        decomposed = unicodedata.normalize("NFKD", text.translate(table))
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
        spellings.add(" ".join(re.findall(r"[^\W_]+", plain)))
    return spellings


def check_signer(pdf: bytes, field: str, signer) -> None:
    """Raise SignerMismatch if the certificate's name is not the field's signatory's.

    A field that does not say whom it is for is not checked.
    """
    signatory = field_signatory(pdf, field)
    if signatory is None:
        return
    name = certificate_name(signer)
    if name is None or not same_person(name, signatory):
        raise SignerMismatch(field, signatory, name)
