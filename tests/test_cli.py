"""The command line, through click's CliRunner: output, exit status, files written."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from aftaler.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def files_under(folder: Path) -> list[str]:
    """Every file written, but the records of what went into them (.NAME.build.json)
    and the Word drafts kept as built (aftaler/udkast/)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and not p.name.endswith(".build.json")
                  and p.parent.name != "udkast") \
        if folder.exists() else []


def test_agreement_writes_word_and_pdf_and_prints_their_paths(scratch):
    result = run(scratch, "agreement", "hospital")
    assert result.exit_code == 0, result.output
    docx, pdf = scratch.agreement_files("hospital")
    assert result.output.splitlines() == [str(docx), str(pdf)]
    assert docx.read_bytes()[:2] == b"PK" and pdf.read_bytes()[:5] == b"%PDF-"
    assert files_under(scratch.output) == ["aftaler/aftale-hospital.docx",
                                           "aftaler/aftale-hospital.pdf"]
    assert [p.read_bytes() for p in scratch.sent_drafts.iterdir()] == [docx.read_bytes()]


def test_unknown_agreement_lists_the_known_ones_and_exits_2(scratch):
    result = run(scratch, "agreement", "hotel")
    assert result.exit_code == 2
    assert result.output == ("Error: no agreement named 'hotel' in agreements/ "
                             "(known: hospital, samarbejde-2018)\n")
    assert files_under(scratch.output) == []


@pytest.mark.parametrize("name", ["../hospital", "agreements/hospital", ".."])
def test_name_with_a_path_separator_or_dotdot_is_refused(scratch, name):
    result = run(scratch, "agreement", name)
    assert result.exit_code == 2
    assert "is not an agreement name" in result.output


def test_bad_definition_gives_one_line_exit_2_and_writes_nothing(scratch, hospital_yaml):
    path = scratch.root / "agreements" / "hospital.yaml"
    path.write_text(hospital_yaml.replace("  end: 2017-12-31", "  end: 2013-12-31"),
                    encoding="utf-8")
    result = run(scratch, "agreement", "hospital")
    assert result.exit_code == 2
    assert result.output == ("agreements/hospital.yaml:126: term.end: must be after "
                             "term.start (2014-11-01)\nError: 1 problem(s) found\n")
    assert "Traceback" not in result.output
    assert files_under(scratch.output) == []


def test_failed_build_keeps_the_previous_files_whole(scratch, monkeypatch):
    assert run(scratch, "agreement", "hospital").exit_code == 0
    docx, pdf = scratch.agreement_files("hospital")
    before = docx.read_bytes(), pdf.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("layout engine crashed")

    monkeypatch.setattr("aftaler.pipeline.steps.render_pdf", broken)
    result = run(scratch, "agreement", "hospital", "--force")
    assert result.exit_code != 0
    assert (docx.read_bytes(), pdf.read_bytes()) == before
    assert files_under(scratch.output) == ["aftaler/aftale-hospital.docx",
                                           "aftaler/aftale-hospital.pdf"]


def test_agreement_lists_the_problems_of_a_definition_as_check_does(scratch, hospital_yaml):
    path = scratch.root / "agreements" / "hospital.yaml"
    path.write_text(hospital_yaml.replace("content_intro:", "content_intr:").replace(
        "  start: 2014-11-01", "  start: 2014-11-O1"), encoding="utf-8")
    built, checked = run(scratch, "agreement", "hospital"), run(scratch, "check")
    assert built.exit_code == checked.exit_code == 2
    assert built.output == checked.output
    lines = built.output.splitlines()
    assert [line.split(": ")[1] for line in lines[:-1]] == ["content_intr", "term.start"]
    assert lines[-1] == "Error: 2 problem(s) found"


def test_all_builds_every_agreement(scratch, hospital_yaml):
    (scratch.root / "agreements" / "second.yaml").write_text(
        hospital_yaml.replace("Hospitalsenheden Horsens", "Regionshospitalet"),
        encoding="utf-8")
    result = run(scratch, "agreement", "--all")
    assert result.exit_code == 0, result.output
    assert files_under(scratch.output) == [
        "aftaler/aftale-hospital.docx", "aftaler/aftale-hospital.pdf",
        "aftaler/aftale-samarbejde-2018.docx", "aftaler/aftale-samarbejde-2018.pdf",
        "aftaler/aftale-second.docx", "aftaler/aftale-second.pdf"]


def test_all_in_parallel_processes_writes_the_same_files(scratch, hospital_yaml, built):
    for i in range(4):
        (scratch.root / "agreements" / f"copy-{i}.yaml").write_text(hospital_yaml,
                                                                     encoding="utf-8")
    result = run(scratch, "agreement", "--all", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 12  # progress goes to stderr
    docx, pdf = scratch.agreement_files("hospital")
    assert pdf.read_bytes() == built.pdf
    copy_pdf = scratch.agreement_files("copy-3")[1].read_bytes()
    assert len(copy_pdf) > 10_000


def test_all_stops_before_writing_when_any_definition_is_bad(scratch, hospital_yaml):
    (scratch.root / "agreements" / "zz-bad.yaml").write_text(
        hospital_yaml.replace("opening:", "openning:"), encoding="utf-8")
    result = run(scratch, "agreement", "--all")
    assert result.exit_code == 2
    assert "agreements/zz-bad.yaml:" in result.output
    assert files_under(scratch.output) == []


def test_agreement_without_a_name_says_which_exist(scratch):
    result = run(scratch, "agreement")
    assert result.exit_code == 2
    assert "known: hospital" in result.output


def test_check_passes_on_the_shipped_definitions(project):
    result = run(project, "check")
    assert result.exit_code == 0
    assert result.stdout == ("ok: 2 programme(s) (alliance, vaekstalliancen) and 2 "
                             "agreement(s): hospital, samarbejde-2018\n")
    # the sources' own spellings, kept and warned about (tests/test_advice.py)
    assert [line.split(": ")[0] for line in result.stderr.splitlines()] == [
        "Warning"] * 5


def test_check_lists_every_problem_in_every_file_and_exits_2(scratch, hospital_yaml):
    agreements = scratch.root / "agreements"
    (agreements / "a.yaml").write_text(hospital_yaml.replace("opening:", "openning:"),
                                       encoding="utf-8")
    (agreements / "b.yaml").write_text(
        hospital_yaml.replace("  end: 2017-12-31", "  end: 2010-01-01"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(scratch.root), "check"])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert any(line.startswith("agreements/a.yaml:") and "openning: unknown key" in line
               for line in lines)
    assert any(line.startswith("agreements/b.yaml:") and "term.end" in line for line in lines)
    assert lines[-1] == "Error: 2 problem(s) found"


def test_list_shows_programme_parties_and_term(project):
    result = run(project, "list")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "hospital         HORSENS ALLIANCEN  Hospitalsenheden Horsens, Horsens Kommune  "
        "(1. november 2014 – 31. december 2017)",
        "samarbejde-2018  HORSENS ALLIANCEN  15 parter: Horsens Kommune, BusinessHorsens, "
        "DI Horsens, …  (1. januar 2018 – 31. december 2021)"]


def test_schema_writes_the_json_schemas(scratch):
    import json

    from aftaler.sources.schema import json_schemas

    result = run(scratch, "schema")
    assert result.exit_code == 0
    for name, schema in json_schemas().items():
        assert json.loads((scratch.root / "schema" / name).read_text()) == schema


COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 3


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert f"python build.py {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


# --- names as people type them -------------------------------------------------------------

def test_a_name_in_capitals_is_told_names_are_lower_case_and_given_the_name(scratch):
    result = run(scratch, "agreement", "Hospital")
    assert result.exit_code == 2
    assert result.output == ("Error: 'Hospital' is not an agreement name: names are "
                             "lower-case; did you mean 'hospital'?\n")


def test_a_near_miss_suggests_the_closest_name(scratch):
    result = run(scratch, "agreement", "hospitl")
    assert result.exit_code == 2
    assert result.output == ("Error: no agreement named 'hospitl' in agreements/; did you "
                             "mean 'hospital'? (known: hospital, samarbejde-2018)\n")


def test_a_file_name_is_told_to_give_the_name_alone(scratch):
    result = run(scratch, "agreement", "agreements/hospital.yaml")
    assert result.exit_code == 2
    assert result.output == ("Error: 'agreements/hospital.yaml' is not an agreement name: "
                             "give the name alone, not a path or file name; did you mean "
                             "'hospital'?\n")


def test_report_for_one_agreement_suggests_its_name_too(scratch):
    result = run(scratch, "report", "2016", "--agreement", "hospitl")
    assert result.exit_code == 2
    assert "did you mean 'hospital'?" in result.output


def test_a_year_that_is_not_a_number_is_told_a_year_is_expected(scratch):
    result = run(scratch, "report", "twenty")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == ("Error: Invalid value for 'YEAR': 'twenty' is "
                                              "not a year: give it in four digits, e.g. 2016")


# --- a folder that is not a project ----------------------------------------------------------

NEEDS_A_PROJECT = [["agreement", "hospital"], ["agreement", "--all"], ["agreement"],
                   ["report", "2016"], ["check"], ["list"], ["schema"]]


@pytest.mark.parametrize("args", NEEDS_A_PROJECT, ids=" ".join)
def test_outside_a_project_says_so_and_how_to_point_at_one(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.output == ("Error: the current folder is not a project folder (there is "
                             "no agreements/ in it or in any folder above it): run this in the "
                             "project folder, or give --project DIR\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", NEEDS_A_PROJECT, ids=" ".join)
def test_project_option_at_a_folder_that_is_not_a_project(tmp_path, args):
    result = CliRunner().invoke(cli, ["--project", str(tmp_path), *args])
    assert result.exit_code == 2
    assert result.output == (f"Error: --project {tmp_path} is not a project folder (there "
                             "is no agreements/ in it): give --project DIR with the folder "
                             "that holds it\n")
    assert list(tmp_path.iterdir()) == []


def test_the_project_is_found_from_a_subfolder_of_it(scratch, monkeypatch):
    monkeypatch.chdir(scratch.root / "agreements" / "hospital")
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("hospital         HORSENS ALLIANCEN")


def test_paths_printed_in_a_subfolder_are_relative_to_it(scratch, monkeypatch):
    monkeypatch.chdir(scratch.root / "agreements" / "hospital")
    result = CliRunner().invoke(cli, ["agreement", "hospital"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["../../output/aftaler/aftale-hospital.docx",
                                          "../../output/aftaler/aftale-hospital.pdf"]
    assert scratch.agreement_files("hospital")[1].is_file()


def test_build_py_works_on_its_own_folder_wherever_it_is_run(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "list"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("hospital ")


def test_project_option_at_a_folder_that_does_not_exist(tmp_path):
    result = CliRunner().invoke(cli, ["--project", str(tmp_path / "nowhere"), "list"])
    assert result.exit_code == 2
    assert result.output == (f"Error: --project {tmp_path / 'nowhere'}: no such folder (give "
                             "the folder that holds agreements/)\n")


# --- the group's options after the command -------------------------------------------------

def test_project_and_debug_may_follow_the_command(project):
    result = CliRunner().invoke(cli, ["list", "--project", str(project.root), "--debug"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("hospital         HORSENS ALLIANCEN  Hospitalsenheden Horsens")
    equals = CliRunner().invoke(cli, ["list", f"--project={project.root}"])
    assert equals.output == result.output


def _toy():
    """A group like ours: an option of its own, a subcommand with an option of the same
    name, and a subgroup with an option of its own."""
    from aftaler.cli.app import Group

    seen = {}

    @click.group(cls=Group)
    @click.option("--where")
    @click.option("--loud", is_flag=True)
    def top(where, loud):
        seen.update(top_where=where, loud=loud)

    @top.command()
    @click.argument("words", nargs=-1)
    def say(words):
        seen["words"] = list(words)

    @top.command()
    @click.option("--where")
    def own(where):
        seen["own_where"] = where

    @top.group()
    @click.option("--shelf")
    def box(shelf):
        seen["shelf"] = shelf

    @box.command()
    @click.option("--label")
    def put(label):
        seen["label"] = label

    return top, seen


@pytest.mark.parametrize(("args", "expected"), [
    (["say", "hej", "--where", "her", "--loud"],
     {"top_where": "her", "loud": True, "words": ["hej"]}),
    (["say", "--where=her", "hej"], {"top_where": "her", "loud": False, "words": ["hej"]}),
    (["say", "--", "--where", "her"],
     {"top_where": None, "loud": False, "words": ["--where", "her"]}),
    (["own", "--where", "her"], {"top_where": None, "loud": False, "own_where": "her"}),
    (["box", "put", "--shelf", "3", "--label", "x", "--where", "her"],
     {"top_where": "her", "loud": False, "shelf": "3", "label": "x"}),
])
def test_a_groups_options_are_taken_after_its_subcommands_too(args, expected):
    top, seen = _toy()
    result = CliRunner().invoke(top, args)
    assert result.exit_code == 0, result.output
    assert seen == expected


def test_a_subcommands_option_may_come_before_it(scratch, tmp_path):
    archive = tmp_path / "elsewhere"
    assert run(scratch, "agreement", "hospital").exit_code == 0
    result = CliRunner().invoke(cli, ["--archive", str(archive), "--project", str(scratch.root),
                                      "archive", "add"])
    assert result.exit_code == 0, result.output
    assert (archive / "manifest.json").is_file()
    before = CliRunner().invoke(cli, ["--project", str(scratch.root), f"--archive={archive}",
                                      "archive", "list"])
    after = CliRunner().invoke(cli, ["--project", str(scratch.root), "archive", "list",
                                     "--archive", str(archive)])
    assert before.exit_code == after.exit_code == 0
    assert before.output == after.output
    assert "aftale-hospital.pdf" in before.output


def test_an_option_before_a_command_that_lacks_it_is_still_an_error(scratch):
    result = run(scratch, "--archive", "x", "list")
    assert result.exit_code == 2
    assert "No such option '--archive'" in result.output


def test_version_is_the_installed_packages():
    from importlib.metadata import version

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"aftaler {version('horsens-aftaler')}\n"


def test_the_archive_group_is_of_the_same_kind():
    from aftaler.cli.app import Group

    assert isinstance(cli.commands["archive"], Group)


# --- messages name the command the user ran ------------------------------------------------

def test_list_tells_to_run_check_by_the_name_the_program_was_run_by(scratch, hospital_yaml):
    import subprocess
    import sys

    (scratch.root / "agreements" / "broken.yaml").write_text(
        hospital_yaml.replace("opening:", "openning:"), encoding="utf-8")
    assert "run `aftaler check`" in run(scratch, "list").output
    result = subprocess.run([sys.executable, "build.py", "--project", str(scratch.root), "list"],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    assert "broken           invalid: 1 problem(s), run `python build.py check`" in result.stdout


# --- --debug: a traceback for a program error only ----------------------------------------

def _main(monkeypatch, *args):
    from aftaler.cli import main

    monkeypatch.setattr("sys.argv", ["aftaler", *args])
    main()


def _a_bug(self):
    raise RuntimeError("a bug")


def test_a_program_error_is_one_line_and_exit_1_without_debug(project, monkeypatch, capsys):
    monkeypatch.setattr("aftaler.sources.definitions.Definitions.names", _a_bug)
    with pytest.raises(SystemExit) as exit_:
        _main(monkeypatch, "--project", str(project.root), "list")
    assert exit_.value.code == 1
    assert capsys.readouterr().err == ("Error: unexpected RuntimeError: a bug (run again with "
                                       "--debug for details)\n")


def test_debug_shows_the_traceback_of_a_program_error(project, monkeypatch):
    monkeypatch.setattr("aftaler.sources.definitions.Definitions.names", _a_bug)
    with pytest.raises(RuntimeError, match="a bug"):
        _main(monkeypatch, "--project", str(project.root), "list", "--debug")


def test_debug_keeps_bad_input_to_one_line(scratch, monkeypatch, capsys):
    with pytest.raises(SystemExit) as exit_:
        _main(monkeypatch, "--debug", "--project", str(scratch.root), "agreement", "hotel")
    assert exit_.value.code == 2
    assert capsys.readouterr().err == ("Error: no agreement named 'hotel' in agreements/ "
                                       "(known: hospital, samarbejde-2018)\n")


# --- the progress bar on a terminal --------------------------------------------------------

def test_on_a_terminal_the_progress_bar_never_runs_into_the_paths(scratch, hospital_yaml):
    import os
    import sys

    from terminal import run_in_terminal, screen

    (scratch.root / "agreements" / "second.yaml").write_text(hospital_yaml, encoding="utf-8")
    status, received = run_in_terminal(
        [sys.executable, str(ROOT / "build.py"), "--project", ".", "agreement", "--all"],
        env=dict(os.environ), cwd=str(scratch.root))
    assert status == 0, received
    assert "Building agreements [" in received  # it was drawn, on the terminal
    assert screen(received) == ["output/aftaler/aftale-hospital.docx",
                                "output/aftaler/aftale-hospital.pdf",
                                "output/aftaler/aftale-samarbejde-2018.docx",
                                "output/aftaler/aftale-samarbejde-2018.pdf",
                                "output/aftaler/aftale-second.docx",
                                "output/aftaler/aftale-second.pdf"]


def test_the_progress_bar_is_drawn_only_on_a_terminal(scratch, hospital_yaml):
    (scratch.root / "agreements" / "second.yaml").write_text(hospital_yaml, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(scratch.root), "agreement", "--all"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_sign_help_asks_for_the_certificate_of_the_person_the_field_is_for():
    result = CliRunner().invoke(cli, ["sign", "--help"])
    text = " ".join(result.output.split())
    assert "Sign one signature field of PDF with the certificate of the person it is for" in text
    assert "--p12 FILE The certificate of the person the field is for" in text
    assert text.count("organisation certificate") == 1
    assert "(e.g. to sign with an organisation certificate, which names no person)" in text
