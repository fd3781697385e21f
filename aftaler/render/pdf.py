"""Document model -> tagged PDF/A-3a and PDF/UA-1 (Typst), then what Typst leaves to us
(pikepdf): the signature fields, and who made the file.

Typst writes the metadata (title, author, subject, keywords, dates, language: Info and
XMP alike), the structure tree, the embedded font subsets and the attachment. After it,
one pikepdf pass adds the empty signature fields at the places the template reported
(`metadata` labelled <signature>, queried from the same layout), names this program as
the creator and Typst as the producer in Info and XMP alike, and saves with a file id
derived from the content: the same document, the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from .fields import Box, FieldSpec, add_signature_fields
from .typesetting import Typeset, as_json, compile_pdf, compiler_version, inputs

CREATOR = f"horsens-aftaler {__version__}"
SIGNATURE_LABEL = "signature"


@dataclass(frozen=True)
class Attachment:
    """A file the PDF carries (PDF/A-3: associated, with its relationship)."""

    filename: str
    data: bytes
    description: str


def typeset(template: Path, doc: Any, *, attachment: Attachment | None = None,
            edition: str = "", query: tuple[str, ...] = (),
            data: dict[str, Any] | None = None) -> Typeset:
    """Set `doc` with `template` (the document model reaches Typst as JSON data, as do
    the values of `data`, each under its key)."""
    extra = {"edition": edition, **{key: as_json(v) for key, v in (data or {}).items()}}
    if attachment is not None:
        extra.update({"source": attachment.data.decode("utf-8"),
                      "source-name": attachment.filename,
                      "source-description": attachment.description})
    return compile_pdf(template, inputs(doc, **extra), query=query)


def field_specs(placed: list[dict], labels: dict[str, str]) -> list[FieldSpec]:
    """Signature fields where the template placed them (Typst's points from the top-left
    of the page; A4 is 841.89 pt high)."""
    return [FieldSpec(spot["field"], labels[spot["field"]],
                      Box(spot["page"] - 1, spot["x"], spot["page_height"] - spot["y"]
                          - spot["height"], spot["x"] + spot["width"],
                          spot["page_height"] - spot["y"]))
            for spot in placed]


@dataclass(frozen=True)
class Identity:
    """What a document is, in its XMP (Dublin Core, which PDF/A predefines): so that the
    archive knows it when it carries no attachment (the NemLog-in edition, or a copy a
    signing service gives back without it)."""

    identifier: str  # 'aftale-hospital'
    types: tuple[str, ...]  # 'Aftale', and 'Eksempel' for an example


def finish(data: bytes, fields: list[FieldSpec] = (), identity: Identity | None = None) -> bytes:
    """Add the signature fields, name the creator and producer, and say what it is."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as doc:
        _name_the_makers(doc)
        if identity is not None:
            with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
                xmp["dc:identifier"] = identity.identifier
                xmp["dc:type"] = list(identity.types)
        # Typst writes /Suspects false; poppler's tools warn of it on every call
        # ("Suspects object is wrong type"). Absent means the same.
        mark_info = doc.Root.get("/MarkInfo")
        if mark_info is not None and "/Suspects" in mark_info:
            del mark_info["/Suspects"]
        if fields:
            add_signature_fields(doc, list(fields))
        return saved(doc)


def saved(doc) -> bytes:
    """An open pikepdf document as bytes, its file id derived from its content (the same
    document, the same bytes); Typst's compressed streams are kept as they are, but for
    one ending in a carriage return (see `_not_ending_in_cr`)."""
    import pikepdf

    _not_ending_in_cr(doc)
    out = io.BytesIO()
    doc.save(out, deterministic_id=True, compress_streams=False,
             object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def _as_list(value) -> list:
    """A value that may be one object or an array of them, as a list."""
    from pikepdf import Array

    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]


def _name_the_makers(doc) -> None:
    # Typst names itself as the creator and leaves the producer out. Both are set in Info
    # and XMP alike, by hand: pikepdf's own syncing would rewrite Typst's dates in Info
    # in another (equal) notation.
    from pikepdf import Name, String

    producer = f"Typst {compiler_version()}"
    with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["xmp:CreatorTool"] = CREATOR
        xmp["pdf:Producer"] = producer
    doc.docinfo[Name.Creator] = String(CREATOR)
    doc.docinfo[Name.Producer] = String(producer)


def _not_ending_in_cr(doc) -> None:
    """Each stream whose compressed data ends in a carriage return (0x0D: one stream in
    256) compressed once more, so that its data ends otherwise.

    qpdf ends every stream with `\nendstream`, so such data is followed by CR LF, which
    reads as the end-of-line marker before `endstream`: page-validation
    (PDFA3A-STREAM-LENGTH-001), and any reader that finds the data's end by that marker
    rather than /Length, take the data to be one byte shorter than its /Length (the
    signed file's writer has its own fix: signing/sign.py). Compressing the same data at
    another level cannot help: a Flate stream ends in the checksum of what it decodes to.
    Compressed twice (/Filter [/FlateDecode /FlateDecode]) the outer checksum is of the
    inner stream, which each level writes differently. What the stream decodes to stays
    the same; the levels are tried in a fixed order, so the bytes stay reproducible.
    Any other such stream (another filter, or Flate with parameters) is written as
    hexadecimal text before its filters.
    """
    import pikepdf

    flate = pikepdf.Name.FlateDecode
    for obj in doc.objects:
        if (not isinstance(obj, pikepdf.Stream) or obj.get("/Type") == pikepdf.Name.Metadata
                or not obj.read_raw_bytes().endswith(b"\r")):
            continue
        if obj.get("/Filter") == flate and "/DecodeParms" not in obj:
            packed = _flate_twice(obj.read_bytes())
            if packed is not None:
                obj.write(packed, filter=pikepdf.Array([flate, flate]))
                continue
        _as_hexadecimal(obj)  # filtered otherwise, or with parameters


def _flate_twice(data: bytes) -> bytes | None:
    """`data` compressed twice, not ending in a carriage return (None if no level does)."""
    import zlib

    for level in (9, 8, 7, 6, 5, 4, 3, 2, 1):
        packed = zlib.compress(zlib.compress(data, level), 9)
        if not packed.endswith(b"\r"):
            return packed
    return None


def _as_hexadecimal(obj) -> None:
    """A stream's raw data written as hexadecimal text (ending in `>`), before its own
    filters: the same data decoded, whatever filters and parameters it has."""
    import pikepdf

    filters = _as_list(obj.get("/Filter"))
    parms = _as_list(obj.get("/DecodeParms"))
    obj.write(obj.read_raw_bytes().hex().encode() + b">",
              filter=pikepdf.Array([pikepdf.Name.ASCIIHexDecode, *filters]),
              decode_parms=pikepdf.Array([None, *parms]) if parms else None)
