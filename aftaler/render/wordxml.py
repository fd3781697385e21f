"""WordprocessingML written as text: tables and paragraphs without python-docx's cost per
cell (a table of a hundred rows is milliseconds, not a second).

Each function returns a fragment of `document.xml`; `append` parses a run of them once
and puts them into a docxtpl sub-document. Element order inside the property elements
follows the schema, which Word insists on.

Text from a definition (`documents.fields.FieldText`) is written in a content control
tagged with its field, so that a returned draft can be read back: the control is
neither shown (`w15:appearance` hidden) nor locked, and changes nothing on the page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ..documents.fields import Composed, FieldText

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
TAG_LIMIT = 64  # characters Word keeps in a content control's tag
# Whether fields are written in content controls: only while a draft to negotiate (the
# agreement) is rendered, never in a report that quotes an agreement's text.
_MARKING = ContextVar("marking_fields", default=False)


@contextmanager
def marking_fields() -> Iterator[None]:
    token = _MARKING.set(True)
    try:
        yield
    finally:
        _MARKING.reset(token)
TWIPS_PER_CM = 1440 / 2.54
CELL_MARGINS = '<w:tblCellMar><w:top w:w="70" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>' \
               '<w:bottom w:w="70" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar>'


def twips(cm: float) -> int:
    return round(cm * TWIPS_PER_CM)


@dataclass(frozen=True)
class Styles:
    """The style ids of the template (Word refers to styles by id, not name)."""

    table: str
    heading: str  # table heading cells
    text: str  # table text cells
    ids: dict[str, str]  # paragraph style name -> id


def run(text: str, *, bold: bool = False, italic: bool = False, color: str | None = None,
        size_pt: float | None = None, shade: str | None = None) -> str:
    """A run of text; a field of the definition in its content control, and composed
    text a run per piece; `shade` fills its background (a chip: a colour with its word)."""
    if isinstance(text, Composed):
        return "".join(run(piece, bold=bold, italic=italic, color=color, size_pt=size_pt,
                           shade=shade) for piece in text.pieces)
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    props += f'<w:color w:val="{color}"/>' if color else ""
    props += f'<w:sz w:val="{round(size_pt * 2)}"/>' if size_pt else ""
    props += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    xml = f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    if isinstance(text, FieldText) and _MARKING.get():
        return content_control(text.field, xml)
    return xml


def tag_of(field_id: str) -> str:
    """A field's tag: its id, or, for an id longer than Word keeps, a digest of it."""
    if len(field_id) <= TAG_LIMIT:
        return field_id
    return "~" + hashlib.sha256(field_id.encode()).hexdigest()[:32]


def content_control(field_id: str, runs: str) -> str:
    """`runs` in a content control tagged with the field: not shown, not locked. Its id
    (`w:id`, unique in the document) is numbered once the document is whole (`draftpart`)."""
    return (f'<w:sdt><w:sdtPr><w:tag w:val={quoteattr(tag_of(field_id))}/><w:id w:val="0"/>'
            f'<w15:appearance xmlns:w15="{W15}" w15:val="hidden"/></w:sdtPr>'
            f"<w:sdtContent>{runs}</w:sdtContent></w:sdt>")


def tab() -> str:
    return "<w:r><w:tab/></w:r>"


def paragraph(*runs: str, style: str | None = None, keep_next: bool = False,
              keep_lines: bool = False, hanging_cm: float | None = None,
              right: bool = False, space_before_pt: float | None = None,
              space_after_pt: float | None = None, indent_left_cm: float | None = None,
              indent_right_cm: float | None = None,
              rule_below: tuple[int, str] | None = None) -> str:
    """A paragraph of `runs`. `hanging_cm`: a tab stop there, and the lines after the
    first indented to it (a label and its text, a numbered list). `rule_below` (eighths
    of a point, colour): a line under it, where to write a date or sign."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    props += "<w:keepNext/>" if keep_next else ""
    props += "<w:keepLines/>" if keep_lines else ""
    if rule_below:
        size, color = rule_below
        props += (f'<w:pBdr><w:bottom w:val="single" w:sz="{size}" w:space="1" '
                  f'w:color="{color}"/></w:pBdr>')
    if hanging_cm is not None:
        left = twips(hanging_cm + (indent_left_cm or 0))
        props += f'<w:tabs><w:tab w:val="left" w:pos="{left}"/></w:tabs>'
    if space_before_pt is not None or space_after_pt is not None:
        spacing = "" if space_before_pt is None else f' w:before="{round(space_before_pt * 20)}"'
        spacing += "" if space_after_pt is None else f' w:after="{round(space_after_pt * 20)}"'
        props += f"<w:spacing{spacing}/>"
    if hanging_cm is not None or indent_left_cm is not None or indent_right_cm is not None:
        ind = ""
        if hanging_cm is not None or indent_left_cm is not None:
            ind += f' w:left="{twips((hanging_cm or 0) + (indent_left_cm or 0))}"'
        if hanging_cm is not None:
            ind += f' w:hanging="{twips(hanging_cm)}"'
        if indent_right_cm is not None:
            ind += f' w:right="{twips(indent_right_cm)}"'
        props += f"<w:ind{ind}/>"
    props += '<w:jc w:val="right"/>' if right else ""
    props = f"<w:pPr>{props}</w:pPr>" if props else ""
    return f"<w:p>{props}{''.join(runs)}</w:p>"


def page_break() -> str:
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


@dataclass(frozen=True)
class Cell:
    """A table cell other than plain text: spanning columns, shaded, a heading, a bold
    lead-in before its text, merged with the cell above or below."""

    text: str | tuple[str, ...]  # several: a paragraph each (one party a line)
    span: int = 1
    shade: str | None = None
    heading: bool = False  # in the heading style
    bold: bool = False
    lead: str = ""  # bold, before the text: 'Mål: '
    ink: str | None = None  # the text's colour (on a dark shade)
    merge: str | None = None  # 'restart': merged with the cells below marked 'continue'


def _cell(cell: Cell, width: int, styles: Styles, *, white: bool = False,
          right: bool = False, keep_next: bool = False) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    props += f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
    props += f'<w:vMerge w:val="{cell.merge}"/>' if cell.merge else ""
    props += f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.shade}"/>' \
        if cell.shade else ""
    color = "FFFFFF" if white else cell.ink
    style = styles.heading if cell.heading else styles.text
    body = ""
    lines = cell.text if isinstance(cell.text, tuple) else (cell.text,)
    for number, text in enumerate(lines):
        lead = cell.lead if number == 0 else ""
        runs = (run(lead, bold=True, color=color) if lead else "") + \
            (run(text, bold=cell.bold, color=color) if text or not lead else "")
        body += paragraph(runs, style=style, right=right, keep_next=keep_next)
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


Values = list[str | Cell]


def table(styles: Styles, widths_cm: list[float], header: list[str],
          rows: list[Values], *, heading_shade: str,
          numeric: frozenset[int] = frozenset(), bold_columns: frozenset[int] = frozenset(),
          groups: list[tuple[str | None, list[Values]]] | None = None,
          group_shade: str | None = None, keep_together: bool = False,
          keep_with_next: bool = False, borders: bool = True) -> str:
    """A grid table with a header row (if any) repeated on each page, rows never split
    across pages; `groups` (a heading row across the table, or none, then its rows, kept
    together) may stand instead of `rows`. `keep_together`: the whole table on one page
    (a short table); `keep_with_next`: its last row with what follows. A cell is its text,
    or a Cell."""
    widths = [twips(w) for w in widths_cm]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)

    def row(values: Values, *, head: bool = False, keep_next: bool = False) -> str:
        cells, column = "", 0
        for value in values:
            cell = value if isinstance(value, Cell) else Cell(
                value, heading=head, shade=heading_shade if head else None,
                bold=column in bold_columns and not head)
            width = sum(widths[column:column + cell.span])
            cells += _cell(cell, width, styles, white=head, right=column in numeric,
                           keep_next=keep_next)
            column += cell.span
        props = "<w:cantSplit/>" + ("<w:tblHeader/>" if head else "")
        return f"<w:tr><w:trPr>{props}</w:trPr>{cells}</w:tr>"

    bands = groups if groups is not None else [(None, rows)]
    last = len(bands) - 1
    body = row(header, head=True, keep_next=True) if header else ""
    for band, (title, members) in enumerate(bands):
        if title is not None:
            heading = Cell(title, span=len(widths), shade=group_shade, heading=True)
            body += row([heading], keep_next=bool(members))
        for number, values in enumerate(members, start=1):
            more = number < len(members)
            body += row(values, keep_next=(groups is not None and more)
                        or (keep_together and (more or band < last))
                        or (keep_with_next and not more and band == last))
    style = f'<w:tblStyle w:val="{styles.table}"/>' if borders else ""
    return (f'<w:tbl><w:tblPr>{style}'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f"{CELL_MARGINS}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>")


def layout_table(widths_cm: list[float], rows: list[list[list[str]]]) -> str:
    """A table without lines that only places content side by side: each cell a list of
    paragraphs; no row splits across pages."""
    widths = [twips(w) for w in widths_cm]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = ""
    for cells in rows:
        body += "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        for width, paragraphs in zip(widths, cells, strict=True):
            body += (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                     f'{"".join(paragraphs) or paragraph()}</w:tc>')
        body += "</w:tr>"
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            f"{body}</w:tbl>")


def append(sub, fragments: list[str]) -> None:
    """Parse the fragments at once and add them to the sub-document's body, before its
    section properties."""
    from docx.oxml import parse_xml

    body = sub.subdocx.element.body
    parsed = parse_xml(f'<w:body xmlns:w="{W}">{"".join(fragments)}</w:body>')
    end = body.sectPr
    for element in list(parsed):
        if end is not None:
            end.addprevious(element)
        else:
            body.append(element)
