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
    cache = tmp_path / "cache"  # empty: the first run makes the shared font subsets
    subprocess.run(cmd, check=True, capture_output=True,
                   env={"PATH": "/usr/bin:/bin", "AFTALER_CACHE_DIR": str(cache)})
    first = docx.read_bytes(), pdf.read_bytes()
    assert len(list(cache.glob("*.ttf"))) == 2
    # another clock, zone and SOURCE_DATE_EPOCH; the subsets now come from the cache
    subprocess.run(cmd, check=True, capture_output=True,
                   env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1700000000",
                        "TZ": "America/New_York", "AFTALER_CACHE_DIR": str(cache)})
    assert (docx.read_bytes(), pdf.read_bytes()) == first


def test_a_damaged_cached_font_subset_is_ignored(scratch, tmp_path):
    cmd = [sys.executable, str(ROOT / "build.py"), "--project", str(scratch.root),
           "agreement", "hospital"]
    env = {"PATH": "/usr/bin:/bin", "AFTALER_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    pdf = scratch.agreement_files("hospital")[1]
    first = pdf.read_bytes()
    for cached in (tmp_path / "cache").glob("*.ttf"):
        cached.write_bytes(cached.read_bytes()[:-10] + b"0123456789")
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    assert pdf.read_bytes() == first


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


def test_fonts_are_subset_by_the_pinned_fonttools_even_with_system_harfbuzz_subset():
    # HarfBuzz-Subset (a system library) gives other bytes than fontTools (pinned).
    from aftaler.render.pdf import import_weasyprint

    weasyprint = import_weasyprint()
    assert weasyprint.pdf.fonts.harfbuzz_subset is None


def test_a_glyph_outside_the_shared_latin_subset_is_still_embedded(project, hospital,
                                                                    alliance, built):
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


def test_word_made_beside_the_pdf_is_the_same_file(project, hospital, alliance, built):
    from aftaler.pipeline.steps import build_agreement

    beside = build_agreement("hospital", hospital, alliance, project.templates,
                             both_cores=True)
    assert (beside.docx, beside.pdf) == (built.docx, built.pdf)
