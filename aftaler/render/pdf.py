"""HTML + CSS -> tagged PDF/A-3 with the definition attached (WeasyPrint)."""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup

from .. import __version__
from .fields import Box, FieldSpec, add_signature_fields
from .templates import font_face_css

PDF_VARIANT = "pdf/a-3a"  # PDF/A-3: may carry the JSON source; level A: tagged
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS px (96 per inch); PDF uses points (72)
GENERATOR = f"horsens-aftaler {__version__}"


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    description: str
    relationship: str = "Source"


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    boxes: dict[str, Box]  # element id -> where it landed
    pages: int


def import_weasyprint():
    """Import WeasyPrint, set up so that its PDFs are the same bytes on every machine.

    WeasyPrint subsets fonts with the system's HarfBuzz-Subset library where one is
    installed and with fontTools otherwise; the two give different bytes (measured:
    the hospital agreement differs, and HarfBuzz saves only ~15 ms). fontTools is
    pinned in pyproject.toml, so it is used everywhere.

    Its subsetting is also made to share one Latin subset between documents
    (aftaler/render/subsetting.py), and its PDF writer to compress a repeated stream once
    (aftaler/render/pdfwrite.py).

    On Linux the import is about 0.3 s faster than a plain one: WeasyPrint tries several
    names for each system library, and cffi resolves every name that fails through
    ctypes.util.find_library, which starts `ldconfig` and `gcc` each time. The names
    that succeed are loaded by the dynamic linker directly, so that search is skipped
    while WeasyPrint loads its libraries.
    """
    if "weasyprint" not in sys.modules and sys.platform.startswith("linux"):
        import ctypes.util

        original = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            import weasyprint
        except OSError:  # a system whose libraries only the search finds: import plainly
            for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = original
    import pydyf
    import weasyprint
    import weasyprint.pdf.fonts

    from . import pdfwrite, subsetting

    weasyprint.pdf.fonts.harfbuzz_subset = None
    subsetting.install(weasyprint.pdf.fonts.Font)
    pdfwrite.install(pydyf)
    return weasyprint


@cache
def _font_config():
    import_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


# fontTools stamps subset fonts with SOURCE_DATE_EPOCH when it is set, the clock if not.
# One fixed date for every document lets documents share their font subsets.
FONT_EPOCH = 1262304000  # 2010-01-01


@contextmanager
def _font_date() -> Iterator[None]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(FONT_EPOCH)
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def html_context(created: dt.datetime) -> dict[str, str]:
    """What every HTML template gets besides its document."""
    # The @font-face rules are made here, from the font package's own paths: trusted CSS.
    return {"font_faces": Markup(font_face_css()), "generator": GENERATOR,
            "created": created.strftime("%Y-%m-%dT%H:%M:%SZ")}


def render(html: str, *, created: dt.datetime, attachments: tuple[Attachment, ...] = (),
           anchors: Mapping[str, None] | tuple[str, ...] = ()) -> RenderedPdf:
    """Lay out `html` and write it as PDF/A-3a; report where the `anchors` ids landed."""
    weasyprint = import_weasyprint()

    font_config = _font_config()
    document = weasyprint.HTML(string=html, base_url=None).render(
        font_config=font_config, pdf_variant=PDF_VARIANT)
    boxes = {}
    for number, page in enumerate(document.pages):
        height_pt = page.height * PX_TO_PT
        for anchor in anchors:
            if anchor in page.anchors:
                x1, y1, x2, y2 = page.anchors[anchor]
                boxes[anchor] = Box(number, x1 * PX_TO_PT, height_pt - y2 * PX_TO_PT,
                                    x2 * PX_TO_PT, height_pt - y1 * PX_TO_PT)
    missing = [a for a in anchors if a not in boxes]
    if missing:
        raise RuntimeError(f"template lost the elements {missing}")
    files = [weasyprint.Attachment(string=a.data, name=a.filename, description=a.description,
                                   relationship=a.relationship, created=created,
                                   modified=created)
             for a in attachments]
    with _font_date():
        data = document.write_pdf(pdf_variant=PDF_VARIANT, attachments=files)
    return RenderedPdf(data, boxes, len(document.pages))


def finish(data: bytes, fields: list[FieldSpec], lang: str) -> bytes:
    """Add the signature fields and the XMP language WeasyPrint leaves out.

    Info and XMP keep what WeasyPrint wrote (no producer or date of ours), so they
    still agree, and the file id is derived from the content: same input, same bytes.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as doc:
        _dedupe_associated_files(doc)
        add_signature_fields(doc, fields)
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:language"] = [lang]
        _identify_pdfua(doc)
        out = io.BytesIO()
        # WeasyPrint's streams stay as compressed; ours are a few bytes.
        doc.save(out, deterministic_id=True, compress_streams=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


# PDF/UA-1's identification, and its description as a PDF/A extension schema (PDF/A-3
# allows only the properties of predefined or described schemas; pdfuaid is not one).
_PDFUA_ID = """<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag>
<rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 the document conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"""


def _identify_pdfua(doc) -> None:
    """Say in the XMP that the document is PDF/UA-1 (WeasyPrint's tagging passes it)."""
    import pikepdf
    from lxml import etree

    packet = etree.parse(io.BytesIO(doc.Root.Metadata.read_bytes()))  # with its xpacket PIs
    rdf = packet.getroot().find("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF")
    rdf.append(etree.fromstring(_PDFUA_ID))
    stream = doc.make_stream(etree.tostring(packet, encoding="utf-8", xml_declaration=False))
    stream.Type, stream.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    doc.Root.Metadata = stream


def _dedupe_associated_files(doc) -> None:
    # WeasyPrint 70 lists each attachment twice in the catalog's /AF (once from the
    # EmbeddedFiles name tree, once from the file specification objects).
    import pikepdf

    af = doc.Root.get("/AF")
    if af is None:
        return
    seen, unique = set(), []
    for spec in af:
        if spec.objgen not in seen:
            seen.add(spec.objgen)
            unique.append(spec)
    doc.Root.AF = pikepdf.Array(unique)
