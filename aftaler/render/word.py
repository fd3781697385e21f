"""The agreement as an editable Word file (docxtpl, autoescaped)."""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import datetime

import jinja2

from ..documents.agreement import AgreementDocument
from ..errors import AftalerError
from .templates import TemplateFolder

TEMPLATE = "agreement.docx"
TABLE_WIDTH_CM = 16.6
SHADE_HEAD, SHADE_ROW, SHADE_GROUP = "1D4F73", "EEF3F7", "DDE7EF"
STYLES = ("Table Heading", "Table Text", "Table Party", "Signature Name", "Signature Title")


def render(doc: AgreementDocument, templates: TemplateFolder) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(templates.path(TEMPLATE)))
    ids = style_ids(tpl, STYLES, TEMPLATE)
    context = {
        "doc": doc,
        "parties_table": _parties_table(tpl, doc, ids) if doc.parties else None,
        "content_table": (_content_columns if doc.layout == "columns" else _content_rows)(
            tpl, doc, ids),
        "signature_table": _signature_table(tpl, doc, ids),
    }
    return finish(tpl, context, doc.metadata)


class _CompilingOnceEnvironment(jinja2.Environment):
    """docxtpl compiles every XML part anew on each render; the parts of a template are
    the same every time, so compile each once per process."""

    def __init__(self):
        super().__init__(autoescape=True)  # definitions are data: `<`, `&`, `{{` are text
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = self._compiled[source] = super().from_string(source)
        return template


_ENVIRONMENT = _CompilingOnceEnvironment()


def new_subdoc(tpl):
    """A docxtpl sub-document on the template's own part.

    docxtpl's `new_subdoc()` loads python-docx's whole default document each time only
    to throw it away; an empty body is all a sub-document needs.
    """
    from docx.document import Document
    from docx.oxml import parse_xml
    from docxtpl.subdoc import Subdoc

    sub = Subdoc.__new__(Subdoc)
    sub.tpl = tpl
    sub.docx = tpl.get_docx()
    # Only the namespaces the template's root declares: docxtpl strips the body's own
    # declarations when it inserts the sub-document.
    declared = " ".join(f'xmlns:{prefix}="{uri}"'
                        for prefix, uri in sub.docx.element.nsmap.items() if prefix)
    element = parse_xml(f"<w:document {declared}><w:body/></w:document>")
    # python-docx sizes new tables from the last section; docxtpl drops it on insertion
    element.body.append(copy.deepcopy(sub.docx.sections[-1]._sectPr))
    sub.subdocx = Document(element, sub.docx.part)
    return sub


def style_ids(tpl, names, template: str) -> dict[str, str]:
    """Style name -> id. Paragraphs get their style by id: python-docx's lookup by
    name is slow (a millisecond or two each)."""
    styles = tpl.get_docx().styles
    try:
        return {name: styles[name].style_id for name in names}
    except KeyError as exc:
        raise AftalerError(f"{template} lacks the paragraph style {exc}") from None


def finish(tpl, context: dict, metadata) -> bytes:
    """Render with autoescape, set the properties, save with fixed timestamps."""
    tpl.render(context, jinja_env=_ENVIRONMENT, autoescape=True)
    set_properties(tpl.docx.core_properties, metadata)
    out = io.BytesIO()
    tpl.save(out)
    return normalise_zip(out.getvalue(), metadata.created)


def _content_columns(tpl, doc: AgreementDocument, ids: dict[str, str]):
    """One column per party; a joint commitment is one cell across them."""
    from docx.shared import Mm

    sub = new_subdoc(tpl)
    table = sub.add_table(rows=1, cols=len(doc.widths_mm))
    table.style = "Table Grid"
    head = table.rows[0]
    repeat_as_header(head)
    for cell, text in zip(head.cells, (doc.effort_heading, *doc.columns), strict=True):
        fill_cell(cell, text, ids["Table Heading"], shade=SHADE_HEAD, white=True)
    for row in doc.rows:
        cells = table.add_row().cells
        fill_cell(cells[0], row.effort, ids["Table Heading"], shade=SHADE_ROW)
        column = 1
        for cell in row.cells:
            target = cells[column]
            if cell.span > 1:
                target = target.merge(cells[column + cell.span - 1])
            fill_cell(target, cell.text, ids["Table Text"])
            column += cell.span
    for row in table.rows:
        cant_split(row)
    fix_grid(table, [Mm(w) for w in doc.widths_mm], padding=True)
    return sub


def _content_rows(tpl, doc: AgreementDocument, ids: dict[str, str]):
    """One row per committed party under each effort; an effort's rows stay together."""
    from docx.shared import Mm

    sub = new_subdoc(tpl)
    table = sub.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    repeat_as_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, ("PART", "FORPLIGTELSE"), strict=True):
        fill_cell(cell, text, ids["Table Heading"], shade=SHADE_HEAD, white=True)
    for group in doc.groups:
        first, second = table.add_row().cells
        heading = first.merge(second)
        fill_cell(heading, f"{doc.effort_heading}: {group.effort}", ids["Table Heading"],
                  shade=SHADE_GROUP)
        keep_with_next(heading)
        for number, line in enumerate(group.lines, start=1):
            party, text = table.add_row().cells
            fill_cell(party, line.party, ids["Table Party"])
            fill_cell(text, line.text, ids["Table Text"])
            if number < len(group.lines):
                keep_with_next(party, text)
    for row in table.rows:
        cant_split(row)
    fix_grid(table, [Mm(w) for w in doc.widths_mm], padding=True)
    return sub


def _parties_table(tpl, doc: AgreementDocument, ids: dict[str, str]):
    from docx.shared import Mm

    sub = new_subdoc(tpl)
    table = sub.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    repeat_as_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, ("PART", "REPRÆSENTERET VED"), strict=True):
        fill_cell(cell, text, ids["Table Heading"], shade=SHADE_HEAD, white=True)
    for party in doc.parties:
        name, people = table.add_row().cells
        fill_cell(name, party.name, ids["Table Party"])
        fill_cell(people, party.representatives, ids["Table Text"])
    for row in table.rows:
        cant_split(row)
    fix_grid(table, [Mm(w) for w in doc.widths_mm], padding=True)
    return sub


def keep_with_next(*cells) -> None:
    """Keep a table row on the page of the next one (Word and LibreOffice honour it)."""
    for cell in cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _signature_table(tpl, doc: AgreementDocument, ids: dict[str, str]):
    """Two signature blocks a row; no row splits, and the term (in the template, kept
    with what follows) stays on the page of the first."""
    from docx.shared import Cm, Pt

    sub = new_subdoc(tpl)
    per_row = 2
    table = sub.add_table(rows=0, cols=per_row)
    for row_of_signatures in doc.signature_rows:
        cells = table.add_row().cells
        for cell, sig in zip(cells, row_of_signatures, strict=False):
            date = cell.paragraphs[0]
            date.paragraph_format.space_before = Pt(24)
            date.paragraph_format.right_indent = Cm(1)
            date.add_run("Dato:")
            _rule_below(date, size=4, color="777777")
            line = cell.add_paragraph()
            line.paragraph_format.space_before = Pt(40)
            line.paragraph_format.right_indent = Cm(1)
            _rule_below(line)
            for text, style in ((sig.name, "Signature Name"),
                                (f"{sig.title}, {sig.organisation}", "Signature Title")):
                cell.add_paragraph(text)._p.style = ids[style]
        cant_split(table.rows[-1])
    fix_grid(table, [Cm(TABLE_WIDTH_CM / per_row)] * per_row)
    return sub


def fix_grid(table, widths, padding: bool = False) -> None:
    """Fixed column widths, in the grid and in every cell (a merged cell: their sum).

    LibreOffice lays a table out by its grid, Word by its cells: both must agree.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Twips

    widths = [Twips(round(w.twips)) for w in widths]  # whole twips: sums stay exact
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for tr in table._tbl.tr_lst:
        index = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = sum(widths[index:index + span])
            index += span
    if padding:
        margins = OxmlElement("w:tblCellMar")
        for side, twips in (("top", 70), ("left", 100), ("bottom", 70), ("right", 100)):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), str(twips))
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        table._tbl.tblPr.append(margins)


def _rule_below(paragraph, size: int = 6, color: str = "333333") -> None:
    """A line under the paragraph: where to write the date, or to sign.

    Two paragraphs in a row with identical borders are drawn as one bordered group, so
    the date line and the signature line must differ to both show.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", "1"), ("color", color)):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def fill_cell(cell, text: str, style_id: str, shade: str | None = None,
              white: bool = False) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    paragraph = cell.paragraphs[0]
    paragraph._p.style = style_id
    run = paragraph.add_run(text)
    if white:
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    if shade:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), shade)
        cell._tc.get_or_add_tcPr().append(shd)


def repeat_as_header(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def cant_split(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


CORE_PROPERTY_LIMIT = 255  # characters Word allows in a text document property


def _fit(text: str) -> str:
    """Shorten `text` to a document property's limit, at a separator, marked with '…'."""
    if len(text) <= CORE_PROPERTY_LIMIT:
        return text
    cut = text[: CORE_PROPERTY_LIMIT - 1]
    at = max(cut.rfind(", "), cut.rfind(" "))
    return (cut[:at] if at > 0 else cut).rstrip(", ") + "…"


def set_properties(props, meta) -> None:
    created = meta.created.replace(tzinfo=None)
    props.title = _fit(meta.title)
    props.subject = _fit(meta.subject)
    props.author = _fit(meta.author)
    props.last_modified_by = _fit(meta.author)
    props.keywords = _fit(", ".join(meta.keywords))
    props.language = "da-DK"
    props.created = created
    props.modified = created
    props.last_printed = created
    props.revision = 1
    props.comments = ""


def normalise_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite a DOCX/ZIP with every entry stamped `when`: the same input, the same bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()
