"""The draft in LibreOffice: its content controls change nothing on the page, and a draft
a partner edited and LibreOffice saved is read back (LibreOffice keeps the controls but
drops their tags, so its fields are matched by text)."""

from __future__ import annotations

import io

import drafts
import pytest
import yaml
from click.testing import CliRunner
from conftest import convert_with_libreoffice
from drafts import Draft

from aftaler.cli import cli
from aftaler.pipeline.steps import keep_sent_draft

COMMITMENT = "efforts[0].commitments.hospital"
REWRITTEN = ("Hospitalsenheden Horsens forpligter sig på at lave mindst to "
             "rotationsforløb om året")


def edited(built) -> Draft:
    """The hospital draft as a partner returns it: a commitment rewritten, a tracked
    insertion in another cell, a comment, a paragraph added outside every field."""
    draft = Draft(built.docx)
    drafts.rewrite(draft, COMMITMENT, REWRITTEN)
    drafts.track_insertion(draft, "efforts[1].commitments.municipality", " og vejledning")
    drafts.comment(draft, "evaluation", "Kan vi evaluere halvårligt?")
    drafts.add_paragraph_after(draft, draft.paragraph_of("cooperation[0]"),
                               "Parterne mødes hvert kvartal.")
    return draft


@pytest.fixture(scope="module")
def resaved(soffice, built, tmp_path_factory):
    """The edited draft and the draft as sent, each saved again by LibreOffice Writer."""
    folder = tmp_path_factory.mktemp("resaved")
    return convert_with_libreoffice(soffice, {"edited.docx": edited(built).save(),
                                              "sent.docx": built.docx}, folder, to="docx")


@pytest.fixture
def secretariat(scratch, built):
    keep_sent_draft(scratch, "hospital", built)
    return scratch


def changes(project, path, *options):
    return CliRunner().invoke(cli, ["--project", str(project.root), "changes", str(path),
                                    *options])


def test_libreoffice_keeps_the_controls_and_the_record_but_not_the_tags(resaved):
    draft = Draft(resaved["edited.docx"])
    assert len(list(draft.root.iter(drafts.w("sdt")))) > 30
    assert not list(draft.root.iter(drafts.w("tag")))
    assert any(b"urn:horsens-aftaler:draft:1" in data for name, data in draft.parts.items()
               if name.startswith("customXml/"))


def test_a_draft_edited_and_saved_by_libreoffice_reports_every_edit(secretariat, resaved,
                                                                    tmp_path):
    path = tmp_path / "retur.docx"
    path.write_bytes(resaved["edited.docx"])
    result = changes(secretariat, path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "matched by text, their content controls lost or renamed: every field"
    assert f"{COMMITMENT} (JOBROTATION, Hospitalsenheden Horsens): changed" in lines
    assert ("efforts[1].commitments.municipality (FLEKSJOB, Horsens Kommune): "
            "tracked change") in lines
    tracked = next(line for line in lines if line.startswith("  insertion by"))
    assert tracked.startswith("  insertion by Lise Hansen (2024-05-02T10:00:00")
    assert tracked.endswith(': "og vejledning"')
    assert "evaluation: comment" in lines
    assert any(line.startswith("  comment by Lise Hansen") and
               line.endswith('"Kan vi evaluere halvårligt?"') for line in lines)
    assert ('not in any field: added after "…med udvikling og godkendelse af '
            'kursusaktivitet.": "Parterne mødes hvert kvartal."') in lines
    assert lines[-2] == "unchanged: 36 of 39 fields"


def test_apply_writes_the_same_from_libreoffice_as_from_word(secretariat, resaved, built,
                                                             tmp_path):
    from_word, from_writer = tmp_path / "word.docx", tmp_path / "writer.docx"
    from_word.write_bytes(edited(built).save())
    from_writer.write_bytes(resaved["edited.docx"])
    definition = secretariat.root / "agreements" / "hospital.yaml"
    original = definition.read_bytes()
    written = {}
    for path in (from_word, from_writer):
        definition.write_bytes(original)
        result = changes(secretariat, path, "--apply", "--accept-tracked")
        assert result.exit_code == 0, result.output
        written[path.name] = definition.read_text(encoding="utf-8")
    assert written["word.docx"] == written["writer.docx"] != original.decode()
    efforts = yaml.safe_load(written["writer.docx"])["efforts"]
    assert efforts[0]["commitments"]["hospital"] == REWRITTEN
    assert efforts[1]["commitments"]["municipality"].endswith("support og vejledning")


def test_an_unchanged_draft_saved_by_libreoffice_has_no_changes(secretariat, resaved,
                                                                tmp_path):
    path = tmp_path / "retur.docx"
    path.write_bytes(resaved["sent.docx"])
    result = changes(secretariat, path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == [
        "matched by text, their content controls lost or renamed: every field",
        "no changes: all 39 fields as sent, nothing outside them"]


def _glyphs(pdf: bytes) -> list[tuple[int, str, float, float]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def chars(item):
        if isinstance(item, LTChar):
            yield item
        elif hasattr(item, "__iter__"):
            for child in item:
                yield from chars(child)

    return [(number, c.get_text(), c.x0, c.y0)
            for number, page in enumerate(extract_pages(io.BytesIO(pdf)))
            for c in chars(page) if c.get_text().strip()]


def test_the_controls_change_nothing_on_the_page_as_libreoffice_lays_it_out(soffice, built,
                                                                            tmp_path):
    plain = Draft(built.docx)
    drafts.unwrap_controls(plain)
    laid_out = convert_with_libreoffice(soffice, {"fields.docx": built.docx,
                                                  "plain.docx": plain.save()}, tmp_path)
    with_controls, without = _glyphs(laid_out["fields.docx"]), _glyphs(laid_out["plain.docx"])
    assert [g[:2] for g in with_controls] == [g[:2] for g in without]  # same pages, text
    # LibreOffice starts a new text portion after a control: a glyph may move by a
    # fraction of a point along its line, never to another line.
    assert max(abs(a[2] - b[2]) for a, b in zip(with_controls, without, strict=True)) < 0.5
    assert max(abs(a[3] - b[3]) for a, b in zip(with_controls, without, strict=True)) < 0.01

