"""The text of a Word file as its reader sees it: paragraph by paragraph, with the
content controls it sits in, tracked changes not yet accepted, and comment ranges.

Used on the drafts this program writes (what was sent) and on the drafts that come
back (`aftaler/negotiation/`), so both are read alike. python-docx sees neither
tracked changes nor content controls; this reads the WordprocessingML itself.

What counts as text: `w:t`, and `w:delText` in a deletion; a tab or a line break is a
space. The results of fields (page numbers) and field codes are not text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


# Untrusted files are parsed without entities, DTDs or the network, and within
# libxml2's ordinary limits on depth and size.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                         huge_tree=False, remove_comments=True, remove_pis=True)

REVISIONS = {w("ins"): "insertion", w("del"): "deletion", w("moveFrom"): "move (from)",
             w("moveTo"): "move (to)"}
_DELETED = {w("del"), w("moveFrom")}
_CONTAINERS = {w(n) for n in ("hyperlink", "smartTag", "customXml", "bdo", "dir",
                              "fldSimple")}
_SPACES = {w(n): " " for n in ("tab", "br", "cr", "ptab")}
_SPACES[w("noBreakHyphen")] = "-"


@dataclass(frozen=True)
class Where:
    """A paragraph's place: the part (body, header, footer, footnotes…) and, in a
    table, its table (counted in the part), row and cell."""

    part: str
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    @property
    def in_table(self) -> bool:
        return self.table is not None


@dataclass(frozen=True)
class Revision:
    kind: str  # insertion, deletion, move (from), move (to), row inserted, …
    author: str
    date: str


@dataclass(frozen=True)
class Piece:
    """A stretch of text with one state: in which control, which pending revision
    (inserted or deleted), under which comments. A comment's start is a piece without
    text, so that a comment on no text still has a place."""

    text: str
    control: int | None = None  # index into the paragraph's controls
    inserted: bool = False  # pending: there if the changes are accepted
    deleted: bool = False  # pending: there if they are rejected
    revision: int | None = None  # index into Reading.revisions
    comments: frozenset[str] = frozenset()


@dataclass
class Paragraph:
    where: Where
    pieces: list[Piece] = field(default_factory=list)
    controls: list[str | None] = field(default_factory=list)  # their tags (None: no tag)
    revisions: list[int] = field(default_factory=list)  # of the paragraph mark, the row

    def text(self, *, accepted: bool = True) -> str:
        """The text with every pending change accepted (or, not `accepted`, rejected)."""
        return "".join(p.text for p in self.pieces
                       if not (p.deleted if accepted else p.inserted))


@dataclass(frozen=True)
class Comment:
    author: str
    date: str
    text: str


@dataclass
class Reading:
    paragraphs: list[Paragraph] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    comments: dict[str, Comment] = field(default_factory=dict)


@dataclass
class _State:
    """Where the walk is: what encloses the current element."""

    where: Where
    control: str | None | bool = False  # a block-level control's tag; False: none
    inserted: bool = False
    deleted: bool = False
    revision: int | None = None
    row_revisions: tuple[int, ...] = ()

    def but(self, **changes) -> _State:
        return _State(**{**self.__dict__, **changes})


class _Walk:
    def __init__(self, reading: Reading):
        self.reading = reading
        self.paragraphs: list[Paragraph] = []  # open ones, innermost last (text boxes nest)
        self.open_comments: set[str] = set()
        self.fields = 0  # depth of complex fields: their codes and results are not text
        self.controls: list[int] = []  # open inline controls of the current paragraph

    def part(self, root, name: str) -> None:
        self.tables = 0
        self.children(root, _State(Where(name)))

    def children(self, element, state: _State) -> None:
        for child in element:
            self.element(child, state)

    def element(self, el, state: _State) -> None:  # noqa: C901  one branch per element
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag == w("p"):
            self.paragraph(el, state)
        elif tag == w("tbl"):
            table, self.tables = self.tables, self.tables + 1
            rows = [r for r in el if r.tag in (w("tr"), w("sdt"), w("customXml"))]
            for number, row in enumerate(_unwrapped(rows, "tr")):
                revisions = self.row_revisions(row)
                cells = [c for c in row if c.tag in (w("tc"), w("sdt"), w("customXml"))]
                for column, cell in enumerate(_unwrapped(cells, "tc")):
                    where = Where(state.where.part, table, number, column)
                    self.children(cell, state.but(where=where, row_revisions=revisions))
        elif tag == w("sdt"):
            content = el.find(w("sdtContent"))
            if content is None:
                return
            if self.paragraphs and _inline(el):
                paragraph = self.paragraphs[-1]
                paragraph.controls.append(_tag(el))
                self.controls.append(len(paragraph.controls) - 1)
                self.text("", state)  # an empty control is still there
                if not _placeholder(el):
                    self.children(content, state)
                self.controls.pop()
            elif not _placeholder(el):  # around paragraphs, rows or cells: theirs
                self.children(content, state.but(control=_tag(el)))
        elif tag in REVISIONS:
            revision = self.revision(el, REVISIONS[tag])
            deleted = tag in _DELETED
            self.children(el, state.but(inserted=state.inserted or not deleted,
                                        deleted=state.deleted or deleted, revision=revision))
        elif tag == w("r"):
            self.run(el, state)
        elif tag == w("commentRangeStart"):
            comment = el.get(w("id"), "")
            self.open_comments.add(comment)
            self.text("", state)
        elif tag == w("commentRangeEnd"):
            self.open_comments.discard(el.get(w("id"), ""))
        elif tag in _CONTAINERS:
            if tag == w("fldSimple"):
                return  # its content is the field's result (a page number)
            self.children(el, state)
        elif tag == f"{{{MC}}}AlternateContent":
            choice = el.find(f"{{{MC}}}Choice")
            self.children(choice if choice is not None else el, state)
        elif tag in (w("body"), w("txbxContent"), w("hdr"), w("ftr"), w("footnote"),
                     w("endnote"), w("tc")):
            self.children(el, state)

    def paragraph(self, el, state: _State) -> None:
        paragraph = Paragraph(state.where, revisions=list(state.row_revisions))
        if state.control is not False:
            paragraph.controls.append(state.control)
        mark = el.find(f"{w('pPr')}/{w('rPr')}")
        if mark is not None:
            for tag, kind in ((w("ins"), "paragraph break inserted"),
                              (w("del"), "paragraph break deleted")):
                change = mark.find(tag)
                if change is not None:
                    paragraph.revisions.append(self.revision(change, kind))
        self.reading.paragraphs.append(paragraph)
        self.paragraphs.append(paragraph)
        outer, self.controls = self.controls, [0] if state.control is not False else []
        self.children(el, state)
        self.controls = outer
        self.paragraphs.pop()

    def run(self, el, state: _State) -> None:
        for child in el:
            tag = child.tag
            if tag == w("fldChar"):
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    self.fields += 1
                elif kind == "end" and self.fields:
                    self.fields -= 1
            elif self.fields:
                continue
            elif tag == w("t") or tag == w("delText"):
                self.text(child.text or "", state)
            elif tag == w("commentReference"):  # where a comment without a range is
                self.text("", state, also=child.get(w("id"), ""))
            elif tag in _SPACES:
                if not (tag == w("br") and child.get(w("type")) in ("page", "column")):
                    self.text(_SPACES[tag], state)
            elif tag in (w("drawing"), w("pict"), f"{{{MC}}}AlternateContent"):
                for box in child.iter(w("txbxContent")):
                    self.children(box, state.but(control=False))
                    break  # a shape's text is written twice (DrawingML and VML)

    def text(self, text: str, state: _State, also: str | None = None) -> None:
        if not self.paragraphs:
            return
        comments = frozenset(self.open_comments | ({also} if also is not None else set()))
        self.paragraphs[-1].pieces.append(Piece(
            text, control=self.controls[-1] if self.controls else None,
            inserted=state.inserted, deleted=state.deleted, revision=state.revision,
            comments=comments))

    def revision(self, el, kind: str) -> int:
        self.reading.revisions.append(Revision(kind, el.get(w("author"), ""),
                                               el.get(w("date"), "")))
        return len(self.reading.revisions) - 1

    def row_revisions(self, row) -> tuple[int, ...]:
        props = row.find(w("trPr"))
        if props is None:
            return ()
        found = []
        for tag, kind in ((w("ins"), "row inserted"), (w("del"), "row deleted")):
            change = props.find(tag)
            if change is not None:
                found.append(self.revision(change, kind))
        return tuple(found)


def _unwrapped(elements, name: str):
    """Rows or cells, each unwrapped from the content controls around it."""
    for el in elements:
        if el.tag == w(name):
            yield el
        else:
            inner = el.find(w("sdtContent")) if el.tag == w("sdt") else el
            if inner is not None:
                yield from _unwrapped(list(inner), name)


def _inline(sdt) -> bool:
    """A control inside a paragraph (around runs), not around paragraphs."""
    content = sdt.find(w("sdtContent"))
    return content is None or content.find(w("p")) is None and content.find(w("tbl")) is None


def _placeholder(sdt) -> bool:
    """Whether the control shows its placeholder ("Klik eller tryk her for at angive
    tekst."): Word puts one in a control whose text was all deleted; it is no text."""
    return sdt.find(f"{w('sdtPr')}/{w('showingPlcHdr')}") is not None


def _tag(sdt) -> str | None:
    tag = sdt.find(f"{w('sdtPr')}/{w('tag')}")
    value = tag.get(w("val")) if tag is not None else None
    return value or None


def parse(data: bytes):
    """An XML part, parsed safely; ValueError if it is not well-formed XML."""
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(str(exc)) from None


def related_parts(rels: bytes | None, folder: str = "word/") -> dict[str, str]:
    """Relationship type (its last word: header, footer, comments…) of each part a
    .rels part names, by the part's name in the package."""
    if not rels:
        return {}
    out = {}
    for rel in parse(rels).iter(f"{{{REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        name = target.lstrip("/") if target.startswith("/") else folder + target
        out[_normal(name)] = rel.get("Type", "").rsplit("/", 1)[-1]
    return out


def _normal(name: str) -> str:
    parts: list[str] = []
    for part in name.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts)


def read(parts: dict[str, bytes]) -> Reading:
    """The text of a Word package (part name -> bytes): the body, then headers,
    footers, footnotes and endnotes, in the order the package names them; and its
    comments. ValueError if a part is not well-formed XML."""
    reading = Reading()
    walk = _Walk(reading)
    walk.part(parse(parts["word/document.xml"]), "body")
    related = related_parts(parts.get("word/_rels/document.xml.rels"))
    for kind in ("header", "footer", "footnotes", "endnotes"):
        for name in sorted(n for n, k in related.items() if k == kind and n in parts):
            root = parse(parts[name])
            if kind in ("footnotes", "endnotes"):  # not the separators Word puts there
                for note in list(root):
                    if note.get(w("type")) in ("separator", "continuationSeparator",
                                               "continuationNotice"):
                        root.remove(note)
            walk.part(root, kind)
    for name in (n for n, k in related.items() if k == "comments" and n in parts):
        for comment in parse(parts[name]).iter(w("comment")):
            text = " ".join("".join(t.text or "" for t in p.iter(w("t")))
                            for p in comment.iter(w("p")))
            reading.comments[comment.get(w("id"), "")] = Comment(
                comment.get(w("author"), ""), comment.get(w("date"), ""), text.strip())
    return reading
