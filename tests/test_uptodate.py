"""Up-to-date builds: a document is built again exactly when something it is built from
changed, or its files were changed or removed by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from aftaler.cli import cli
from aftaler.pipeline import uptodate
from aftaler.project import Project

# The documents of the fixture, and how to ask whether each is up to date.
DOCUMENTS = {
    "hospital": lambda p: uptodate.agreement_current(p, "hospital"),
    "samarbejde-2018": lambda p: uptodate.agreement_current(p, "samarbejde-2018"),
    "report 2016": lambda p: uptodate.report_current(p, 2016, None, None),
    "report 2019": lambda p: uptodate.report_current(p, 2019, None, None),
    "report 2014": lambda p: uptodate.report_current(p, 2014, None, None),
    "report 2016 hospital": lambda p: uptodate.report_current(p, 2016, None, "hospital"),
}
COMMANDS = [["agreement", "--all"], ["report", "2016"], ["report", "2019"],
            ["report", "2014"], ["report", "2016", "--agreement", "hospital"]]


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(root), *args])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The project with every document of DOCUMENTS built once."""
    root = tmp_path_factory.mktemp("built")
    source = Path(__file__).resolve().parent.parent
    for folder in ("templates", "agreements", "programmes"):
        shutil.copytree(source / folder, root / folder)
    for command in COMMANDS:
        result = run(root, *command)
        assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def project(built, tmp_path) -> Project:
    """A copy of the built project, to change."""
    shutil.copytree(built, tmp_path / "p")
    return Project(tmp_path / "p")


def stale(project: Project) -> set[str]:
    fresh = Project(project.root)  # nothing remembered from before the change
    return {name for name, current in DOCUMENTS.items() if not current(fresh)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_nothing_is_stale(project):
    assert stale(project) == set()


def test_an_agreements_definition_rebuilds_it_and_the_reports_it_is_in(project):
    edit(project.root / "agreements" / "hospital.yaml", "forpligtende samarbejde",
         "forpligtende og tæt samarbejde")
    assert stale(project) == {"hospital", "report 2016", "report 2014", "report 2016 hospital"}


def test_an_agreement_not_in_a_report_leaves_that_report_alone(project):
    # the example agreement of 2018-2021 is read by report 2016, but is not in it
    edit(project.root / "agreements" / "samarbejde-2018.yaml", "Aftalens indhold evalueres",
         "Aftalens indhold gennemgås og evalueres")
    assert stale(project) == {"samarbejde-2018", "report 2019"}


def test_an_agreement_that_comes_into_force_in_the_year_rebuilds_its_report(project):
    edit(project.root / "agreements" / "samarbejde-2018.yaml", "start: 2018-01-01",
         "start: 2016-01-01")
    assert stale(project) == {"samarbejde-2018", "report 2016", "report 2019"}


def test_a_new_agreement_rebuilds_the_reports_of_the_years_it_is_in_force(project):
    hospital = (project.root / "agreements" / "hospital.yaml").read_text(encoding="utf-8")
    (project.root / "agreements" / "new.yaml").write_text(
        hospital.replace("start: 2014-11-01", "start: 2019-01-01").replace(
            "end: 2017-12-31", "end: 2020-12-31").replace(
            "    serves: [offentlig-forsoergelse]\n", ""), encoding="utf-8")
    assert stale(project) == {"report 2019"}


def test_a_new_agreement_of_another_programme_rebuilds_nothing(project):
    hospital = (project.root / "agreements" / "hospital.yaml").read_text(encoding="utf-8")
    (project.root / "agreements" / "growth.yaml").write_text(
        "programme: vaekstalliancen\n" + hospital.replace(
            "    serves: [offentlig-forsoergelse]\n", ""), encoding="utf-8")
    assert stale(project) == set()


def test_the_programme_rebuilds_everything_of_it(project):
    edit(project.root / "programmes" / "alliance.yaml", "founded: 2013", "founded: 2012")
    assert stale(project) == set(DOCUMENTS)


def test_another_programme_rebuilds_nothing_of_this_one(project):
    edit(project.root / "programmes" / "vaekstalliancen.yaml", "per_year: 500",
         "per_year: 600")
    assert stale(project) == set()


def test_an_evaluation_rebuilds_the_reports_of_its_year(project):
    edit(project.root / "agreements" / "hospital" / "2016.yaml", "Fortsætte som hidtil.",
         "Fortsætte.")
    assert stale(project) == {"report 2016", "report 2016 hospital"}


def test_an_evaluation_that_was_missing_rebuilds_the_report_that_missed_it(project):
    shutil.copy(project.root / "agreements" / "hospital" / "2016.yaml",
                project.root / "agreements" / "hospital" / "2014.yaml")
    assert stale(project) == {"report 2014"}


def test_a_programmes_results_rebuild_the_reports_of_that_year_and_later_in_the_period(
        project):
    edit(project.root / "programmes" / "alliance" / "2015.yaml", "result: 164", "result: 165")
    assert stale(project) == {"report 2016"}  # the total since 2014 changed


@pytest.mark.parametrize("template, expected", [
    ("agreement.typ", {"hospital", "samarbejde-2018"}),
    ("agreement.docx", {"hospital", "samarbejde-2018"}),
    ("report.typ", {"report 2016", "report 2019", "report 2014", "report 2016 hospital"}),
    ("charts.typ", {"report 2016", "report 2019", "report 2014", "report 2016 hospital"}),
    ("common.typ", set(DOCUMENTS)),
])
def test_a_template_rebuilds_the_documents_made_with_it(project, template, expected):
    path = project.root / "templates" / template
    path.touch()  # the same bytes, saved again: nothing is stale ...
    assert stale(project) == set()
    path.write_bytes(path.read_bytes() + b"\n")  # ... other bytes: what uses it is
    assert stale(project) == expected


@pytest.mark.parametrize("command, document", [
    (["agreement", "hospital", "--force"], "hospital"),
    (["report", "2016", "--force"], "report 2016"),
])
def test_a_template_saved_while_its_document_is_built_is_built_again(project, monkeypatch,
                                                                      command, document):
    from aftaler.render import pdf

    template = project.root / "templates" / "common.typ"
    compile_pdf = pdf.compile_pdf

    def saved_meanwhile(*args, **kwargs):  # the template is saved while Typst sets it
        found = compile_pdf(*args, **kwargs)
        template.write_bytes(template.read_bytes() + b"\n")
        return found

    monkeypatch.setattr(pdf, "compile_pdf", saved_meanwhile)
    assert run(project.root, *command).exit_code == 0
    assert document in stale(project)


def test_the_font_rebuilds_everything(project, monkeypatch, tmp_path):
    from aftaler import fonts

    font = Path(fonts.font_files()[400])
    record = uptodate.record_path(list(project.agreement_files("hospital")))
    assert str(font) in record.read_text(encoding="utf-8")
    original = uptodate.file_hash

    def changed_font(path):
        return "0" * 64 if Path(path) == font else original(path)

    monkeypatch.setattr(uptodate, "file_hash", changed_font)
    assert stale(project) == set(DOCUMENTS)


@pytest.mark.parametrize("key", ["typst", "font-source-sans-pro", "python", "source"])
def test_a_package_or_the_programs_own_source_rebuilds_everything(project, monkeypatch, key):
    changed = {**uptodate.environment(), key: "other"}
    monkeypatch.setattr(uptodate, "environment", lambda: changed)
    assert stale(project) == set(DOCUMENTS)


def test_the_programs_source_is_fingerprinted_whole():
    assert len(uptodate.environment()["source"]) == 64


@pytest.mark.parametrize("how", ["changed", "removed"])
def test_a_file_changed_or_removed_by_hand_is_built_again(project, how):
    pdf = project.agreement_files("hospital")[1]
    if how == "changed":
        pdf.write_bytes(pdf.read_bytes() + b"%")
    else:
        pdf.unlink()
    assert stale(project) == {"hospital"}


def test_a_sent_draft_removed_builds_the_agreement_again_and_keeps_it_again(project):
    [kept] = project.sent_drafts.glob("aftale-hospital-*.docx")
    shutil.rmtree(project.sent_drafts)
    assert stale(project) == {"hospital", "samarbejde-2018"}
    assert run(project.root, "agreement", "hospital").exit_code == 0
    assert kept.read_bytes() == project.agreement_files("hospital")[0].read_bytes()
    assert stale(project) == {"samarbejde-2018"}


def test_a_record_naming_a_kept_file_outside_its_folder_means_built_again(project):
    record = uptodate.record_path(list(project.agreement_files("hospital")))
    found = json.loads(record.read_text("utf-8"))
    found["kept"] = {"../../agreements/hospital.yaml": uptodate.file_hash(
        project.root / "agreements/hospital.yaml")}
    record.write_text(json.dumps(found), "utf-8")
    assert stale(project) == {"hospital"}


@pytest.mark.parametrize("damage", ["{", '{"format": 1}', '{"format": 1, "outputs": 3}',
                                    '{"format": 1, "outputs": {}, "inputs": []}'])
def test_a_damaged_record_means_built_again(project, damage):
    record = uptodate.record_path(list(project.agreement_files("hospital")))
    record.write_text(damage.replace('"format": 1', '"format": 1, "environment": ' +
                                     json.dumps(uptodate.environment())), "utf-8")
    assert stale(project) == {"hospital"}


# --- the command line ---------------------------------------------------------------------

def test_up_to_date_files_are_printed_and_said_so_on_stderr(project):
    result = run(project.root, "agreement", "hospital")
    assert result.exit_code == 0
    docx, pdf = project.agreement_files("hospital")
    assert result.stdout.splitlines() == [str(docx), str(pdf)]
    assert result.stderr.splitlines() == [f"up to date: {docx}", f"up to date: {pdf}"]


def test_all_builds_exactly_the_stale_agreements(project):
    edit(project.root / "agreements" / "hospital.yaml", "forpligtende samarbejde",
         "forpligtende og tæt samarbejde")
    before = project.agreement_files("samarbejde-2018")[1].stat().st_mtime_ns
    result = run(project.root, "agreement", "--all")
    assert result.exit_code == 0, result.output
    assert "up to date: " + str(project.agreement_files("samarbejde-2018")[1]) \
        in result.stderr
    assert "hospital" not in result.stderr
    assert len(result.stdout.splitlines()) == 4
    assert project.agreement_files("samarbejde-2018")[1].stat().st_mtime_ns == before
    assert stale(project) == {"report 2016", "report 2014", "report 2016 hospital"}


def test_force_builds_what_is_up_to_date(project):
    pdf = project.agreement_files("hospital")[1]
    before = pdf.stat().st_mtime_ns
    result = run(project.root, "agreement", "hospital", "--force")
    assert result.exit_code == 0 and "up to date" not in result.stderr
    assert pdf.stat().st_mtime_ns != before


def test_a_stale_report_is_built_and_then_up_to_date(project):
    edit(project.root / "agreements" / "hospital" / "2016.yaml", "Fortsætte som hidtil.",
         "Fortsætte.")
    first = run(project.root, "report", "2016")
    assert first.exit_code == 0 and "up to date" not in first.stderr
    second = run(project.root, "report", "2016")
    assert second.stderr.count("up to date: ") == 2


def test_a_broken_definition_is_reported_not_skipped(project):
    edit(project.root / "agreements" / "hospital.yaml", "opening:", "openning:")
    result = run(project.root, "agreement", "hospital")
    assert result.exit_code == 2
    assert "openning: unknown key" in result.output


# --- a file saved while its document is being built ---------------------------------------

SAVED_WHILE_BUILDING = {
    # what is saved: (the file, its text before -> after, the command, the document)
    "definition": ("agreements/hospital.yaml", ("forpligtende samarbejde",
                                                "forpligtende og tæt samarbejde"),
                   ["agreement", "hospital"], "hospital"),
    "programme": ("programmes/alliance.yaml", ("founded: 2013", "founded: 2012"),
                  ["agreement", "hospital"], "hospital"),
    "evaluation": ("agreements/hospital/2016.yaml", ("Fortsætte som hidtil.", "Fortsætte."),
                   ["report", "2016"], "report 2016"),
    "evaluation that was missing": ("agreements/hospital/2014.yaml", None,
                                    ["report", "2014"], "report 2014"),
}


@pytest.mark.parametrize("what", list(SAVED_WHILE_BUILDING))
def test_a_file_saved_right_after_the_build_read_it_leaves_the_document_stale(
        project, monkeypatch, what):
    """The record keeps the digest of the bytes the build parsed, not of the file as it
    is once the build is done: the saved text is never reported as built."""
    from aftaler.sources import yamlsource
    from aftaler.sources.files import SourceFiles

    relative, change, command, document = SAVED_WHILE_BUILDING[what]
    path = project.root / relative
    saved = (path.read_text(encoding="utf-8").replace(*change, 1) if change else
             (project.root / "agreements" / "hospital" / "2016.yaml").read_text("utf-8"))
    read, exists = yamlsource.read, SourceFiles.exists
    done = []

    def save(target) -> None:
        if Path(target) == path and not done:
            path.write_text(saved, encoding="utf-8")
            done.append(target)

    def read_then_save(target, display, **kwargs):
        data = read(target, display, **kwargs)
        save(target)  # the user saves the moment the build has read the file
        return data

    def look_then_create(self, target):
        found = exists(self, target)
        if not found:
            save(target)  # ... or creates it the moment the build found it absent
        return found

    monkeypatch.setattr(yamlsource, "read", read_then_save)
    monkeypatch.setattr(SourceFiles, "exists", look_then_create)
    result = run(project.root, *command, "--force")
    assert result.exit_code == 0, result.output
    monkeypatch.undo()
    assert done and path.read_text(encoding="utf-8") == saved
    assert document in stale(project)
    again = run(project.root, *command)
    assert again.exit_code == 0 and "up to date" not in again.stderr, again.output
    assert document not in stale(project)


def test_a_file_saved_twice_within_the_clocks_granularity_is_hashed_again(tmp_path):
    """Same size, same modification time, other bytes (a coarse file system clock): a
    hash is only remembered for files older than that."""
    import os

    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    first = uptodate.file_hash(path)
    stamp = path.stat().st_mtime_ns
    path.write_text("a: 2\n", encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    assert uptodate.file_hash(path) != first


def test_anything_but_a_regular_file_hashes_as_absent_without_being_opened(tmp_path,
                                                                          hang_guard):
    import os

    os.mkfifo(tmp_path / "pipe.yaml")  # opening it for reading would wait for a writer
    (tmp_path / "folder.yaml").mkdir()
    with hang_guard(10):
        assert uptodate.file_hash(tmp_path / "pipe.yaml") is None
        assert uptodate.file_hash(tmp_path / "folder.yaml") is None
