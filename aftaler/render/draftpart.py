"""What a Word draft carries of what was sent, so that the draft that comes back can be
read against it (`aftaler/negotiation/`).

- A **custom XML part** (`customXml/itemN.xml`, namespace `NS`): which agreement and
  which version of its definition (its fingerprint) the draft was made from; every
  field as sent, with its id, tag, context and SHA-256; and the text of every
  paragraph as sent, fields marked, so that a draft whose content controls were lost
  can be matched paragraph by paragraph.
- **Custom document properties** `aftaler.udkast` (the agreement) and
  `aftaler.fingeraftryk`: office programs that drop custom XML keep these, and Word
  shows them under File > Properties.

Word and LibreOffice both keep custom XML parts and custom properties when they save.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ..documents.fields import fields_in
from . import wordtext, zipwrite
from .wordtext import Where

NS = "urn:horsens-aftaler:draft:1"
FORMAT = "1"
PROPERTY_PREFIX = "aftaler."
AGREEMENT_PROPERTY, FINGERPRINT_PROPERTY = "aftaler.udkast", "aftaler.fingeraftryk"
_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_ITEM_PROPS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
               "customXmlProps")
_CUSTOM_PROPS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                 "custom-properties")
_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"


class NotADraft(ValueError):
    """The file carries no record of a draft of ours, or a damaged one."""


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class SentField:
    tag: str
    id: str  # the field's path in the definition: efforts[3].commitments.hospital
    context: str  # the effort's and party's names, for people
    value: str  # as printed
    data: str = ""  # the definition's value, where it writes it otherwise (a date)

    @property
    def described(self) -> str:
        return f"{self.id} ({self.context})" if self.context else self.id


Segment = tuple[str | None, str]  # (a field's tag, or None for fixed text; its text)


@dataclass(frozen=True)
class SentParagraph:
    where: Where
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.segments)


@dataclass(frozen=True)
class Sent:
    agreement: str
    fingerprint: str
    made: str  # the document date (ISO)
    fields: dict[str, SentField]  # by tag, in the order of the document
    paragraphs: tuple[SentParagraph, ...]


def segments(paragraph: wordtext.Paragraph, *, accepted: bool = True) -> list[Segment]:
    """The paragraph's text in stretches: each content control's (by its tag), and the
    text between them (tag None, empty stretches left out)."""
    out: list[Segment] = []
    for piece in paragraph.pieces:
        if piece.deleted if accepted else piece.inserted:
            continue
        tag = paragraph.controls[piece.control] if piece.control is not None else None
        if out and out[-1][0] == tag:
            out[-1] = (tag, out[-1][1] + piece.text)
        else:
            out.append((tag, piece.text))
    return [s for s in out if s[0] is not None or s[1]]


def sent_of(reading: wordtext.Reading, doc) -> Sent:
    """What a freshly rendered draft says, with the document model's fields."""
    from .wordxml import tag_of

    known = {tag_of(f.field): f for f in fields_in(doc)}
    paragraphs = tuple(SentParagraph(p.where, tuple(segments(p))) for p in reading.paragraphs)
    fields: dict[str, SentField] = {}
    for paragraph in paragraphs:
        for tag, text in paragraph.segments:
            if tag is not None and tag not in fields and tag in known:
                fields[tag] = SentField(tag, known[tag].field, known[tag].context, text,
                                        known[tag].data)
    return Sent(doc.name, doc.fingerprint, doc.metadata.created.date().isoformat(), fields,
                paragraphs)


def part_xml(sent: Sent) -> bytes:
    def attrs(**values: str | int | None) -> str:
        return "".join(f" {k}={quoteattr(str(v))}" for k, v in values.items()
                       if v is not None and v != "")

    head = attrs(format=FORMAT, agreement=sent.agreement, fingerprint=sent.fingerprint,
                 made=sent.made)
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<draft xmlns="{NS}"'
           f"{head}>"]
    for f in sent.fields.values():
        described = attrs(tag=f.tag, id=f.id, context=f.context, data=f.data,
                          sha256=digest(f.value))
        out.append(f"<field{described}>{escape(f.value)}</field>")
    out.append("<sent>")
    for p in sent.paragraphs:
        where = attrs(part=p.where.part, table=p.where.table, row=p.where.row,
                      cell=p.where.cell)
        inner = "".join(f"<f{attrs(tag=tag)}/>" if tag is not None else f"<t>{escape(text)}</t>"
                        for tag, text in p.segments)
        out.append(f"<p{where}>{inner}</p>")
    out.append("</sent></draft>")
    return "".join(out).encode()


def parse_part(data: bytes) -> Sent:
    """NotADraft if it is not our part, or its fields do not match their hashes."""
    try:
        root = wordtext.parse(data)
    except ValueError as exc:
        raise NotADraft(f"its record of what was sent is not readable XML ({exc})") from None
    if root.tag != f"{{{NS}}}draft":
        raise NotADraft("not a record of a draft")
    if root.get("format") != FORMAT:
        raise NotADraft(f"its record is of format {root.get('format')!r}, which this "
                        f"version does not read (it reads {FORMAT})")
    fields: dict[str, SentField] = {}
    for el in root.iter(f"{{{NS}}}field"):
        value = el.text or ""
        if digest(value) != el.get("sha256"):
            raise NotADraft(f"its record of field {el.get('id')!r} does not match its hash: "
                            "the record was changed")
        fields[el.get("tag", "")] = SentField(el.get("tag", ""), el.get("id", ""),
                                              el.get("context", ""), value, el.get("data", ""))
    paragraphs = []
    for el in root.iter(f"{{{NS}}}p"):
        def number(name: str, el=el) -> int | None:
            value = el.get(name)
            return int(value) if value is not None and value.isdigit() else None

        where = Where(el.get("part", "body"), number("table"), number("row"), number("cell"))
        segs: list[Segment] = []
        for child in el:
            if child.tag == f"{{{NS}}}f":
                tag = child.get("tag", "")
                if tag not in fields:
                    raise NotADraft(f"its record names a field {tag!r} it does not hold")
                segs.append((tag, fields[tag].value))
            elif child.tag == f"{{{NS}}}t":
                segs.append((None, child.text or ""))
        paragraphs.append(SentParagraph(where, tuple(segs)))
    agreement, fingerprint = root.get("agreement"), root.get("fingerprint")
    if not agreement or not fingerprint:
        raise NotADraft("its record names no agreement")
    return Sent(agreement, fingerprint, root.get("made", ""), fields, tuple(paragraphs))


def find_part(parts: dict[str, bytes]) -> bytes | None:
    """Our custom XML part, wherever the package keeps it."""
    for name, data in parts.items():
        if name.startswith("customXml/") and re.fullmatch(r"customXml/item\d+\.xml", name) \
                and NS.encode() in data[:400]:
            return data
    return None


def properties(parts: dict[str, bytes]) -> dict[str, str]:
    """The custom document properties this program writes (`aftaler.…`)."""
    data = parts.get("docProps/custom.xml")
    if not data:
        return {}
    try:
        root = wordtext.parse(data)
    except ValueError:
        return {}
    out = {}
    for prop in root.iter(f"{{{_PROPS_NS}}}property"):
        name = prop.get("name", "")
        if name.startswith(PROPERTY_PREFIX) and len(prop):
            out[name] = (prop[0].text or "").strip()
    return out


# Writing -------------------------------------------------------------------------------

_SDT_ID = re.compile(r'<w:id w:val="0"/>')
_EMPTY_RUN = re.compile(r'<w:r><w:t xml:space="preserve"/></w:r>')  # docxtpl's, around {{r }}


def _finished(document: bytes) -> bytes:
    """The rendered body made whole: every content control gets its own id (Word wants
    them unique), the empty runs docxtpl leaves around `{{r }}` go, and the root declares
    w15 and lets programs that do not know it ignore it."""
    from .wordxml import W15

    text = _EMPTY_RUN.sub("", document.decode())
    counter = iter(range(1, 1 << 30))
    text = _SDT_ID.sub(lambda _: f'<w:id w:val="{next(counter)}"/>', text)
    head = re.search(r"<w:document\b[^>]*>", text)
    if head and "w15:" in text and "xmlns:w15=" not in head.group(0):
        tag = head.group(0)[:-1] + f' xmlns:w15="{W15}">'
        ignorable = re.search(r'mc:Ignorable="([^"]*)"', tag)
        if ignorable and "w15" not in ignorable.group(1).split():
            tag = tag.replace(ignorable.group(0), f'mc:Ignorable="{ignorable.group(1)} w15"')
        text = text[:head.start()] + tag + text[head.end():]
    return text.encode()


def _custom_properties(existing: bytes | None, values: dict[str, str]) -> bytes:
    """The custom properties part with `values` set (text properties), others kept."""
    etree = wordtext.etree
    if existing:
        root = wordtext.parse(existing)
        for prop in list(root):
            if prop.get("name") in values:
                root.remove(prop)
    else:
        root = etree.Element(f"{{{_PROPS_NS}}}Properties", nsmap={None: _PROPS_NS, "vt": _VT})
    pid = 1 + max([int(p.get("pid", "1")) for p in root if p.get("pid", "").isdigit()] or [1])
    for name, value in values.items():
        prop = etree.SubElement(root, f"{{{_PROPS_NS}}}property",
                                fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", pid=str(pid),
                                name=name)
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
        pid += 1
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_relationship(rels: bytes, rel_id: str, kind: str, target: str) -> bytes:
    text = rels.decode()
    return text.replace("</Relationships>", f'<Relationship Id="{rel_id}" Type="{kind}" '
                                            f'Target="{target}"/></Relationships>').encode()


def _add_override(types: bytes, part: str, content_type: str) -> bytes:
    text = types.decode()
    if f'PartName="{part}"' in text:
        return types
    return text.replace("</Types>", f'<Override PartName="{part}" '
                                    f'ContentType="{content_type}"/></Types>').encode()


def mark(docx: bytes, doc) -> bytes:
    """The rendered draft `docx` with its controls numbered and what was sent recorded
    in it (the custom XML part and properties); the ZIP entries keep their dates."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        infos = z.infolist()
        parts = {i.filename: z.read(i.filename) for i in infos}
    parts["word/document.xml"] = _finished(parts["word/document.xml"])
    sent = sent_of(wordtext.read(parts), doc)
    number = 1
    while f"customXml/item{number}.xml" in parts:
        number += 1
    item = f"customXml/item{number}.xml"
    item_props = f"customXml/itemProps{number}.xml"
    guid = uuid.uuid5(uuid.NAMESPACE_URL, f"{NS}:{sent.agreement}:{sent.fingerprint}")
    added = {
        item: part_xml(sent),
        item_props: ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
                     '<ds:datastoreItem ds:itemID="{' + str(guid).upper() + '}" xmlns:ds='
                     '"http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
                     f'<ds:schemaRefs><ds:schemaRef ds:uri="{NS}"/></ds:schemaRefs>'
                     "</ds:datastoreItem>").encode(),
        f"customXml/_rels/item{number}.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_ITEM_PROPS}" Target="itemProps{number}.xml"/>'
            "</Relationships>").encode(),
    }
    parts["word/_rels/document.xml.rels"] = _add_relationship(
        parts["word/_rels/document.xml.rels"], "rIdAftalerUdkast", _CUSTOM_XML, f"../{item}")
    types = _add_override(parts["[Content_Types].xml"], f"/{item_props}",
                          "application/vnd.openxmlformats-officedocument."
                          "customXmlProperties+xml")
    if "docProps/custom.xml" not in parts:
        parts["_rels/.rels"] = _add_relationship(parts["_rels/.rels"], "rIdAftalerEgenskaber",
                                                 _CUSTOM_PROPS, "docProps/custom.xml")
        types = _add_override(types, "/docProps/custom.xml",
                              "application/vnd.openxmlformats-officedocument."
                              "custom-properties+xml")
    parts["[Content_Types].xml"] = types
    custom = _custom_properties(parts.get("docProps/custom.xml"), {
        AGREEMENT_PROPERTY: sent.agreement, FINGERPRINT_PROPERTY: sent.fingerprint})
    if "docProps/custom.xml" in parts:
        parts["docProps/custom.xml"] = custom
    else:
        added["docProps/custom.xml"] = custom

    return zipwrite.zip_bytes([*((i.filename, parts[i.filename]) for i in infos),
                               *added.items()], datetime.datetime(*infos[0].date_time))
