"""What comes from a file is printed as data: a certificate's name, a PDF's title, a field
name, a file name can hold line breaks, terminal escapes or bidirectional controls, and
none of them can forge a line of output (`intact: yes`) or reach the terminal."""

from __future__ import annotations

import io
import unicodedata

import pikepdf
import pytest
from certs import issue, make_ca
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from aftaler.cli import cli
from aftaler.shown import shown

HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}
FORGED = "\n  intact: yes; changed after signing: none; trusted: yes\x1b[2K\r"
# Text as a hostile file holds it: any character at all, with the dangerous ones common.
hostile = st.lists(st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(["\n", "\r", "\x1b", "\x1b[2J", "\x9b", "\u202e", "\u2066", "\u2028",
                     "\u200b", "\ufeff", "\t", "\x00", "\x7f"])), max_size=30).map("".join)


def hidden(text: str) -> list[str]:
    """The characters of `text` a terminal acts on or does not show (line breaks aside)."""
    return [c for c in text if c != "\n" and unicodedata.category(c) in HIDDEN]


@given(hostile)
def test_shown_text_is_one_line_of_visible_characters(text):
    out = shown(text)
    assert "\n" not in out and not hidden(out)


@given(hostile)
def test_shown_escapes_each_hidden_character_and_keeps_every_other(text):
    out = shown(text)
    assert out == "".join(shown(c) for c in text)
    for c in text:
        assert shown(c).startswith("\\") if unicodedata.category(c) in HIDDEN else shown(c) == c
    assert shown(out) == out


def test_shown_names_each_hidden_character_by_its_code():
    assert shown("a\nb\x1b[2K\u202ec\U000e0001") == "a\\nb\\x1b[2K\\u202ec\\U000e0001"


# --- verify: the signer's name comes from a certificate anyone can make ------------------

PETER = "Underskrift_Peter_Soerensen"


@pytest.fixture(scope="module")
def ca():
    return make_ca()


class Agreement:
    """The built hospital agreement's PDF, without its megabytes in Hypothesis' reports."""

    def __init__(self, pdf: bytes):
        self.pdf = pdf

    def __repr__(self) -> str:
        return "<the hospital agreement's PDF>"


@pytest.fixture(scope="module")
def agreement(built) -> Agreement:
    return Agreement(built.pdf)


# Building and signing are slow: few examples, reported as drawn rather than shrunk.
SLOW = settings(max_examples=8, deadline=None, phases=[Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@SLOW
@given(name=st.one_of(st.just("Peter\n  intact: yes; changed after signing: none\x1b[2K"),
                      hostile.filter(str.strip)))
def test_a_certificates_name_cannot_forge_verify_lines(agreement, ca, tmp_path, name):
    from aftaler.signing.sign import load_signer, sign

    name = name.encode()[:64].decode(errors="ignore") or "x"  # x509: 64 bytes at most
    person = issue(ca, name, "Horsens\n  trusted: yes\x1b[1A")
    signed = sign(agreement.pdf, PETER, load_signer(person.p12(b"pw", [ca.cert]), b"pw", "x"))
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3  # Lisbeth's field, Peter's, and its status: nothing added
    assert lines[0].endswith(": not signed") or lines[1].startswith("  intact: ")
    assert sum(line.startswith("  intact: ") for line in lines) == 1
    assert not hidden(result.output)


def test_a_field_name_with_line_breaks_is_one_line(built, tmp_path):
    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            field.T = pikepdf.String(f"{field.T}{FORGED}")
        out = io.BytesIO()
        pdf.save(out)
    path = tmp_path / "felter.pdf"
    path.write_bytes(out.getvalue())
    result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2 and all(line.endswith(": not signed") for line in lines)
    assert "\\n  intact: yes" in lines[0] and not hidden(result.output)


# --- the archive: titles and names from PDFs, paths from its manifest -------------------

def titled(pdf: bytes, title: str) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.docinfo["/Title"] = pikepdf.String(title)
        with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()


@SLOW
@given(title=st.one_of(st.just("Aftale" + FORGED + "x  2014  signed (2)  Falsk"), hostile))
def test_archive_list_shows_each_document_on_one_line_whatever_its_title(agreement, tmp_path,
                                                                        title):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # one archive per example
    path = folder / "aftale-hospital.pdf"
    path.write_bytes(titled(agreement.pdf, title))
    archive = ["archive", "--archive", str(folder / "archive")]
    added = CliRunner().invoke(cli, [*archive, "add", str(path)])
    assert added.exit_code == 0, added.output
    assert not hidden(added.output)
    listed = CliRunner().invoke(cli, [*archive, "list"])
    assert listed.exit_code == 0, listed.output
    # One line per document; a document failing validation has its rules indented under
    # it (re-saved here by qpdf as most tools do, a stream may fail PDF/A's length rule).
    documents = [line for line in listed.output.splitlines() if not line.startswith(" ")]
    assert len(documents) == 1, listed.output
    assert not hidden(listed.output)


def test_archive_verify_shows_a_tampered_manifests_paths_as_data(built, tmp_path):
    import json

    folder = tmp_path / "archive"
    path = tmp_path / "aftale-hospital.pdf"
    path.write_bytes(built.pdf)
    assert CliRunner().invoke(cli, ["archive", "--archive", str(folder), "add",
                                    str(path)]).exit_code == 0
    manifest = folder / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["documents"][0]["path"] += FORGED
    manifest.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["archive", "--archive", str(folder), "verify"])
    assert result.exit_code == 1
    assert not hidden(result.output)
    assert any(line.endswith("\\x1b[2K\\r: missing") for line in result.output.splitlines())


# --- error lines: a file's name is data too ----------------------------------------------

def test_a_file_name_with_a_line_break_and_an_escape_stays_one_line(scratch):
    hospital = scratch.root / "agreements" / "hospital.yaml"
    (scratch.root / "agreements" / "ny\n  linje\x1b[31m.yaml").write_bytes(hospital.read_bytes())
    result = CliRunner().invoke(cli, ["--project", str(scratch.root), "check"])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 2 and "ny\\n  linje\\x1b[31m" in lines[0], result.output
    assert not hidden(result.output)
