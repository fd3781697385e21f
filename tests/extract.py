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


def text_of(item) -> str:
    """The text of a python-docx paragraph or cell as Word shows it. python-docx's own
    `.text` leaves out text in content controls, where the agreement's fields are."""
    element = getattr(item, "_element", item)
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def docx_body(data: bytes) -> list[str]:
    """The body's paragraphs (table cells included) in reading order, each normalised;
    empty ones (spacing, a picture's) left out."""
    doc = Document(io.BytesIO(data))
    texts = (normalise(_text(p)) for p in doc.element.body.iter(qn("w:p")))
    return [text for text in texts if text]


def docx_furniture(data: bytes) -> tuple[str, str]:
    """The first section's header and footer text, normalised."""
    section = Document(io.BytesIO(data)).sections[0]
    return tuple(normalise(" ".join(_text(p) for p in part._element.iter(qn("w:p"))))
                 for part in (section.header, section.footer))


def docx_paragraphs(data: bytes) -> list[str]:
    """Every paragraph of the body (table cells included) and of headers and footers."""
    doc = Document(io.BytesIO(data))
    parts = [doc.element.body]
    for section in doc.sections:
        parts += [section.header._element, section.footer._element]
    out = []
    for part in parts:
        for p in part.iter(qn("w:p")):
            out.append(_text(p))
    return out


_AS_TEXT = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}


def _text(paragraph) -> str:
    """A paragraph's text as Word shows it: its tabs and line breaks as white space."""
    return "".join(el.text or "" if el.tag == qn("w:t") else _AS_TEXT[el.tag]
                   for el in paragraph.iter(qn("w:t"), *_AS_TEXT)
                   if el.getparent().tag == qn("w:r"))  # not a tab stop's definition


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


def _layout(item, kind):
    """Every object of type `kind` in pdfminer's layout tree under `item`."""
    if isinstance(item, kind):
        yield item
    elif hasattr(item, "__iter__"):
        for child in item:
            yield from _layout(child, kind)


def pdf_lines(data: bytes) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Per page, every line of text with its box (x0, y0, x1, y1), as laid out."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextLine

    return [[(normalise(line.get_text()), line.bbox) for line in _layout(page, LTTextLine)]
            for page in extract_pages(io.BytesIO(data), laparams=LAParams(line_margin=0.2))]


def overlapping_glyphs(data: bytes) -> list[tuple[int, str, str]]:
    """(page, a, b) for every two glyphs drawn over each other: text that overlaps text."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    found = []
    for number, page in enumerate(extract_pages(io.BytesIO(data))):
        chars = sorted((c for c in _layout(page, LTChar) if c.get_text().strip()),
                       key=lambda c: c.x0)
        for i, a in enumerate(chars):
            for b in chars[i + 1:]:
                if b.x0 >= a.x1:
                    break
                width = min(a.x1, b.x1) - max(a.x0, b.x0)
                height = min(a.y1, b.y1) - max(a.y0, b.y0)
                smaller = min(a.width * a.height, b.width * b.height)
                # neighbours in a word touch; glyphs over each other share their area
                if width > 0 and height > 0 and width * height > 0.3 * smaller:
                    found.append((number, a.get_text(), b.get_text()))
    return found


def words_across_rules(data: bytes) -> list[tuple[int, str]]:
    """(page, line) for every word that runs across a vertical rule of a table: a word
    too wide for its cell, drawn into the next one. Two glyphs are of one word when
    they nearly touch; text of neighbouring cells is kept apart by the cells' padding."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTLine, LTTextLine

    found = []
    for number, page in enumerate(extract_pages(io.BytesIO(data))):
        rules = [r for r in _layout(page, LTLine) if abs(r.x1 - r.x0) < 1]
        for line in _layout(page, LTTextLine):
            chars = sorted((c for c in _layout(line, LTChar) if c.get_text().strip()),
                           key=lambda c: c.x0)
            middle = (line.y0 + line.y1) / 2
            for a, b in zip(chars, chars[1:], strict=False):
                if b.x0 - a.x1 > 1.5:
                    continue
                if any(a.x0 < rule.x0 < b.x1 and min(rule.y0, rule.y1) < middle
                       < max(rule.y0, rule.y1) for rule in rules):
                    found.append((number, normalise(line.get_text())))
                    break
    return found


def pdf_tagged_text(data: bytes, *, figures: bool = True) -> str:
    """The PDF's text in the order of its structure tree (`pdf_tagged_pieces`), as one."""
    return normalise(" ".join(text for _, text in pdf_tagged_pieces(data, figures=figures)))


def pdf_tagged_pages(data: bytes) -> list[str]:
    """Each page's text in the order of the structure tree, normalised."""
    pages: dict[int, list[str]] = {}
    for page, text in pdf_tagged_pieces(data):
        pages.setdefault(page, []).append(text)
    return [normalise(" ".join(pages.get(n, []))) for n in range(max(pages, default=-1) + 1)]


def pdf_tagged_pieces(data: bytes, *, figures: bool = True) -> list[tuple[int, str]]:
    """(page, text) of each marked piece: the PDF's text in the order of its structure
    tree, as a screen reader reads it: page furniture (running header, footer, a table
    header repeated on a new page) is marked as an artifact and left out, and a table
    cell that runs onto the next page reads as one text. Words are separated where the
    PDF draws a space or starts a new line. With `figures` False, a figure with a text
    alternative reads as nothing (a screen reader reads its alternative instead of the
    words drawn in it)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class Marked(PDFPageAggregator):
        """Remembers the marked-content id each character is drawn in."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.marks: list[int | None] = []
            self.texts: dict[int, list[LTChar]] = {}

        def begin_tag(self, tag, props=None):
            mcid = props.get("MCID") if isinstance(props, dict) else None
            self.marks.append(mcid)

        def end_tag(self):
            if self.marks:
                self.marks.pop()

        def render_char(self, *args, **kwargs):
            width = super().render_char(*args, **kwargs)
            mcid = next((m for m in reversed(self.marks) if m is not None), None)
            if mcid is not None:
                self.texts.setdefault(mcid, []).append(self.cur_item._objs[-1])
            return width

    def joined(chars: list[LTChar]) -> str:
        out = []
        for before, char in zip([None, *chars], chars, strict=False):
            if before is not None and (abs(char.y0 - before.y0) > before.height / 2
                                       or char.x0 < before.x0):
                out.append(" ")  # a new line
            out.append(char.get_text())
        return "".join(out)

    manager = PDFResourceManager()
    per_page: list[dict[int, str]] = []
    for page in PDFPage.get_pages(io.BytesIO(data)):
        device = Marked(manager)
        PDFPageInterpreter(manager, device).process_page(page)
        per_page.append({mcid: joined(chars) for mcid, chars in device.texts.items()})

    pieces: list[tuple[int, str]] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}

        def walk(item, page):
            if isinstance(item, int):
                if page is not None:
                    pieces.append((page, per_page[page].get(item, "")))
            elif isinstance(item, pikepdf.Array):
                for kid in item:
                    walk(kid, page)
            elif isinstance(item, pikepdf.Dictionary):
                if not figures and item.get("/S") == "/Figure" and "/Alt" in item:
                    return
                if "/Pg" in item:
                    page = pages.get(item.Pg.objgen, page)
                if "/MCID" in item:
                    walk(int(item.MCID), page)
                elif "/K" in item:
                    walk(item.K, page)

        walk(pdf.Root.StructTreeRoot.K, None)
    return pieces
