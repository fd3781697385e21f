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
    document, the same bytes); Typst's compressed streams are kept as they are."""
    import pikepdf

    _no_stream_data_ends_in_a_carriage_return(doc)
    out = io.BytesIO()
    doc.save(out, deterministic_id=True, compress_streams=False,
             object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def _no_stream_data_ends_in_a_carriage_return(doc) -> None:
    """A stream is saved as its data, a line feed, `endstream`: where the (compressed)
    data ends in a carriage return, a validator reads the two as one end-of-line marker
    and the data as a byte shorter than its /Length (PDF/A: PDFA3A-STREAM-LENGTH-001).
    About one stream in 256 ends so, whatever its compression: the last byte is the
    checksum's. A page's content gets a line feed more (white space, nothing drawn),
    which changes the checksum; any other stream is also written as hexadecimal text."""
    import zlib

    from pikepdf import Dictionary, Name, Stream

    contents = set()
    for page in doc.pages:
        for stream in _contents(page.obj.get("/Contents")):
            contents.add(stream.objgen)
    for obj in doc.objects:
        if (not isinstance(obj, Stream) or obj.get("/Type") == Name.Metadata  # never filtered
                or not obj.read_raw_bytes().endswith(b"\r")):
            continue
        if obj.objgen in contents and obj.get("/Filter") == Name.FlateDecode:
            data = obj.read_bytes()
            while (packed := zlib.compress(data, 9)).endswith(b"\r"):
                data += b"\n"
            obj.write(packed, filter=Name.FlateDecode)
        else:
            filters = _contents(obj.get("/Filter"))
            parms = _contents(obj.get("/DecodeParms"))
            obj.write(obj.read_raw_bytes().hex().encode() + b">",
                      filter=[Name.ASCIIHexDecode, *filters],
                      decode_parms=[Dictionary(), *parms] if parms else None)


def _contents(value) -> list:
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
