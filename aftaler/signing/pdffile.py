"""Whether bytes are a sound PDF, and if not, what is wrong with them in words.

Every command that reads a PDF it was given (`sign`, `verify`, `archive add`) checks it
here first, so a damaged or hostile file is refused with one line before a parser that
guesses (or loops, or allocates what the file claims) ever sees it.
"""

from __future__ import annotations

import io
import zlib

# A sound file declares exactly the objects and pages it holds; the slack allows for
# free entries and sloppy writers, not for a file claiming millions of what it lacks.
SLACK = 1000
# The most read of a stream this program decodes itself (XMP, embedded definitions: a
# few kB each). A few kB of Flate can decode to gigabytes.
LIMIT = 16 * 2**20


class Unreadable(ValueError):
    """Not a PDF, or one too damaged to read safely; the message says which, in words."""


class Encrypted(Unreadable):
    """A password is needed to open it."""


class TooLarge(Unreadable):
    """A stream decodes to more than LIMIT."""


def check(data: bytes) -> None:
    """Raise Unreadable unless `data` is a PDF whose structure reads without guessing."""
    import pikepdf

    if not data[:1024].lstrip()[:5].startswith(b"%PDF-"):
        raise Unreadable("not a PDF")
    if _is_zip(data):
        raise Unreadable("a PDF and a ZIP archive at once (such a file can carry hidden "
                         "content): use the PDF as it came from its source")
    if b"%%EOF" not in data[-1024:]:
        raise Unreadable("incomplete: it does not end the way a PDF ends (cut short while "
                         "copying or downloading?): get it again from its source")
    try:
        # Without recovery qpdf refuses a damaged file instead of rebuilding it by guesswork.
        pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=False)
    except pikepdf.PasswordError:
        raise Encrypted("encrypted (password protected)") from None
    except pikepdf.PdfError as exc:
        raise Unreadable(damage(exc)) from None
    with pdf:
        try:
            pages = len(pdf.pages)
            declared_pages = int(pdf.Root.Pages.get("/Count", pages))
            numbers = [obj.objgen[0] for obj in pdf.objects if obj is not None]
            highest = max(numbers, default=0)
            declared_objects = int(pdf.trailer.get("/Size", highest + 1))
            metadata = pdf.Root.get("/Metadata")
            if isinstance(metadata, pikepdf.Stream):
                stream_bytes(metadata)  # signing and archiving read it: bounded here first
        except TooLarge:
            raise Unreadable(f"damaged: its metadata (XMP) decodes to more than "
                             f"{LIMIT // 2**20} MB") from None
        except (pikepdf.PdfError, AttributeError, TypeError, ValueError) as exc:
            raise Unreadable(damage(exc)) from None
    if declared_objects > 2 * (highest + 1) + SLACK:
        raise Unreadable(f"damaged: it declares {declared_objects:,} objects but holds "
                         f"{len(numbers):,}")
    if declared_pages > 2 * pages + SLACK:
        raise Unreadable(f"damaged: it declares {declared_pages:,} pages but has {pages:,}")


def damage(exc: Exception) -> str:
    """What a parser's complaint means, without the parser's internals."""
    text = str(exc).lower()
    if "loop" in text and "pages" in text:
        return "damaged: its list of pages refers back to itself"
    if "xref" in text or "startxref" in text or "trailer" in text:
        return ("damaged: its table of contents (cross-reference table) does not match the "
                "file: get it again from its source")
    if "eof" in text or "truncated" in text:
        return "incomplete: it ends too early (cut short?): get it again from its source"
    return "damaged: its internal structure cannot be read: get it again from its source"


def _is_zip(data: bytes) -> bool:
    """Whether a ZIP tool reads `data` as an archive with something in it."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return bool(archive.infolist())
    except Exception:  # zipfile raises several kinds for what is not a ZIP
        return False


def stream_bytes(stream, limit: int = LIMIT) -> bytes | None:
    """A stream's decoded bytes; None if they cannot be decoded here (a filter other
    than Flate, or damaged data). Raise TooLarge if they would exceed `limit`."""
    import pikepdf

    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array):
        if len(filters) > 1:
            return None
        filters = filters[0] if len(filters) else None
    if filters is not None and (filters != "/FlateDecode" or "/DecodeParms" in stream):
        return None
    raw = stream.read_raw_bytes()
    if filters is None:
        out = raw
    else:
        try:
            out = zlib.decompressobj().decompress(raw, limit + 1)
        except zlib.error:
            return None
    if len(out) > limit:
        raise TooLarge(f"decodes to more than {limit // 2**20} MB")
    return out
