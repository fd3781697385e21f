"""`archive add` keeps for good only what is real: documents built from `example: true`
data are left out unless --include-examples, the manifest says which are examples, and
--dry-run says what would happen without writing anything."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aftaler.archive.store import Archive
from aftaler.cli import cli
from aftaler.pipeline.steps import build_agreement, build_report

UNSIGNED = ("  warning: unsigned signature fields: Underskrift_Lisbeth_Holsteen_Jessen, "
            "Underskrift_Peter_Soerensen (archived before signing)")


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


@pytest.fixture(scope="module")
def pdfs(project) -> dict[str, bytes]:
    """The final PDFs of a real agreement, an example agreement and an example report."""
    definitions = project.definitions
    alliance = definitions.programme("alliance").model
    return {
        "aftaler/aftale-hospital.pdf": build_agreement(
            "hospital", definitions.agreement("hospital").model, alliance,
            project.templates).pdf,
        "aftaler/aftale-samarbejde-2018.pdf": build_agreement(
            "samarbejde-2018", definitions.agreement("samarbejde-2018").model, alliance,
            project.templates).pdf,
        "rapporter/evaluering-2016.pdf": build_report(project, 2016).pdf,
    }


@pytest.fixture
def built(scratch, pdfs):
    for name, data in pdfs.items():
        (scratch.output / name).parent.mkdir(parents=True, exist_ok=True)
        (scratch.output / name).write_bytes(data)
    return scratch


def manifest(project) -> list[dict]:
    return json.loads((project.root / "archive" / "manifest.json").read_text())["documents"]


def test_documents_built_from_example_data_are_left_out_and_said_so(built):
    result = run(built, "archive", "add")
    assert result.exit_code == 0, result.output
    output = built.output
    assert result.output.splitlines() == [
        f"archived: {output}/aftaler/aftale-hospital.pdf -> 2014/hospital/aftale-hospital.pdf",
        UNSIGNED,
        f"left out: {output}/aftaler/aftale-samarbejde-2018.pdf: built from example data "
        "(--include-examples archives it)",
        f"left out: {output}/rapporter/evaluering-2016.pdf: built from example data "
        "(--include-examples archives it)"]
    assert [(r["path"], r["example"]) for r in manifest(built)] == [
        ("2014/hospital/aftale-hospital.pdf", False)]


def test_an_example_named_on_the_command_line_is_left_out_too(built):
    result = run(built, "archive", "add", str(built.output / "rapporter"))
    assert result.exit_code == 0
    assert result.output.startswith(f"left out: {built.output}/rapporter/evaluering-2016.pdf")
    assert not (built.root / "archive" / "manifest.json").exists()


def test_include_examples_archives_them_and_the_manifest_says_they_are_examples(built):
    result = run(built, "archive", "add", "--include-examples")
    assert result.exit_code == 0, result.output
    assert "-> 2016/alliance/evaluering-2016.pdf (an example)" in result.output
    assert {r["path"]: r["example"] for r in manifest(built)} == {
        "2014/hospital/aftale-hospital.pdf": False,
        "2018/samarbejde-2018/aftale-samarbejde-2018.pdf": True,
        "2016/alliance/evaluering-2016.pdf": True}
    listed = run(built, "archive", "list").output.splitlines()
    assert [line.split()[0] for line in listed if ", example" in line] == [
        "2018/samarbejde-2018/aftale-samarbejde-2018.pdf", "2016/alliance/evaluering-2016.pdf"]
    assert run(built, "archive", "verify").exit_code == 0


def test_dry_run_says_what_would_happen_and_writes_nothing(built):
    result = run(built, "archive", "add", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (f"would archive: {built.output}/aftaler/aftale-hospital.pdf -> "
                        "2014/hospital/aftale-hospital.pdf")
    assert lines[-1] == "dry run: nothing was archived"
    assert sum(line.startswith("left out: ") for line in lines) == 2
    assert not (built.root / "archive").exists()


def test_dry_run_foresees_versions_and_what_is_archived_already(built, tmp_path):
    assert run(built, "archive", "add").exit_code == 0
    other = tmp_path / "fra-penneo"
    other.mkdir()
    (other / "aftale-hospital.pdf").write_bytes(
        (built.output / "rapporter" / "evaluering-2016.pdf").read_bytes())
    before = (built.root / "archive" / "manifest.json").read_bytes()
    result = run(built, "archive", "add", "--dry-run", "--include-examples",
                 str(built.output / "aftaler" / "aftale-hospital.pdf"), str(other))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"already archived: {built.output}/aftaler/aftale-hospital.pdf is "
        "2014/hospital/aftale-hospital.pdf",
        f"would archive: {other}/aftale-hospital.pdf -> 2016/alliance/aftale-hospital.pdf "
        "(an example)",
        "dry run: nothing was archived"]
    assert (built.root / "archive" / "manifest.json").read_bytes() == before


def test_dry_run_exits_2_when_a_file_would_be_refused(built, tmp_path):
    bad = tmp_path / "noter.pdf"
    bad.write_bytes(b"not a pdf at all")
    result = run(built, "archive", "add", "--dry-run", str(bad))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: 1 file(s) would be refused"
    assert not (built.root / "archive").exists()


def test_a_manifest_from_before_examples_were_recorded_still_reads(built):
    assert run(built, "archive", "add").exit_code == 0
    path = built.root / "archive" / "manifest.json"
    data = json.loads(path.read_text())
    for record in data["documents"]:
        del record["example"]
    path.chmod(0o644)
    path.write_text(json.dumps(data))
    assert [r.example for r in Archive(built.root / "archive").records()] == [False]
