"""The Word draft: content, table shape, page numbers, properties."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from extract import docx_paragraphs, docx_xml, text_of


@pytest.fixture(scope="module")
def word(built):
    return Document(io.BytesIO(built.docx))


def test_word_opens_with_title_parties_and_content_heading(built):
    paragraphs = [p for p in docx_paragraphs(built.docx) if p]
    assert paragraphs[:2] == ["HORSENS ALLIANCE AFTALE",
                               "Hospitalsenheden Horsens og Horsens Kommune"]
    assert "AFTALENS INDHOLD" in paragraphs


def test_content_table_has_a_row_per_effort_and_a_column_per_party(word, hospital):
    table = word.tables[0]
    header = [text_of(c) for c in table.rows[0].cells]
    assert header == ["INDSATS", "HOSPITALSENHEDEN HORSENS", "HORSENS KOMMUNE"]
    # an effort with a target has a second row, its name cell merged over both
    names = [text_of(r.cells[0]) for r in table.rows[1:]]
    assert list(dict.fromkeys(names)) == [e.name for e in hospital.efforts]
    assert names.count("VIRKSOMHEDSCENTER") == 2
    jobordre = table.rows[3].cells
    assert text_of(jobordre[1]) == hospital.efforts[2].commitments["hospital"]
    assert text_of(jobordre[2]) == hospital.efforts[2].commitments["municipality"]


def test_an_efforts_target_is_printed_under_its_commitments(word):
    rows = word.tables[0].rows
    at = next(i for i, r in enumerate(rows) if text_of(r.cells[0]) == "VIRKSOMHEDSCENTER")
    target = rows[at + 1]
    assert text_of(target.cells[1]) == ("Mål: 2 pladser (indikator: pladser til aktivitetsparate "
                                    "og sygemeldte ledige, besat kontinuerligt)")
    merge = [tc.tcPr.find(qn("w:vMerge")) for tc in (rows[at]._tr.tc_lst[0],
                                                      target._tr.tc_lst[0])]
    assert [m.get(qn("w:val")) for m in merge] == ["restart", "continue"]
    # the effort's two rows stay on one page
    assert all(p.paragraph_format.keep_with_next for c in rows[at].cells for p in c.paragraphs)


def test_joint_commitment_is_one_cell_spanning_both_party_columns(word, hospital):
    last = word.tables[0].rows[-1]
    spans = [tc.tcPr.find(qn("w:gridSpan")) for tc in last._tr.tc_lst]
    assert len(last._tr.tc_lst) == 2
    assert spans[1] is not None and spans[1].get(qn("w:val")) == "2"
    assert text_of(last.cells[1]) == hospital.efforts[-1].joint.text


def test_table_header_repeats_on_each_page_and_rows_do_not_split(word):
    rows = word.tables[0].rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)


def test_signature_blocks_have_date_and_signature_lines_name_and_title(word):
    signatures = word.tables[1]
    assert len(signatures.rows) == 1 and len(signatures.columns) == 2
    for cell, name, title in zip(signatures.rows[0].cells,
                                 ["Lisbeth Holsteen Jessen", "Peter Sørensen"],
                                 ["hospitalsdirektør, Hospitalsenheden Horsens",
                                  "borgmester, Horsens Kommune"], strict=True):
        texts = [text_of(p) for p in cell.paragraphs]
        assert texts == ["Dato:", "", name, title]
        ruled = [p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None
                 for p in cell.paragraphs]
        assert ruled == [True, True, False, False]  # a line to date, a line to sign


def test_table_grid_and_cell_widths_agree_so_every_program_lays_it_out_alike(word):
    table = word.tables[0]
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid[0] < grid[1] == grid[2]  # the effort column is the narrow one
    for tr in table._tbl.tr_lst:
        widths = [tc.tcPr.find(qn("w:tcW")).get(qn("w:w")) for tc in tr.tc_lst]
        assert sum(int(w) for w in widths) == sum(grid)


def test_footer_numbers_pages_side_x_af_y_with_fields(built):
    footer = docx_xml(built.docx, "word/footer1.xml")
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert "Side " in footer and " af " in footer


def test_word_properties_are_danish_with_title_and_fixed_dates(word):
    props = word.core_properties
    assert props.title == ("HORSENS ALLIANCE AFTALE – Hospitalsenheden Horsens og "
                           "Horsens Kommune")
    assert props.author == "HORSENS ALLIANCEN"
    assert props.language == "da-DK"
    assert props.created.isoformat().startswith("2014-11-01")
    assert props.modified == props.created


def test_word_text_is_spell_checked_as_danish(built):
    assert '<w:lang w:val="da-DK"' in docx_xml(built.docx, "word/styles.xml")


def test_no_template_tags_are_left_in_the_word_file(built):
    xml = docx_xml(built.docx)
    assert "{%" not in xml and "{{" not in xml


def test_long_metadata_is_shortened_to_words_255_character_limit(project, hospital, alliance):
    from aftaler.pipeline.steps import build_agreement

    many = [hospital.efforts[0].model_copy(update={"name": f"INDSATS NUMMER {i:02d}"})
            for i in range(40)]
    files = build_agreement("long", hospital.model_copy(update={"efforts": many}), alliance,
                            project.templates)
    keywords = Document(io.BytesIO(files.docx)).core_properties.keywords
    assert len(keywords) <= 255 and keywords.endswith("…")
    assert keywords.startswith("HORSENS ALLIANCEN, HORSENS ALLIANCE AFTALE")


@pytest.mark.parametrize("kind", ["agreement", "report"])
def test_word_files_carry_only_the_styles_they_use(built, project, kind):
    """No hundred unused table styles and no Word 2010 copy of every style
    (stylesWithEffects.xml): 800 kB parsed on every build for nothing."""
    import zipfile

    from lxml import etree

    from aftaler.pipeline.steps import build_report

    data = built.docx if kind == "agreement" else build_report(project, 2016).docx
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        assert not [n for n in docx.namelist() if "stylesWithEffects" in n]
        assert b"stylesWithEffects" not in docx.read("word/_rels/document.xml.rels")
        styles = etree.fromstring(docx.read("word/styles.xml"))
    tables = {s.get(qn("w:styleId")) for s in styles.iter(qn("w:style"))
              if s.get(qn("w:type")) == "table"}
    assert tables == {"TableNormal", "TableGrid"}
