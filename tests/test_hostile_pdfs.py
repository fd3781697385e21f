"""Hostile and damaged PDFs given to `archive add`, `verify` and `sign`: each is refused
with one line naming the file, in words, writing nothing; memory stays bounded."""

from __future__ import annotations

import io
import os
import re
import resource
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from aftaler.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def raw_pdf(objects: list[bytes], *, size: int | None = None,
            subsection: bytes | None = None) -> bytes:
    """A PDF written by hand, objects numbered from 1, with a correct xref table unless
    told to lie (`size`: the trailer's /Size; `subsection`: the xref's header line)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n" + (subsection or b"0 %d\n" % (len(objects) + 1))
    out += b"0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        size or len(objects) + 1, xref)
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>"


def with_zip(pdf: bytes, comment: bytes = b"") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("indhold.txt", "skjult indhold")
        archive.comment = comment
    return pdf + out.getvalue()


@pytest.fixture(scope="module")
def hostile(built) -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, what the one line must say)."""
    pdf = built.pdf
    startxref = pdf.rindex(b"startxref")
    return {
        "cut-in-half": (pdf[:len(pdf) // 2], "incomplete: it does not end the way a PDF ends"),
        "cut-before-the-end": (pdf[:-200], "incomplete"),
        "startxref-wrong": (pdf[:startxref] + b"startxref\n12345\n%%EOF\n",
                            "damaged: its table of contents (cross-reference table)"),
        "xref-entries-wrong": (raw_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                        PAGE], subsection=b"0 7\n"),
                               "damaged: its table of contents"),
        "page-tree-loops": (raw_pdf([CATALOG, b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                                     PAGE]), "damaged: its list of pages refers back to itself"),
        "page-tree-cycle": (raw_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                     b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"]),
                            "damaged: its list of pages refers back to itself"),
        "two-billion-objects": (raw_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                         PAGE], size=2_147_483_647),
                                "damaged: it declares 2,147,483,647 objects but holds 3"),
        "two-billion-xref-entries": (
            raw_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE],
                    size=2_147_483_647, subsection=b"0 2147483647\n"), "damaged"),
        "two-billion-pages": (raw_pdf([CATALOG,
                                       b"<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>",
                                       PAGE]),
                              "damaged: it declares 2,147,483,647 pages but has 1"),
        "pdf-and-zip": (with_zip(pdf), "a PDF and a ZIP archive at once"),
        "pdf-and-zip-ending-in-eof": (with_zip(pdf, b"\n%%EOF\n"),
                                      "a PDF and a ZIP archive at once"),
        "zip-then-pdf": (with_zip(b"") + pdf, "not a PDF"),
    }


NAMES = ["cut-in-half", "cut-before-the-end", "startxref-wrong", "xref-entries-wrong",
         "page-tree-loops", "page-tree-cycle", "two-billion-objects", "two-billion-xref-entries",
         "two-billion-pages", "pdf-and-zip", "pdf-and-zip-ending-in-eof", "zip-then-pdf"]

INTERNALS = re.compile(r"0x[0-9a-f]{6,}|BytesIO|<_io|object at|Traceback|Error\(|\(\w+Error")


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_the_hostile_set_is_complete(hostile):
    assert sorted(hostile) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_archive_add_refuses_it_in_one_line(hostile, tmp_path, hang_guard, name):
    data, says = hostile[name]
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    arch = tmp_path / "archive"
    with hang_guard(60):
        result = CliRunner().invoke(cli, ["archive", "--archive", str(arch), "add", str(path)])
    assert result.exit_code == 2, result.output
    refusal, summary = result.output.splitlines()
    assert refusal.startswith(f"refused: {path}: ") and says in refusal
    assert summary == "Error: 1 file(s) refused"
    assert not INTERNALS.search(result.output)
    assert path.read_bytes() == data
    assert not (arch / "manifest.json").exists() and not list(arch.rglob("*.pdf"))


@pytest.mark.parametrize("name", NAMES)
def test_verify_refuses_it_in_one_line(hostile, tmp_path, hang_guard, name):
    data, says = hostile[name]
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    with hang_guard(60):
        result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: {path}: ")
    assert result.output.count("\n") == 1 and says in result.output
    assert not INTERNALS.search(result.output)


@pytest.mark.parametrize("name", NAMES)
def test_sign_refuses_it_in_one_line_before_asking_for_the_passphrase(hostile, tmp_path,
                                                                     hang_guard, name):
    data, says = hostile[name]
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    (tmp_path / "ikke-laest.p12").write_bytes(b"never read: the PDF is refused first")
    before = files_in(tmp_path)
    with hang_guard(60):
        result = CliRunner().invoke(cli, ["sign", str(path), "--field", "Underskrift_X",
                                          "--p12", str(tmp_path / "ikke-laest.p12")])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: {path}: ")
    assert result.output.count("\n") == 1 and says in result.output
    assert not INTERNALS.search(result.output)
    assert files_in(tmp_path) == before


def test_a_signature_that_cannot_be_read_is_one_line_in_words(tmp_path, built):
    """A signature whose container is garbage: one line, without the parser's message
    (which here asks for 10^300 bytes)."""
    from certs import issue, make_ca

    from aftaler.signing.sign import load_signer, sign

    ca = make_ca()
    signer = load_signer(issue(ca, "Peter Sørensen", "Horsens Kommune").p12(b"pw", [ca.cert]),
                         b"pw", "test.p12")
    signed = sign(built.pdf, "Underskrift_Peter_Soerensen", signer)
    start = signed.rindex(b"/Contents <") + len(b"/Contents <")
    garbage = signed[:start] + b"30" + b"ff" * 40 + signed[start + 82:]  # not DER
    path = tmp_path / "ulaeselig.pdf"
    path.write_bytes(garbage)
    result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 2
    assert result.output == f"Error: {path}: damaged: its signature fields cannot be read\n"
    arch = tmp_path / "archive"
    result = CliRunner().invoke(cli, ["archive", "--archive", str(arch), "add", str(path)])
    assert result.exit_code == 2
    assert f"refused: {path}: damaged: its signature fields cannot be read\n" in result.output


# --- memory: streams that decode to far more than the file --------------------------------

def bomb(megabytes: int) -> bytes:
    """Flate data that decodes to `megabytes` MB of zeros (about 1/230 of that)."""
    encoder = zlib.compressobj(1)
    chunk = bytes(16 * 2**20)
    return b"".join([*(encoder.compress(chunk) for _ in range(megabytes // 16)),
                     encoder.flush()])


def replaced(data: bytes, number: int, dictionary: bytes, stream: bytes) -> bytes:
    """`data` with object `number` replaced by a stream, as an incremental update (pikepdf
    would decode a metadata stream when it saves)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root, size = pdf.Root.objgen[0], int(pdf.trailer.Size)
    previous = int(data[data.rindex(b"startxref") + 9:].split()[0])
    out = bytearray(data)
    offset = len(out)
    out += b"%d 0 obj\n<< %s /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
        number, dictionary, len(stream), stream)
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (number, offset)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, root, previous, xref)
    return bytes(out)


@pytest.fixture(scope="module")
def bombs(built, tmp_path_factory) -> list[Path]:
    """The agreement with its embedded definition, and one with its XMP packet, each
    replaced by a stream of a few MB that decodes to 512 MB."""
    data = bomb(512)
    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        definition = pdf.attachments["aftale-hospital.json"].get_file().obj.objgen[0]
        xmp = pdf.Root.Metadata.objgen[0]
    folder = tmp_path_factory.mktemp("bombs")
    paths = []
    for name, number, dictionary in [
            ("definition", definition, b"/Type /EmbeddedFile /Filter /FlateDecode"),
            ("xmp", xmp, b"/Type /Metadata /Subtype /XML /Filter /FlateDecode")]:
        path = folder / f"bomb-{name}.pdf"
        path.write_bytes(replaced(built.pdf, number, dictionary, data))
        assert path.stat().st_size < 5 * 2**20
        paths.append(path)
    return paths


def limited(megabytes: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes * 2**20, megabytes * 2**20))
    return apply


def test_archive_add_reads_within_bounded_memory(bombs, hostile, tmp_path):
    """With its address space capped below what the bombs decode to, `archive add`
    refuses every hostile file and the XMP bomb, and archives the other bomb with a
    warning (its definition is not read)."""
    for name in NAMES:
        (tmp_path / f"{name}.pdf").write_bytes(hostile[name][0])
    arch = tmp_path / "archive"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "archive", "--archive", str(arch), "add",
         *map(str, bombs), *(str(tmp_path / f"{n}.pdf") for n in NAMES)],
        capture_output=True, text=True, timeout=300, preexec_fn=limited(800))
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("refused: ") == len(NAMES) + 1
    assert result.stderr.splitlines()[-1] == f"Error: {len(NAMES) + 1} file(s) refused"
    assert "MemoryError" not in result.stderr + result.stdout
    definition, xmp = bombs
    assert f"archived: {definition} -> " in result.stdout
    assert "warning: embedded aftale-hospital.json unreadable or over 16 MB" in result.stdout
    assert f"refused: {xmp}: damaged: its metadata (XMP) decodes to more than 16 MB" in \
        result.stderr


def test_sign_refuses_a_metadata_bomb_within_bounded_memory(bombs, tmp_path):
    """Signing rewrites the XMP packet: one that decodes to 512 MB is refused unread."""
    from certs import issue, make_ca

    ca = make_ca()
    (tmp_path / "peter.p12").write_bytes(
        issue(ca, "Peter Sørensen", "Horsens Kommune").p12(b"pw", [ca.cert]))
    _, xmp = bombs
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "sign", str(xmp), "--field",
         "Underskrift_Peter_Soerensen", "--p12", "peter.p12"],
        capture_output=True, text=True, timeout=300, preexec_fn=limited(800),
        cwd=tmp_path, env={**os.environ, "AFTALER_P12_PASSPHRASE": "pw"})
    assert result.returncode == 2
    assert result.stderr == (f"Error: {xmp}: damaged: its metadata (XMP) decodes to more "
                             "than 16 MB\n")
    assert sorted(p.name for p in xmp.parent.iterdir()) == ["bomb-definition.pdf",
                                                            "bomb-xmp.pdf"]
