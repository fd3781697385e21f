"""The same definition gives byte-identical files, also across processes and runs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_rebuild_in_another_process_gives_identical_bytes(scratch, tmp_path):
    cmd = [sys.executable, str(ROOT / "build.py"), "--project", str(scratch.root),
           "agreement", "hospital"]
    docx, pdf = scratch.agreement_files("hospital")
    subprocess.run(cmd, check=True, capture_output=True, env={"PATH": "/usr/bin:/bin"})
    first = docx.read_bytes(), pdf.read_bytes()
    # another clock, zone, SOURCE_DATE_EPOCH and temporary folder
    (tmp_path / "tmp").mkdir()
    subprocess.run(cmd, check=True, capture_output=True,
                   env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1700000000",
                        "TZ": "America/New_York", "TMPDIR": str(tmp_path / "tmp")})
    assert (docx.read_bytes(), pdf.read_bytes()) == first


def test_the_typesetter_sees_only_the_two_faces_of_the_pinned_font_package():
    """No system font and none of the fonts built into Typst: the same glyphs on every
    machine, and a character the font lacks can never be drawn by another font."""
    from aftaler.fonts import FONT_FAMILY, font_files
    from aftaler.render.typesetting import fonts

    seen = {(info.family, info.weight, info.path) for info in fonts().fonts()}
    assert seen == {(FONT_FAMILY, weight, str(path)) for weight, path in font_files().items()}


def test_in_process_build_matches_the_command(built, scratch):
    from click.testing import CliRunner

    from aftaler.cli import cli

    result = CliRunner().invoke(cli, ["--project", str(scratch.root), "agreement", "hospital"])
    assert result.exit_code == 0, result.output
    docx, pdf = scratch.agreement_files("hospital")
    assert docx.read_bytes() == built.docx
    assert pdf.read_bytes() == built.pdf


def test_docx_entries_carry_the_definition_date_not_the_clock(built):
    with zipfile.ZipFile(BytesIO(built.docx)) as z:
        assert {i.date_time for i in z.infolist()} == {(2014, 11, 1, 0, 0, 0)}


def test_a_rarer_glyph_of_the_font_is_embedded_too(project, hospital, alliance, built):
    from extract import pdf_text

    from aftaler.pipeline.steps import build_agreement

    schwa = hospital.model_copy(update={"opening": hospital.opening + " Udtale: [ə]."})
    files = build_agreement("schwa", schwa, alliance, project.templates)
    assert "Udtale: [ə]." in pdf_text(files.pdf)
    assert files.pdf != built.pdf


def test_a_document_is_the_same_whatever_was_built_before_it(project, hospital, alliance):
    import subprocess
    import sys

    from aftaler.pipeline.steps import build_agreement

    # in this process, after other documents; and alone in a fresh process
    build_agreement("other", hospital.model_copy(update={"opening": "Ə"}), alliance,
                    project.templates)
    here = build_agreement("hospital", hospital, alliance, project.templates).pdf
    code = ("import sys; from pathlib import Path; from aftaler.project import Project; "
            "from aftaler.pipeline.steps import build_agreement; p = Project(Path(sys.argv[1])); "
            "d = p.definitions; sys.stdout.buffer.write(build_agreement('hospital', "
            "d.agreement('hospital').model, d.programme('alliance').model, p.templates).pdf)")
    alone = subprocess.run([sys.executable, "-c", code, str(project.root)],
                           capture_output=True, check=True).stdout
    assert here == alone
