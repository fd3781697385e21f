"""Regenerate templates/agreement.docx and report.docx, the docxtpl Word templates.

The template is committed; this script documents how it was made and remakes it after a
change of layout:  python tools/make_word_template.py
Open the result in Word to restyle it by hand if you prefer: docxtpl only needs the
{{ }} and {%p %} tags to stay in place.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

BLUE = RGBColor(0x1D, 0x4F, 0x73)
FONT = "Calibri"


def _lang(style_or_rpr_owner, lang: str = "da-DK") -> None:
    rpr = style_or_rpr_owner.element.get_or_add_rPr()
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), lang)


def _field(paragraph, instruction: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _style(doc, name, size, bold=False, color=None, before=0, after=6, base="Normal"):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(
        name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base] if name != base else None
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = color or RGBColor(0x11, 0x11, 0x11)
    style.paragraph_format.space_before = Pt(before)
    style.paragraph_format.space_after = Pt(after)
    return style


def _box(style, border: str, fill: str) -> None:
    """A paragraph style drawn as a box: a thin border all round, a pale fill."""
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "4"), ("color", border)):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", fill)):
        shading.set(qn(f"w:{key}"), value)
    # pBdr and shd come before spacing in a paragraph's properties (the schema's order)
    spacing = ppr.find(qn("w:spacing"))
    for element in (borders, shading):
        if spacing is not None:
            spacing.addprevious(element)
        else:
            ppr.append(element)


def _base(title_tag: str, subtitle_tag: str) -> Document:
    """A4, the styles, the header, the footer with "Side X af Y", title and subtitle."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.6)
    section.left_margin = section.right_margin = Cm(2.2)

    normal = _style(doc, "Normal", 10.5, after=6)
    normal.paragraph_format.line_spacing = 1.15
    _lang(normal)
    _style(doc, "Title", 20, bold=True, color=BLUE, after=2)
    _style(doc, "Heading 1", 12, bold=True, color=BLUE, before=14, after=4)
    _style(doc, "Subtitle", 12, bold=True, color=RGBColor(0x33, 0x33, 0x33), after=14)
    for name in ("Title", "Heading 1", "Subtitle"):
        _lang(doc.styles[name])
    subtitle = doc.styles["Subtitle"]
    subtitle.font.italic = False  # Word's default subtitle is italic and letter-spaced
    spacing = subtitle.element.rPr.find(qn("w:spacing"))
    if spacing is not None:
        subtitle.element.rPr.remove(spacing)
    _style(doc, "Table Text", 9.5, after=0)
    _style(doc, "Table Heading", 8.5, bold=True, after=0)
    _style(doc, "Table Party", 9.5, bold=True, after=0)
    _style(doc, "Signature Name", 10.5, bold=True, after=0)
    _style(doc, "Signature Title", 9.5, after=0)
    _style(doc, "Small", 8, color=RGBColor(0x55, 0x55, 0x55), after=0)
    _style(doc, "Heading 2", 11, bold=True, color=BLUE, before=10, after=3)
    doc.styles["Heading 2"].paragraph_format.keep_with_next = True
    _lang(doc.styles["Heading 2"])
    _box(_style(doc, "Notice", 9.5, bold=True, color=RGBColor(0x8A, 0x5A, 0x00), after=8),
         border="E0A100", fill="FFF8E1")  # a box, as in the PDF
    _style(doc, "Caption", 8.5, color=RGBColor(0x55, 0x55, 0x55), after=10)
    doc.styles["Heading 1"].paragraph_format.keep_with_next = True

    header = section.header.paragraphs[0]
    run = header.add_run("{{ doc.header }}")
    run.bold = True
    run.font.size = Pt(8)
    run.font.color.rgb = BLUE

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Small"]
    usable = section.page_width - section.left_margin - section.right_margin
    footer.paragraph_format.tab_stops.add_tab_stop(usable, WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run("{{ doc.footer }}\tSide ")
    _field(footer, "PAGE")
    footer.add_run(" af ")
    # NUMPAGES is not in python-docx's API; a simple field works in Word and LibreOffice.
    _field(footer, "NUMPAGES")

    title = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    title.text = title_tag
    title.style = doc.styles["Title"]
    doc.add_paragraph(subtitle_tag, style="Subtitle")
    return doc


def make_agreement(path: Path) -> None:
    """The agreement; its text comes from the document model (aftaler/documents/agreement.py).

    `{{r field(x) }}` writes x as runs, and a definition's text in a content control
    tagged with its field, so that a returned draft can be read back (`changes`)."""
    doc = _base("{{r field(doc.title) }}", "{{r field(doc.subtitle) }}")
    doc.add_paragraph("{%p if doc.notice %}")
    doc.add_paragraph("{{ doc.notice }}", style="Notice")
    doc.add_paragraph("{%p endif %}")
    # The parties, numbered, on page 1 where the subtitle does not name them.
    doc.add_paragraph("{%p if doc.parties %}")
    doc.add_paragraph("{{ doc.parties_heading }}", style="Heading 1")
    doc.add_paragraph("{{p parties_list }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for paragraph in doc.paragraphs %}")
    doc.add_paragraph("{{r field(paragraph) }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{r field(doc.content_heading) }}", style="Heading 1")
    doc.add_paragraph("{%p if doc.content_intro %}")
    # the lead-in stays with the table it introduces
    doc.add_paragraph("{{r field(doc.content_intro) }}").paragraph_format.keep_with_next = True
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{p content_table }}")
    doc.add_paragraph("{{r field(doc.evaluation) }}").paragraph_format.space_before = Pt(12)
    # The term stays on the page of the first signature block: never signatures alone.
    doc.add_paragraph("{{r field(doc.term) }}").paragraph_format.keep_with_next = True
    doc.add_paragraph("{{p signature_table }}")
    _closing(doc)
    _save(doc, path, "AFTALE")


def make_report(path: Path) -> None:
    """The yearly evaluation; every word of it comes from aftaler/documents/report.py,
    laid out by aftaler/render/reportfiles.py in the styles set here."""
    doc = _base("{{ doc.title }}", "{{ doc.subtitle }}")
    _style(doc, "Heading 3", 10.5, bold=True, color=BLUE, before=8, after=2)
    doc.styles["Heading 3"].paragraph_format.keep_with_next = True
    _lang(doc.styles["Heading 3"])
    doc.add_paragraph("{%p if doc.notice %}")
    doc.add_paragraph("{{ doc.notice }}", style="Notice")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{p body }}")
    _closing(doc)
    _save(doc, path, "Evaluering")


def _closing(doc) -> None:
    """Word wants the body to end with a paragraph, not a table: this one is a point
    high, so that it never fills a page of its own after a table that ends at the foot
    of one."""
    end = doc.add_paragraph().paragraph_format
    end.space_before = end.space_after = Pt(0)
    end.line_spacing = Pt(1)  # a length: exactly that


def _lean(doc) -> None:
    """Only the styles the documents use. python-docx's default template brings a
    hundred table styles and a second copy of every style for Word 2010
    (stylesWithEffects.xml, which Word makes again when it needs one): 800 kB parsed on
    every build, two thirds of a Word file's time."""
    from docx.oxml.ns import qn

    keep = {"TableGrid"}
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if (style.get(qn("w:type")) == "table" and style.get(qn("w:default")) != "1"
                and style.get(qn("w:styleId")) not in keep):
            styles.remove(style)
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rid)


def _save(doc, path: Path, title: str) -> None:
    _lean(doc)
    props = doc.core_properties
    props.title = title
    props.author = props.last_modified_by = ""
    props.language = "da-DK"
    doc.save(path)


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else \
        Path(__file__).resolve().parent.parent / "templates"
    make_agreement(folder / "agreement.docx")
    make_report(folder / "report.docx")
    print(folder / "agreement.docx", folder / "report.docx")
