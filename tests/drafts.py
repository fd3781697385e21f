"""Editing a Word draft as a partner's word processor would, with lxml: rewrite a field,
track an insertion or a deletion, comment, add or remove a paragraph or a row, lose the
content controls' tags. Each function changes the parts of a `Draft` in place.

Also used by tools/make_example_draft.py for the README's example.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree  # noqa: F401  (tests build elements with it)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


class Draft:
    """A .docx opened for editing: its document.xml as a tree, the other parts as bytes."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.names = z.namelist()
            self.parts = {n: z.read(n) for n in self.names}
            self.stamp = z.infolist()[0].date_time  # kept: the same edits, the same bytes
        self.root = etree.fromstring(self.parts["word/document.xml"])
        self.revision = 900  # ids of the tracked changes and comments added

    @property
    def body(self):
        return self.root.find(w("body"))

    def control(self, tag: str, occurrence: int = 0):
        found = [sdt for sdt in self.root.iter(w("sdt"))
                 if sdt.find(f"{w('sdtPr')}/{w('tag')}") is not None
                 and sdt.find(f"{w('sdtPr')}/{w('tag')}").get(w("val")) == tag]
        return found[occurrence]

    def paragraph_of(self, tag: str):
        element = self.control(tag)
        while element.tag != w("p"):
            element = element.getparent()
        return element

    def paragraph_with(self, text: str):
        return next(p for p in self.body.iter(w("p")) if text in _text(p))

    def save(self) -> bytes:
        self.parts["word/document.xml"] = etree.tostring(
            self.root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name in self.names:
                z.writestr(zipfile.ZipInfo(name, self.stamp), self.parts[name],
                           zipfile.ZIP_DEFLATED)
        return out.getvalue()

    def next_id(self) -> str:
        self.revision += 1
        return str(self.revision)


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(w("t")))


def _run(text: str, tag: str = "t"):
    run = etree.Element(w("r"))
    t = etree.SubElement(run, w(tag))
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    return run


def rewrite(draft: Draft, tag: str, text: str, occurrence: int = 0) -> None:
    """The field's text replaced outright (no tracking), keeping its first run's format."""
    content = draft.control(tag, occurrence).find(w("sdtContent"))
    runs = content.findall(w("r"))
    runs[0].find(w("t")).text = text
    for run in runs[1:]:
        content.remove(run)


def track_insertion(draft: Draft, tag: str, text: str, author: str = "Lise Hansen",
                    date: str = "2024-05-02T10:00:00Z") -> None:
    """Text added at the end of the field, as a tracked change."""
    content = draft.control(tag).find(w("sdtContent"))
    ins = etree.SubElement(content, w("ins"), {w("id"): draft.next_id(), w("author"): author,
                                               w("date"): date})
    ins.append(_run(text))


def track_deletion(draft: Draft, tag: str, words: str, author: str = "Lise Hansen",
                   date: str = "2024-05-02T10:05:00Z") -> None:
    """`words` (in the field's text) deleted as a tracked change."""
    content = draft.control(tag).find(w("sdtContent"))
    run = content.find(w("r"))
    before, after = run.find(w("t")).text.split(words, 1)
    run.find(w("t")).text = before
    deletion = etree.Element(w("del"), {w("id"): draft.next_id(), w("author"): author,
                                        w("date"): date})
    deletion.append(_run(words, "delText"))
    run.addnext(deletion)
    deletion.addnext(_run(after))


def comment(draft: Draft, tag: str, text: str, author: str = "Lise Hansen",
            date: str = "2024-05-02T10:10:00Z", paragraph=None) -> None:
    """A comment on the field's text (or on a whole paragraph without a field)."""
    number = draft.next_id()
    start = etree.Element(w("commentRangeStart"), {w("id"): number})
    end = etree.Element(w("commentRangeEnd"), {w("id"): number})
    reference = etree.Element(w("r"))
    etree.SubElement(reference, w("commentReference"), {w("id"): number})
    if paragraph is None:
        sdt = draft.control(tag)
        sdt.addprevious(start)
        sdt.addnext(end)
    else:
        paragraph.insert(1 if paragraph.find(w("pPr")) is not None else 0, start)
        paragraph.append(end)
    end.addnext(reference)
    name = "word/comments.xml"
    if name not in draft.parts:
        draft.names.append(name)
        draft.parts[name] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                             f'<w:comments xmlns:w="{W}"/>').encode()
        rels = draft.parts["word/_rels/document.xml.rels"].decode()
        draft.parts["word/_rels/document.xml.rels"] = rels.replace(
            "</Relationships>", f'<Relationship Id="rIdComments" Type="{COMMENTS}" '
                                'Target="comments.xml"/></Relationships>').encode()
        types = draft.parts["[Content_Types].xml"].decode()
        draft.parts["[Content_Types].xml"] = types.replace(
            "</Types>", '<Override PartName="/word/comments.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
                        "</Types>").encode()
    comments = etree.fromstring(draft.parts[name])
    entry = etree.SubElement(comments, w("comment"), {w("id"): number, w("author"): author,
                                                      w("date"): date, w("initials"): "LH"})
    p = etree.SubElement(entry, w("p"))
    p.append(_run(text))
    draft.parts[name] = etree.tostring(comments, xml_declaration=True, encoding="UTF-8",
                                       standalone=True)


def add_paragraph_after(draft: Draft, paragraph, text: str, tracked: bool = False,
                        author: str = "Lise Hansen") -> None:
    """A new paragraph after `paragraph`, in its style; tracked or not."""
    new = etree.Element(w("p"))
    props = paragraph.find(w("pPr"))
    if props is not None:
        new.append(etree.fromstring(etree.tostring(props)))
    if tracked:
        ins = etree.SubElement(new, w("ins"), {w("id"): draft.next_id(), w("author"): author,
                                               w("date"): "2024-05-02T10:15:00Z"})
        ins.append(_run(text))
    else:
        new.append(_run(text))
    paragraph.addnext(new)


def delete_row_of(draft: Draft, tag: str) -> None:
    """The table row holding the field, deleted outright."""
    element = draft.control(tag)
    while element.tag != w("tr"):
        element = element.getparent()
    element.getparent().remove(element)


def lose_tags(draft: Draft) -> None:
    """What LibreOffice 7.4 does: the content controls stay, their tags and ids go."""
    for props in draft.root.iter(w("sdtPr")):
        for child in list(props):
            props.remove(child)


def unwrap_controls(draft: Draft) -> None:
    """What an editor without content controls does: their text stays, they go."""
    for sdt in list(draft.root.iter(w("sdt"))):
        content = sdt.find(w("sdtContent"))
        parent = sdt.getparent()
        at = parent.index(sdt)
        for offset, child in enumerate(list(content)):
            parent.insert(at + offset, child)
        parent.remove(sdt)


def remove_record(draft: Draft, properties: bool = True) -> None:
    """The draft's custom XML part (and its custom properties) gone."""
    for name in [n for n in draft.names if n.startswith("customXml/")]:
        if b"urn:horsens-aftaler:draft" in draft.parts[name]:
            draft.names.remove(name)
    if properties and "docProps/custom.xml" in draft.names:
        draft.names.remove("docProps/custom.xml")
