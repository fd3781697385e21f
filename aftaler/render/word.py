"""The agreement as an editable Word file (docxtpl, autoescaped)."""

from __future__ import annotations

import copy

import jinja2
from markupsafe import Markup

from .. import __version__
from ..documents.agreement import AgreementDocument
from ..documents.fields import Composed, compose
from ..errors import AftalerError
from . import draftpart, wordxml, zipwrite
from .templates import TemplateFolder

TEMPLATE = "agreement.docx"
TABLE_WIDTH_CM = 16.6
SHADE_HEAD, SHADE_ROW, SHADE_GROUP = "1D4F73", "EEF3F7", "DDE7EF"
STYLES = ("Table Heading", "Table Text", "Signature Name", "Signature Title")


def render(doc: AgreementDocument, templates: TemplateFolder) -> bytes:
    """The Word draft: every field of the definition in its content control, and the
    record of what was sent (draftpart)."""
    with wordxml.marking_fields():
        return _render(doc, templates)


def _render(doc: AgreementDocument, templates: TemplateFolder) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(templates.path(TEMPLATE)))
    styles = xml_styles(tpl, STYLES, TEMPLATE)
    content = _content_columns(doc, styles) if doc.layout == "columns" else \
        _content_rows(doc, styles)
    context = {
        "doc": doc,
        "field": field_runs,
        "parties_list": subdoc(tpl, _party_list(doc)) if doc.parties else None,
        "content_table": subdoc(tpl, [content]),
        "signature_table": subdoc(tpl, [_signature_table(doc, styles)]),
    }
    return draftpart.mark(finish(tpl, context, doc.metadata), doc)


def field_runs(text: str) -> Markup:
    """`{{r field(doc.title) }}` in the template: the text as runs, a definition's
    field in its content control."""
    return Markup(wordxml.run(text))


def xml_styles(tpl, names, template: str) -> wordxml.Styles:
    """The template's style ids, for the tables and paragraphs written as XML."""
    ids = style_ids(tpl, names, template)
    try:
        table = tpl.get_docx().styles["Table Grid"].style_id
    except KeyError:
        raise AftalerError(f"{template} lacks the table style 'Table Grid'") from None
    return wordxml.Styles(table=table, heading=ids["Table Heading"], text=ids["Table Text"],
                          ids=ids)


def subdoc(tpl, fragments: list[str]):
    """A sub-document holding the XML fragments, for a {{p name }} tag of the template."""
    sub = new_subdoc(tpl)
    wordxml.append(sub, fragments)
    return sub


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
    _restore_core_properties_prefix()
    set_properties(tpl.docx.core_properties, metadata)
    _describe_application(tpl.docx.part.package)
    return zipwrite.saved(tpl, metadata.created)


def _target(text: str, span: int, **cell) -> wordxml.Cell:
    """An effort's target under its commitments: 'Mål:' in bold, then the target."""
    if isinstance(text, Composed):  # 'Mål: ', then value, unit and indicator as fields
        lead, rest = text.pieces[0], compose(*text.pieces[1:])
    else:
        label, _, rest = text.partition(": ")
        lead = f"{label}: "
    return wordxml.Cell(rest, span=span, lead=lead, **cell)


def _content_columns(doc: AgreementDocument, styles: wordxml.Styles) -> str:
    """One column per party; a joint commitment is one cell across them; an effort's
    target in a row of its own under its commitments, the effort's name beside both."""
    parties = len(doc.columns)
    bands = []
    for row in doc.rows:
        name = wordxml.Cell(row.effort, shade=SHADE_ROW, heading=True,
                            merge="restart" if row.target else None)
        cells = [wordxml.Cell(cell.text, span=cell.span) for cell in row.cells]
        members: list[wordxml.Values] = [[name, *cells]]
        if row.target:
            members.append([wordxml.Cell("", shade=SHADE_ROW, merge="continue"),
                            _target(row.target, parties)])
        bands.append((None, members))
    return wordxml.table(styles, [w / 10 for w in doc.widths_mm],
                         [doc.effort_heading, *doc.columns], [], groups=bands,
                         heading_shade=SHADE_HEAD)


def _content_rows(doc: AgreementDocument, styles: wordxml.Styles) -> str:
    """One row per committed party under each effort, its target last; an effort's rows
    kept together."""
    groups = []
    for group in doc.groups:
        members: list[wordxml.Values] = [[wordxml.Cell(line.who, bold=True), line.text]
                                         for line in group.lines]
        if group.target:
            members.append([_target(group.target, 2)])
        groups.append((group.heading, members))
    return wordxml.table(styles, [w / 10 for w in doc.widths_mm], list(doc.group_header),
                         [], groups=groups, group_shade=SHADE_GROUP,
                         heading_shade=SHADE_HEAD, bold_columns=frozenset({0}))


PARTY_NUMBER_CM = 0.8


def _party_list(doc: AgreementDocument) -> list[str]:
    """The parties on page 1, numbered, one a line, each with who represents it."""
    out = []
    for party in doc.parties:
        out.append(wordxml.paragraph(wordxml.run(f"{party.number}."), wordxml.tab(),
                                     wordxml.run(party.name, bold=True),
                                     hanging_cm=PARTY_NUMBER_CM, keep_next=True,
                                     keep_lines=True, space_after_pt=0))
        out.append(wordxml.paragraph(wordxml.run(party.represented_by, size_pt=9.5,
                                                 color="444444"),
                                     indent_left_cm=PARTY_NUMBER_CM, keep_lines=True,
                                     # not chained to the next party: a chain of 25 is
                                     # more than a page, and LibreOffice then breaks it
                                     # anywhere, even between a name and its line
                                     keep_next=False,
                                     space_after_pt=4 if party is not doc.parties[-1] else 10))
    return out


def _signature_table(doc: AgreementDocument, styles: wordxml.Styles) -> str:
    """Two signature blocks a row, each a date line, a line to sign on, name, title and
    organisation; no row splits, the term (kept with what follows, in the template) stays
    on the page of the first, and the rows of a group (a last row of one block and the
    row before it) are kept together: no signature block alone on a page."""
    def block(sig, keep: bool) -> list[str]:
        # The two lines differ: two paragraphs with identical borders are one group.
        lines = sig.title_lines
        return [
            wordxml.paragraph(wordxml.run(doc.date_label), space_before_pt=24,
                              indent_right_cm=1, rule_below=(4, "777777"), keep_next=True),
            wordxml.paragraph(space_before_pt=40, indent_right_cm=1, rule_below=(6, "333333"),
                              keep_next=True),
            wordxml.paragraph(wordxml.run(sig.name), style=styles.ids["Signature Name"],
                              keep_next=True),
            *[wordxml.paragraph(wordxml.run(line), style=styles.ids["Signature Title"],
                                keep_next=keep or n < len(lines) - 1)
              for n, line in enumerate(lines)],
        ]

    half = TABLE_WIDTH_CM / 2
    rows = []
    for group in doc.signature_groups:
        for n, row in enumerate(group):
            keep = n < len(group) - 1  # Word keeps a row whose every line is kept with
            rows.append([block(sig, keep) for sig in row] + [[]] * (2 - len(row)))
    return wordxml.layout_table([half, half], rows)


CORE_PROPERTY_LIMIT = 255  # characters Word allows in a text document property


def _fit(text: str) -> str:
    """Shorten `text` to a document property's limit, at a separator, marked with '…'."""
    if len(text) <= CORE_PROPERTY_LIMIT:
        return text
    cut = text[: CORE_PROPERTY_LIMIT - 1]
    at = max(cut.rfind(", "), cut.rfind(" "))
    return (cut[:at] if at > 0 else cut).rstrip(", ") + "…"


CORE_PROPERTIES_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
APPLICATION = f"horsens-aftaler {__version__}"
# docProps/app.xml as this program can vouch for it: no page, word or line counts (only a
# layout knows them; Word recounts on save), no template it was not made from.
EXTENDED_PROPERTIES = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties">'
    f"<Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "</Properties>").encode()


def _restore_core_properties_prefix() -> None:
    """Give python-docx back its own `cp` prefix before core properties are set.

    Importing docxtpl imports docxcompose, whose utils module rebinds python-docx's
    process-wide `cp` prefix to the custom-properties namespace. python-docx then looks
    for `cp:keywords`, `cp:lastModifiedBy`, `cp:revision` and `cp:lastPrinted` in the
    wrong namespace, misses the template's own and adds a second copy of each, which
    Word reports as unreadable content (python-docx-template #471, docxcompose #101; the
    same fix as python-docx-template PR #657). docxcompose uses its own map, not this.
    """
    from docx.oxml.ns import nsmap

    nsmap["cp"] = CORE_PROPERTIES_NS


def _describe_application(package) -> None:
    """This program as the application in docProps/app.xml, and no thumbnail.

    The template's app.xml is python-docx's default ("Microsoft Macintosh Word", one
    page, no words), and its thumbnail a blank page: neither is this document.
    python-docx has no API for either part.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]  # a part no relationship reaches is not saved
        elif rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            rel.target_part._blob = EXTENDED_PROPERTIES


def set_properties(props, meta) -> None:
    created = meta.created.replace(tzinfo=None)
    props.title = _fit(meta.title)
    props.subject = _fit(meta.subject)
    props.author = _fit(meta.author)
    props.last_modified_by = _fit(meta.author)
    props.keywords = _fit(", ".join(meta.keywords))
    props.language = "da-DK"
    props.created = created
    props.modified = created  # never printed: no lastPrinted
    props.revision = 1
    props.comments = ""
