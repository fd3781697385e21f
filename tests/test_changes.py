"""`changes FILE.docx`: a returned draft, edited as a partner would, read back field by
field; `--apply` writes it into the definition. Each test edits its own copy of the
hospital draft (tests/drafts.py)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import drafts
import pytest
from click.testing import CliRunner
from docx import Document
from drafts import Draft
from extract import docx_text

from aftaler.cli import cli
from aftaler.pipeline.steps import keep_sent_draft

ROOT = Path(__file__).resolve().parent.parent
COMMITMENT = "efforts[0].commitments.hospital"
REWRITTEN = ("Hospitalsenheden Horsens forpligter sig på at lave mindst to "
             "rotationsforløb om året")


def run(secretariat, *args):
    return CliRunner().invoke(cli, ["--project", str(secretariat.root), *args])


@pytest.fixture
def secretariat(scratch, built):
    """A scratch secretariat whose hospital draft was built (and so kept)."""
    keep_sent_draft(scratch, "hospital", built)
    return scratch


@pytest.fixture
def draft(built):
    """The hospital draft as sent, to edit."""
    return Draft(built.docx)


@pytest.fixture
def returned(tmp_path):
    """Save an edited draft as the partner's file; its path."""
    def save(data, name: str = "retur.docx"):
        path = tmp_path / name
        path.write_bytes(data.save() if isinstance(data, Draft) else data)
        return path
    return save


def definition(secretariat) -> str:
    return (secretariat.root / "agreements" / "hospital.yaml").read_text(encoding="utf-8")


# Reading ------------------------------------------------------------------------------

def test_an_unchanged_draft_reports_no_changes_and_apply_writes_nothing(secretariat, draft,
                                                                        returned, built):
    path = returned(draft)
    before = definition(secretariat)
    result = run(secretariat, "changes", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"retur.docx: a draft of hospital, version {built.document.fingerprint}: its "
        "definition as it is now; what was sent is read from the draft itself",
        "no changes: all 39 fields as sent, nothing outside them"]
    applied = run(secretariat, "changes", str(path), "--apply")
    assert applied.exit_code == 0
    assert "agreements/hospital.yaml: nothing to write" in applied.stdout
    assert definition(secretariat) == before


def test_a_rewritten_commitment_is_changed_with_a_word_level_difference(secretariat, draft,
                                                                        returned):
    drafts.rewrite(draft, COMMITMENT, REWRITTEN)
    result = run(secretariat, "changes", str(returned(draft)))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    at = lines.index(f"{COMMITMENT} (JOBROTATION, Hospitalsenheden Horsens): changed")
    assert lines[at + 1] == (
        "  Hospitalsenheden Horsens forpligter sig på at [-være opmærksom på muligheden for "
        "at -]lave [-et-]{+mindst to+} rotationsforløb{+ om året+}")
    assert "unchanged: 38 of 39 fields" in lines


def test_a_tracked_insertion_is_pending_with_its_author_and_date(secretariat, draft, returned):
    drafts.track_insertion(draft, "efforts[1].commitments.municipality", " og vejledning")
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    at = lines.index("efforts[1].commitments.municipality (FLEKSJOB, Horsens Kommune): "
                     "tracked change")
    assert lines[at + 1] == ('  insertion by Lise Hansen (2024-05-02T10:00:00Z): '
                             '"og vejledning"')
    assert lines[at + 2] == "  accepted: …Horsens samt yde administrativ support{+ og vejledning+}"


def test_a_tracked_deletion_is_pending_too(secretariat, draft, returned):
    drafts.track_deletion(draft, "evaluation", "årligt ")
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert "evaluation: tracked change" in lines
    assert '  deletion by Lise Hansen (2024-05-02T10:05:00Z): "årligt"' in lines


def test_a_comment_is_reported_on_its_field(secretariat, draft, returned):
    drafts.comment(draft, "evaluation", "Kan vi evaluere halvårligt?")
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    at = lines.index("evaluation: comment")
    assert lines[at + 1] == ('  comment by Lise Hansen (2024-05-02T10:10:00Z): '
                             '"Kan vi evaluere halvårligt?"')


def test_a_comment_on_fixed_text_is_not_in_any_field(secretariat, draft, returned):
    drafts.comment(draft, "", "Hvorfor dette mål?",
                   paragraph=draft.paragraph_with("HORSENS ALLIANCEN skal hvert år"))
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert ('not in any field: comment in "HORSENS ALLIANCEN skal hvert år de…": Lise Hansen '
            '(2024-05-02T10:10:00Z): "Hvorfor dette mål?"') in lines


def test_a_paragraph_added_outside_every_field_is_listed_as_not_in_any_field(
        secretariat, draft, returned):
    drafts.add_paragraph_after(draft, draft.paragraph_of("cooperation[0]"),
                               "Parterne mødes hvert kvartal.")
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert ('not in any field: added after "…med udvikling og godkendelse af '
            'kursusaktivitet.": "Parterne mødes hvert kvartal."') in lines
    assert "unchanged: 39 of 39 fields" in lines


def test_fixed_text_changed_is_listed_with_the_fields_as_placeholders(secretariat, draft,
                                                                      returned):
    paragraph = draft.paragraph_of("term.start")
    first = paragraph.find(f"{drafts.w('r')}/{drafts.w('t')}")
    first.text = "Aftalen gælder fra den "
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert ('not in any field: changed in "Aftalen træder i kraft den 1.…": Aftalen '
            "[-træder i kraft-]{+gælder fra+} den ⟨term.start⟩ og løber frem til den "
            "⟨term.end⟩.") in lines
    assert "unchanged: 39 of 39 fields" in lines


def test_a_deleted_row_removes_the_fields_of_its_effort(secretariat, draft, returned):
    drafts.delete_row_of(draft, "efforts[2].name")
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    for field in ("efforts[2].name: removed",
                  "efforts[2].commitments.hospital (JOBORDRE, Hospitalsenheden Horsens): "
                  "removed"):
        assert field in lines
    assert "  its text is no longer in the draft" in lines


def test_text_typed_just_outside_a_fields_control_is_the_fields(secretariat, draft, returned):
    paragraph = draft.paragraph_of("evaluation")
    paragraph.append(drafts._run(" Første evaluering i 2015."))
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert "evaluation: changed" in lines
    assert not any(line.startswith("not in any field") for line in lines)


def test_a_party_name_changed_in_one_of_its_places_is_changed(secretariat, draft, returned):
    drafts.rewrite(draft, "parties.hospital.name", "Regionshospitalet Horsens", occurrence=1)
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert "parties.hospital.name: changed" in lines
    assert "  [-Hospitalsenheden-]{+Regionshospitalet+} Horsens" in lines


# Controls lost -------------------------------------------------------------------------

def test_without_content_controls_fields_are_matched_by_text_and_say_so(secretariat, draft,
                                                                        returned):
    drafts.rewrite(draft, COMMITMENT, REWRITTEN)
    drafts.rewrite(draft, "term.end", "31. december 2018")
    drafts.unwrap_controls(draft)
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert lines[1] == "matched by text, their content controls lost or renamed: every field"
    assert f"{COMMITMENT} (JOBROTATION, Hospitalsenheden Horsens): changed" in lines
    assert "term.end: changed" in lines and "  31. december [-2017-]{+2018+}" in lines
    assert "unchanged: 37 of 39 fields" in lines


def test_controls_that_lost_their_tags_are_matched_by_position(secretariat, draft, returned):
    drafts.rewrite(draft, "term.start", "1. januar 2015")
    drafts.lose_tags(draft)
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert "term.start: changed" in lines and "term.end: changed" not in lines


def test_a_draft_that_lost_its_record_is_read_against_the_kept_draft(secretariat, draft,
                                                                     returned):
    drafts.rewrite(draft, COMMITMENT, REWRITTEN)
    drafts.remove_record(draft, properties=False)
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert re.search(r"what was sent is read from the draft kept when it was built "
                     r"\(output/aftaler/udkast/aftale-hospital-[0-9a-f]{16}\.docx\)$", lines[0])
    assert f"{COMMITMENT} (JOBROTATION, Hospitalsenheden Horsens): changed" in lines


def test_a_draft_with_no_mark_of_itself_is_found_by_its_text(secretariat, draft, returned):
    drafts.rewrite(draft, COMMITMENT, REWRITTEN)
    drafts.unwrap_controls(draft)
    drafts.remove_record(draft)
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert re.search(r"what was sent is read from its text, which is that of the draft kept "
                     r"in output/aftaler/udkast/aftale-hospital-[0-9a-f]{16}\.docx$", lines[0])
    assert f"{COMMITMENT} (JOBROTATION, Hospitalsenheden Horsens): changed" in lines


# Refused -------------------------------------------------------------------------------

def one_line_exit_2(result) -> str:
    assert result.exit_code == 2, result.output
    assert len(result.output.splitlines()) == 1, result.output
    return result.output


def test_a_foreign_docx_is_one_line_exit_2(secretariat, returned, tmp_path):
    document = Document()
    document.add_paragraph("Referat af mødet")
    buffer = io.BytesIO()
    document.save(buffer)
    output = one_line_exit_2(run(secretariat, "changes", str(returned(buffer.getvalue(),
                                                                  "referat.docx"))))
    assert output.startswith("Error: referat.docx: not a draft made by this program")


@pytest.mark.parametrize("damage, says", [
    (lambda data: data[:len(data) // 2], "damaged"),
    (lambda data: b"not a zip at all", "not a Word document"),
    (lambda data: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "password-protected"),
])
def test_a_damaged_file_is_one_line_exit_2(secretariat, built, returned, damage, says):
    output = one_line_exit_2(run(secretariat, "changes", str(returned(damage(built.docx)))))
    assert says in output


def test_a_draft_whose_text_is_not_xml_is_damaged(secretariat, built, returned):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(built.docx)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data[:len(data) // 2] if name == "word/document.xml" else data)
    output = one_line_exit_2(run(secretariat, "changes", str(returned(out.getvalue()))))
    assert "retur.docx: damaged: its text is not readable" in output


def test_a_draft_of_an_agreement_that_no_longer_exists_is_one_line_exit_2(secretariat, draft,
                                                                          returned):
    (secretariat.root / "agreements" / "hospital.yaml").unlink()
    output = one_line_exit_2(run(secretariat, "changes", str(returned(draft))))
    assert output == ("Error: retur.docx: a draft of the agreement 'hospital', which no "
                      "longer exists (agreements/hospital.yaml is not there)\n")


def test_a_missing_file_is_one_line_exit_2(secretariat, tmp_path):
    output = one_line_exit_2(run(secretariat, "changes", str(tmp_path / "væk.docx")))
    assert "no such file" in output


def test_a_lost_record_without_the_kept_draft_is_one_line_exit_2(scratch, draft, returned):
    drafts.remove_record(draft, properties=False)
    output = one_line_exit_2(run(scratch, "changes", str(returned(draft))))
    assert "that has lost its record of what was sent" in output


# Applying ------------------------------------------------------------------------------

def test_apply_writes_exactly_the_changed_fields_keeping_everything_else(secretariat, draft,
                                                                         returned):
    before = definition(secretariat)
    drafts.rewrite(draft, COMMITMENT, REWRITTEN)
    drafts.rewrite(draft, "term.end", "31. december 2018")
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-4:-1] == [
        "agreements/hospital.yaml",
        f"  {COMMITMENT}: Hospitalsenheden Horsens forpligter sig på at [-være opmærksom på "
        "muligheden for at -]lave [-et-]{+mindst to+} rotationsforløb{+ om året+}",
        "  term.end: 31. december 2017 → 31. december 2018"]
    assert result.stdout.splitlines()[-1].endswith(" agreement hospital")
    expected = before.replace(
        "        Hospitalsenheden Horsens forpligter sig på at være opmærksom på muligheden "
        "for at lave\n        et rotationsforløb\n",
        "        Hospitalsenheden Horsens forpligter sig på at lave mindst to rotationsforløb "
        "om året\n").replace("  end: 2017-12-31", "  end: 2018-12-31")
    assert definition(secretariat) == expected
    assert run(secretariat, "check").exit_code == 0


def test_a_definition_saved_again_while_apply_reads_it_is_left_as_saved(
        secretariat, draft, returned, saved_after_loading):
    drafts.rewrite(draft, COMMITMENT, REWRITTEN)
    saved_after_loading(secretariat.root / "agreements" / "hospital.yaml", "# gemt\n")
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == ("Error: agreements/hospital.yaml: changed while "
                                              "it was being read: run the command again")
    assert definition(secretariat).endswith("# gemt\n")
    assert REWRITTEN not in definition(secretariat)


def test_the_next_build_has_the_negotiated_text(secretariat, draft, returned):
    drafts.rewrite(draft, COMMITMENT, REWRITTEN)
    assert run(secretariat, "changes", str(returned(draft)), "--apply").exit_code == 0
    assert run(secretariat, "agreement", "hospital").exit_code == 0
    docx = secretariat.agreement_files("hospital")[0].read_bytes()
    assert REWRITTEN in docx_text(docx)


def test_pending_tracked_changes_are_left_out_unless_accept_tracked(secretariat, draft,
                                                                    returned):
    drafts.track_insertion(draft, "efforts[1].commitments.municipality", " og vejledning")
    path = returned(draft)
    before = definition(secretariat)
    result = run(secretariat, "changes", str(path), "--apply")
    assert result.exit_code == 0
    assert ("left out: the pending tracked changes in efforts[1].commitments.municipality "
            "(--accept-tracked applies them)") in result.stdout
    assert definition(secretariat) == before
    accepted = run(secretariat, "changes", str(path), "--apply", "--accept-tracked")
    assert accepted.exit_code == 0, accepted.output
    assert "Hospitalsenheden Horsens samt yde administrativ support og vejledning\n" in \
        definition(secretariat)


def test_accept_tracked_without_apply_is_a_usage_error(secretariat, draft, returned):
    assert run(secretariat, "changes", str(returned(draft)), "--accept-tracked").exit_code == 2


def test_markup_and_quotes_round_trip_literally_into_the_definition(secretariat, draft,
                                                                    returned):
    text = "Forpligter sig {{ doc.title }} & <b>fed</b> {% x %} # ikke en kommentar: 'ja'"
    drafts.rewrite(draft, "efforts[3].commitments.hospital", text)
    drafts.rewrite(draft, "evaluation", "Evalueres & drøftes <årligt> {{ x }}.")
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 0, result.output
    fresh = secretariat.definitions.agreement("hospital").model
    assert fresh.efforts[3].commitments["hospital"] == text
    assert fresh.evaluation == "Evalueres & drøftes <årligt> {{ x }}."


def test_a_result_that_would_not_pass_check_writes_nothing_and_names_the_field(
        secretariat, draft, returned):
    before = definition(secretariat)
    drafts.rewrite(draft, "term.end", "31. december 2013")
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 2
    assert re.search(r"agreements/hospital\.yaml:\d+: term\.end: must be after term\.start",
                     result.stderr)
    assert result.stderr.splitlines()[-1] == ("Error: 1 problem(s): nothing was written to "
                                              "agreements/hospital.yaml")
    assert definition(secretariat) == before


def test_a_date_that_is_not_one_writes_nothing_and_names_the_field(secretariat, draft, returned):
    before = definition(secretariat)
    drafts.rewrite(draft, "term.end", "ved årets udgang")
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 2
    assert ("agreements/hospital.yaml: term.end: 'ved årets udgang' is not a date"
            in result.stderr)
    assert definition(secretariat) == before


def test_a_required_text_emptied_writes_nothing(secretariat, draft, returned):
    before = definition(secretariat)
    drafts.rewrite(draft, "evaluation", "")
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 2
    assert ("agreements/hospital.yaml: evaluation: its text is gone from the draft, and the "
            "definition needs one") in result.stderr
    assert definition(secretariat) == before


def test_a_deleted_row_would_leave_the_yearly_records_wrong_so_nothing_is_written(
        secretariat, draft, returned):
    before = definition(secretariat)
    drafts.delete_row_of(draft, "efforts[2].name")
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 2
    assert "agreements/hospital/2016.yaml" in result.stderr and "JOBORDRE" in result.stderr
    assert definition(secretariat) == before


def test_a_deleted_row_removes_the_effort_when_nothing_else_needs_it(secretariat, draft,
                                                                     returned):
    import shutil

    shutil.rmtree(secretariat.root / "agreements" / "hospital")  # no yearly records
    drafts.delete_row_of(draft, "efforts[2].name")
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 0, result.output
    assert "  efforts[2]: removed" in result.stdout
    assert "JOBORDRE" not in definition(secretariat)
    assert [e.name for e in secretariat.definitions.agreement("hospital").model.efforts] == [
        "JOBROTATION", "FLEKSJOB", "VIRKSOMHEDSCENTER", "SOMMERFERIEAFLØSERE",
        "FRA PATIENT TIL MEDARBEJDER"]


def test_a_removed_preamble_paragraph_is_removed_from_the_definition(secretariat, draft,
                                                                     returned):
    paragraph = draft.paragraph_of("preamble[0]")
    paragraph.getparent().remove(paragraph)
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 0, result.output
    assert "  preamble[0]: removed" in result.stdout
    model = secretariat.definitions.agreement("hospital").model
    assert len(model.preamble) == 1 and model.preamble[0].startswith("Aftaleparterne")


def test_a_commitment_written_into_an_empty_cell_is_added(examples, tmp_path):
    import shutil

    from aftaler.pipeline.steps import write_agreement

    for folder in ("agreements", "programmes", "templates"):
        shutil.copytree(examples.root / folder, tmp_path / folder)
    from aftaler.project import Project

    secretariat = Project(tmp_path)
    write_agreement(secretariat, "three")
    draft = Draft(secretariat.agreement_files("three")[0].read_bytes())
    content = draft.control("efforts[1].commitments.kommune").find(drafts.w("sdtContent"))
    for run_ in content.findall(drafts.w("r")):
        content.remove(run_)
    content.append(drafts._run("Horsens Kommune medfinansierer kurserne."))
    path = tmp_path / "retur.docx"
    path.write_bytes(draft.save())
    result = run(secretariat, "changes", str(path), "--apply")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "agreements" / "three.yaml").read_text(encoding="utf-8")
    assert "      kommune: Horsens Kommune medfinansierer kurserne.\n      erhverv:" in text


def test_a_field_changed_in_the_definition_since_sending_is_a_conflict(secretariat, draft,
                                                                       returned):
    path = secretariat.root / "agreements" / "hospital.yaml"
    path.write_text(definition(secretariat).replace("et rotationsforløb\n",
                                                "et rotationsforløb om året\n"),
                    encoding="utf-8")
    before = definition(secretariat)
    drafts.rewrite(draft, COMMITMENT, REWRITTEN)
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 2
    assert ("changed in the draft and, since the draft was sent, in the definition too"
            in result.stderr)
    assert definition(secretariat) == before


def test_a_field_the_definition_changed_is_no_obstacle_to_another(secretariat, draft, returned):
    path = secretariat.root / "agreements" / "hospital.yaml"
    path.write_text(definition(secretariat).replace("et rotationsforløb\n",
                                                "et rotationsforløb om året\n"),
                    encoding="utf-8")
    drafts.rewrite(draft, "term.end", "31. december 2018")
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 0, result.output
    assert "an earlier version of its definition" in result.stdout.splitlines()[0]
    assert "et rotationsforløb om året\n" in definition(secretariat)
    assert "  end: 2018-12-31" in definition(secretariat)


def test_applying_the_same_draft_twice_writes_nothing_the_second_time(secretariat, draft,
                                                                      returned):
    drafts.rewrite(draft, COMMITMENT, REWRITTEN)
    path = returned(draft)
    assert run(secretariat, "changes", str(path), "--apply").exit_code == 0
    after = definition(secretariat)
    again = run(secretariat, "changes", str(path), "--apply")
    assert again.exit_code == 0
    assert f"already in the definition: {COMMITMENT}" in again.stdout
    assert definition(secretariat) == after


def test_the_readmes_example_is_a_draft_of_the_hospital_agreement_as_it_is(hospital):
    from aftaler.render import draftpart
    from aftaler.sources.agreement import fingerprint

    example = ROOT / "examples" / "aftale-hospital-retur.docx"
    with zipfile.ZipFile(example) as z:
        record = draftpart.parse_part(draftpart.find_part({n: z.read(n) for n in z.namelist()}))
    assert record.fingerprint == fingerprint(hospital), (
        "agreements/hospital.yaml changed: run `python tools/make_example_draft.py`")


def test_a_field_emptied_in_word_shows_its_placeholder_which_is_no_text(secretariat, draft,
                                                                       returned):
    sdt = draft.control("preamble[1]")
    sdt.find(drafts.w("sdtPr")).append(drafts.etree.Element(drafts.w("showingPlcHdr")))
    drafts.rewrite(draft, "preamble[1]", "Klik eller tryk her for at angive tekst.")
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert "preamble[1]: removed" in lines


def test_an_edit_in_the_footer_is_not_in_any_field(secretariat, draft, returned):
    footer = next(n for n in draft.names if n.startswith("word/footer"))
    draft.parts[footer] = draft.parts[footer].replace("HORSENS ALLIANCE AFTALE ·".encode(),
                                                      "UDKAST ·".encode())
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert any(line.startswith("not in any field: changed in the footer: [-HORSENS "
                               "ALLIANCE AFTALE-]{+UDKAST+} ·") for line in lines), lines


def test_a_default_the_draft_changes_is_written_into_the_definition_in_its_place(
        secretariat, draft, returned):
    assert "effort_heading" not in definition(secretariat)  # INDSATS, by default
    drafts.rewrite(draft, "effort_heading", "INDSATSOMRÅDE")
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 0, result.output
    assert "  effort_heading: INDSATS → INDSATSOMRÅDE" in result.stdout
    text = definition(secretariat)
    assert "følgende aftale:\n\neffort_heading: INDSATSOMRÅDE\nefforts:\n" in text
    assert secretariat.definitions.agreement("hospital").model.effort_heading == \
        "INDSATSOMRÅDE"


def test_a_draft_rewritten_from_end_to_end_is_read_without_hanging(secretariat, draft,
                                                                   returned, hang_guard):
    body = draft.body
    for number, text in enumerate(body.iter(drafts.w("t"))):
        text.text = f"Omskrevet {number}."
    for number in range(3000):
        drafts.add_paragraph_after(draft, body[0], f"Ny tekst nummer {number} om noget andet.")
    with hang_guard(120):
        result = run(secretariat, "changes", str(returned(draft)))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert sum(line.startswith("not in any field: added") for line in lines) >= 3000
    assert lines[-2] == "unchanged: 0 of 39 fields"


def test_a_tracked_move_is_pending_where_it_left_and_where_it_went(secretariat, draft,
                                                                   returned):
    from lxml import etree

    moved = "Horsens Kommune forpligter sig på at finde kvalificerede aktivitetsparate eller " \
            "sygemeldte ledige"
    source = draft.control("efforts[3].commitments.municipality").find(drafts.w("sdtContent"))
    run_ = source.find(drafts.w("r"))
    move_from = etree.SubElement(source, drafts.w("moveFrom"), {
        drafts.w("id"): "801", drafts.w("author"): "Lise Hansen",
        drafts.w("date"): "2024-05-02T11:00:00Z"})
    run_.find(drafts.w("t")).tag = drafts.w("delText")
    move_from.append(run_)
    target = draft.control("efforts[2].commitments.municipality").find(drafts.w("sdtContent"))
    move_to = etree.SubElement(target, drafts.w("moveTo"), {
        drafts.w("id"): "802", drafts.w("author"): "Lise Hansen",
        drafts.w("date"): "2024-05-02T11:00:00Z"})
    move_to.append(drafts._run(" " + moved))
    lines = run(secretariat, "changes", str(returned(draft))).stdout.splitlines()
    assert f'  move (from) by Lise Hansen (2024-05-02T11:00:00Z): "{moved}"' in lines
    assert f'  move (to) by Lise Hansen (2024-05-02T11:00:00Z): "{moved}"' in lines


def test_a_changed_target_is_written_into_the_definition(secretariat, draft, returned):
    drafts.rewrite(draft, "efforts[3].target.value", "3")
    drafts.rewrite(draft, "efforts[3].target.unit", "praktikpladser")
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 0, result.output
    assert "  efforts[3].target.value: 2 → 3" in result.stdout.splitlines()
    text = definition(secretariat)
    assert "      value: 3\n      unit: praktikpladser\n" in text
    target = secretariat.definitions.agreement("hospital").model.efforts[3].target
    assert (target.value, target.unit) == (3, "praktikpladser")


def test_a_target_value_that_is_not_a_number_writes_nothing_and_names_the_field(
        secretariat, draft, returned):
    before = definition(secretariat)
    drafts.rewrite(draft, "efforts[3].target.value", "to")
    result = run(secretariat, "changes", str(returned(draft)), "--apply")
    assert result.exit_code == 2
    assert "efforts[3].target.value" in result.output
    assert definition(secretariat) == before
