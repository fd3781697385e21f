"""The Word draft: content, table shape, page numbers, properties."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from extract import docx_paragraphs, docx_xml


@pytest.fixture(scope="module")
def word(built):
    return Document(io.BytesIO(built.docx))


def test_word_opens_with_title_partner_and_content_heading(built):
    paragraphs = [p for p in docx_paragraphs(built.docx) if p]
    assert paragraphs[:2] == ["HORSENS ALLIANCE AFTALE", "Hospitalsenheden Horsens"]
    assert "AFTALENS INDHOLD" in paragraphs


def test_content_table_has_a_row_per_effort_and_a_column_per_party(word, hospital):
    table = word.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["INDSATS", "HOSPITALSENHEDEN HORSENS", "HORSENS KOMMUNE"]
    assert [r.cells[0].text for r in table.rows[1:]] == [e.name for e in hospital.efforts]
    jobordre = table.rows[3].cells
    assert jobordre[1].text == hospital.efforts[2].commitments["hospital"]
    assert jobordre[2].text == hospital.efforts[2].commitments["municipality"]


def test_joint_commitment_is_one_cell_spanning_both_party_columns(word, hospital):
    last = word.tables[0].rows[-1]
    spans = [tc.tcPr.find(qn("w:gridSpan")) for tc in last._tr.tc_lst]
    assert len(last._tr.tc_lst) == 2
    assert spans[1] is not None and spans[1].get(qn("w:val")) == "2"
    assert last.cells[1].text == hospital.efforts[-1].joint.text


def test_table_header_repeats_on_each_page_and_rows_do_not_split(word):
    rows = word.tables[0].rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)


def test_signature_blocks_have_date_and_signature_lines_name_and_title(built):
    paragraphs = docx_paragraphs(built.docx)
    i = paragraphs.index("Lisbeth Holsteen Jessen")
    assert paragraphs[i - 2].startswith("Dato: ___")
    assert set(paragraphs[i - 1]) == {"_"}
    assert paragraphs[i + 1] == "hospitalsdirektør, Hospitalsenheden Horsens"
    j = paragraphs.index("Peter Sørensen")
    assert paragraphs[j + 1] == "borgmester, Horsens Kommune"


def test_footer_numbers_pages_side_x_af_y_with_fields(built):
    footer = docx_xml(built.docx, "word/footer1.xml")
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert "Side " in footer and " af " in footer


def test_word_properties_are_danish_with_title_and_fixed_dates(word):
    props = word.core_properties
    assert props.title == "HORSENS ALLIANCE AFTALE – Hospitalsenheden Horsens"
    assert props.author == "HORSENS ALLIANCEN"
    assert props.language == "da-DK"
    assert props.created.isoformat().startswith("2014-11-01")
    assert props.modified == props.created


def test_word_text_is_spell_checked_as_danish(built):
    assert '<w:lang w:val="da-DK"' in docx_xml(built.docx, "word/styles.xml")


def test_no_template_tags_are_left_in_the_word_file(built):
    xml = docx_xml(built.docx)
    assert "{%" not in xml and "{{" not in xml
