"""A signed revision's XMP metadata: what signing changes, and nothing else.

pyHanko re-serialises the whole XMP packet through its own data model when it signs,
and that rewrites what it does not model: a PDF/A extension schema (the description of
`pdfuaid`, which PDF/A-3 requires for PDF/UA's identification) comes out with its
`pdfaSchema:namespaceURI` as an `rdf:resource` and its fields as attributes of nested
descriptions, which page-validation rejects (PDFA3A-XMP-EXTENSION-*). The signed PDF
is no longer PDF/A then. So the packet is kept as the document has it, and only the
two properties a new revision changes are set: when it was modified, and by what.
"""

from __future__ import annotations

import datetime as dt
import io

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XMP = ("xmp", "http://ns.adobe.com/xap/1.0/")
PDF = ("pdf", "http://ns.adobe.com/pdf/1.3/")


def touched_xmp(packet: bytes, *, modified: dt.datetime, producer: str) -> bytes:
    """`packet` with xmp:ModifyDate (and xmp:MetadataDate, if there) set to `modified`
    and pdf:Producer to `producer`; everything else byte for byte as parsed."""
    from lxml import etree

    tree = etree.parse(io.BytesIO(packet))  # keeps the <?xpacket?> instructions
    descriptions = tree.getroot().iter(f"{{{RDF}}}Description")
    first = next(descriptions, None)
    if first is None:
        raise ValueError("XMP without an rdf:Description")
    stamp = modified.isoformat(timespec="seconds")
    _set(tree, first, XMP, "ModifyDate", stamp, add=True)
    _set(tree, first, XMP, "MetadataDate", stamp, add=False)
    _set(tree, first, PDF, "Producer", producer, add=True)
    return etree.tostring(tree, encoding="utf-8", xml_declaration=False)


def _set(tree, first, schema: tuple[str, str], name: str, value: str, *, add: bool) -> None:
    """Set a simple property wherever it is written (as an attribute of an
    rdf:Description or as an element); if nowhere, add it to `first` when `add`."""
    from lxml import etree

    prefix, namespace = schema
    qualified, found = f"{{{namespace}}}{name}", False
    for description in tree.getroot().iter(f"{{{RDF}}}Description"):
        if qualified in description.attrib:
            description.set(qualified, value)
            found = True
        for element in description.findall(qualified):
            element.text = value
            found = True
    if not found and add:
        etree.SubElement(first, qualified, nsmap={prefix: namespace}).text = value
