"""Reading generated documents back: their text, fields and metadata, for assertions."""

from __future__ import annotations

import io
import re
import zipfile

import pikepdf
import pypdf
from docx import Document
from docx.oxml.ns import qn


def normalise(text: str) -> str:
    """Collapse all whitespace (incl. no-break spaces) to single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def pdf_text(data: bytes) -> str:
    """The PDF's text in drawing order, one space between text pieces.

    Drawing order keeps each table cell's lines together, where a layout-based
    extraction would interleave the lines of neighbouring cells.
    """
    reader = pypdf.PdfReader(io.BytesIO(data))
    pieces: list[str] = []
    for page in reader.pages:
        page.extract_text(visitor_text=lambda text, *_: pieces.append(text))
    return normalise(" ".join(pieces))


def pdf_pieces(data: bytes) -> list[tuple[int, float, float, str]]:
    """(page, x, y, text) of every text piece, in PDF points from the bottom-left."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    out = []
    for number, page in enumerate(reader.pages):
        def visit(text, cm, tm, *_, number=number):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                out.append((number, x, y, normalise(text)))
        page.extract_text(visitor_text=visit)
    return out


def docx_paragraphs(data: bytes) -> list[str]:
    """Every paragraph of the body (table cells included) and of headers and footers."""
    doc = Document(io.BytesIO(data))
    parts = [doc.element.body]
    for section in doc.sections:
        parts += [section.header._element, section.footer._element]
    out = []
    for part in parts:
        for p in part.iter(qn("w:p")):
            out.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return out


def docx_text(data: bytes) -> str:
    return normalise(" ".join(docx_paragraphs(data)))


def docx_xml(data: bytes, member: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(member).decode("utf-8")


def signature_fields(data: bytes) -> list[dict]:
    """Every signature field: name, page index, rect, signed or not, flags."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        fields = []
        for field in pdf.Root.AcroForm.Fields:
            if field.get("/FT") != "/Sig":
                continue
            fields.append({
                "name": str(field.T),
                "label": str(field.get("/TU", "")),
                "page": pages[field.P.objgen],
                "rect": [float(v) for v in field.Rect],
                "signed": "/V" in field,
                "flags": int(field.get("/F", 0)),
                "has_appearance": "/AP" in field and "/N" in field.AP,
                "struct_parent": "/StructParent" in field,
            })
        return fields
