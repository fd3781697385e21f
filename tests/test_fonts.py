"""The documents' font: what it can draw, read from the font itself, and what happens to
a character it cannot draw (refused with one located line, never a blank box or another
font)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aftaler import fonts
from aftaler.cli import cli
from aftaler.render.typesetting import TypesettingError, compile_pdf, inputs


def test_the_fonts_own_tables_are_read_as_fonttools_reads_them():
    from fontTools.ttLib import TTFont  # pyHanko's dependency: a second, independent reader

    for weight, path in fonts.font_files().items():
        font = TTFont(str(path))
        metrics = font["hmtx"].metrics
        expected = {cp: metrics[name][0] for cp, name in font.getBestCmap().items()}
        assert fonts._face(weight).advances == expected


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """A template that prints one text of the document, under PDF/A-3a and PDF/UA-1."""
    folder = tmp_path_factory.mktemp("plain")
    (folder / "plain.typ").write_text(
        '#set document(title: "Prøve")\n'
        '#set text(font: "Source Sans Pro", lang: "da", fallback: false)\n'
        "#json(bytes(sys.inputs.doc)).text\n", encoding="utf-8")
    return folder / "plain.typ"


def test_every_character_the_check_lets_through_is_drawn_by_typst_under_pdfa(plain):
    """Typst refuses, under PDF/A, any text it cannot display: so the check and the
    typesetter agree on every character the check accepts."""
    text = " ".join(sorted(fonts.drawable()))
    compile_pdf(plain, inputs({"text": text}))


@pytest.mark.parametrize("char", sorted(fonts.NOT_DRAWN))
def test_the_characters_set_apart_are_refused_by_typst_though_in_the_font(plain, char):
    with pytest.raises(TypesettingError, match="disallowed codepoint|could not be displayed"):
        compile_pdf(plain, inputs({"text": f"a{char}b"}))


@pytest.mark.parametrize("text, expected", [
    ("Hospitalsenheden Horsens", []),
    ("医院 Horsens 😀", ["医", "院", "😀"]),
    ("مرحبا", ["م", "ر", "ح", "ب", "ا"]),
    ("Ærø, Søren, café – “citat” … 40-45 mio. kr.\u00a0%", []),
])
def test_what_the_font_cannot_draw(text, expected):
    assert fonts.undrawable(text) == expected


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def test_a_party_named_in_chinese_is_one_located_line_and_nothing_is_written(scratch):
    path = scratch.root / "agreements" / "hospital.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: Hospitalsenheden Horsens", "name: Hospitalsenheden Horsens 医院"), "utf-8")
    result = run(scratch, "agreement", "hospital")
    assert result.exit_code == 2
    assert result.output == (
        "agreements/hospital.yaml:13: parties.hospital.name: '医' (U+533B CJK UNIFIED "
        "IDEOGRAPH-533B), '院' (U+9662 CJK UNIFIED IDEOGRAPH-9662): the documents' font "
        "(Source Sans Pro) cannot draw them: write them in other characters, or leave them "
        "out\nError: 1 problem(s) found\n")
    assert not scratch.output.exists()


def test_an_emoji_in_a_yearly_record_stops_the_report_and_check_names_it(scratch):
    path = scratch.root / "agreements" / "hospital" / "2016.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Fortsætte som hidtil." in text
    path.write_text(text.replace("Fortsætte som hidtil.", "Fortsætte som hidtil 👍", 1),
                    encoding="utf-8")
    for args in (["report", "2016"], ["check"]):
        result = run(scratch, *args)
        assert result.exit_code == 2, args
        [line] = [line for line in result.output.splitlines() if "👍" in line]
        assert line.removeprefix("Error: ").startswith("agreements/hospital/2016.yaml:")
        assert "next_step: '👍' (U+1F44D THUMBS UP SIGN): the documents' font" in line
    assert not scratch.output.exists()


def test_arabic_in_a_programme_is_refused_for_every_document_of_it(scratch):
    path = scratch.root / "programmes" / "alliance.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: HORSENS ALLIANCEN", "name: HORSENS ALLIANCEN مرحبا",
                                 1), encoding="utf-8")
    for args in (["agreement", "hospital"], ["report", "2016"], ["check"]):
        result = run(scratch, *args)
        assert result.exit_code == 2, args
        assert "programmes/alliance.yaml:" in result.output
        assert "(U+0645 ARABIC LETTER MEEM)" in result.output
