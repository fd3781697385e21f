"""The Word draft knows its fields: each definition text in a content control tagged with
its field, hidden and unlocked; the draft records what was sent; the sent draft is kept."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from drafts import w
from lxml import etree

from aftaler.pipeline.steps import build_agreement
from aftaler.render import draftpart, wordtext


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def controls(data: bytes) -> dict[str, list[str]]:
    """Tag -> the text of each content control with that tag, in document order."""
    root = etree.fromstring(parts_of(data)["word/document.xml"])
    out: dict[str, list[str]] = {}
    for sdt in root.iter(w("sdt")):
        tag = sdt.find(f"{w('sdtPr')}/{w('tag')}").get(w("val"))
        out.setdefault(tag, []).append("".join(t.text or "" for t in sdt.iter(w("t"))))
    return out


@pytest.fixture(scope="module")
def tagged(built):
    return controls(built.docx)


def test_every_text_of_the_definition_is_in_a_control_tagged_with_its_field(tagged,
                                                                            hospital):
    assert tagged["title"] == [hospital.title]
    assert tagged["opening"] == [hospital.opening]
    assert tagged["preamble[1]"] == [hospital.preamble[1]]
    assert tagged["cooperation[0]"] == [hospital.cooperation[0]]
    assert tagged["content_intro"] == [hospital.content_intro]
    assert tagged["evaluation"] == [hospital.evaluation]
    for number, effort in enumerate(hospital.efforts):
        assert tagged[f"efforts[{number}].name"] == [effort.name]
        for pid, text in effort.commitments.items():
            assert tagged[f"efforts[{number}].commitments.{pid}"] == [text]
    assert tagged["efforts[5].joint.text"] == [hospital.efforts[5].joint.text]
    assert tagged["parties.hospital.signatories[0].name"] == ["Lisbeth Holsteen Jessen"]
    assert tagged["parties.hospital.signatories[0].title"] == ["hospitalsdirektør"]
    assert tagged["parties.municipality.heading"] == ["HORSENS KOMMUNE"]


def test_the_term_sentence_holds_its_two_dates_as_fields_and_the_rest_as_fixed_text(
        built, tagged):
    assert tagged["term.start"] == ["1. november 2014"]
    assert tagged["term.end"] == ["31. december 2017"]
    record = draftpart.parse_part(draftpart.find_part(parts_of(built.docx)))
    assert record.fields["term.end"].data == "2017-12-31"  # the definition's value
    reading = wordtext.read(parts_of(built.docx))
    term = next(p for p in reading.paragraphs if p.text().startswith("Aftalen træder"))
    assert draftpart.segments(term) == [
        (None, "Aftalen træder i kraft den "), ("term.start", "1. november 2014"),
        (None, " og løber frem til den "), ("term.end", "31. december 2017"), (None, ".")]


def test_a_party_name_is_a_field_wherever_it_is_printed_as_it_is(tagged):
    # in the subtitle and under its signatory
    assert tagged["parties.hospital.name"] == ["Hospitalsenheden Horsens"] * 2


def test_the_programmes_goals_are_not_fields(built, tagged):
    assert not any("150" in text for texts in tagged.values() for text in texts)
    reading = wordtext.read(parts_of(built.docx))
    goal = next(p for p in reading.paragraphs if "150 ekstra" in p.text())
    assert goal.controls == []


def test_tags_are_at_most_64_characters_and_a_long_field_id_is_a_digest(project, hospital,
                                                                         alliance):
    from aftaler.render.wordxml import tag_of

    long_id = "a" * 60
    parties = {long_id if k == "hospital" else k: v for k, v in hospital.parties.items()}
    efforts = [e.model_copy(update={"commitments": {
        (long_id if k == "hospital" else k): t for k, t in e.commitments.items()}})
        if e.commitments else e.model_copy(update={"joint": e.joint.model_copy(
            update={"parties": None})}) for e in hospital.efforts]
    files = build_agreement("long", hospital.model_copy(
        update={"parties": parties, "efforts": efforts}), alliance, project.templates)
    tags = controls(files.docx)
    assert all(len(tag) <= 64 for tag in tags)
    field = f"efforts[0].commitments.{long_id}"
    assert tags[tag_of(field)] == [hospital.efforts[0].commitments["hospital"]]
    record = draftpart.parse_part(draftpart.find_part(parts_of(files.docx)))
    assert record.fields[tag_of(field)].id == field


def test_controls_are_hidden_unlocked_and_numbered_apart(built):
    root = etree.fromstring(parts_of(built.docx)["word/document.xml"])
    sdts = list(root.iter(w("sdt")))
    assert len(sdts) > 30
    w15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
    for sdt in sdts:
        props = sdt.find(w("sdtPr"))
        assert props.find(w("lock")) is None
        assert props.find(f"{w15}appearance").get(f"{w15}val") == "hidden"
    ids = [sdt.find(f"{w('sdtPr')}/{w('id')}").get(w("val")) for sdt in sdts]
    assert len(set(ids)) == len(ids)
    assert "w15" in root.get("{http://schemas.openxmlformats.org/markup-compatibility/2006}"
                             "Ignorable").split()
    assert b"documentProtection" not in parts_of(built.docx)["word/settings.xml"]


def test_the_draft_records_the_agreement_its_version_and_every_field_with_its_hash(built):
    parts = parts_of(built.docx)
    record = draftpart.parse_part(draftpart.find_part(parts))
    assert (record.agreement, record.fingerprint) == ("hospital", built.document.fingerprint)
    xml = etree.fromstring(draftpart.find_part(parts))
    for field in xml.iter(f"{{{draftpart.NS}}}field"):
        assert field.get("sha256") == hashlib.sha256((field.text or "").encode()).hexdigest()
    assert record.fields["efforts[0].commitments.hospital"].context == \
        "JOBROTATION, Hospitalsenheden Horsens"
    assert draftpart.properties(parts) == {"aftaler.udkast": "hospital",
                                           "aftaler.fingeraftryk": record.fingerprint}


def test_the_record_holds_every_paragraph_as_sent(built):
    parts = parts_of(built.docx)
    record = draftpart.parse_part(draftpart.find_part(parts))
    assert [p.text for p in record.paragraphs] == \
        [p.text() for p in wordtext.read(parts).paragraphs]
    footer = [p for p in record.paragraphs if p.where.part == "footer"]
    assert footer and footer[0].text.startswith("HORSENS ALLIANCE AFTALE · ")


def test_a_record_changed_by_hand_is_refused(built):
    data = draftpart.find_part(parts_of(built.docx)).replace(
        "Peter Sørensen</field>".encode(), b"Peter Jensen</field>")
    with pytest.raises(draftpart.NotADraft, match="does not match its hash"):
        draftpart.parse_part(data)


def test_definition_text_that_looks_like_markup_is_text_in_the_controls_and_record(
        project, hospital, alliance):
    hostile = "Forpligter sig {{ doc.title }} & <b>fed</b> {% if x %} 'citat' \"x\""
    efforts = [hospital.efforts[0].model_copy(update={"commitments": {"hospital": hostile}}),
               *hospital.efforts[1:]]
    files = build_agreement("hostile", hospital.model_copy(update={"efforts": efforts}),
                            alliance, project.templates)
    assert controls(files.docx)["efforts[0].commitments.hospital"] == [hostile]
    record = draftpart.parse_part(draftpart.find_part(parts_of(files.docx)))
    assert record.fields["efforts[0].commitments.hospital"].value == hostile


def test_an_empty_commitment_cell_is_a_field_to_be_written_in(examples):
    three = examples.definitions.agreement("three").model  # EFTERUDDANNELSE: no kommune
    assert "kommune" not in three.efforts[1].commitments
    programme = examples.definitions.programme(three.programme).model
    files = build_agreement("three", three, programme, examples.templates)
    assert controls(files.docx)["efforts[1].commitments.kommune"] == [""]


def test_many_parties_listed_keep_names_and_representatives_as_fields(examples):
    fifteen = examples.definitions.agreement("fifteen").model
    programme = examples.definitions.programme(fifteen.programme).model
    tags = controls(build_agreement("fifteen", fifteen, programme, examples.templates).docx)
    first = next(iter(fifteen.parties))
    party = fifteen.parties[first]
    assert party.name in tags[f"parties.{first}.name"]
    assert tags[f"parties.{first}.signatories[0].title"][0] == party.signatories[0].title
    assert tags["efforts[0].name"] == [fifteen.efforts[0].name]


def test_the_sent_draft_is_kept_beside_the_outputs_under_its_version(scratch):
    from aftaler.pipeline.steps import write_agreement

    write_agreement(scratch, "hospital")
    docx = scratch.agreement_files("hospital")[0].read_bytes()
    record = draftpart.parse_part(draftpart.find_part(parts_of(docx)))
    kept = scratch.sent_draft("hospital", record.fingerprint)
    assert kept.read_bytes() == docx
    assert re.fullmatch(r"aftale-hospital-[0-9a-f]{16}\.docx", kept.name)


def test_a_report_quoting_an_agreements_text_has_no_content_controls(project):
    from aftaler.documents.fields import field
    from aftaler.pipeline.steps import build_report
    from aftaler.render import wordxml

    assert "<w:sdt>" not in wordxml.run(field("JOBROTATION", ("efforts", 0, "name")))
    report = build_report(project, 2016)
    assert b"<w:sdt>" not in parts_of(report.docx)["word/document.xml"]
